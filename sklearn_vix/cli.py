"""The command line: the whole comparison on the embedded default data or a CBOE file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .baselines import HARRegressor, PersistenceRegressor
from .datasets import load_vix_csv, load_vix_sim, make_supervised
from .diagnostics import random_walk_tests
from .model_selection import compare_models, default_cv
from .neural import GRURegressor, LSTMRegressor
from .preprocessing import WindowTransformer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sklearn-vix",
        description="Compare VIX forecasters under time-series cross-validation.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="CBOE VIX_History.csv (default: the embedded simulated data, load_vix_sim())",
    )
    parser.add_argument("--horizon", type=int, default=1, help="days ahead (default 1)")
    parser.add_argument("--lookback", type=int, default=10, help="window length (default 10)")
    parser.add_argument("--splits", type=int, default=5, help="TimeSeriesSplit folds (default 5)")
    parser.add_argument(
        "--no-nets", action="store_true", help="skip the LSTM and GRU (baselines only, fast)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random_state of the networks")
    return parser


def _models(lookback: int, nets: bool, seed: int) -> dict:
    models = {
        "persistence": PersistenceRegressor(),
        f"linear (lookback {lookback})": make_pipeline(
            WindowTransformer(lookback), LinearRegression()
        ),
        "HAR": HARRegressor(),
    }
    if nets:
        for name, net in (("LSTM", LSTMRegressor), ("GRU", GRURegressor)):
            models[name] = make_pipeline(
                WindowTransformer(lookback), StandardScaler(), net(random_state=seed)
            ).set_output(transform="pandas")
    return models


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print the per-model summary."""
    args = _parser().parse_args(argv)
    frame = load_vix_csv(args.data)[["vix"]] if args.data else load_vix_sim()[["vix"]]
    source = str(args.data) if args.data else "load_vix_sim() (simulated, embedded default)"
    X, y = make_supervised(frame, horizon=args.horizon)
    cv = default_cv(y, n_splits=args.splits)
    print(f"data: {source}, {len(frame)} days; horizon {args.horizon}; {cv}")
    print(random_walk_tests(frame["vix"]).verdict)
    comparison = compare_models(_models(args.lookback, not args.no_nets, args.seed), X, y, cv=cv)
    with pd.option_context("display.width", 160, "display.max_columns", 30):
        print("mean over test folds (skill and rmse_ratio relative to persistence; dm_*:")
        print("Diebold-Mariano test of the last step's errors against persistence's):")
        print(comparison)
    return 0
