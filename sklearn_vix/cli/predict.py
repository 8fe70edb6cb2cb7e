"""`sklearn-vix predict`: the forecast for the trading days after the data's last day."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..datasets import make_supervised
from ._common import (
    CommandError,
    add_data_argument,
    add_device_argument,
    add_seed_argument,
    forecast_quantiles,
    forecast_table,
    min_rows,
    positive_int,
    read_data,
    read_model,
    write_model,
)
from ._ledger import add_ledger_argument, issue, model_hash
from ._models import (
    DEFAULT_MODEL,
    NET,
    NET_EPOCHS,
    linear_forecaster,
    net_forecaster,
    with_intervals,
)

HELP = "forecast the next trading days after the data's last date"
# Sessions forecast by a new model when --horizon is not given.
DEFAULT_HORIZON = 5
# Seconds per training row and epoch of the recommended net on a CPU, for the estimate
# printed before a fit: a cold refit of 20 epochs on about 7,000 rows took 6.3 s
# (benchmarks/results/warm_default.md).
_SECONDS_PER_ROW_EPOCH = 4.5e-5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_argument(parser)
    parser.add_argument(
        "--model",
        type=Path,
        metavar="FILE",
        help="a model saved by `report --save`, `predict --save` or `tune` (default: fit "
        f"{DEFAULT_MODEL}, the model the report recommends on the shipped data; loading a "
        "file unpickles it: trusted files only)",
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
        "--net",
        action="store_true",
        help=f"fit the report's net, {NET}, instead (not more accurate on the shipped data)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="with --net: train for 2 epochs (a smoke test)"
    )
    parser.add_argument(
        "--quantiles",
        action="store_true",
        help="also print the 5, 25, 50, 75 and 95 %% points of the forecast distribution "
        "(q05 .. q95: one distribution, whose q05 and q95 are the 90 %% interval)",
    )
    parser.add_argument("--save", type=Path, metavar="FILE", help="save the fitted model")
    add_ledger_argument(parser, "also append the forecast to this ledger")


def _fitted(args, frame: pd.DataFrame, horizon: int):
    needed = min_rows(args.lookback, 1, horizon)
    if len(frame) < needed:
        raise CommandError(
            f"the data has {len(frame)} rows; a new model with --lookback {args.lookback} "
            f"and --horizon {horizon} needs at least {needed}"
        )
    X, y = make_supervised(frame[["vix"]], horizon=horizon)
    name, model = _new_model(args, len(X))
    model.fit(X, y)
    why = (
        "--net: the report's net, not its recommended model"
        if args.net
        else "the model `sklearn-vix report` recommends on the shipped data; it chooses "
        "by the data with `report --data ... --save FILE`, then `predict --model FILE`"
    )
    print(f"fitted now: {name} on {len(X):,} sessions to {frame.index[-1].date()} ({why})")
    return model, ["vix"], name


def _new_model(args, rows: int):
    """The model `predict` fits when no --model is given, and its name."""
    if not args.net:
        # Cross-fitted: the point forecast is fitted on every session, as the report's.
        return DEFAULT_MODEL, with_intervals(
            linear_forecaster(args.lookback), coverage=args.coverage
        )
    max_epochs, patience = NET_EPOCHS["quick"] if args.quick else (100, 10)
    if sys.stderr.isatty():
        seconds = _SECONDS_PER_ROW_EPOCH * rows * max_epochs
        print(
            f"training {NET} on {rows:,} sessions: at most {max_epochs} epochs, "
            f"about {seconds:.0f} s on a CPU at most ...",
            file=sys.stderr,
            flush=True,
        )
    net = net_forecaster(
        lookback=args.lookback,
        device=args.device,
        random_state=args.seed,
        max_epochs=max_epochs,
        patience=patience,
    )
    # Split conformal: one fit (first 80 % of the days), calibrated on the last 20 %.
    return NET, with_intervals(net, coverage=args.coverage, method="split")


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
    points = forecast_quantiles(model, rows, horizon)
    if args.quantiles and points is None:
        raise CommandError(
            f"--quantiles needs a model with predict_quantiles, and {name} "
            f"({type(model).__name__}) has none: fit one with `predict` or `report --save`"
        )
    # The ledger keeps the quantiles whenever the model gives them.
    issued = table if points is None else table.join(points)
    if args.save:
        write_model(model, args.save, name=name, horizon=horizon, rows=rows, source=source)
    model_file = args.model or args.save
    last_day = rows.index[-1].date()
    by = f"{name} ({model_file})" if model_file else name
    print(f"forecast by {by} from the data to {last_day} (VIX {rows['vix'].iloc[-1]}); {source}")
    if "lower" not in table:
        print("this model gives no interval (fit it with `predict` or `report --save`)")
    shown = issued if args.quantiles else table
    print(shown.to_string(float_format=lambda v: f"{v:.2f}"))
    if args.ledger is not None:
        coverage = getattr(model, "coverage", None) if "lower" in table else None
        added = issue(
            args.ledger,
            issued,
            origin=rows.index[-1],
            name=name,
            model_hash=model_hash(model, model_file),
            model_file=model_file,
            frame=frame,
            source=source,
            coverage=coverage,
        )
        already = "" if added else " (already there)"
        print(f"{added} of {len(table)} forecasts written to {args.ledger}{already}")
    return 0
