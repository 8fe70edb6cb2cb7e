"""Read CBOE VIX history files (and CSVs written from the simulator)."""

from __future__ import annotations

import gzip
import os
import warnings
from functools import lru_cache
from importlib import resources
from typing import IO

import numpy as np
import pandas as pd

from .._compat import HasMethods, validate_params

__all__ = ["load_vix", "load_vix_csv"]

# Shipped the way scikit-learn ships its small datasets: gzip-compressed beside its licence.
_VIX_FILE = "vix-daily-1990-2023.csv.gz"

# CBOE has published its history with ISO dates and with US month-first dates.
_DATE_FORMATS = ("ISO8601", "%m/%d/%Y")
# US thousands separators ("1,234.5", quoted in the file); a decimal comma ("17,24") does
# not match and is reported as not a number rather than read as 1724.
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"


def _file_line(position: int) -> int:
    """Line of the file holding data row ``position`` (line 1 is the header)."""
    return position + 2


def _parse_dates(raw: pd.Series, column: str) -> pd.Series:
    attempts = [pd.to_datetime(raw, format=fmt, errors="coerce") for fmt in _DATE_FORMATS]
    parsed = max(attempts, key=lambda dates: int(dates.notna().sum()))
    if parsed.notna().all():
        return parsed
    bad = int(parsed.isna().to_numpy().argmax())
    raise ValueError(
        f"Column {column!r}, line {_file_line(bad)}: cannot read {raw.iloc[bad]!r} as a "
        "date (expected YYYY-MM-DD or MM/DD/YYYY)."
    )


def _parse_numbers(raw: pd.Series, column: str) -> pd.Series:
    grouped = raw.str.match(_THOUSANDS)
    numbers = pd.to_numeric(raw.where(~grouped, raw.str.replace(",", "")), errors="coerce")
    bad = ~np.isfinite(numbers.to_numpy(dtype=np.float64, na_value=np.nan))
    if bad.any():
        position = int(bad.argmax())
        raise ValueError(
            f"Column {column!r}, line {_file_line(position)}: value "
            f"{raw.iloc[position]!r} is not a finite number."
        )
    return numbers.astype("float64")


def _read_text(path) -> pd.DataFrame:
    if isinstance(path, (str, os.PathLike)):
        # Opened here, so that the file is closed even when pandas fails to decode it.
        with open(path, "rb") as handle:
            return _parse_text(handle, repr(os.fspath(path)))
    return _parse_text(path, "The file")


def _parse_text(handle, name: str) -> pd.DataFrame:
    try:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError as error:
        raise ValueError(f"{name} is empty: expected a header and rows of data.") from error
    except UnicodeDecodeError as error:
        raise ValueError(f"{name} is not UTF-8 text: save it as a UTF-8 CSV.") from error
    if raw.empty:
        raise ValueError(
            f"{name} has a header ({', '.join(map(str, raw.columns))}) but no rows of data."
        )
    return raw


