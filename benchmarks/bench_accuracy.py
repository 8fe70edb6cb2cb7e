"""Accuracy of every model under TimeSeriesSplit(5), simulated and real VIX, horizons 1 and 5.

For each data set and horizon, prints the mean over test folds of the RMSE of the
forecast of the last step (day t+h) and its ratio to persistence's, for persistence,
LinearRegression on 10-day windows, HAR in levels and in logs, the default LSTM and GRU
pipelines (``WindowTransformer(10) -> StandardScaler -> net``, mean over ``--seeds``
seeds, with the spread) and, on simulated data, the Bayes-optimal forecast. Horizon h
uses ``TimeSeriesSplit(5, gap=h-1)``: no training target reaches into the test fold.

    python benchmarks/bench_accuracy.py [--real PATH] [--seeds 3] [--data sim real]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import (
    GRURegressor,
    HARRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    WindowTransformer,
)
from sklearn_vix.datasets import load_vix_csv, load_vix_sim, make_supervised

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"


def window_pipeline(model) -> Pipeline:
    # Pandas output carries the window layout (lookback, columns) to the nets by name.
    return Pipeline(
        [("window", WindowTransformer(10)), ("scale", StandardScaler()), ("model", model)]
    ).set_output(transform="pandas")


def models(seeds: list[int]) -> dict:
    out = {
        "persistence": PersistenceRegressor(),
        "linear (lookback 10)": window_pipeline(LinearRegression()),
        "HAR (levels, default)": HARRegressor(),
        "HAR (logs)": HARRegressor(log=True),
    }
    for seed in seeds:
        out[f"LSTM seed {seed}"] = window_pipeline(LSTMRegressor(random_state=seed))
        out[f"GRU seed {seed}"] = window_pipeline(GRURegressor(random_state=seed))
    return out


def last_step(values) -> np.ndarray:
    values = np.asarray(values)
    return values[:, -1] if values.ndim == 2 else values


def evaluate(frame, horizon, optimal, seeds) -> pd.DataFrame:
    X, y = make_supervised(frame, horizon=horizon)
    rows = []
    for fold, (train, test) in enumerate(TimeSeriesSplit(5, gap=horizon - 1).split(X)):
        truth = last_step(y.iloc[test])
        for name, model in models(seeds).items():
            start = time.perf_counter()
            model.fit(X.iloc[train], y.iloc[train])
            prediction = last_step(model.predict(X.iloc[test]))
            seconds = time.perf_counter() - start
            rmse = float(np.sqrt(np.mean((truth - prediction) ** 2)))
            rows.append((name, fold, rmse, seconds))
        if optimal is not None:
            best = optimal[f"vix_h{horizon}"].loc[X.index[test]].to_numpy()
            rows.append(("Bayes-optimal", fold, float(np.sqrt(np.mean((truth - best) ** 2))), 0))
    table = pd.DataFrame(rows, columns=["model", "fold", "rmse", "seconds"])
    table["model"] = table["model"].str.replace(r" seed \d+", "", regex=True)
    per_run = table.groupby(["model", "fold"], sort=False).agg(
        rmse=("rmse", "mean"),
        spread=("rmse", lambda r: r.max() - r.min()),
        seconds=("seconds", "mean"),
    )
    summary = per_run.groupby("model", sort=False).agg(
        rmse=("rmse", "mean"), seed_spread=("spread", "mean"), seconds=("seconds", "sum")
    )
    summary.insert(1, "ratio", summary["rmse"] / summary.loc["persistence", "rmse"])
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL, help="CBOE VIX history CSV")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per network")
    parser.add_argument("--data", nargs="+", default=["sim", "real"], choices=["sim", "real"])
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 5])
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    datasets = {}
    if "sim" in args.data:
        frame, optimal = load_vix_sim(return_optimal=True)
        datasets["load_vix_sim()"] = (frame[["vix"]], optimal)
    if "real" in args.data:
        if args.real.exists():
            datasets[args.real.name] = (load_vix_csv(args.real)[["vix"]], None)
        else:
            print(f"(real series not found at {args.real}: skipped)")
    for label, (data, optimal) in datasets.items():
        for horizon in args.horizons:
            print(
                f"\n{label}, horizon {horizon}, TimeSeriesSplit(5, gap={horizon - 1}), "
                f"RMSE of day t+{horizon}, nets: mean of {len(seeds)} seeds"
            )
            print(evaluate(data, horizon, optimal, seeds).round(4).to_string(), flush=True)


if __name__ == "__main__":
    main()
