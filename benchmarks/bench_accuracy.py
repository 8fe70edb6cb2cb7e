"""Accuracy of every model on the real VIX (TimeSeriesSplit) and the simulator (hold-out).

For each data set and horizon h, prints the RMSE of the forecast of day t+h, its ratio
to persistence's, the QLIKE loss (VIX^2 as the variance proxy) and the Diebold-Mariano
p-value (squared error, two-sided) of each model against ``HARRegressor(log=True)``.

"linear (lookback 10)" windows the VIX column alone, in levels.

- Real VIX (``--real``, the full CBOE frame with high and low): the mean over the folds
  of ``TimeSeriesSplit(5, gap=h-1)``.
- Simulator (``load_vix_sim``, with its S&P 500 return and rate): trained on the first
  80 % of the days (the last h-1 of them purged), tested on the last 20 %, beside the
  Bayes-optimal forecast.

Networks are ``make_forecaster(LSTMRegressor(random_state=s))`` and the same for the GRU,
one row per cell: the mean over ``--seeds`` seeds, the seed spread (max - min of the
seeds' RMSE) and each seed's DM p-value. "average of seeds" rows average the seeds'
forecasts (an ensemble) and cost nothing more. Each fit is appended to ``--log``
(JSON lines) as it finishes; ``--out PATH`` also writes the tables as Markdown (the
user guide includes ``benchmarks/results/accuracy_sim.md``).

    nice -n 10 python benchmarks/bench_accuracy.py [--real PATH] [--seeds 3] \
        [--data sim real] [--horizons 1 5] [--cells lstm gru] [--log accuracy.jsonl] \
        [--out benchmarks/results/accuracy_sim.md]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _markdown import markdown, titled, write
from sklearn.compose import ColumnTransformer
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
    make_forecaster,
)
from sklearn_vix.datasets import load_vix_csv, load_vix_sim, make_supervised
from sklearn_vix.metrics import qlike
from sklearn_vix.stats import diebold_mariano

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"
REFERENCE = "HAR (logs)"
NETS = {"lstm": ("LSTM", LSTMRegressor), "gru": ("GRU", GRURegressor)}


def baselines() -> dict:
    return {
        "persistence": PersistenceRegressor(),
        "linear (lookback 10)": Pipeline(
            [
                (
                    "vix",
                    ColumnTransformer(
                        [("vix", "passthrough", ["vix"])], verbose_feature_names_out=False
                    ),
                ),
                ("window", WindowTransformer(10)),
                ("scale", StandardScaler()),
                ("model", LinearRegression()),
            ]
        ).set_output(transform="pandas"),
        "HAR (levels)": HARRegressor(),
        REFERENCE: HARRegressor(log=True),
        "make_forecaster(LinearRegression())": make_forecaster(LinearRegression()),
    }


def nets(cells, seeds) -> dict:
    return {
        (f"make_forecaster({NETS[cell][0]})", seed): make_forecaster(
            NETS[cell][1](random_state=seed, num_threads=1)
        )
        for cell in cells
        for seed in seeds
    }


def splits(n_rows: int, horizon: int, holdout: bool) -> list:
    if not holdout:
        return list(TimeSeriesSplit(5, gap=horizon - 1).split(np.zeros(n_rows)))
    start = int(0.8 * n_rows)
    return [(np.arange(start - (horizon - 1)), np.arange(start, n_rows))]


def last_step(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return values[:, -1] if values.ndim == 2 else values


def rmse(truth, prediction) -> float:
    return float(np.sqrt(np.mean((truth - prediction) ** 2)))


def forecasts(X, y, folds, models, log: Path, label: str) -> dict:
    """Out-of-fold forecasts of day t+h, per model, as one list per fold."""
    out = {name: [] for name in models}
    for fold, (train, test) in enumerate(folds):
        for name, model in models.items():
            start = time.perf_counter()
            model.fit(X.iloc[train], y.iloc[train])
            prediction = last_step(model.predict(X.iloc[test]))
            seconds = time.perf_counter() - start
            out[name].append(prediction)
            record = {"data": label, "model": str(name), "fold": fold, "seconds": seconds}
            record["rmse"] = rmse(last_step(y.iloc[test]), prediction)
            with log.open("a") as f:
                f.write(json.dumps(record) + "\n")
            print(
                f"  {label} {name} fold {fold}: {record['rmse']:.4f} ({seconds:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    return out


def row(truths, predictions, reference, horizon) -> dict:
    """Mean over folds of RMSE and QLIKE; DM p-value of the pooled errors vs the reference."""
    errors = np.concatenate(predictions) - np.concatenate(truths)
    reference_errors = np.concatenate(reference) - np.concatenate(truths)
    p = np.nan
    if not np.allclose(errors, reference_errors):
        p = diebold_mariano(errors, reference_errors, h=horizon).pvalue
    return {
        "rmse": np.mean([rmse(t, f) for t, f in zip(truths, predictions, strict=True)]),
        "qlike": np.mean([qlike(t, f) for t, f in zip(truths, predictions, strict=True)]),
        "dm_p": p,
    }


def evaluate(frame, horizon, optimal, args, label) -> pd.DataFrame:
    X, y = make_supervised(frame, horizon=horizon)
    folds = splits(len(X), horizon, holdout=optimal is not None)
    truths = [last_step(y.iloc[test]) for _, test in folds]
    base = forecasts(X, y, folds, baselines(), args.log, label)
    if optimal is not None:
        column = optimal[f"vix_h{horizon}"]
        base["Bayes-optimal"] = [column.loc[X.index[test]].to_numpy() for _, test in folds]
    net = forecasts(X, y, folds, nets(args.cells, args.seeds), args.log, label)
    reference = base[REFERENCE]
    rows = {name: row(truths, p, reference, horizon) for name, p in base.items()}
    for cell in args.cells:
        name = f"make_forecaster({NETS[cell][0]})"
        per_seed = [row(truths, net[(name, s)], reference, horizon) for s in args.seeds]
        rmses = [r["rmse"] for r in per_seed]
        rows[f"{name}, mean of {len(args.seeds)} seeds"] = {
            "rmse": np.mean(rmses),
            "seed_spread": max(rmses) - min(rmses),
            "qlike": np.mean([r["qlike"] for r in per_seed]),
            "dm_p": np.median([r["dm_p"] for r in per_seed]),
            "dm_p_per_seed": "/".join(f"{r['dm_p']:.3f}" for r in per_seed),
        }
        average = [
            np.mean([net[(name, s)][fold] for s in args.seeds], axis=0)
            for fold in range(len(folds))
        ]
        rows[f"{name}, average of {len(args.seeds)} seeds"] = row(
            truths, average, reference, horizon
        )
    table = pd.DataFrame(rows).T
    table.insert(1, "ratio", table["rmse"].astype(float) / table.loc["persistence", "rmse"])
    if optimal is not None:
        bayes = table.loc["Bayes-optimal", "rmse"]
        table.insert(2, "vs Bayes", 100 * (table["rmse"].astype(float) / bayes - 1))
    return table


COLUMNS = {
    "rmse": "RMSE",
    "ratio": "RMSE / persistence",
    "vs Bayes": "above Bayes-optimal (%)",
    "seed_spread": "seed spread",
    "qlike": "QLIKE",
    "dm_p": "DM p vs log-HAR",
    "dm_p_per_seed": "DM p per seed",
}
FORMATS = {"above Bayes-optimal (%)": "{:+.2f}", "DM p vs log-HAR": "{:.3f}"}


def section(table: pd.DataFrame, title: str) -> str:
    shown = table[[c for c in COLUMNS if c in table]].rename(columns=COLUMNS)
    shown = shown.astype({c: float for c in shown if c != "DM p per seed"})
    if "DM p per seed" in shown:
        shown["DM p per seed"] = shown["DM p per seed"].fillna("")
    return titled(title, markdown(shown.rename_axis("model"), FORMATS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL, help="CBOE VIX history CSV")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per network")
    parser.add_argument("--data", nargs="+", default=["sim", "real"], choices=["sim", "real"])
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 5])
    parser.add_argument("--cells", nargs="+", default=["lstm", "gru"], choices=list(NETS))
    parser.add_argument("--log", type=Path, default=Path("accuracy.jsonl"))
    parser.add_argument("--out", type=Path, default=None, help="also write the tables here")
    args = parser.parse_args()
    args.seeds = list(range(args.seeds))
    # One thread per process: the networks' timings stay comparable on a shared machine.
    torch.set_num_threads(1)
    datasets = {}
    if "sim" in args.data:
        frame, optimal = load_vix_sim(return_optimal=True)
        datasets["load_vix_sim(), last 20% held out"] = (frame, optimal)
    if "real" in args.data:
        if args.real.exists():
            datasets[f"{args.real.name}, TimeSeriesSplit(5, gap=h-1)"] = (
                load_vix_csv(args.real),
                None,
            )
        else:
            print(f"(real series not found at {args.real}: skipped)")
    sections = []
    for label, (frame, optimal) in datasets.items():
        for horizon in args.horizons:
            title = f"{label}, h={horizon}: RMSE of day t+{horizon}"
            print(f"\n{title}", flush=True)
            table = evaluate(frame, horizon, optimal, args, f"{label} h={horizon}")
            with pd.option_context("display.width", 200, "display.max_columns", 20):
                print(table.to_string(float_format=lambda v: f"{v:.4f}"), flush=True)
            sections.append(section(table, title))
    if args.out is not None:
        write(args.out, sections)


if __name__ == "__main__":
    main()
