"""The walk-forward table: HAR, linear and the LSTM refitted every 22 sessions, warm.

The shipped VIX (``load_vix``), one day ahead, origins from ``--start`` to the end of the
data, refits every ``--refit-every`` sessions on every known day (expanding). Log-HAR and
linear (``make_forecaster``, lookback 10) carry 90 % conformal intervals updated online
(ACI); the LSTM (``make_forecaster(LSTMRegressor(random_state=0))``) gives point forecasts
and refits warm, at most ``--warm-epochs`` epochs after its first fit. Persistence is the
reference. The LSTM can be walked over a shorter span (``--lstm-start``) when the machine
cannot afford the full one; the Model Confidence Set is then computed twice: the models
over the full span, and all of them over the LSTM's span. Without ``--lstm-start`` the
LSTM walks the full span, in the same table.

Printed per model: refits, seconds (wall, the whole backtest) and CPU seconds of this
process, the first fit's and the median later refit's seconds, RMSE ratio to
persistence, coverage, and the MCS p-value and membership (size 0.1, stationary
bootstrap, block ``ceil(sqrt(n_days))``).

``--out PATH`` also writes the tables as Markdown (the user guide includes
``benchmarks/results/walk_forward.md`` and ``walk_forward_2023.md``).

    nice -n 5 python benchmarks/bench_walk_forward.py [--start 2016-01-01] \\
        [--lstm-start 2023-01-01] [--warm-epochs 3] [--no-lstm] [--out PATH]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from _markdown import markdown, titled, write
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, HARRegressor, PersistenceRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.model_selection import backtest, compare_backtests

FORMATS = {
    "seconds": "{:.1f}",
    "cpu seconds": "{:.1f}",
    "first fit s": "{:.2f}",
    "median refit s": "{:.2f}",
    "mcs_pvalue": "{:.3f}",
}


def timed(model, X, y, start, args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = backtest(
        model, X, y, start=start, refit_every=args.refit_every, warm_epochs=args.warm_epochs,
        progress=False,
    )  # fmt: skip
    return result, time.perf_counter() - wall, time.process_time() - cpu


def table(runs: dict, seconds: dict) -> pd.DataFrame:
    ranking = compare_backtests(runs)
    rows = {
        name: {
            "refits": len(run.fits),
            "warm refits": int(run.fits["warm"].sum()),
            "seconds": seconds[name][0],
            "cpu seconds": seconds[name][1],
            "first fit s": run.fits["fit_time"].iloc[0],
            "median refit s": run.fits["fit_time"].iloc[1:].median(),
            "rmse_ratio": run.metrics.loc["all", "rmse_ratio"],
            "coverage": run.metrics.loc["all"].get("coverage", float("nan")),
        }
        for name, run in runs.items()
    }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame = frame.join(ranking[["mcs_pvalue", "in_mcs"]])
    frame.attrs["block_size"] = ranking.attrs["block_size"]
    return frame


def section(frame: pd.DataFrame, start: str) -> str:
    title = f"Origins {start} to the end (MCS block {frame.attrs['block_size']} days)"
    print(f"\n{title}:")
    print(frame.to_string(float_format="{:.4f}".format))
    return titled(title, markdown(frame.rename_axis("model"), FORMATS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--lstm-start", default=None)
    parser.add_argument("--refit-every", type=int, default=22)
    parser.add_argument("--warm-epochs", type=int, default=3)
    parser.add_argument("--no-lstm", action="store_true")
    parser.add_argument("--out", default=None, help="also write the tables here")
    args = parser.parse_args()
    X, y = make_supervised(load_vix())
    models = {
        "HAR (log)": ConformalForecaster(make_forecaster(HARRegressor())),
        "linear": ConformalForecaster(make_forecaster(LinearRegression())),
        "persistence": PersistenceRegressor(),
    }
    runs, seconds = {}, {}
    if not args.no_lstm and args.lstm_start is None:
        from sklearn_vix import LSTMRegressor

        models = {"LSTM (log)": make_forecaster(LSTMRegressor(random_state=0)), **models}
    for name, model in models.items():
        runs[name], *seconds[name] = timed(model, X, y, args.start, args)
        print(f"{name}: {seconds[name][0]:.1f} s", flush=True)
    sections = [section(table(runs, seconds), args.start)]
    if not args.no_lstm and args.lstm_start is not None:
        from sklearn_vix import LSTMRegressor

        lstm = make_forecaster(LSTMRegressor(random_state=0))
        lstm_run, *lstm_seconds = timed(lstm, X, y, args.lstm_start, args)
        short = {"LSTM (log)": lstm_run}
        short_seconds = {"LSTM (log)": lstm_seconds}
        for name, model in models.items():
            short[name], *short_seconds[name] = timed(model, X, y, args.lstm_start, args)
        sections.append(section(table(short, short_seconds), args.lstm_start))
    if args.out:
        write(args.out, sections)


if __name__ == "__main__":
    main()
