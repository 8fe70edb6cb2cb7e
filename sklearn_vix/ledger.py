"""The forecast ledger: every forecast issued, kept in one SQLite file, scored later.

A forecast is written once, when it is issued, and never changed: the track record is
what a user saw on the evening of each origin, not what a model says today about the
past. One row per (model file, origin, step), in the table ``forecasts``:

==============  =======  ===============================================================
column          type     meaning
==============  =======  ===============================================================
model_hash      TEXT     sha256 of the model file's bytes (of the pickled model when it
                         was not saved); with ``origin`` and ``step``, the primary key
origin          TEXT     the session the forecast is made from, ``YYYY-MM-DD``
step            INTEGER  sessions ahead, 1 .. horizon
target          TEXT     the session forecast, ``YYYY-MM-DD``
issued_at       TEXT     when the row was written, UTC, ISO 8601
model           TEXT     the model's name, e.g. ``LSTM (log)``
model_file      TEXT     the model file's name, NULL when it was not saved
forecast        REAL     the point forecast of the VIX close
lower, upper    REAL     the prediction interval, NULL when the model gives none
coverage        REAL     the interval's nominal coverage, NULL without one
data_last_date  TEXT     the last session of the data the forecast was made from
data_hash       TEXT     sha256 of the data file's bytes (of the frame without a file)
q05 .. q95      REAL     the 5, 25, 50, 75 and 95 % points of the forecast distribution
                         (columns ``q05``, ``q25``, ``q50``, ``q75``, ``q95``), NULL when
                         the model gives no quantiles; since schema version 2
==============  =======  ===============================================================

The primary key makes issuing idempotent: a row whose (model_hash, origin, step) is
already there is ignored (``INSERT OR IGNORE``), so a second run on the same evening and
data adds nothing and a rerun after a crash completes what the first run began. Each
write is one ``BEGIN IMMEDIATE`` transaction, and connections wait for each other
(``timeout``), so two processes writing at once lose nothing.

The file carries ``PRAGMA application_id`` (``0x56495831``, "VIX1") and the schema
version in ``PRAGMA user_version``. A file that is not SQLite, or an SQLite file of
another program (another application id, other tables, a newer schema version), is an
error naming the file, and is never written to.

Version 1 files (without the quantile columns) are upgraded when opened: the columns
are added, NULL in the rows already there, and the version set to 2, in one
transaction, so that a file is either upgraded whole or left as it was; no row is lost.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "SCHEMA_VERSION",
    "join_outcomes",
    "open_ledger",
    "read_forecasts",
    "record_forecasts",
    "score_forecasts",
    "sha256_of",
]

SCHEMA_VERSION = 2
_APPLICATION_ID = 0x56495831  # "VIX1"
# Seconds a writer waits for another process's transaction before giving up.
_TIMEOUT = 60.0
_COLUMNS = (
    "model_hash", "origin", "step", "target", "issued_at", "model", "model_file",
    "forecast", "lower", "upper", "coverage", "data_last_date", "data_hash",
    "q05", "q25", "q50", "q75", "q95",
)  # fmt: skip
# The quantile columns, added by schema version 2.
_QUANTILES = ("q05", "q25", "q50", "q75", "q95")
_SCORES = ("n", "rmse", "persistence_rmse", "rmse_ratio", "coverage", "dm_pvalue")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS forecasts (
    model_hash     TEXT    NOT NULL,
    origin         TEXT    NOT NULL,
    step           INTEGER NOT NULL CHECK (step >= 1),
    target         TEXT    NOT NULL,
    issued_at      TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    model_file     TEXT,
    forecast       REAL    NOT NULL,
    lower          REAL,
    upper          REAL,
    coverage       REAL,
    data_last_date TEXT    NOT NULL,
    data_hash      TEXT    NOT NULL,
    q05            REAL,
    q25            REAL,
    q50            REAL,
    q75            REAL,
    q95            REAL,
    PRIMARY KEY (model_hash, origin, step)
)
"""


def sha256_of(data: bytes | str | os.PathLike | pd.DataFrame) -> str:
    """The hex sha256 of bytes, of a file's bytes, or of a frame's values and index.

    Examples
    --------
    >>> from sklearn_vix.ledger import sha256_of
    >>> sha256_of(b"abc")[:12]
    'ba7816bf8f01'
    """
    if isinstance(data, pd.DataFrame):
        data = pd.util.hash_pandas_object(data, index=True).to_numpy().tobytes()
    elif not isinstance(data, bytes):
        data = Path(data).read_bytes()
    return hashlib.sha256(data).hexdigest()


def _foreign(path, why: str) -> ValueError:
    return ValueError(
        f"{path} is not a sklearn-vix forecast ledger ({why}); it was left untouched: "
        "pass another --ledger file (a new name creates one)"
    )


