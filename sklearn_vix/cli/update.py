"""`sklearn-vix update`: the evening's run. Feed the new outcomes to the model, refit it on
its schedule, save it, and write tonight's forecast to the ledger.

The model file is the walk of :func:`~sklearn_vix.model_selection.backtest` continued one
evening at a time: a model fitted on the data to day ``r`` (``predict --save``) is the
refit at origin ``r``; an interval forecaster with ``update`` receives each outcome as
soon as it is known (step ``k`` of origin ``t`` on day ``t + k``), and every
``refit_every`` sessions after the last refit the model is refitted on the rows whose
targets are all known, warm for a bare net (``warm_epochs``), keeping what the online
intervals learnt (backtest's ``carry_online_state=True``). A run after skipped evenings
refits on the days the schedule says and forecasts tonight only: a forecast made after
its origin is not a track record.

Order of operations, so that a run killed at any point leaves both files whole and the
next run completes it:

1. everything is computed in memory (nothing is written while the model refits);
2. the model file is replaced atomically (a temporary file in the same folder, fsync,
   ``os.replace``) with its new state, its schedule, and tonight's forecast;
3. tonight's forecast is written to the ledger in one transaction.

A run that finds the model already at the data's last day writes the forecast saved in
the model file to the ledger, where its primary key ignores rows already there: after a
kill between 2 and 3 the rerun adds them, otherwise it adds nothing ("up to date").
"""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..calendar import next_sessions
from ..datasets import make_supervised
from ..model_selection import continue_walk
from ..serialization import save_model
from ._common import (
    CommandError,
    add_data_argument,
    forecast_quantiles,
    positive_int,
    read_data,
    read_model,
)
from ._ledger import add_ledger_argument, issue, model_hash

HELP = "the evening's run: feed new outcomes, refit on schedule, save, write the forecast"

# The schedule of a model file that has none yet: backtest's defaults.
DEFAULT_REFIT_EVERY, DEFAULT_WARM_EPOCHS = 22, 3
# Test-only: SKLEARN_VIX_TEST_KILL_AT=refit|save|ledger makes the run kill itself
# (SIGKILL) after the refit, after writing the temporary model file, or after replacing
# the model file, to prove that a rerun recovers. Never set it otherwise.
_KILL_AT = "SKLEARN_VIX_TEST_KILL_AT"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        type=Path,
        metavar="FILE",
        required=True,
        help="a model saved by `predict --save`, `report --save` or `tune`; updated in "
        "place (loading it unpickles it: trusted files only)",
    )
    add_data_argument(parser)
    add_ledger_argument(parser, "where tonight's forecast is written")
    parser.add_argument(
        "--refit-every",
        type=positive_int,
        help=f"sessions between refits, saved in the model file (default: the file's, "
        f"else {DEFAULT_REFIT_EVERY})",
    )


def _checkpoint(point: str) -> None:
    if os.environ.get(_KILL_AT) == point:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def supervised_rows(rows: pd.DataFrame, horizon: int):
    """``make_supervised``'s rows, followed by the last rows whose targets are not all
    known yet (NaN where a target session has not come)."""
    X, y = make_supervised(rows, horizon=horizon)
    tail = rows.loc[rows.index > X.index[-1]]
    closes = rows["vix"]
    known = [closes.reindex(next_sessions(day, horizon)).to_numpy() for day in tail.index]
    values = np.vstack([y.to_numpy().reshape(len(y), -1), *known]) if known else y.to_numpy()
    X = pd.concat([X, tail])
    if horizon == 1:
        return X, pd.Series(values.ravel(), index=X.index, name=y.name)
    return X, pd.DataFrame(values, index=X.index, columns=y.columns)


def _position(index: pd.Index, day: str, what: str, path: Path) -> int:
    try:
        return index.get_loc(pd.Timestamp(day))
    except KeyError:
        raise CommandError(
            f"--model {path}: its {what} {day} is not a session of --data: pass the series "
            "the model was fitted on"
        ) from None


def _table(forecast: np.ndarray, bounds, origin) -> pd.DataFrame:
    """Tonight's forecast (horizon,) and bounds (horizon, 2) by target session."""
    table = pd.DataFrame({"forecast": forecast}, index=next_sessions(origin, len(forecast)))
    if bounds is not None:
        table["lower"], table["upper"] = bounds[:, 0], bounds[:, 1]
    return table


def _walk(model, X, y, *, last_refit: int, seen: int, refit_every: int, warm_epochs: int):
    """The model at the last row of ``X``, tonight's forecast (with its quantiles) and the
    refits made (:func:`~sklearn_vix.model_selection.continue_walk`)."""
    walk = continue_walk(
        model, X, y, last_refit=last_refit, seen=seen, refit_every=refit_every,
        warm_epochs=warm_epochs,
    )  # fmt: skip
    _checkpoint("refit")
    table = _table(walk.forecast, walk.bounds, X.index[-1])
    # Every row to tonight: the volatility scale of the quantiles rolls over the whole
    # history, as in predict (the pending rows alone would start it afresh).
    points = forecast_quantiles(walk.estimator, X, len(walk.forecast))
    table = table if points is None else table.join(points)
    return walk.estimator, table, walk.refits, walk.last_refit


