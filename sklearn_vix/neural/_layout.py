"""The window layout (lookback, n_columns) of flattened windows, found from the column names
or from the data, so that the user does not have to repeat it."""

from __future__ import annotations

import warnings

import numpy as np

from ..base import parse_window_column, window_column_names
from ..preprocessing import calendar_step


def _layout_from_names(names) -> tuple[int, int] | None:
    parsed = [parse_window_column(name) for name in names]
    if not all(parsed):
        return None
    columns = [column for column, lag in parsed if lag == 0]
    if not columns or len(names) % len(columns):
        raise ValueError(
            "X's column names look like WindowTransformer windows ('{column}_lag{k}') but "
            f"do not form complete windows: {list(names)[:6]} ..."
        )
    lookback = len(names) // len(columns)
    expected = window_column_names(columns, lookback)
    if [str(name) for name in names] != expected:
        raise ValueError(
            "X's window columns are not in WindowTransformer's order (step-major, lag0 "
            f"first): expected {expected[:4]} ..., got {list(names)[:4]} ..."
        )
    return lookback, len(columns)


def known_future_shape(feature_names) -> tuple[int, int]:
    """``(horizon, n_known)`` of the trailing known-future calendar columns; (0, 0) if none.

    :class:`~sklearn_vix.preprocessing.CalendarTransformer` names them
    ``{feature}_step{k}``, step-major, the same features for every step k = 1..horizon;
    ``make_forecaster`` puts them after the window. Anywhere else, or laid out otherwise,
    they are an error, never a window column.
    """
    if feature_names is None:
        return 0, 0
    steps = [calendar_step(name) for name in feature_names]
    n_total = sum(step is not None for step in steps)
    if any(step is not None for step in steps[: len(steps) - n_total]):
        raise ValueError(
            "X's known-future calendar columns ('{feature}_step{k}') must come after the "
            f"window columns, as make_forecaster lays them out; got {list(feature_names)}."
        )
    if not n_total:
        return 0, 0
    names = [str(name) for name in feature_names[len(steps) - n_total :]]
    horizon = max(steps[len(steps) - n_total :])
    n_known = n_total // horizon
    features = [name.rpartition("_step")[0] for name in names[:n_known]]
    expected = [f"{feature}_step{k}" for k in range(1, horizon + 1) for feature in features]
    if names != expected:
        raise ValueError(
            "X's known-future calendar columns must be the same features for every step "
            "1..horizon, step-major, as CalendarTransformer names them: expected "
            f"{expected[:4]} ..., got {names[:4]} ..."
        )
    return horizon, n_known


# A column that is an affine copy of another, shifted by one row, correlates with it to
# within float rounding (~1e-12 in float64); unrelated columns stay far from 1.
_SHIFT_TOLERANCE = 1e-6
# Fewer row pairs than this prove nothing: two points always lie on a line.
_MIN_ROW_PAIRS = 3


def _is_shifted_copy(later: np.ndarray, earlier: np.ndarray) -> bool:
    """Whether every column of ``later`` is an affine map of the same column of ``earlier``
    (columns constant in both agree; at least one column must vary)."""
    # Constant columns are found on the raw values: a scaler maps equal values to equal
    # values, where centring may leave rounding noise.
    constant_later = np.ptp(later, axis=0) == 0
    constant_earlier = np.ptp(earlier, axis=0) == 0
    if np.any(constant_later != constant_earlier) or np.all(constant_later):
        return False
    varying = ~constant_later
    later = later[:, varying] - later[:, varying].mean(axis=0)
    earlier = earlier[:, varying] - earlier[:, varying].mean(axis=0)
    products = np.einsum("ij,ij->j", later, earlier)
    spreads = np.sqrt(np.einsum("ij,ij->j", later, later) * np.einsum("ij,ij->j", earlier, earlier))
    return bool(np.all(np.abs(products) > (1 - _SHIFT_TOLERANCE) * spreads))


def _layout_from_data(X: np.ndarray) -> tuple[int, int] | None:
    """The layout that the rows of ``X`` prove, or None.

    In a window table, column (lag k+1, series s) on row t is column (lag k, series s) on
    row t-1, and a per-column affine map (a scaler) keeps the two perfectly correlated.
    The smallest ``n_columns`` under which every such pair is perfectly correlated is
    the layout; a larger one pairs a lag with the wrong lag, a smaller one a series with
    another. The edge padding of :class:`~sklearn_vix.WindowTransformer` (the earliest
    row repeated) keeps the identity, so every row takes part. Shuffled rows, columns
    mixed by a projection, or features that are not windows prove nothing.
    """
    n_samples, n_features = X.shape
    if n_samples - 1 < _MIN_ROW_PAIRS:
        return None
    X = np.asarray(X, dtype=np.float64)
    for n_columns in range(1, n_features // 2 + 1):
        if n_features % n_columns:
            continue
        if _is_shifted_copy(X[1:, n_columns:], X[:-1, :-n_columns]):
            return n_features // n_columns, n_columns
    return None


def window_layout(
    X: np.ndarray, feature_names=None, n_columns=None, owner: str = "The net", warn=True
) -> tuple[int, int]:
    """The ``(lookback, n_columns)`` shape of the flattened windows ``X``.

    In order: an explicit ``n_columns``; column names from
    :class:`~sklearn_vix.WindowTransformer` (``vix_lag0, sp500_return_lag0, vix_lag1,
    ...``); a single feature (one step of one series); the layout the rows prove
    (:func:`_layout_from_data`). When nothing proves one (random features, a projection
    such as a PCA before the net, shuffled rows), each row is read as the window of one
    series, the reading the nets have always had for plain 2-D windows, and a warning
    (unless ``warn`` is False) names ``n_columns=``.
    """
    n_features = X.shape[1]
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
    layout = _layout_from_data(X)
    if layout is not None:
        return layout
    if warn:
        warnings.warn(
            f"{owner} found no window layout in X's {n_features} columns (no step size "
            "makes each lag the previous row's lag one step earlier: the rows may be "
            "shuffled, or the columns transformed or not windows), so it reads each row "
            f"as {n_features} days of one series. If the windows hold several series, "
            "pass n_columns= (the number of series per step) or 3-D X of shape "
            "(n_samples, lookback, n_columns).",
            UserWarning,
            stacklevel=4,
        )
    return n_features, 1


def to_sequences(X: np.ndarray, lookback: int, n_columns: int) -> np.ndarray:
    """Flattened windows (newest step first) to ``(n, lookback, n_columns)``, oldest first."""
    # A fresh C-ordered copy: torch rejects the negative strides of the reversed view.
    return X.reshape(len(X), lookback, n_columns)[:, ::-1, :].copy(order="C")
