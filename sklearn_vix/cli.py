"""The command line: the whole comparison on the embedded default data or a CBOE file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from .baselines import HARRegressor, PersistenceRegressor
from .datasets import load_vix_csv, load_vix_sim, make_supervised
from .model_selection import compare_models, summarize_comparison
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
    return parser


def _models(lookback: int) -> dict:
    return {
        "persistence": PersistenceRegressor(),
        f"linear (lookback {lookback})": make_pipeline(
            WindowTransformer(lookback), LinearRegression()
        ),
        "HAR": HARRegressor(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print the per-model summary."""
    args = _parser().parse_args(argv)
    frame = load_vix_csv(args.data)[["vix"]] if args.data else load_vix_sim()[["vix"]]
    source = str(args.data) if args.data else "load_vix_sim() (simulated, embedded default)"
    X, y = make_supervised(frame, horizon=args.horizon)
    cv = TimeSeriesSplit(args.splits, gap=args.horizon - 1)
    table = compare_models(_models(args.lookback), X, y, cv=cv)
    summary = summarize_comparison(table)
    means = summary.xs("mean", axis=1, level=1)
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print(f"data: {source}, {len(frame)} days; horizon {args.horizon}; {cv}")
        print("mean over test folds (rmse_ratio and skill are relative to persistence):")
        print(means.round(4).to_string())
    return 0