def save_atomically(model, path: Path, metadata: dict) -> None:
    """Replace ``path`` by the saved model in one step: a reader (or a run killed half
    way) sees the old file or the new one, never part of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        save_model(model, temporary, metadata=metadata)
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
        _checkpoint("save")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        # The rename itself reaches the disk with the folder's entry.
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _stored_table(metadata: dict) -> pd.DataFrame:
    table = pd.DataFrame(metadata["issued"])
    return table.set_index(pd.DatetimeIndex(table.pop("target")))


def _write_ledger(args, model, metadata, table, frame, source) -> int:
    if args.ledger is None:
        return 0
    coverage = getattr(model, "coverage", None) if "lower" in table else None
    return issue(
        args.ledger,
        table,
        origin=metadata["last_seen"],
        name=metadata["model"],
        model_hash=model_hash(model, args.model),
        model_file=args.model,
        frame=frame,
        source=source,
        coverage=coverage,
    )


def _check_model_file(path: Path, metadata: dict, horizon, frame: pd.DataFrame) -> None:
    if horizon is None or "trained_until" not in metadata:
        raise CommandError(
            f"--model {path} does not say its horizon and last training day: save it again "
            "with `sklearn-vix predict --save`"
        )
    seen = metadata.get("last_seen")
    if seen is not None and pd.Timestamp(seen) > frame.index[-1]:
        raise CommandError(
            f"--data ends on {frame.index[-1].date()}, before {seen}, the last day --model "
            f"{path} has seen: pass newer data"
        )


def _complete(args, model, metadata: dict, frame, source) -> int:
    """The evening already done: the ledger gets the forecast saved in the model file
    (nothing when it has it)."""
    added = _write_ledger(args, model, metadata, _stored_table(metadata), frame, source)
    if added:
        print(
            f"{metadata['model']} ({args.model}) was updated to {metadata['last_seen']} by a "
            f"run that stopped before the ledger: {added} forecasts written to {args.ledger}"
        )
    else:
        print(f"{args.model} is up to date with the data ({metadata['last_seen']}): nothing to do")
    return 0


def _schedule(args, metadata: dict, X: pd.DataFrame, horizon: int) -> dict:
    """The refit schedule, and the rows of the last refit and of the last evening."""
    last_refit = metadata.get("last_refit", metadata["trained_until"])
    last_refit = _position(X.index, last_refit, "last refit day", args.model)
    seen = metadata.get("last_seen")
    return {
        "refit_every": args.refit_every or metadata.get("refit_every", DEFAULT_REFIT_EVERY),
        "warm_epochs": metadata.get("warm_epochs", DEFAULT_WARM_EPOCHS),
        "last_refit": last_refit,
        # Before its first evening a model has seen its fit's rows, those whose targets
        # were known on the day it was fitted.
        "seen": last_refit - horizon
        if seen is None
        else _position(X.index, seen, "last day seen", args.model),
    }


def run(args: argparse.Namespace) -> int:
    frame, source = read_data(args.data)
    model, metadata, horizon = read_model(args.model, frame)
    metadata = {"model": type(model).__name__, **metadata}
    _check_model_file(args.model, metadata, horizon, frame)
    last_day = str(frame.index[-1].date())
    if metadata.get("last_seen") == last_day:
        return _complete(args, model, metadata, frame, source)
    X, y = supervised_rows(frame[metadata["columns"]], horizon)
    schedule = _schedule(args, metadata, X, horizon)
    model, table, refits, last_refit = _walk(model, X, y, **schedule)
    first = metadata.get("last_seen") is None
    metadata = {
        **metadata,
        "data": source,
        "refit_every": schedule["refit_every"],
        "warm_epochs": schedule["warm_epochs"],
        "last_refit": str(X.index[last_refit].date()),
        "trained_until": str(X.index[last_refit].date()),
        "last_seen": last_day,
        "issued": table.rename_axis("target").reset_index().to_dict("records"),
    }
    save_atomically(model, args.model, metadata)
    _checkpoint("ledger")
    added = _write_ledger(args, model, metadata, table, frame, source)
    news = "first evening" if first else f"{len(X) - 1 - schedule['seen']} new session(s)"
    refitted = f"refitted on {X.index[refits[-1]].date()}" if refits else "no refit"
    next_refit = last_refit + schedule["refit_every"] - (len(X) - 1)
    print(
        f"{metadata['model']} ({args.model}): {news} to {last_day}, {refitted} (next in "
        f"{next_refit} sessions); saved"
    )
    if args.ledger is not None:
        print(f"{added} forecasts from {last_day} written to {args.ledger}")
    print(table.to_string(float_format=lambda v: f"{v:.2f}"))
    return 0
