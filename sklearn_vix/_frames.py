"""Pandas views of what a user passed: the row labels of ``X``, one column, forecasts as frames.

The library accepts NumPy and pandas alike; these helpers give every reader the same
answer for both (a NumPy table's rows are labelled ``0..n-1``, its forecast steps
``step1..stepH``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def row_index(X) -> pd.Index:
    """``X``'s row labels when it is a DataFrame, else ``RangeIndex(len(X))``."""
    return X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(X))


def column_values(X, position: int) -> np.ndarray:
    """Column ``position`` of a DataFrame or an array, as float64."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[:, position].to_numpy(dtype=np.float64)
    return np.asarray(X, dtype=np.float64)[:, position]


def as_frame(values, index: pd.Index, like=None) -> pd.DataFrame:
    """Targets or forecasts of one or several steps as a DataFrame indexed by ``index``.

    The columns are named after ``like`` (``values`` when None): a DataFrame's columns,
    a named Series' name, else ``step1, step2, ...``.
    """
    like = values if like is None else like
    values = np.asarray(values).reshape(len(index), -1)
    if isinstance(like, pd.DataFrame):
        columns = list(like.columns)
    elif isinstance(like, pd.Series) and like.name is not None:
        columns = [like.name]
    else:
        columns = [f"step{k}" for k in range(1, values.shape[1] + 1)]
    return pd.DataFrame(values, index=index, columns=columns)
