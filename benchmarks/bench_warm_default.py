"""The default walk of the LSTM: the warm refit's epoch cap, its time, and continuation.

The shipped VIX (``load_vix``), one session ahead, ``make_forecaster(LSTMRegressor(
random_state=0))`` with its defaults, refitted every 22 sessions on every known day.

``--caps``: one backtest from ``--start`` per cap on the warm refits' epochs
(``warm_epochs``; ``none`` is the net's own ``max_epochs``), and one with cold refits
from ``--cold-start`` (every refit from scratch: the yardstick, too slow for the whole
span on two cores). Printed per run: seconds, the median refit's seconds, RMSE ratio to
persistence over the whole span, and over the cold run's span the RMSE relative to the
cold run's.

``--default``: the default backtest (no ``warm_epochs`` given) from ``--start``,
``--repeats`` times: seconds, median and spread.

``--continue``: the backtest from ``--start`` on the data up to ``--cut``, extended
through the end with ``BacktestResult.extend``, against the full backtest: the time of
each and whether the forecasts are equal.

``--out PREFIX`` appends every table to ``PREFIX.md``.

    nice -n 5 python benchmarks/bench_warm_default.py --caps 1 2 3 5 none
    nice -n 5 python benchmarks/bench_warm_default.py --default --repeats 3
    nice -n 5 python benchmarks/bench_warm_default.py --continue
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from sklearn_vix import LSTMRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.model_selection import backtest

_LINES: list[str] = []


def emit(line: str = "") -> None:
    print(line, flush=True)
    _LINES.append(line)


def model():
    return make_forecaster(LSTMRegressor(random_state=0))


def timed(X, y, start, **kwargs):
    began = time.perf_counter()
    result = backtest(model(), X, y, start=start, refit_every=22, progress=False, **kwargs)
    return result, time.perf_counter() - began


def rmse(result, since=None) -> float:
    rows = result.forecasts
    if since is not None:
        rows = rows[rows["origin"] >= since]
    return float(np.sqrt(((rows["forecast"] - rows["actual"]) ** 2).mean()))


def caps(X, y, args) -> None:
    cold, cold_s = timed(X, y, args.cold_start, warm_start=False)
    reference = rmse(cold)
    emit(f"\n## Warm refit caps, {args.start} to the end, refit every 22 sessions")
    emit(
        f"Cold refits from {args.cold_start}: {cold_s:.0f} s, median refit "
        f"{cold.fits['fit_time'].iloc[1:].median():.1f} s, RMSE ratio "
        f"{cold.metrics.loc['all', 'rmse_ratio']:.4f}."
    )
    emit("")
    emit(
        "| warm_epochs | seconds | median refit (s) | RMSE ratio, whole span "
        f"| RMSE / cold's, from {args.cold_start} |"
    )
    emit("|---|---|---|---|---|")
    for cap in args.caps:
        epochs = None if cap == "none" else int(cap)
        result, seconds = timed(X, y, args.start, warm_epochs=epochs)
        emit(
            f"| {cap} | {seconds:.0f} | {result.fits['fit_time'].iloc[1:].median():.2f} | "
            f"{result.metrics.loc['all', 'rmse_ratio']:.4f} | "
            f"{rmse(result, cold.forecasts['origin'].min()) / reference:.4f} |"
        )


def default(X, y, args) -> None:
    seconds = [timed(X, y, args.start)[1] for _ in range(args.repeats)]
    emit(f"\n## The default walk, {args.start} to the end, {args.repeats} runs")
    emit(
        f"Seconds: median {statistics.median(seconds):.0f} (min {min(seconds):.0f}, "
        f"max {max(seconds):.0f}); runs {', '.join(f'{s:.0f}' for s in seconds)}."
    )


def continuation(X, y, args) -> None:
    full, full_s = timed(X, y, args.start)
    cut = X.index.searchsorted(args.cut, side="right")
    short, short_s = timed(X.iloc[:cut], y.iloc[:cut], args.start)
    began = time.perf_counter()
    extended = short.extend(X, y)
    extend_s = time.perf_counter() - began
    equal = np.allclose(extended.forecasts["forecast"], full.forecasts["forecast"])
    emit(f"\n## Continuation: {args.start} to {args.cut}, extended through the end")
    emit("| run | seconds |")
    emit("|---|---|")
    emit(f"| full backtest | {full_s:.0f} |")
    emit(f"| backtest up to {args.cut} | {short_s:.0f} |")
    emit(f"| extend through the end | {extend_s:.1f} |")
    emit("")
    emit(
        f"Extension / full: {extend_s / full_s:.3f}; forecasts equal to the full run's: "
        f"{equal} (largest difference "
        f"{np.abs(extended.forecasts['forecast'] - full.forecasts['forecast']).max():.2e})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2016-01-04")
    parser.add_argument("--cold-start", default="2023-01-03")
    parser.add_argument("--caps", nargs="*", default=None)
    parser.add_argument("--default", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--continue", dest="cont", action="store_true")
    parser.add_argument("--cut", default="2022-12-30")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    X, y = make_supervised(load_vix()[["vix"]])
    if args.caps:
        caps(X, y, args)
    if args.default:
        default(X, y, args)
    if args.cont:
        continuation(X, y, args)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.with_suffix(".md").open("a") as out:
            out.write("\n".join(_LINES).strip() + "\n\n")


if __name__ == "__main__":
    main()
