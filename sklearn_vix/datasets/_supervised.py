"""Frame a time-indexed table as features known at t and targets after t."""

from __future__ import annotations

from collections.abc import Hashable
from numbers import Integral

import numpy as np
import pandas as pd

from .._compat import Interval, validate_params
from .._validation import check_finite, check_numeric_columns

__all__ = ["make_supervised"]


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [Hashable],
        "horizon": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_supervised(
    frame: pd.DataFrame, target: str = "vix", horizon: int = 1
) -> tuple[pd.DataFrame, pd.Series | pd.DataFrame]:
    """Split a time-ordered frame into features known at day t and the target after t.

    Row ``t`` of ``X`` holds every column of ``frame`` at day ``t`` (the target's own
    value included); row ``t`` of ``y`` holds the target at ``t+1 .. t+horizon``. The
    last ``horizon`` rows have no full future and are dropped from both. Windows of
    past rows are the job of :class:`~sklearn_vix.WindowTransformer`, inside a pipeline,
    so that cross-validation can never leak through them.

    Parameters
    ----------
    frame : DataFrame
        Time-ordered rows (an increasing, unique index), such as the output of
        :func:`load_vix_sim` or :func:`load_vix_csv`.
    target : str, default="vix"
        Column to forecast.
    horizon : int, default=1
        Number of days ahead.

    Returns
    -------
    X : DataFrame
        ``frame`` without its last ``horizon`` rows.
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
    """
    if target not in frame.columns:
        raise ValueError(
            f"target={target!r} is not a column of the frame; columns are {list(frame.columns)}."
        )
    _check_time_order(frame.index)
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
    future = pd.DataFrame(
        {f"{target}_h{h}": frame[target].shift(-h) for h in range(1, horizon + 1)}
    )
    X = frame.iloc[:-horizon].copy()
    y = future.iloc[:-horizon]
    return X, (y.iloc[:, 0] if horizon == 1 else y)


def _check_time_order(index: pd.Index) -> None:
    """Raise naming the first label that repeats or goes back in time."""
    if index.is_monotonic_increasing and index.is_unique:
        return
    position = next(i for i in range(1, len(index)) if not index[i] > index[i - 1])
    problem = "repeats" if index[position] == index[position - 1] else "comes before"
    raise ValueError(
        f"The frame's index must be unique and increasing (time order): row {position} "
        f"({index[position]!r}) {problem} row {position - 1} ({index[position - 1]!r}). "
        "Sort it (frame.sort_index()) and drop repeated dates first."
    )
