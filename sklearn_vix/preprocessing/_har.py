"""The heterogeneous autoregressive (HAR) features: daily, weekly and monthly averages."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._validation import (
    _DistinctPositiveIntegers,
    check_positive,
    feature_names_in,
    resolve_target_column,
)
from ._history import _CausalTransformer

__all__ = ["HARTransformer"]

# The parameters of the HAR features, shared with HARRegressor, which builds them.
HAR_PARAMETER_CONSTRAINTS: dict = {
    "target_column": [Integral, str],
    "log": ["boolean"],
    "windows": [_DistinctPositiveIntegers()],
}


class HARTransformer(_CausalTransformer):
    """The heterogeneous autoregressive (HAR) features of one column: its daily value and
    its averages over the last 5 and 22 days (Corsi, 2009).

    Averages over rows t-k+1..t only; a row with fewer than ``k`` rows of history
    averages the rows it has. A table that continues the fit data takes its history from
    the end of the fit data, with the same rule as :class:`WindowTransformer`.

    Parameters
    ----------
    target_column : int or str, default=0
        Position or name of the column to average (``"vix"`` also matches
        ``"vix_lag0"``).
    log : bool, default=False
        Average the logarithm of the column (the column must be positive).
    windows : tuple of int, default=(1, 5, 22)
        Lengths of the averages, in rows (distinct, positive). ``fit`` needs at least
        ``max(windows)`` rows.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Input column names, when ``X`` has them.
    history_ : ndarray
        The last ``max(windows) - 1`` rows of the fit data.
    next_label_ : object or None
        Index label a continuing table must start with.

    References
    ----------
    Corsi, F. (2009). A simple approximate long-memory model of realized volatility.
    Journal of Financial Econometrics, 7(2), 174-196.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix import HARTransformer
    >>> X = np.arange(1.0, 7.0).reshape(-1, 1)
    >>> HARTransformer(windows=(1, 3)).fit_transform(X)
    array([[1. , 1. ],
           [2. , 1.5],
           [3. , 2. ],
           [4. , 3. ],
           [5. , 4. ],
           [6. , 5. ]])
    """

    _parameter_constraints: dict = HAR_PARAMETER_CONSTRAINTS
    _history_parameter = "windows"

    def __init__(self, target_column: int | str = 0, log: bool = False, windows=(1, 5, 22)):
        self.target_column = target_column
        self.log = log
        self.windows = windows

    def _n_history(self) -> int:
        return max(self.windows) - 1

    def _validate(self, X, reset: bool) -> np.ndarray:
        X_array = super()._validate(X, reset)
        if reset:
            self.target_index_ = resolve_target_column(self, self.target_column)
        if self.log:
            check_positive(X_array[:, self.target_index_], f"column {self.target_column!r}")
        return X_array

    def _compute(self, X: np.ndarray) -> np.ndarray:
        series = X[:, self.target_index_]
        if self.log:
            series = np.log(series)
        cumulative = np.concatenate([[0.0], np.cumsum(series, dtype=np.float64)])
        rows = np.arange(1, len(series) + 1)
        columns = []
        for k in self.windows:
            start = np.maximum(rows - k, 0)
            columns.append((cumulative[rows] - cumulative[start]) / (rows - start))
        return np.column_stack(columns).astype(X.dtype, copy=False)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names ``{log_}{column}_mean{k}`` for each window length ``k``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input names: they must equal ``feature_names_in_`` when ``fit`` saw names,
            and have ``n_features_in_`` entries otherwise. None uses the fitted names
            (``x0, x1, ...`` when there were none).

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        name = feature_names_in(self, input_features)[self.target_index_]
        prefix = "log_" if self.log else ""
        return np.asarray([f"{prefix}{name}_mean{k}" for k in self.windows], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = self.log
        return tags
