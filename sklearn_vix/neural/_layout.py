"""Read a window's (lookback, n_columns) shape from the input, without the user repeating it."""

from __future__ import annotations

import re

import numpy as np

_LAG = re.compile(r"^(?P<column>.+)_lag(?P<lag>\d+)$")


def _layout_from_names(names) -> tuple[int, int] | None:
    parsed = [_LAG.match(str(name)) for name in names]
    if not all(parsed):
        return None
    columns = [match["column"] for match in parsed if int(match["lag"]) == 0]
    if not columns or len(names) % len(columns):
        raise ValueError(
            "X's column names look like WindowTransformer windows ('{column}_lag{k}') but "
            f"do not form complete windows: {list(names)[:6]} ..."
        )
    lookback = len(names) // len(columns)
    expected = [f"{column}_lag{k}" for k in range(lookback) for column in columns]
    if [str(name) for name in names] != expected:
        raise ValueError(
            "X's window columns are not in WindowTransformer's order (step-major, lag0 "
            f"first): expected {expected[:4]} ..., got {list(names)[:4]} ..."
        )
    return lookback, len(columns)


def window_layout(n_features: int, feature_names=None, n_columns=None) -> tuple[int, int]:
    """The ``(lookback, n_columns)`` shape of flattened windows with ``n_features`` columns.

    In order: an explicit ``n_columns``; column names from
    :class:`~sklearn_vix.WindowTransformer` (``vix_lag0, sp500_return_lag0, vix_lag1, ...``);
    otherwise one column per step (windows of a single series).
    """
    if n_columns is not None:
        if n_features % n_columns:
            raise ValueError(
                f"n_columns={n_columns} does not divide X's {n_features} columns into "
                "windows of whole steps."
            )
        return n_features // n_columns, n_columns
    if feature_names is not None:
        layout = _layout_from_names(feature_names)
        if layout is not None:
            return layout
    return n_features, 1


def to_sequences(X: np.ndarray, lookback: int, n_columns: int) -> np.ndarray:
    """Flattened windows (newest step first) to ``(n, lookback, n_columns)``, oldest first."""
    # A fresh C-ordered copy: torch rejects the negative strides of the reversed view.
    return X.reshape(len(X), lookback, n_columns)[:, ::-1, :].copy(order="C")
