"""`sklearn-vix predict`: the forecast for the trading days after the data's last day."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..datasets import make_supervised
from ._common import (
    CommandError,
    add_data_argument,
    add_device_argument,
    add_seed_argument,
    forecast_table,
    min_rows,
    positive_int,
    read_data,
    read_model,
    write_model,
)
from ._models import NET_EPOCHS, RECOMMENDED, recommended_forecaster, with_intervals

HELP = "forecast the next trading days after the data's last date"
# Sessions forecast by a new model when --horizon is not given.
DEFAULT_HORIZON = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_argument(parser)
    parser.add_argument(
        "--model",
        type=Path,
        metavar="FILE",
        help="a model saved by `report --save`, `predict --save` or `tune` (default: fit "
        "the recommended model on the data; loading a file unpickles it: trusted files only)",
    )
    parser.add_argument(
        "--horizon",
        type=positive_int,
        help=f"sessions ahead (default: the --model file's, else {DEFAULT_HORIZON})",
    )
    parser.add_argument(
        "--lookback", type=positive_int, default=10, help="window of a new model (default 10)"
    )
    add_device_argument(parser)
    add_seed_argument(parser)
    parser.add_argument(
        "--coverage",
        type=float,
        default=0.9,
        help="coverage of the prediction interval of a new model (default 0.9)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="train a new net for 2 epochs (a smoke test)"
    )
    parser.add_argument("--save", type=Path, metavar="FILE", help="save the fitted model")


def _fitted(args, frame: pd.DataFrame, horizon: int):
    needed = min_rows(args.lookback, 1, horizon)
    if len(frame) < needed:
        raise CommandError(
            f"the data has {len(frame)} rows; a new model with --lookback {args.lookback} "
            f"and --horizon {horizon} needs at least {needed}"
        )
    X, y = make_supervised(frame[["vix"]], horizon=horizon)
    max_epochs, patience = NET_EPOCHS["quick"] if args.quick else (100, 10)
    model = recommended_forecaster(
        lookback=args.lookback,
        device=args.device,
        random_state=args.seed,
        max_epochs=max_epochs,
        patience=patience,
    )
    # Split conformal: one fit (first 80 % of the days), calibrated on the last 20 %.
    model = with_intervals(model, coverage=args.coverage, method="split")
    return model.fit(X, y), ["vix"], RECOMMENDED


def run(args: argparse.Namespace) -> int:
    if not 0 < args.coverage < 1:
        raise CommandError(f"--coverage must be between 0 and 1, got {args.coverage}")
    frame, source = read_data(args.data)
    if args.model is not None:
        model, metadata, horizon = read_model(args.model, frame, args.horizon)
        horizon = horizon or DEFAULT_HORIZON
        columns, name = metadata["columns"], metadata.get("model", type(model).__name__)
    else:
        horizon = args.horizon or DEFAULT_HORIZON
        model, columns, name = _fitted(args, frame, horizon)
    rows = frame[columns]
    table = forecast_table(model, rows, horizon)
    if args.save:
        write_model(model, args.save, name=name, horizon=horizon, rows=rows, source=source)
    print(f"{name}; data {source}, last day {rows.index[-1].date()} (VIX {rows['vix'].iloc[-1]})")
    if "lower" not in table:
        print("this model gives no interval (fit it with `predict` or `report --save`)")
    print(table.to_string(float_format=lambda v: f"{v:.2f}"))
    return 0
