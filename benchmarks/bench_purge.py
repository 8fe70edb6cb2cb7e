"""What purging the horizon costs: TimeSeriesSplit(5, gap=0) against gap=h-1, horizon 5.

With a 5-day target, the last 4 training rows of each fold have targets inside the test
fold. ``gap=4`` purges them (no look-ahead), but then the test fold no longer continues
the training fold and its first windows lose their history. Prints, for each model, the
mean test-fold RMSE of the last step under both splits and their ratio (compare_models).

    python benchmarks/bench_purge.py [--real PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import GRURegressor, HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_csv, load_vix_sim, make_supervised
from sklearn_vix.model_selection import compare_models

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"
HORIZON = 5


def models() -> dict:
    return {
        "persistence": PersistenceRegressor(),
        "linear (lookback 10)": make_pipeline(WindowTransformer(10), LinearRegression()),
        "HAR": HARRegressor(),
        "GRU": make_pipeline(
            WindowTransformer(10), StandardScaler(), GRURegressor(random_state=0)
        ).set_output(transform="pandas"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL)
    args = parser.parse_args()
    datasets = {"load_vix_sim()": load_vix_sim()[["vix"]]}
    if args.real.exists():
        datasets[args.real.name] = load_vix_csv(args.real)[["vix"]]
    for label, frame in datasets.items():
        X, y = make_supervised(frame, horizon=HORIZON)
        columns = {}
        for gap in (0, HORIZON - 1):
            result = compare_models(models(), X, y, cv=TimeSeriesSplit(5, gap=gap))
            columns[f"gap={gap}"] = result.summary[(f"rmse_step{HORIZON}", "mean")]
        table = pd.DataFrame(columns)
        table["purged / unpurged"] = table[f"gap={HORIZON - 1}"] / table["gap=0"]
        print(f"\n{label}, horizon {HORIZON}: mean test-fold RMSE of day t+{HORIZON}")
        print(table.round(4).to_string(), flush=True)


if __name__ == "__main__":
    main()
