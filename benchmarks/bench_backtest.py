"""Warm against cold refits of a net in a walk-forward backtest: time per refit and RMSE.

Both runs use the same schedule on the shipped VIX (``load_vix``): origins from
``--start`` to ``--end``, a refit every ``--refit-every`` sessions on a rolling
``--window`` of rows (or expanding with ``--window 0``), the model
``make_forecaster(LSTMRegressor(hidden_size, max_epochs, random_state=0))``. The first fit
is cold in both runs; every later refit is from scratch (cold) or continues the previous
weights for at most ``--warm-epochs`` epochs (warm). The time per refit is the median of
the refits after the first; the RMSE is over every forecast of the backtest.

Each repetition runs cold and warm back to back, alternating which goes first, so that
load on a shared machine hits both; the ratios warm/cold are taken per repetition and
their median and spread (min-max) printed. ``--out PATH`` also writes the table and the
ratios as Markdown (the user guide includes ``benchmarks/results/warm_refits.md``).

    nice -n 5 python benchmarks/bench_backtest.py [--start 2023-01-01] [--end 2023-06-30] \\
        [--refit-every 22] [--window 1500] [--hidden-size 16] [--max-epochs 30] \\
        [--warm-epochs 3] [--repeats 1] [--out PATH]
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from _markdown import write

from sklearn_vix import LSTMRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.model_selection import backtest


def run(X, y, args, warm: bool) -> tuple[float, float, float, int]:
    model = make_forecaster(
        LSTMRegressor(hidden_size=args.hidden_size, max_epochs=args.max_epochs, random_state=0)
    )
    result = backtest(
        model,
        X,
        y,
        start=args.start,
        refit_every=args.refit_every,
        window=args.window or "expanding",
        warm_start=warm,
        warm_epochs=args.warm_epochs,
        progress=False,
    )
    errors = result.forecasts["forecast"] - result.forecasts["actual"]
    later = result.fits["fit_time"].iloc[1:]
    return (
        float(later.median()),
        float(np.sqrt((errors**2).mean())),
        float(result.fits["fit_time"].sum()),
        len(result.fits),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2023-01-01")
    parser.add_argument("--end", default="2023-06-30")
    parser.add_argument("--refit-every", type=int, default=22)
    parser.add_argument("--window", type=int, default=1500)
    parser.add_argument("--hidden-size", type=int, default=16)
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument("--warm-epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", default=None, help="also write the table here")
    args = parser.parse_args()
    frame = load_vix().loc[: args.end]
    X, y = make_supervised(frame)
    time_ratios, rmse_ratios = [], []
    lines = [
        "| repetition | fits | time per refit, cold (s) | warm (s) | RMSE cold | RMSE warm |",
        "|---|---|---|---|---|---|",
    ]
    for repeat in range(args.repeats):
        order = (False, True) if repeat % 2 == 0 else (True, False)
        runs = {warm: run(X, y, args, warm) for warm in order}
        (cold_t, cold_rmse, cold_total, n), (warm_t, warm_rmse, warm_total, _) = (
            runs[False],
            runs[True],
        )
        time_ratios.append(warm_t / cold_t)
        rmse_ratios.append(warm_rmse / cold_rmse)
        print(
            f"repeat {repeat}: {n} fits; per refit cold {cold_t:.2f} s, warm {warm_t:.2f} s "
            f"(all fits {cold_total:.1f} s / {warm_total:.1f} s); RMSE cold {cold_rmse:.4f}, "
            f"warm {warm_rmse:.4f}"
        )
        lines.append(
            f"| {repeat + 1} | {n} | {cold_t:.2f} | {warm_t:.2f} | {cold_rmse:.4f} "
            f"| {warm_rmse:.4f} |"
        )
    summary = []
    for name, ratios in (("time per refit", time_ratios), ("RMSE", rmse_ratios)):
        summary.append(
            f"Warm / cold {name}: median {statistics.median(ratios):.4f} "
            f"(min {min(ratios):.4f}, max {max(ratios):.4f}, {len(ratios)} repeats)."
        )
        print(summary[-1])
    if args.out:
        write(args.out, ["\n".join(lines), "\n".join(summary)])


if __name__ == "__main__":
    main()
