"""What `predict --ledger` and `update` share: the identities of the model and the data,
and the forecast table written to the ledger."""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path

import pandas as pd

from ..ledger import record_forecasts, sha256_of
from ._common import CommandError


def add_ledger_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--ledger",
        type=Path,
        metavar="FILE",
        help=f"{what} (an SQLite file, created on first use; see sklearn_vix.ledger)",
    )


def data_hash(frame: pd.DataFrame, source: str) -> str:
    """sha256 of the data file read (Cboe's cached file for ``--data cboe``), else of the
    frame (the shipped data)."""
    for candidate in (frame.attrs.get("path"), source):
        if candidate and Path(candidate).is_file():
            return sha256_of(Path(candidate))
    return sha256_of(frame)


def model_hash(model, path: Path | None) -> str:
    """sha256 of the model file, or of the pickled model when it is not saved."""
    return sha256_of(path) if path is not None else sha256_of(pickle.dumps(model))


def ledger_rows(table: pd.DataFrame, origin) -> pd.DataFrame:
    """The ledger's rows of a :func:`forecast_table`: one per step, from ``origin``."""
    rows = table.rename_axis("target").reset_index()
    return rows.assign(origin=pd.Timestamp(origin), step=range(1, len(rows) + 1))


def issue(ledger: Path, table: pd.DataFrame, *, origin, name: str, model_hash: str,
          model_file: Path | None, frame: pd.DataFrame, source: str,
          coverage: float | None) -> int:  # fmt: skip
    """Write ``table`` (forecasts from ``origin``) to ``ledger``; return the rows added."""
    try:
        return record_forecasts(
            ledger,
            ledger_rows(table, origin),
            model=name,
            model_hash=model_hash,
            model_file=None if model_file is None else model_file.name,
            data_hash=data_hash(frame, source),
            data_last_date=frame.index[-1],
            coverage=coverage,
        )
    except ValueError as error:
        raise CommandError(f"--ledger {error}") from error
