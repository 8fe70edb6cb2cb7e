"""What the subcommands share: reading the data, checking there is enough of it, progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..datasets import load_vix, load_vix_csv

# The smallest training block a fold may have: HAR needs 22 days of history, a net needs a
# validation block for early stopping, and every model needs several times its lookback.
MIN_TRAIN_ROWS = 100
MIN_ROWS_PER_LAG = 5


class CommandError(Exception):
    """A problem with what the user asked for, printed as one line."""


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        metavar="FILE.csv",
        help="a CBOE VIX_History.csv (DATE and CLOSE columns) or a `sklearn-vix simulate` "
        "file (default: the real VIX 1990-2023 shipped with the package, load_vix())",
    )


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def read_data(path: Path | None) -> tuple[pd.DataFrame, str]:
    """The VIX frame and a description of where it came from."""
    if path is None:
        return load_vix(), "load_vix(): CBOE VIX daily close, shipped with sklearn-vix"
    if not path.is_file():
        raise CommandError(f"--data {path}: no such file")
    try:
        frame = load_vix_csv(path)
    except ValueError as error:
        raise CommandError(f"--data {path}: {error}") from error
    return frame, str(path)


def min_rows(lookback: int, splits: int, horizon: int) -> int:
    """Rows a file needs so that the smallest training fold holds enough days."""
    block = max(MIN_TRAIN_ROWS, MIN_ROWS_PER_LAG * lookback)
    return block * (splits + 1) + 2 * horizon


def check_rows(frame: pd.DataFrame, source: str, lookback: int, splits: int, horizon: int):
    needed = min_rows(lookback, splits, horizon)
    if len(frame) < needed:
        block = needed // (splits + 1)
        raise CommandError(
            f"{source} has {len(frame)} rows; --lookback {lookback}, --splits {splits} and "
            f"--horizon {horizon} need at least {needed} (each of the {splits + 1} time "
            f"blocks needs about {block} days): pass a longer file or lower --splits or "
            "--lookback"
        )


def show_progress(quiet: bool) -> bool:
    return not quiet and sys.stdout.isatty()
