"""What the subcommands share: the options they have in common, reading the data, checking
there is enough of it, the model file, the forecast table and progress."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..base import is_interval_forecaster, is_quantile_forecaster
from ..calendar import next_sessions
from ..datasets import fetch_cboe, load_vix, load_vix_csv
from ..serialization import load_model, save_model

# The smallest training block a fold may have: HAR needs 22 days of history, a net needs a
# validation block for early stopping, and every model needs several times its lookback.
MIN_TRAIN_ROWS = 100
# The points of one forecast that `predict --quantiles`, the ledger and the fan chart show:
# its 90 % band (5 %, 95 %), its 50 % band (25 %, 75 %) and its median.
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
MIN_ROWS_PER_LAG = 5
# `--data cboe` reads Cboe's current VIX file through fetch_cboe (downloaded, cached in
# get_data_home()); any other text is a file. A file named "cboe" is `--data ./cboe`.
CBOE = "cboe"


class CommandError(Exception):
    """A problem with what the user asked for, printed as one line."""


def data_source(text: str) -> Path | str:
    """The type of ``--data``: the string :data:`CBOE` for the word ``cboe``, else a Path."""
    return CBOE if text == CBOE else Path(text)


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=data_source,
        metavar="FILE.csv|cboe",
        help="a CBOE VIX_History.csv (DATE and CLOSE columns), a `sklearn-vix simulate` "
        "file, or `cboe`: Cboe's current VIX_History.csv, downloaded and cached by "
        "fetch_cboe() (default: the real VIX 1990-2023 shipped with the package, load_vix())",
    )


def add_device_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--device",
        default="auto",
        choices=["auto", "cpu", "cuda", "mps"],
        help="where the nets train (default auto: a GPU when there is one)",
    )


def add_seed_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="random_state of the nets (default 0)")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _with_notes(label: str, read):
    """``read()``; its warnings are printed after it as ``note: label: ...`` lines.

    The cleaning notes of the loader (rows sorted, repeats or holiday rows dropped) and
    the fetch's (Cboe unreachable, the cache used) are for the user, as one line each,
    not Python warnings with a source line.
    """
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always", UserWarning)
        result = read()
    for note in notes:
        print(f"note: {label}: {note.message}", file=sys.stderr)
    return result


def read_data(path: Path | str | None) -> tuple[pd.DataFrame, str]:
    """The VIX frame and a description of where it came from.

    ``path`` is what ``--data`` gives (:func:`data_source`): None for the shipped data,
    the string :data:`CBOE` for Cboe's current file (:func:`fetch_cboe`), else a file.
    """
    if path is None:
        return load_vix(), "load_vix(): CBOE VIX daily close, shipped with sklearn-vix"
    if isinstance(path, str) and path == CBOE:
        try:
            frame = _with_notes(f"--data {CBOE}", fetch_cboe)
        except (OSError, ValueError) as error:
            raise CommandError(f"--data {CBOE}: {error}") from error
        fetched = frame.attrs["fetched"].strftime("%Y-%m-%d %H:%M UTC")
        return frame, f"Cboe VIX_History.csv (cached {frame.attrs['path']}, fetched {fetched})"
    path = Path(path)
    if path.is_dir():
        inside = sorted(path.glob("*.csv"))
        hint = f", e.g. --data {inside[0]}" if inside else ""
        raise CommandError(f"--data {path} is a folder, not a file: pass the CSV file{hint}")
    if not path.is_file():
        raise CommandError(f"--data {path}: no such file")
    try:
        frame = _with_notes(f"--data {path}", lambda: load_vix_csv(path))
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


def last_step(frame: pd.DataFrame) -> pd.Series:
    """The last forecast step of a comparison's predictions or targets (``fold`` aside)."""
    return frame.drop(columns="fold", errors="ignore").iloc[:, -1]


def forecast_table(model, rows: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """The forecast from the last row of ``rows`` for the ``horizon`` sessions after it.

    ``rows`` is the whole history (its windows need the days before the last one); only
    the last row's forecast is kept. ``lower`` and ``upper`` are the model's interval.
    """
    point = np.asarray(model.predict(rows)).reshape(len(rows), -1)[-1]
    if len(point) != horizon:
        raise CommandError(f"the model forecasts {len(point)} day(s), not {horizon}")
    table = pd.DataFrame({"forecast": point}, index=next_sessions(rows.index[-1], horizon))
    if is_interval_forecaster(model):
        bounds = np.asarray(model.predict_interval(rows)).reshape(len(rows), -1, 2)[-1]
        table["lower"], table["upper"] = bounds[:, 0], bounds[:, 1]
    return table


def quantile_column(level: float) -> str:
    """The column of a quantile level: ``q05`` for 0.05, ``q50`` for 0.5."""
    return f"q{round(level * 100):02d}"


def forecast_quantiles(model, rows: pd.DataFrame, horizon: int) -> pd.DataFrame | None:
    """The 5, 25, 50, 75 and 95 % points of the forecast from the last row of ``rows``
    (as in :func:`forecast_table`).

    One forecast distribution, read by one ``predict_quantiles`` call, so that the bands
    nest (a :class:`~sklearn_vix.ConformalForecaster`'s 5 and 95 % points are its 90 %
    interval). Columns ``q05`` .. ``q95``, one row per session; None for a model that is
    not a quantile forecaster.
    """
    if not is_quantile_forecaster(model):
        return None
    values = np.asarray(model.predict_quantiles(rows, list(FAN_QUANTILES)), dtype=np.float64)
    values = values.reshape(len(rows), -1, len(FAN_QUANTILES))[-1]
    return pd.DataFrame(
        values,
        index=next_sessions(rows.index[-1], horizon),
        columns=[quantile_column(level) for level in FAN_QUANTILES],
    )


# -- The model file: one contract for `tune`, `report --save`, `predict` and `backtest` --


def write_model(model, path: Path, *, name: str, horizon: int, rows: pd.DataFrame, source: str):
    """Save a fitted forecaster with what every command needs to reuse it.

    The metadata says which columns the model reads, how many sessions it forecasts
    (``horizon``), whether it gives intervals, and the data it was trained on.
    """
    metadata = {
        "model": name,
        "columns": list(rows.columns),
        "horizon": horizon,
        "intervals": is_interval_forecaster(model),
        "trained_until": str(rows.index[-1].date()),
        "data": source,
    }
    save_model(model, path, metadata=metadata)


def read_model(path: Path, frame: pd.DataFrame, horizon: int | None = None):
    """A model saved by :func:`write_model`, checked against the data and the horizon asked.

    Returns the model, its metadata and its horizon (``horizon`` when the file is older
    and does not say).
    """
    if path.is_dir():
        raise CommandError(f"--model {path} is a folder, not a model file")
    model, metadata = load_model(path, return_metadata=True)
    columns = list(metadata.get("columns", ["vix"]))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CommandError(f"--model {path} reads columns {missing} that --data lacks")
    saved = metadata.get("horizon")
    if saved is not None and horizon is not None and saved != horizon:
        raise CommandError(
            f"--model {path} forecasts {saved} session(s) ahead, --horizon {horizon} was "
            f"asked: leave out --horizon (the model's {saved} is used) or fit a new model"
        )
    metadata = {**metadata, "columns": columns}
    return model, metadata, saved if saved is not None else horizon


def show_progress(quiet: bool) -> bool:
    return not quiet and sys.stdout.isatty()
