"""Time per epoch of LSTMRegressor against a plain hand-written PyTorch loop.

Both train the same module (``RecurrentForecaster``, hidden 64, with the highway) on the
same 8,000 windows of 10 steps x 3 columns, batch 64, with the same work per epoch:
shuffled mini-batches, MSE, gradient-norm clipping at 1.0, Adam, then one pass over the
validation block. The estimator runs with early stopping off (``patience=None``) so both
do every epoch. Prints both times and their ratio (target: at most 1.10 on the CPU).

    python benchmarks/bench_training.py [--device cpu|cuda] [--epochs 10] [--repeats 3]
"""

from __future__ import annotations

import argparse
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


def estimator_epoch_time(sequences, y, device: str, epochs: int) -> float:
    net = LSTMRegressor(
        hidden_size=HIDDEN,
        batch_size=BATCH,
        max_epochs=epochs,
        patience=None,
        device=device,
        random_state=0,
    )
    start = time.perf_counter()
    net.fit(sequences, y)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / epochs


def plain_epoch_time(sequences, y, device: str, epochs: int) -> float:
    torch.manual_seed(0)
    n_valid = int(np.ceil(0.1 * N))
    X = torch.from_numpy(sequences).to(device)
    target = torch.from_numpy((y - y.mean()) / y.std()).reshape(-1, 1).to(device)
    X_train, y_train = X[:-n_valid], target[:-n_valid]
    X_valid, y_valid = X[-n_valid:], target[-n_valid:]
    module = RecurrentForecaster(LOOKBACK, COLUMNS, 1, hidden_size=HIDDEN).to(device)
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    start = time.perf_counter()
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
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    device = resolve_device(args.device)
    sequences, y = data()
    estimator_epoch_time(sequences, y, device, 1)  # warm-up (kernels, allocator)
    plain_epoch_time(sequences, y, device, 1)
    ours, plain = [], []
    for _ in range(args.repeats):
        plain.append(plain_epoch_time(sequences, y, device, args.epochs))
        ours.append(estimator_epoch_time(sequences, y, device, args.epochs))
    ours_s, plain_s = statistics.median(ours), statistics.median(plain)
    print(
        f"device {device}, torch threads {torch.get_num_threads()}, {N} windows, "
        f"{args.epochs} epochs x {args.repeats} repeats (median)"
    )
    print(f"plain PyTorch loop : {plain_s * 1000:8.1f} ms/epoch")
    print(f"LSTMRegressor      : {ours_s * 1000:8.1f} ms/epoch")
    print(f"ratio              : {ours_s / plain_s:8.3f}")


if __name__ == "__main__":
    main()