def _check_schema(connection: sqlite3.Connection, path) -> int:
    """The schema version of the ledger in the file, 0 when the file is empty; an error if
    it holds anything else."""
    try:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            raise OSError(f"{path} is locked by another process: try again") from error
        raise _foreign(path, f"SQLite cannot read it: {error}") from error
    except sqlite3.DatabaseError as error:
        raise _foreign(path, f"SQLite cannot read it: {error}") from error
    if application == 0 and version == 0 and not tables:
        return 0
    if application != _APPLICATION_ID:
        listed = ", ".join(sorted(tables)) or "none"
        raise _foreign(path, f"an SQLite file of another program, tables: {listed}")
    if not 1 <= version <= SCHEMA_VERSION:
        raise ValueError(
            f"{path} is a forecast ledger of schema version {version}, this sklearn-vix "
            f"reads version {SCHEMA_VERSION}: upgrade sklearn-vix, or pass another --ledger"
        )
    if "forecasts" not in tables:
        raise _foreign(path, "its table 'forecasts' is missing")
    return version


def _upgrade(connection: sqlite3.Connection, version: int) -> None:
    """Bring a ledger of schema ``version`` to :data:`SCHEMA_VERSION`, inside the caller's
    transaction: a failed upgrade rolls back whole."""
    if version < 2:
        for column in _QUANTILES:
            connection.execute(f"ALTER TABLE forecasts ADD COLUMN {column} REAL")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # IMMEDIATE takes the write lock at once: a second writer waits (timeout) instead of
    # failing when it upgrades a read lock half way.
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def open_ledger(path: str | os.PathLike, *, create: bool = True) -> sqlite3.Connection:
    """Open the ledger at ``path``, creating the file and its table on first use.

    A ledger of an older schema version is upgraded (module docstring).

    Parameters
    ----------
    path : str or path-like
        The SQLite file, or ``":memory:"``.
    create : bool, default=True
        Create the file when it does not exist; else a missing file is an error.

    Returns
    -------
    connection : sqlite3.Connection
        In autocommit mode: writes go through :func:`record_forecasts`' transactions.
        Close it when done.

    Raises
    ------
    FileNotFoundError
        If ``create=False`` and there is no file at ``path``.
    ValueError
        If the file is not a ledger (not SQLite, another program's, a newer schema
        version); the file is not written to.

    Examples
    --------
    >>> from sklearn_vix.ledger import open_ledger
    >>> connection = open_ledger(":memory:")
    >>> connection.execute("PRAGMA user_version").fetchone()
    (2,)
    >>> connection.close()
    """
    memory = str(path) == ":memory:"
    if not memory and not Path(path).exists() and not create:
        raise FileNotFoundError(f"no forecast ledger at {path}: issue forecasts first")
    if not memory and Path(path).is_dir():
        raise ValueError(f"{path} is a folder: pass a ledger file, e.g. {Path(path) / 'vix.db'}")
    if not memory and not Path(path).parent.is_dir():
        raise FileNotFoundError(f"{path}: the folder {Path(path).parent} does not exist")
    connection = sqlite3.connect(str(path), timeout=_TIMEOUT, isolation_level=None)
    try:
        if _check_schema(connection, path) < SCHEMA_VERSION:
            with _transaction(connection):
                # Checked again under the write lock: another process may have made or
                # upgraded it.
                version = _check_schema(connection, path)
                if version == 0:
                    connection.execute(_SCHEMA)
                    connection.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                elif version < SCHEMA_VERSION:
                    _upgrade(connection, version)
    except BaseException:
        connection.close()
        raise
    return connection


