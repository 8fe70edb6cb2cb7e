"""Time per epoch of a whole LSTMRegressor.fit against a hand-written PyTorch loop.

Both train the same module (``RecurrentForecaster``, hidden 64, with the highway) on the
same 8,000 windows of 10 steps x 3 columns with the same work per epoch: shuffled
mini-batches of 64 over the first 90 % of the rows, MSE, gradient-norm clipping at 1.0,
Adam, then one pass over the validation block (the last 10 %). The estimator runs with
early stopping off (``patience=None``) so both do every epoch, and its time is the whole
``fit`` (validation of X and y, target scaling, the highway's least squares, callbacks)
divided by the epochs. The loop standardises the target too.

Each repetition runs the loop and the estimator back to back (alternating which goes
first) so that load on a shared machine hits both; the ratio is taken per repetition and
the median and spread (min-max) of the ratios are printed, once with Adam's fused kernel
on both sides and once with PyTorch's default Adam on both sides. Wall time is what a
user waits; CPU time of the process (one torch thread) is the work done, which load from
other processes on a shared machine disturbs less.

If Darts is installed, its ``BlockRNNModel`` (LSTM, hidden 64, batch 64, the same windows
as a series of the same length) is timed per epoch too; it is skipped otherwise.

    nice -n 0 python benchmarks/bench_training.py [--device cpu|cuda] [--epochs 10] \\
        [--repeats 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch

from sklearn_vix import LSTMRegressor
from sklearn_vix.neural import RecurrentForecaster, resolve_device

N, LOOKBACK, COLUMNS, HIDDEN, BATCH = 8000, 10, 3, 64, 64


def data(seed: int = 0):
    rng = np.random.default_rng(seed)
    sequences = rng.standard_normal((N, LOOKBACK, COLUMNS)).astype(np.float32)
    y = (sequences[:, -1, 0] * 0.9 + 0.1 * rng.standard_normal(N)).astype(np.float32)
    return sequences, y


def synchronize(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def estimator_epoch_time(sequences, y, device: str, epochs: int, fused: bool) -> float:
    net = LSTMRegressor(
        hidden_size=HIDDEN,
        batch_size=BATCH,
        max_epochs=epochs,
        patience=None,
        device=device,
        random_state=0,
        optimizer__fused=fused,
    )
    synchronize(device)
    start, cpu = time.perf_counter(), time.process_time()
    net.fit(sequences, y)
    synchronize(device)
    return (time.perf_counter() - start) / epochs, (time.process_time() - cpu) / epochs


def loop_epoch_time(sequences, y, device: str, epochs: int, fused: bool) -> float:
    synchronize(device)
    start, cpu = time.perf_counter(), time.process_time()
    torch.manual_seed(0)
    n_valid = int(np.ceil(0.1 * N))
    X = torch.from_numpy(sequences).to(device)
    target = torch.from_numpy((y - y.mean()) / y.std()).reshape(-1, 1).to(device)
    X_train, y_train = X[:-n_valid], target[:-n_valid]
    X_valid, y_valid = X[-n_valid:], target[-n_valid:]
    module = RecurrentForecaster(LOOKBACK, COLUMNS, 1, hidden_size=HIDDEN).to(device)
    optimizer = torch.optim.Adam(module.parameters(), lr=3e-4, fused=fused)
    loss_fn = torch.nn.MSELoss()
    for _ in range(epochs):
        module.train()
        order = torch.randperm(len(X_train)).to(device)
        for i in range(0, len(X_train), BATCH):
            rows = order[i : i + BATCH]
            optimizer.zero_grad()
            loss = loss_fn(module(X_train[rows]), y_train[rows])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            optimizer.step()
            loss.item()
        module.eval()
        with torch.no_grad():
            loss_fn(module(X_valid), y_valid).item()
    synchronize(device)
    return (time.perf_counter() - start) / epochs, (time.process_time() - cpu) / epochs


def fused_supported(device: str) -> bool:
    try:
        torch.optim.Adam([torch.zeros(1, device=device, requires_grad=True)], fused=True)
    except (RuntimeError, ValueError):
        return False
    return True


def darts_epoch_time(sequences, y, epochs: int) -> tuple[float, float] | None:
    """Per-epoch time of Darts' BlockRNNModel on a series as long as the windows."""
    try:
        from darts import TimeSeries
        from darts.models import BlockRNNModel
    except ImportError:
        return None
    # The windows' newest step of each column, as one multivariate series; Darts builds
    # its own windows of LOOKBACK steps from it: the same number of windows and shapes.
    values = np.column_stack([y, sequences[:, -1, 1:]]).astype(np.float32)
    series = TimeSeries.from_values(values[:, :1])
    covariates = TimeSeries.from_values(values[:, 1:])
    model = BlockRNNModel(
        input_chunk_length=LOOKBACK,
        output_chunk_length=1,
        model="LSTM",
        hidden_dim=HIDDEN,
        n_rnn_layers=1,
        batch_size=BATCH,
        n_epochs=epochs,
        random_state=0,
        pl_trainer_kwargs={
            "accelerator": "cpu",
            "enable_progress_bar": False,
            "enable_model_summary": False,
            "logger": False,
            "enable_checkpointing": False,
        },
    )
    split = int(0.9 * len(values))
    start, cpu = time.perf_counter(), time.process_time()
    model.fit(
        series[:split],
        past_covariates=covariates[:split],
        val_series=series[split - LOOKBACK :],
        val_past_covariates=covariates[split - LOOKBACK :],
        verbose=False,
    )
    return (time.perf_counter() - start) / epochs, (time.process_time() - cpu) / epochs


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    sequences, y = data()
    settings = [True, False] if fused_supported(device) else [False]
    print(
        f"device {device}, torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"{N} windows, {args.epochs} epochs x {args.repeats} repeats; load average "
        f"{os.getloadavg()[0]:.2f} at start"
    )
    for fused in settings:
        estimator_epoch_time(sequences, y, device, 1, fused)  # warm-up (kernels, allocator)
        loop_epoch_time(sequences, y, device, 1, fused)
        wall = {"loop": [], "ours": []}
        cpu = {"loop": [], "ours": []}
        for repeat in range(args.repeats):
            runs = [("loop", loop_epoch_time), ("ours", estimator_epoch_time)]
            for name, timer in runs if repeat % 2 == 0 else runs[::-1]:
                seconds, cpu_seconds = timer(sequences, y, device, args.epochs, fused)
                wall[name].append(seconds * 1000)
                cpu[name].append(cpu_seconds * 1000)
            print(
                f"  fused={fused} run {repeat + 1}: wall loop {wall['loop'][-1]:7.1f} / "
                f"LSTMRegressor {wall['ours'][-1]:7.1f} ms/epoch "
                f"(ratio {wall['ours'][-1] / wall['loop'][-1]:.3f}); CPU "
                f"{cpu['loop'][-1]:7.1f} / {cpu['ours'][-1]:7.1f} "
                f"(ratio {cpu['ours'][-1] / cpu['loop'][-1]:.3f})"
            )
        for clock, times in (("wall", wall), ("CPU", cpu)):
            ratios = [ours / loop for ours, loop in zip(times["ours"], times["loop"], strict=True)]
            print(f"fused Adam {'on ' if fused else 'off'}, {clock} time per epoch (ms):")
            print(f"  hand-written loop {spread(times['loop'])}")
            print(f"  LSTMRegressor.fit {spread(times['ours'])}")
            print(f"  ratio             {spread(ratios)}")
    darts = [darts_epoch_time(sequences, y, args.epochs) for _ in range(args.repeats)]
    if darts[0] is None:
        print("Darts: not installed, skipped")
    else:
        print(f"Darts BlockRNNModel wall ms/epoch {spread([d[0] * 1000 for d in darts])}")
        print(f"Darts BlockRNNModel CPU ms/epoch  {spread([d[1] * 1000 for d in darts])}")
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
