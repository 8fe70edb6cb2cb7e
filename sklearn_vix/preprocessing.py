"""Causal feature transformers: sliding windows and HAR averages of past rows."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _history
from ._validation import check_positive, resolve_target_column

__all__ = ["HARTransformer", "WindowTransformer"]


class _CausalTransformer(TransformerMixin, BaseEstimator):
    """Base of transformers whose row t is computed from rows t-k..t only.

    ``fit`` keeps the last ``k`` rows of its input; ``transform`` prepends them to a
    table that directly continues the fit data (see :mod:`sklearn_vix._history`) and
    to nothing else.
    """

    def _n_history(self) -> int:
        raise NotImplementedError

    def _compute(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _validate(self, X, reset: bool) -> np.ndarray:
        return validate_data(
            self, X, reset=reset, dtype=[np.float64, np.float32], ensure_all_finite=True
        )

    def fit(self, X, y=None):
        """Remember the input's columns and its last rows, for continuing tables.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        self._validate_params()
        X_array = self._validate(X, reset=True)
        n_history = self._n_history()
        self.history_ = X_array[len(X_array) - min(n_history, len(X_array)) :].copy()
        self.next_label_ = _history.next_label(X)
        return self

    def transform(self, X):
        """Compute the features of every row from that row and the rows before it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows. When ``X`` is a pandas object whose index starts right
            after the fit data's, its first rows take their history from the fit data.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            One row per input row, in the same order.
        """
        check_is_fitted(self)
        X_array = self._validate(X, reset=False)
        stitch = _history.continues(X, self.next_label_)
        extended, n_prefix = _history.with_history(X_array, self.history_, stitch)
        return self._compute(extended)[n_prefix:]

    def _input_names(self) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            return [f"x{i}" for i in range(self.n_features_in_)]
        return [str(name) for name in names]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class WindowTransformer(_CausalTransformer):
    """Turn each row t of a time-ordered table into the window of rows t-lookback+1..t.

    The window is flattened to 2-D so that any scikit-learn step accepts it. Its layout
    is step-major, newest step first: the ``n_features_in_`` columns of row ``t``
    (``lag0``), then those of row ``t-1`` (``lag1``), and so on. Column ``j`` of the
    output is therefore column ``j`` of the current row, for any ``lookback``, and a
    recurrent model recovers the ``(lookback, n_columns)`` sequence by a reshape.

    Rows with incomplete history (the first ``lookback - 1`` of a table that does not
    continue the fit data) repeat their earliest available row in the missing steps
    ("edge" padding): values from the past only, and always finite.

    When ``transform`` receives a pandas table whose index starts right after the fit
    data's (the test fold after its training fold under ``TimeSeriesSplit``), its first
    windows are completed from the end of the fit data, so that every test row sees the
    history it would see in production. A table that does not continue the fit data
    (NumPy input, a gap, the fit data itself, an overlap) is never stitched to it. The
    rule is documented in :mod:`sklearn_vix._history`.

    Parameters
    ----------
    lookback : int, default=10
        Number of rows in each window, the current one included.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Input column names, when ``X`` has them.
    history_ : ndarray of shape (min(lookback - 1, n_samples), n_features_in_)
        The last rows of the fit data, used to complete a table that continues it.
    next_label_ : object or None
        Index label a continuing table must start with; None when it cannot be known.

    See Also
    --------
    HARTransformer : The daily, weekly and monthly averages of one column.
    sklearn_vix.PersistenceRegressor : Predicts column 0 of the windows, the last value.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix import WindowTransformer
    >>> X = np.arange(8.0).reshape(4, 2)
    >>> window = WindowTransformer(lookback=2).fit(X)
    >>> window.transform(X)
    array([[0., 1., 0., 1.],
           [2., 3., 0., 1.],
           [4., 5., 2., 3.],
           [6., 7., 4., 5.]])
    >>> window.get_feature_names_out().tolist()
    ['x0_lag0', 'x1_lag0', 'x0_lag1', 'x1_lag1']
    """

    _parameter_constraints: dict = {"lookback": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, lookback: int = 10):
        self.lookback = lookback

    def _n_history(self) -> int:
        return self.lookback - 1

    def _compute(self, X: np.ndarray) -> np.ndarray:
        rows = np.arange(len(X))[:, None] - np.arange(self.lookback)[None, :]
        return X[np.maximum(rows, 0)].reshape(len(X), -1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names ``{column}_lag{k}``, step-major with ``lag0`` (the current row) first.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored apart from validation; the fitted names are used.

        Returns
        -------
        feature_names_out : ndarray of str
            ``lookback * n_features_in_`` names.
        """
        check_is_fitted(self)
        names = self._input_names()
        return np.asarray(
            [f"{name}_lag{k}" for k in range(self.lookback) for name in names],
            dtype=object,
        )


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
        Lengths of the averages, in rows.

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

    _parameter_constraints: dict = {
        "target_column": [Integral, str],
        "log": ["boolean"],
        "windows": [tuple, list],
    }

    def __init__(self, target_column: int | str = 0, log: bool = False, windows=(1, 5, 22)):
        self.target_column = target_column
        self.log = log
        self.windows = windows

    def _check_windows(self) -> None:
        if len(self.windows) == 0 or any(
            not isinstance(k, Integral) or isinstance(k, bool) or k < 1 for k in self.windows
        ):
            raise ValueError(
                f"windows must be a non-empty tuple of positive integers, got {self.windows!r}."
            )

    def _n_history(self) -> int:
        self._check_windows()
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
            Ignored; the fitted names are used.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        name = self._input_names()[self.target_index_]
        prefix = "log_" if self.log else ""
        return np.asarray([f"{prefix}{name}_mean{k}" for k in self.windows], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = self.log
        return tags
