"""Frame a time-indexed table as features known at t and targets after t."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from numbers import Integral

import numpy as np
import pandas as pd

from .._compat import Interval, StrOptions, validate_params
from .._validation import check_finite, check_numeric_columns, check_time_order
from ..calendar import _as_dates, is_session, sessions_after

__all__ = ["make_supervised"]


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [Hashable],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "calendar": [StrOptions({"auto", "XNYS"}), None],
    },
    prefer_skip_nested_validation=True,
)
def make_supervised(
    frame: pd.DataFrame, target: str = "vix", horizon: int = 1, *, calendar: str | None = "auto"
) -> tuple[pd.DataFrame, pd.Series | pd.DataFrame]:
    """Split a time-ordered frame into features known at day t and the target after t.

    Row ``t`` of ``X`` holds every column of ``frame`` at day ``t`` (the target's own
    value included); row ``t`` of ``y`` holds the target at the ``1 .. horizon`` sessions
    after ``t``. Windows of past rows are the job of :class:`~sklearn_vix.WindowTransformer`,
    inside a pipeline, so that cross-validation can never leak through them.

    **One row per session.** For a frame indexed by NYSE sessions (:func:`load_vix`,
    :func:`load_vix_csv`, :func:`load_vix_sim`), the target of step ``k`` is the value
    on the k-th session after ``t`` that took place (:mod:`sklearn_vix.calendar`), the
    session that the calendar features of row ``t`` describe and that a forecast is
    labelled with. A session missing from the frame is a gap, not a shift: the rows
    whose targets fall on it are dropped (on the shipped VIX, 4 sessions of 1990-1999
    are missing: 4 rows at ``horizon=1``, 20 at ``horizon=5``). Without dates (or with
    ``calendar=None``) the target is the value ``k`` rows later, and the last
    ``horizon`` rows are dropped.

    Parameters
    ----------
    frame : DataFrame
        Time-ordered rows (an increasing, unique index), such as the output of
        :func:`load_vix_sim` or :func:`load_vix_csv`.
    target : str, default="vix"
        Column to forecast.
    horizon : int, default=1
        Number of sessions ahead.
    calendar : {"auto", "XNYS"} or None, default="auto"
        How targets are found. ``"auto"``: by NYSE sessions when every row of a
        ``DatetimeIndex`` is a session, else by rows (business days of another market,
        synthetic data). ``"XNYS"``: by NYSE sessions, and rows dated on days the NYSE
        was closed (Cboe's extended-hours values on holidays) are dropped with a warning
        that names them. None: by rows.

    Returns
    -------
    X : DataFrame
        The rows of ``frame`` whose every target is in it.
    y : Series or DataFrame
        For ``horizon=1`` a Series named ``{target}_h1``; otherwise a DataFrame with
        columns ``{target}_h1 .. {target}_h{horizon}``. Same index as ``X``.

    Examples
    --------
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim().iloc[:5], horizon=2)
    >>> bool(X["vix"].iloc[1] == y["vix_h1"].iloc[0])
    True
    >>> y.shape
    (3, 2)

    Over a holiday the target is the next session's value, whatever rows the frame
    holds; a missing session drops the rows whose target it is:

    >>> import pandas as pd
    >>> days = pd.to_datetime(["2023-07-03", "2023-07-05", "2023-07-06", "2023-07-10"])
    >>> frame = pd.DataFrame({"vix": [13.6, 14.2, 15.4, 14.8]}, index=days)
    >>> make_supervised(frame)[1]
    2023-07-03    14.2
    2023-07-05    15.4
    Name: vix_h1, dtype: float64
    """
    if target not in frame.columns:
        raise ValueError(
            f"target={target!r} is not a column of the frame; columns are {list(frame.columns)}."
        )
    check_time_order(
        frame.index, "The frame", "Sort it (frame.sort_index()) and drop repeated dates first."
    )
    check_numeric_columns(frame[[target]], "frame")
    missing = frame[target].isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"Column {target!r} is missing at row {frame.index[missing.argmax()]!r}; "
            "fill or drop it before framing."
        )
    check_finite(frame[target].to_numpy(dtype=np.float64), frame, f"column {target!r}")
    if len(frame) <= horizon:
        raise ValueError(f"horizon={horizon} needs more than {horizon} rows, got {len(frame)}.")
    if _by_sessions(frame, calendar):
        frame = _sessions_only(frame)
        future = _session_targets(frame[target], horizon)
    else:
        future = pd.DataFrame(
            {f"{target}_h{h}": frame[target].shift(-h) for h in range(1, horizon + 1)}
        )
    future.columns = [f"{target}_h{h}" for h in range(1, horizon + 1)]
    known = future.notna().all(axis=1).to_numpy()
    if not known.any():
        raise ValueError(
            f"horizon={horizon}: no row of the frame has all its {horizon} target session(s) "
            "in the frame (one row per NYSE session is expected); for data that skips "
            "sessions (weekly rows), pass calendar=None to take the value k rows later."
        )
    X = frame[known].copy()
    y = future[known]
    return X, (y.iloc[:, 0] if horizon == 1 else y)


def _by_sessions(frame: pd.DataFrame, calendar: str | None) -> bool:
    if calendar is None or not isinstance(frame.index, pd.DatetimeIndex):
        if calendar == "XNYS":
            raise TypeError(
                "make_supervised(calendar='XNYS') finds each target session from the row's "
                f"date: the frame must be indexed by date, got {type(frame.index).__name__}."
            )
        return False
    return calendar == "XNYS" or bool(is_session(frame.index).all())


def _sessions_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its rows on days the exchange was closed, with a warning."""
    open_ = is_session(frame.index)
    if open_.all():
        return frame
    closed = frame.index[~open_]
    shown = ", ".join(str(day.date()) for day in closed[:10])
    warnings.warn(
        f"{len(closed)} row(s) are dated on days the NYSE was closed and are dropped "
        f"(targets are NYSE sessions): {shown}{', ...' if len(closed) > 10 else ''}.",
        UserWarning,
        stacklevel=3,
    )
    return frame[open_]


def _session_targets(values: pd.Series, horizon: int) -> pd.DataFrame:
    """The value on each of the ``horizon`` sessions after every row; NaN where missing."""
    targets = sessions_after(values.index, horizon)
    by_day = pd.Series(values.to_numpy(), index=_as_dates(values.index).to_numpy())
    found = by_day.reindex(targets.ravel()).to_numpy().reshape(targets.shape)
    return pd.DataFrame(found, index=values.index)