def _day(value) -> str:
    return str(pd.Timestamp(value).date())


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def record_forecasts(
    path: str | os.PathLike | sqlite3.Connection,
    forecasts: pd.DataFrame,
    *,
    model: str,
    model_hash: str,
    data_hash: str,
    data_last_date,
    model_file: str | None = None,
    coverage: float | None = None,
    issued_at: str | None = None,
) -> int:
    """Append issued forecasts to the ledger, in one transaction; return the rows added.

    Rows whose (``model_hash``, origin, step) is already in the ledger are left as they
    are: a forecast, once issued, is never changed.

    Parameters
    ----------
    path : str, path-like or sqlite3.Connection
        The ledger file (created on first use) or a connection from :func:`open_ledger`.
    forecasts : DataFrame
        One row per step, with columns ``origin``, ``step``, ``target`` and
        ``forecast``, ``lower`` and ``upper`` when the model gives an interval, and
        ``q05``, ``q25``, ``q50``, ``q75`` and ``q95`` when it gives quantiles.
    model : str
        The model's name.
    model_hash : str
        The identity of the model: :func:`sha256_of` its file.
    data_hash : str
        The identity of the data: :func:`sha256_of` its file (or frame).
    data_last_date : date-like
        The last session of the data.
    model_file : str, default=None
        The model file's name.
    coverage : float, default=None
        Nominal coverage of ``lower`` and ``upper``.
    issued_at : str, default=None
        UTC ISO 8601 time of issue; now when None.

    Returns
    -------
    n_added : int

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.ledger import open_ledger, read_forecasts, record_forecasts
    >>> ledger = open_ledger(":memory:")
    >>> table = pd.DataFrame({"origin": ["2023-12-29"] * 2, "step": [1, 2],
    ...                       "target": ["2024-01-02", "2024-01-03"], "forecast": [12.9, 13.1]})
    >>> issue = dict(model="HAR (log)", model_hash="ab12", data_hash="cd34",
    ...              data_last_date="2023-12-29")
    >>> record_forecasts(ledger, table, **issue)
    2
    >>> record_forecasts(ledger, table, **issue)  # the same evening again: nothing new
    0
    >>> read_forecasts(ledger)[["origin", "step", "forecast", "lower"]]
          origin  step  forecast  lower
    0 2023-12-29     1      12.9    NaN
    1 2023-12-29     2      13.1    NaN
    """
    issued_at = issued_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    has_bounds = {"lower", "upper"} <= set(forecasts.columns)
    has_quantiles = set(_QUANTILES) <= set(forecasts.columns)
    rows = [
        (
            model_hash, _day(row.origin), int(row.step), _day(row.target), issued_at, model,
            model_file, float(row.forecast),
            _number(row.lower) if has_bounds else None,
            _number(row.upper) if has_bounds else None,
            _number(coverage) if has_bounds else None,
            _day(data_last_date), data_hash,
            *(_number(getattr(row, q)) if has_quantiles else None for q in _QUANTILES),
        )
        for row in forecasts.itertuples(index=False)
    ]  # fmt: skip
    connection = path if isinstance(path, sqlite3.Connection) else open_ledger(path)
    try:
        with _transaction(connection):
            before = connection.total_changes
            connection.executemany(
                f"INSERT OR IGNORE INTO forecasts ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
            added = connection.total_changes - before
    except sqlite3.OperationalError as error:  # locked past the timeout, a full disk
        raise OSError(f"{path}: the forecasts could not be written ({error}); try again") from error
    finally:
        if connection is not path:
            connection.close()
    return added


def read_forecasts(path: str | os.PathLike | sqlite3.Connection) -> pd.DataFrame:
    """Every forecast of the ledger, oldest origin first.

    Parameters
    ----------
    path : str, path-like or sqlite3.Connection
        An existing ledger file, or a connection from :func:`open_ledger`.

    Returns
    -------
    forecasts : DataFrame
        One row per (model_hash, origin, step), the columns of the table ``forecasts``
        (module docstring), ``origin``, ``target`` and ``data_last_date`` as Timestamps.

    Examples
    --------
    >>> from sklearn_vix.ledger import open_ledger, read_forecasts
    >>> list(read_forecasts(open_ledger(":memory:")).columns[:4])
    ['model_hash', 'origin', 'step', 'target']
    """
    connection = path if isinstance(path, sqlite3.Connection) else None
    if connection is None:
        connection = open_ledger(path, create=False)
    try:
        frame = pd.read_sql_query(
            f"SELECT {', '.join(_COLUMNS)} FROM forecasts ORDER BY origin, model, model_hash, step",
            connection,
        )
    finally:
        if connection is not path:
            connection.close()
    for column in ("origin", "target", "data_last_date"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("forecast", "lower", "upper", "coverage", *_QUANTILES):
        frame[column] = frame[column].astype(np.float64)
    return frame


def _closes(outcomes) -> pd.Series:
    if isinstance(outcomes, pd.DataFrame):
        outcomes = outcomes["vix"]
    return outcomes.set_axis(pd.DatetimeIndex(outcomes.index).normalize())


def join_outcomes(forecasts: pd.DataFrame, outcomes: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """The ledger's forecasts with their outcomes, persistence and misses, where known.

    A model that issued the same (origin, step) twice (two runs of a model refitted
    from scratch) keeps its first forecast: the one issued in time.

    Parameters
    ----------
    forecasts : DataFrame
        From :func:`read_forecasts`.
    outcomes : Series or DataFrame
        The VIX closes by session (a frame's ``vix`` column), e.g. ``load_vix_csv(...)``.

    Returns
    -------
    joined : DataFrame
        ``forecasts`` with ``actual`` (the close of the target session, NaN until it is
        known), ``persistence`` (the close of the origin session: the forecast of no
        change), ``error``, ``persistence_error`` and ``covered`` (NaN without a band).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.ledger import join_outcomes
    >>> issued = pd.DataFrame({"model": ["HAR"], "model_file": [None],
    ...     "origin": pd.to_datetime(["2023-12-28"]), "step": [1],
    ...     "target": pd.to_datetime(["2023-12-29"]), "issued_at": ["2023-12-28T22:00:00"],
    ...     "forecast": [12.5], "lower": [11.0], "upper": [14.0]})
    >>> closes = pd.Series([12.47, 12.45], index=pd.to_datetime(["2023-12-28", "2023-12-29"]))
    >>> join_outcomes(issued, closes)[["actual", "persistence", "covered"]]
       actual  persistence  covered
    0   12.45        12.47      1.0
    """
    closes = _closes(outcomes)
    first = forecasts.sort_values("issued_at", kind="stable").drop_duplicates(
        ["model", "model_file", "origin", "step"]
    )
    joined = first.sort_values(["model", "origin", "step"], kind="stable").reset_index(drop=True)
    joined[["forecast", "lower", "upper"]] = joined[["forecast", "lower", "upper"]].astype(float)
    joined["actual"] = closes.reindex(joined["target"]).to_numpy()
    joined["persistence"] = closes.reindex(joined["origin"]).to_numpy()
    joined["error"] = joined["forecast"] - joined["actual"]
    joined["persistence_error"] = joined["persistence"] - joined["actual"]
    inside = (joined["lower"] <= joined["actual"]) & (joined["actual"] <= joined["upper"])
    known = joined["actual"].notna() & joined["lower"].notna()
    joined["covered"] = inside.astype(np.float64).where(known)
    return joined


def score_forecasts(
    forecasts: pd.DataFrame, outcomes: pd.Series | pd.DataFrame, *, min_days: int = 30
) -> pd.DataFrame:
    """The track record: per model and step, the scores of the forecasts whose outcome
    is known, against persistence on the same days.

    Parameters
    ----------
    forecasts : DataFrame
        From :func:`read_forecasts`.
    outcomes : Series or DataFrame
        The VIX closes by session (a frame's ``vix`` column).
    min_days : int, default=30
        Scored forecasts needed before the Diebold-Mariano test is computed.

    Returns
    -------
    scores : DataFrame
        Indexed by ``model``, ``model_file`` ("" when not saved) and ``step``; columns
        ``n`` (forecasts scored), ``rmse``, ``persistence_rmse``, ``rmse_ratio`` (below
        1: better than persistence), ``coverage`` (of the band, NaN without one) and
        ``dm_pvalue`` (two-sided Diebold-Mariano test of equal squared error against
        persistence, :func:`sklearn_vix.stats.diebold_mariano`; NaN before ``min_days``).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.ledger import score_forecasts
    >>> issued = pd.DataFrame({"model": ["HAR"] * 2, "model_file": [None] * 2,
    ...     "origin": pd.to_datetime(["2023-12-27", "2023-12-28"]), "step": [1, 1],
    ...     "target": pd.to_datetime(["2023-12-28", "2023-12-29"]),
    ...     "issued_at": ["2023-12-27T22:00:00", "2023-12-28T22:00:00"],
    ...     "forecast": [12.6, 12.5], "lower": [None] * 2, "upper": [None] * 2})
    >>> closes = pd.Series([12.43, 12.47, 12.45],
    ...                    index=pd.to_datetime(["2023-12-27", "2023-12-28", "2023-12-29"]))
    >>> scores = score_forecasts(issued, closes)
    >>> scores.reset_index()[["model", "step", "n", "rmse", "dm_pvalue"]].round(3)
      model  step  n   rmse  dm_pvalue
    0   HAR     1  2  0.098        NaN
    """
    from .stats import diebold_mariano

    joined = join_outcomes(forecasts, outcomes)
    joined = joined[joined["actual"].notna()].assign(model_file=joined["model_file"].fillna(""))
    rows = {}
    for (model, model_file, step), group in joined.groupby(["model", "model_file", "step"]):
        group = group.sort_values("origin")
        rmse = float(np.sqrt(np.mean(group["error"] ** 2)))
        naive = float(np.sqrt(np.mean(group["persistence_error"] ** 2)))
        pvalue = np.nan
        if len(group) >= min_days:
            pvalue = diebold_mariano(group["error"], group["persistence_error"], h=int(step)).pvalue
        rows[(model, model_file, int(step))] = {
            "n": len(group),
            "rmse": rmse,
            "persistence_rmse": naive,
            "rmse_ratio": rmse / naive if naive > 0 else np.nan,
            "coverage": group["covered"].mean(),
            "dm_pvalue": pvalue,
        }
    names, columns = ["model", "model_file", "step"], list(_SCORES)
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.MultiIndex.from_arrays([[]] * 3, names=names))
    index = pd.MultiIndex.from_tuples(list(rows), names=names)
    return pd.DataFrame(list(rows.values()), index=index, columns=columns)
