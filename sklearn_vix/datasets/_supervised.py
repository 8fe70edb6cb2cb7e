"""Frame a time-indexed table as features known at t and targets after t."""

from __future__ import annotations

import numbers

import pandas as pd

__all__ = ["make_supervised"]


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
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"make_supervised expects a pandas DataFrame, got {type(frame).__name__}.")
    if target not in frame.columns:
        raise ValueError(
            f"target={target!r} is not a column of the frame; columns are {list(frame.columns)}."
        )
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral):
        raise TypeError(f"horizon must be an integer, got {horizon!r}.")
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}.")
    if not frame.index.is_unique or not frame.index.is_monotonic_increasing:
        raise ValueError(
            "The frame's index must be unique and increasing (time order); sort it and "
            "drop repeated dates first."
        )
    missing = frame[target].isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"Column {target!r} is missing at row {frame.index[missing.argmax()]!r}; "
            "fill or drop it before framing."
        )
    if len(frame) <= horizon:
        raise ValueError(f"horizon={horizon} needs more than {horizon} rows, got {len(frame)}.")
    future = pd.DataFrame(
        {f"{target}_h{h}": frame[target].shift(-h) for h in range(1, horizon + 1)}
    )
    X = frame.iloc[:-horizon].copy()
    y = future.iloc[:-horizon]
    return X, (y.iloc[:, 0] if horizon == 1 else y)
