"""RMSE of the baselines under TimeSeriesSplit(5), on the simulated and the real VIX.

Prints, for horizons 1 and 5, the mean test-fold RMSE of the forecast of the last step
and its ratio to persistence, for persistence, LinearRegression on 10-day windows,
HAR in logs and in levels, and (simulated data) the Bayes-optimal forecast. Horizon h
uses ``TimeSeriesSplit(5, gap=h-1)`` so that no training target reaches into the test
fold.

    python benchmarks/bench_baselines.py [--real PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklearn_vix import HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_csv, load_vix_sim, make_supervised

REAL = Path(__file__).resolve().parents[1].parent / "shared/data/vix-daily-1990-2023.csv"


def models():
    return {
        "persistence": PersistenceRegressor(),
        "linear (lookback 10)": make_pipeline(WindowTransformer(10), LinearRegression()),
        "HAR (logs)": HARRegressor(log=True),
        "HAR (levels)": HARRegressor(log=False),
    }


def fold_rmse(y_true: pd.DataFrame, y_pred: np.ndarray) -> float:
    last = np.asarray(y_true)[:, -1] if np.ndim(y_true) == 2 else np.asarray(y_true)
    pred = y_pred[:, -1] if y_pred.ndim == 2 else y_pred
    return float(np.sqrt(np.mean((last - pred) ** 2)))


def evaluate(frame: pd.DataFrame, horizon: int, optimal: pd.DataFrame | None) -> pd.DataFrame:
    X, y = make_supervised(frame, horizon=horizon)
    cv = TimeSeriesSplit(5, gap=horizon - 1)
    rows = []
    for fold, (train, test) in enumerate(cv.split(X)):
        for name, model in models().items():
            model.fit(X.iloc[train], y.iloc[train])
            rows.append((name, fold, fold_rmse(y.iloc[test], model.predict(X.iloc[test]))))
        if optimal is not None:
            best = optimal[f"vix_h{horizon}"].loc[X.index[test]].to_numpy()
            rows.append(("Bayes-optimal", fold, fold_rmse(y.iloc[test], best)))
    table = pd.DataFrame(rows, columns=["model", "fold", "rmse"])
    summary = table.groupby("model", sort=False)["rmse"].mean().to_frame("mean RMSE")
    summary["ratio"] = summary["mean RMSE"] / summary.loc["persistence", "mean RMSE"]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL, help="CBOE VIX history CSV")
    args = parser.parse_args()
    frame, optimal = load_vix_sim(return_optimal=True)
    datasets = {"load_vix_sim()": (frame[["vix"]], optimal)}
    if args.real.exists():
        datasets[args.real.name] = (load_vix_csv(args.real)[["vix"]], None)
    else:
        print(f"(real series not found at {args.real}: skipped)")
    for label, (data, best) in datasets.items():
        for horizon in (1, 5):
            print(f"\n{label}, horizon {horizon}, TimeSeriesSplit(5, gap={horizon - 1})")
            print(evaluate(data, horizon, best).round(4).to_string())


if __name__ == "__main__":
    main()
