"""Sliding windows of the last ``lookback`` rows, causally."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval
from .._validation import feature_names_in
from ..base import window_column_names
from ._history import _CausalTransformer

__all__ = ["WindowTransformer"]


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
    rule is documented in :mod:`sklearn_vix.preprocessing._history`.

    ``fit`` needs at least ``lookback`` rows (a shorter table would train on padding
    only) and raises otherwise. ``transform`` of fewer than ``lookback`` rows that do not
    continue the fit data warns, since every one of its windows is padded.

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
    history_ : ndarray of shape (lookback - 1, n_features_in_)
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
    _history_parameter = "lookback"

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
            Input names: they must equal ``feature_names_in_`` when ``fit`` saw names,
            and have ``n_features_in_`` entries otherwise. None uses the fitted names
            (``x0, x1, ...`` when there were none).

        Returns
        -------
        feature_names_out : ndarray of str
            ``lookback * n_features_in_`` names.
        """
        check_is_fitted(self)
        names = feature_names_in(self, input_features)
        return np.asarray(window_column_names(names, self.lookback), dtype=object)
