"""Read a window's (lookback, n_columns) shape from the input, without the user repeating it."""

from __future__ import annotations

import re

import numpy as np

from ..preprocessing import calendar_step

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


def known_future_columns(feature_names) -> int:
    """How many trailing columns are known-future calendar features (``{feature}_step{k}``).

    :class:`~sklearn_vix.preprocessing.CalendarTransformer` names them; ``make_forecaster``
    puts them after the window. Anywhere else they are an error, never a window column.
    """
    if feature_names is None:
        return 0
    known = [calendar_step(name) is not None for name in feature_names]
    n_known = sum(known)
    if any(known[: len(known) - n_known]):
        raise ValueError(
            "X's known-future calendar columns ('{feature}_step{k}') must come after the "
            f"window columns, as make_forecaster lays them out; got {list(feature_names)}."
        )
    return n_known


def window_layout(
    n_features: int, feature_names=None, n_columns=None, owner: str = "The net"
) -> tuple[int, int]:
    """The ``(lookback, n_columns)`` shape of flattened windows with ``n_features`` columns.

    In order: an explicit ``n_columns``; column names from
    :class:`~sklearn_vix.WindowTransformer` (``vix_lag0, sp500_return_lag0, vix_lag1, ...``);
    a single feature (one step of one series). Anything else is ambiguous (ten columns
    may be ten days of the VIX or five days of two series) and is an error that names the
    fix, never a guess.
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
    if n_features == 1:
        return 1, 1
    raise ValueError(
        f"{owner} cannot tell how X's {n_features} columns split into steps: they may be "
        f"{n_features} days of one series or fewer days of several. Pass n_columns= (the "
        "number of series per step; n_columns=1 for windows of one series), or keep "
        'WindowTransformer\'s column names by calling set_output(transform="pandas") on the '
        "pipeline, or pass 3-D X of shape (n_samples, lookback, n_columns)."
    )


def to_sequences(X: np.ndarray, lookback: int, n_columns: int) -> np.ndarray:
    """Flattened windows (newest step first) to ``(n, lookback, n_columns)``, oldest first."""
    # A fresh C-ordered copy: torch rejects the negative strides of the reversed view.
    return X.reshape(len(X), lookback, n_columns)[:, ::-1, :].copy(order="C")
