"""`sklearn-vix predict`: the forecast for the trading days after the data's last day."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from ..calendar import next_sessions
from ..datasets import make_supervised
from ..serialization import load_model, save_model
from ._common import (
    CommandError,
    add_data_argument,
    min_rows,
    positive_int,
    read_data,
)
from ._models import NET_EPOCHS, RECOMMENDED, recommended_forecaster, with_intervals

HELP = "forecast the next trading days after the data's last date"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_argument(parser)
    parser.add_argument(
        "--model",
        type=Path,
        metavar="FILE",
        help="a model saved by `report --save`, `predict --save` or `tune` (default: fit "
        "the recommended model on the data; loading a file unpickles it: trusted files only)",
    )
    parser.add_argument("--horizon", type=positive_int, default=5, help="days ahead (default 5)")
    parser.add_argument(
        "--lookback", type=positive_int, default=10, help="window of a new model (default 10)"
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda", "mps"], help="(default auto)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random_state of a new model")
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


def _loaded(args, frame: pd.DataFrame):
    model, metadata = load_model(args.model, return_metadata=True)
    columns = list(metadata.get("columns", ["vix"]))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CommandError(f"--model {args.model} reads columns {missing} that --data lacks")
    horizon = metadata.get("horizon")
    if horizon is not None and horizon != args.horizon:
        raise CommandError(
            f"--model {args.model} forecasts {horizon} day(s) ahead, --horizon {args.horizon} "
            f"was asked: pass --horizon {horizon} or fit a new model"
        )
    return model, columns, metadata.get("model", type(model).__name__)


def _fitted(args, frame: pd.DataFrame):
    needed = min_rows(args.lookback, 1, args.horizon)
    if len(frame) < needed:
        raise CommandError(
            f"the data has {len(frame)} rows; a new model with --lookback {args.lookback} "
            f"and --horizon {args.horizon} needs at least {needed}"
        )
    X, y = make_supervised(frame[["vix"]], horizon=args.horizon)
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
        model, columns, name = _loaded(args, frame)
    else:
        model, columns, name = _fitted(args, frame)
    rows = frame[columns]
    point = np.asarray(model.predict(rows)).reshape(len(rows), -1)[-1]
    if len(point) != args.horizon:
        raise CommandError(f"the model forecasts {len(point)} day(s), not --horizon {args.horizon}")
    table = pd.DataFrame({"forecast": point}, index=next_sessions(rows.index[-1], args.horizon))
    if hasattr(model, "predict_interval"):
        bounds = np.asarray(model.predict_interval(rows)).reshape(len(rows), -1, 2)[-1]
        table["lower"], table["upper"] = bounds[:, 0], bounds[:, 1]
    if args.save:
        metadata = {
            "model": name,
            "columns": columns,
            "horizon": args.horizon,
            "trained_until": str(rows.index[-1].date()),
            "data": source,
        }
        save_model(model, args.save, metadata=metadata)
    print(f"{name}; data {source}, last day {rows.index[-1].date()} (VIX {rows['vix'].iloc[-1]})")
    print(table.to_string(float_format=lambda v: f"{v:.2f}"))
    return 0
