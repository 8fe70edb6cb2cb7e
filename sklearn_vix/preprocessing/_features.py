"""Row-wise features of the VIX frame: logs of chosen columns, and the daily range.

Each output row is computed from the same input row only (and, for the range's scaling,
from statistics of the fit data), so no row ever sees a later one.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._compat import StrOptions, _fit_context
from .._validation import check_positive, feature_names_in

__all__ = ["DailyRangeTransformer", "LogTransformer"]


class LogTransformer(TransformerMixin, BaseEstimator):
    """Natural logarithm of chosen columns; the other columns pass through unchanged.

    The VIX is positive and its log is close to Gaussian and additive in shocks: nets
    and linear models forecast it better in logs (see the user guide). A non-positive
    value is an error naming its column and row, never a ``-inf`` further down.

    Parameters
    ----------
    columns : list of str or int, or None, default=None
        Names or positions of the columns to log; None logs every column.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Input column names, when ``X`` has them.
    log_mask_ : ndarray of bool of shape (n_features_in_,)
        Which columns are logged.

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : Any function of every column.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn_vix.preprocessing import LogTransformer
    >>> X = pd.DataFrame({"vix": [np.e, 1.0], "sp500_return": [-0.01, 0.02]})
    >>> log = LogTransformer(columns=["vix"]).set_output(transform="pandas")
    >>> log.fit_transform(X)
       log_vix  sp500_return
    0      1.0         -0.01
    1      0.0          0.02
    """

    _parameter_constraints: dict = {"columns": [list, tuple, None]}

    def __init__(self, columns=None):
        self.columns = columns

    def _mask(self) -> np.ndarray:
        if self.columns is None:
            return np.ones(self.n_features_in_, dtype=bool)
        names = feature_names_in(self)
        mask = np.zeros(self.n_features_in_, dtype=bool)
        for column in self.columns:
            if isinstance(column, str) and column in names:
                mask[names.index(column)] = True
            elif isinstance(column, Integral) and -len(names) <= column < len(names):
                mask[column] = True
            else:
                raise ValueError(
                    f"LogTransformer(columns={list(self.columns)!r}): {column!r} is not a "
                    f"column of X, whose columns are {names}."
                )
        return mask

    def _check(self, X: np.ndarray) -> None:
        names = feature_names_in(self)
        for j in np.flatnonzero(self.log_mask_):
            check_positive(X[:, j], f"column {names[j]!r}")

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check that the chosen columns exist and are positive.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        self.log_mask_ = self._mask()
        self._check(X)
        return self

    def transform(self, X):
        """Log the chosen columns of every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32], copy=True)
        self._check(X)
        X[:, self.log_mask_] = np.log(X[:, self.log_mask_])
        return X

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``log_{name}`` for the logged columns, the input name for the others.

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
        return np.asarray(
            [
                f"log_{name}" if logged else name
                for name, logged in zip(
                    feature_names_in(self, input_features), self.log_mask_, strict=True
                )
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class DailyRangeTransformer(TransformerMixin, BaseEstimator):
    """The VIX's own daily range ``log(high / low)``, with its unrecorded days handled.

    The range measures the volatility of volatility within the day. CBOE's history
    records only the close before September 2004 (OPEN, HIGH and LOW equal CLOSE), so
    the range is exactly 0 on those days: a zero range means *not recorded*, not calm.
    A model trained only on such days has never seen a range and would meet one at test
    time with untrained weights; ``missing`` says how to keep that safe.

    Parameters
    ----------
    missing : {"standardize", "indicator", "zero"}, default="standardize"
        - ``"standardize"``: recorded ranges are standardized with the mean and standard
          deviation of the recorded ranges of the fit data, and unrecorded days are 0
          (the recorded mean). When the fit data holds no recorded range the output is
          0 on every row, at fit and at transform: the feature enters only once it has
          history. One column, ``log_range``.
        - ``"indicator"``: the raw range (0 when unrecorded) and a column
          ``range_recorded`` (1.0 or 0.0).
        - ``"zero"``: the raw range, 0 when unrecorded.

    Attributes
    ----------
    n_features_in_ : int
        2: the high and the low.
    feature_names_in_ : ndarray of shape (2,)
        Input column names, when ``X`` has them.
    n_recorded_ : int
        Number of fit rows with a recorded (non-zero) range.
    mean_, scale_ : float
        Mean and standard deviation of the recorded log ranges of the fit data (0 and 1
        when there are fewer than two).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.preprocessing import DailyRangeTransformer
    >>> X = pd.DataFrame({"high": [20.0, 22.0, 24.0], "low": [20.0, 20.0, 20.0]})
    >>> DailyRangeTransformer(missing="indicator").fit_transform(X).round(4)
    array([[0.    , 0.    ],
           [0.0953, 1.    ],
           [0.1823, 1.    ]])
    """

    _parameter_constraints: dict = {
        "missing": [StrOptions({"standardize", "indicator", "zero"})],
    }

    def __init__(self, missing: str = "standardize"):
        self.missing = missing

    def _columns(self) -> tuple[int, int]:
        names = getattr(self, "feature_names_in_", None)
        if names is not None and {"high", "low"} <= set(map(str, names)):
            names = [str(name) for name in names]
            return names.index("high"), names.index("low")
        return 0, 1

    def _log_range(self, X) -> np.ndarray:
        high_j, low_j = self._columns()
        names = feature_names_in(self)
        high, low = X[:, high_j], X[:, low_j]
        check_positive(high, f"column {names[high_j]!r} (high)")
        check_positive(low, f"column {names[low_j]!r} (low)")
        inverted = high < low
        if inverted.any():
            row = int(np.argmax(inverted))
            raise ValueError(
                f"The daily high is below the low at row {row} ({high[row]} < {low[row]}): "
                f"pass the high then the low, or name the columns 'high' and 'low'."
            )
        return np.log(high / low)

    def _validate(self, X, reset: bool) -> np.ndarray:
        X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
        if X.shape[1] != 2:
            raise ValueError(
                f"DailyRangeTransformer takes two columns, the daily high and low, got "
                f"{X.shape[1]}: select them, e.g. ColumnTransformer([('range', "
                f"DailyRangeTransformer(), ['high', 'low'])])."
            )
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the mean and spread of the recorded ranges of the fit data.

        Parameters
        ----------
        X : array-like of shape (n_samples, 2)
            The daily high and low (columns named ``high`` and ``low``, or in that order).
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        log_range = self._log_range(self._validate(X, reset=True))
        recorded = log_range[log_range > 0]
        self.n_recorded_ = len(recorded)
        self.mean_ = float(recorded.mean()) if len(recorded) > 1 else 0.0
        scale = float(recorded.std()) if len(recorded) > 1 else 0.0
        self.scale_ = scale if scale > 0 else 1.0
        return self

    def transform(self, X):
        """The log range of every row, from that row only.

        Parameters
        ----------
        X : array-like of shape (n_samples, 2)

        Returns
        -------
        X_out : ndarray of shape (n_samples, 1) or (n_samples, 2)
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        log_range = self._log_range(X)
        recorded = log_range > 0
        if self.missing == "indicator":
            return np.column_stack([log_range, recorded.astype(X.dtype)])
        if self.missing == "zero":
            return log_range[:, None]
        if self.n_recorded_ < 2:
            return np.zeros((len(X), 1), dtype=X.dtype)
        return np.where(recorded, (log_range - self.mean_) / self.scale_, 0.0)[:, None].astype(
            X.dtype, copy=False
        )

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``log_range``, plus ``range_recorded`` with ``missing="indicator"``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Validated as for any transformer (equal to ``feature_names_in_`` when
            ``fit`` saw names, two entries otherwise); the output names do not depend
            on it.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        feature_names_in(self, input_features)
        names = ["log_range", "range_recorded"] if self.missing == "indicator" else ["log_range"]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