@validate_params(
    {
        "path": [str, os.PathLike, HasMethods("read")],
        "sessions_only": ["boolean"],
        "column": [str],
    },
    prefer_skip_nested_validation=True,
)
def load_vix_csv(
    path: str | os.PathLike | IO[str], *, sessions_only: bool = True, column: str = "vix"
) -> pd.DataFrame:
    """Read a CBOE ``VIX_History.csv`` or a CSV written from :func:`make_vix_sim`.

    Cleaning, in this order, each step explicit:

    1. Column names are matched case-insensitively. A ``DATE`` (or ``date``) column and
       a ``CLOSE`` (or ``vix``) column are required; ``CLOSE`` becomes ``vix``. Another
       ``column`` reads Cboe's other indices the same way (``column="vvix"`` for the
       ``DATE, VVIX`` file).
    2. Dates are parsed (ISO ``YYYY-MM-DD`` or CBOE's older ``MM/DD/YYYY``); every other
       column must hold finite numbers, with US thousands separators allowed
       (``"1,234.5"``; a decimal comma is an error). An unreadable date or number is an
       error naming the column, the file line and the value. A UTF-8 byte-order mark is
       accepted.
    3. Rows are sorted by date and a row repeated exactly is dropped, each with a
       warning naming the lines; two different rows for one date are an error naming
       the date and both lines.
    4. A VIX that is zero or negative is an error naming the line.
    5. With ``sessions_only=True``, rows dated on days the NYSE was closed are dropped,
       with a warning naming them: one row per session, so that each row's targets and
       calendar features describe the same sessions. Since 2022 Cboe's file holds
       extended-hours values on exchange holidays (12 rows in 2022-2023), and 2004-06-11,
       a day of mourning, repeats the close before it. A session with no row stays
       missing: :func:`make_supervised` treats it as a gap.

    Parameters
    ----------
    path : str, path-like or file-like
        The CSV file.
    sessions_only : bool, default=True
        Drop the rows on days the NYSE was closed (:func:`sklearn_vix.calendar.is_session`).
    column : str, default="vix"
        Name of the index level column: the file's ``CLOSE`` column, or the one named
        ``column``, becomes it, and the rules above that speak of the VIX apply to it.

    Returns
    -------
    frame : DataFrame
        Indexed by a sorted, unique ``DatetimeIndex`` named ``date``, with the column
        ``vix`` (``column``) first and the file's other numeric columns after it,
        lower-cased (``open``, ``high``, ``low`` for a CBOE file).

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is empty or has no rows of data, a required column is missing, or
        a value breaks a rule above.

    See Also
    --------
    load_vix_sim : The simulated default data, in the same shape.
    fetch_cboe : Download Cboe's current file, cache it and read it with this function.

    Examples
    --------
    >>> import io
    >>> import warnings
    >>> from sklearn_vix.datasets import load_vix_csv
    >>> text = "DATE,OPEN,HIGH,LOW,CLOSE\\n1990-01-03,18.19,18.19,18.19,18.19\\n"
    >>> text += "1990-01-02,17.24,17.24,17.24,17.24\\n"
    >>> with warnings.catch_warnings(record=True) as notes:
    ...     warnings.simplefilter("always")
    ...     frame = load_vix_csv(io.StringIO(text))
    >>> frame
                  vix   open   high    low
    date
    1990-01-02  17.24  17.24  17.24  17.24
    1990-01-03  18.19  18.19  18.19  18.19
    >>> print(notes[0].message)  # doctest: +ELLIPSIS
    Rows are not in date order (line 3, 1990-01-02, comes after 1990-01-03); they ...
    """
    raw = _read_text(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if "date" not in raw.columns:
        raise ValueError(f"The file has no DATE column; its columns are {list(raw.columns)}.")
    vix_column = next((c for c in ("close", column) if c in raw.columns), None)
    if vix_column is None:
        raise ValueError(
            f"The file has no CLOSE (or {column}) column for the {column.upper()} level; "
            f"its columns are {list(raw.columns)}."
        )
    dates = _parse_dates(raw["date"], "date")
    values = {column: _parse_numbers(raw[vix_column], vix_column)}
    for other in raw.columns:
        if other not in ("date", vix_column):
            values[other] = _parse_numbers(raw[other], other)
    frame = pd.DataFrame(values)
    frame.index = pd.DatetimeIndex(dates, name="date")
    frame["_line"] = [_file_line(i) for i in range(len(frame))]
    if not frame.index.is_monotonic_increasing:
        back = int(np.argmax(np.diff(frame.index.to_numpy()) < np.timedelta64(0)))
        warnings.warn(
            f"Rows are not in date order (line {_file_line(back + 1)}, "
            f"{frame.index[back + 1].date()}, comes after {frame.index[back].date()}); "
            "they are sorted by date.",
            UserWarning,
            stacklevel=3,
        )
        frame = frame.sort_index(kind="stable")

    values_only = frame.drop(columns="_line")
    exact_repeat = values_only.reset_index().duplicated().to_numpy()
    if exact_repeat.any():
        warnings.warn(
            f"Lines {frame.loc[exact_repeat, '_line'].tolist()[:10]} repeat an earlier row "
            "exactly and are dropped.",
            UserWarning,
            stacklevel=3,
        )
    frame = frame[~exact_repeat]
    clash = frame.index.duplicated(keep=False)
    if clash.any():
        date = frame.index[clash][0]
        lines = frame.loc[frame.index == date, "_line"].tolist()
        raise ValueError(
            f"Date {date.date()} appears on lines {lines} with different values; "
            "keep one row per date."
        )
    non_positive = (frame[column] <= 0).to_numpy()
    if non_positive.any():
        row = frame[non_positive].iloc[0]
        raise ValueError(
            f"Column {vix_column!r}, line {int(row['_line'])}: the {column.upper()} must be "
            f"positive, got {row[column]}."
        )
    if sessions_only:
        frame = _drop_closed_days(frame, warn=True)
    return frame.drop(columns="_line")


def _drop_closed_days(frame: pd.DataFrame, *, warn: bool) -> pd.DataFrame:
    """``frame`` without its rows dated on days the NYSE was closed; with ``warn``, a
    warning names them by date and file line (the ``_line`` column)."""
    from ..calendar import is_session

    open_ = is_session(frame.index)
    if warn and not open_.all():
        closed = frame[~open_]
        shown = ", ".join(
            f"{day.date()} (line {line})"
            for day, line in zip(closed.index, closed["_line"], strict=True)
        )
        warnings.warn(
            f"{len(closed)} row(s) are dated on days the NYSE was closed (Cboe's "
            f"extended-hours values on holidays) and are dropped: {shown}. Pass "
            "sessions_only=False to keep them.",
            UserWarning,
            stacklevel=4,
        )
    return frame[open_]


@lru_cache(maxsize=2)
def _cached_vix(sessions_only: bool) -> pd.DataFrame:
    with resources.files(__package__).joinpath("data", _VIX_FILE).open("rb") as raw:
        with gzip.open(raw, "rt", encoding="utf-8") as text:
            frame = load_vix_csv(text, sessions_only=False)
    return _drop_closed_days(frame, warn=False) if sessions_only else frame


@validate_params({"sessions_only": ["boolean"]}, prefer_skip_nested_validation=True)
def load_vix(*, sessions_only: bool = True) -> pd.DataFrame:
    """Load the real CBOE VIX daily history shipped with the package, 1990-2023.

    8,561 NYSE sessions, 1990-01-02 to 2023-12-29, read by :func:`load_vix_csv` from the
    gzip-compressed CBOE file in ``sklearn_vix/datasets/data/``. In 1990 and 1991 the
    file holds only the close: ``open``, ``high`` and ``low`` equal ``vix`` there.

    The file has 8,574 rows: 13 are dated on days the NYSE was closed (12 extended-hours
    values on exchange holidays in 2022-2023, and 2004-06-11, a day of mourning that
    repeats the close before it) and are dropped, so that there is one row per session;
    ``sessions_only=False`` keeps them. Four sessions have no row (1991-03-01,
    1997-01-31, 1997-11-26, 1999-12-31): :func:`make_supervised` treats them as gaps.

    Parameters
    ----------
    sessions_only : bool, default=True
        Drop the 13 rows dated on days the NYSE was closed.

    The data are the CBOE VIX history as packaged by the datahub "finance-vix" data
    package, under the Open Data Commons Public Domain Dedication and Licence
    (ODC-PDDL-1.0); the licence text and provenance sit beside the file
    (``LICENSE-ODC-PDDL-1.0.txt``, ``README.md``).

    Returns
    -------
    frame : DataFrame
        Indexed by a ``DatetimeIndex`` named ``date``; columns ``vix`` (the close),
        ``open``, ``high`` and ``low``. A fresh copy on each call: changing it does not
        change what the next call returns.

    See Also
    --------
    load_vix_csv : Read a newer ``VIX_History.csv`` downloaded from CBOE.
    load_vix_sim : Simulated data with the Bayes-optimal forecast and exogenous columns.

    Examples
    --------
    >>> from sklearn_vix.datasets import load_vix
    >>> frame = load_vix()
    >>> frame.shape
    (8561, 4)
    >>> load_vix(sessions_only=False).shape
    (8574, 4)
    >>> list(frame.columns)
    ['vix', 'open', 'high', 'low']
    >>> str(frame.index[0].date()), str(frame.index[-1].date())
    ('1990-01-02', '2023-12-29')
    """
    return _cached_vix(sessions_only).copy()
