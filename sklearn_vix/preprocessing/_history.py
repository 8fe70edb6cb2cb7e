"""Fold continuation: completing the first rows of a test fold from the end of the fit data.

A feature of row t built from rows t-k..t (a window, a 22-day mean) is incomplete on the
first rows of any table. Under ``TimeSeriesSplit`` the test fold directly continues the
training fold, so those rows' history exists: it is the end of the data seen in ``fit``.
This module decides when a table *continues* the fit data, and never stitches otherwise.

The rule, decided from the index alone (values cannot tell whether rows are adjacent):

- integer index: the first label is the last fit label + 1;
- ``DatetimeIndex``: the first date is the last fit date + one step of the fit index's
  frequency: its ``freq`` when set; else its spacing when every step is the same; else,
  when every fit date is a weekday (business days, a trading calendar with holidays),
  one business day or the next NYSE session (:mod:`sklearn_vix.calendar`: the
  exchange's schedule is known in advance). A fold after a holiday is therefore
  stitched; a fold after any other missing day reads as a gap and is not, which is safe
  (shorter history, never later history). Stitching only ever prepends rows dated
  before the table, so it cannot bring the future in;
- any other index, or NumPy input (no index at all): never stitched.

A gap (``TimeSeriesSplit(gap=g)``) skips at least one step, so it is never stitched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._compat import _fit_context
from .._validation import check_enough_rows, validate_rows, warn_all_padded
from ..calendar import next_sessions


def next_label(X) -> object | None:
    """The index label that a table continuing ``X`` must start with, or None.

    For a weekday index (business days, or a trading calendar) it is a tuple of two
    labels: one business day later, and the next NYSE session. A fold that starts after a
    holiday continues its fit data (the exchange's schedule is known in advance), and so
    does the CBOE file's holiday row since 2022.
    """
    index = getattr(X, "index", None)
    if not isinstance(index, pd.Index) or len(index) == 0:
        return None
    if pd.api.types.is_integer_dtype(index.dtype):
        return index[-1] + 1
    if not isinstance(index, pd.DatetimeIndex):
        return None
    step = index.freq
    # In nanoseconds: a tz-aware index's values are Timestamps, whose differences NumPy
    # cannot take as one array.
    spacing = np.unique(np.diff(index.asi8))
    if step is None and len(spacing) == 1:
        step = pd.Timedelta(int(spacing[0]), unit=index.unit)
    # A week's sessions, Monday to Friday, are one day apart too: weekday rows one day
    # apart are a trading calendar, whose next row is on Monday, not Saturday.
    daily = index.freq is None and (step is None or step == pd.Timedelta(days=1))
    if daily and (index.day_of_week < 5).all():
        # The calendar's sessions are naive dates: give the session the index's zone.
        session = next_sessions(index[-1], 1)[0].tz_localize(index.tz)
        return (index[-1] + pd.offsets.BDay(), session)
    return None if step is None else index[-1] + step


def continues(X, expected_label) -> bool:
    """Whether table ``X`` starts exactly where the fit data ended."""
    index = getattr(X, "index", None)
    if expected_label is None or not isinstance(index, pd.Index) or len(index) == 0:
        return False
    if isinstance(expected_label, tuple):
        return any(bool(index[0] == label) for label in expected_label)
    return bool(index[0] == expected_label)


def with_history(X_array: np.ndarray, history: np.ndarray, stitch: bool):
    """Prepend the fit data's last rows when the table continues it.

    Returns the extended array and the number of rows prepended.
    """
    if not stitch or len(history) == 0:
        return X_array, 0
    return np.concatenate([history.astype(X_array.dtype), X_array]), len(history)


class _CausalTransformer(TransformerMixin, BaseEstimator):
    """Base of transformers whose row t is computed from rows t-k..t only.

    ``fit`` keeps the last ``k`` rows of its input; ``transform`` prepends them to a
    table that directly continues the fit data (see the rule above) and
    to nothing else.

    ``fit`` needs at least ``k + 1`` rows, so that one row has its full history and a
    continuing table is always completed in full. ``transform`` of a table that does
    not continue the fit data and has fewer rows than that warns: every one of its rows
    is padded.
    """

    # The parameter that sets how many rows of history a row needs, for error messages.
    _history_parameter: str

    def _n_history(self) -> int:
        raise NotImplementedError

    def _who(self) -> str:
        value = getattr(self, self._history_parameter)
        return f"{type(self).__name__}({self._history_parameter}={value!r})"

    def _compute(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _validate(self, X, reset: bool) -> np.ndarray:
        return validate_rows(self, X, reset=reset, dtype=[np.float64, np.float32])

    @_fit_context(prefer_skip_nested_validation=True)
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
        X_array = self._validate(X, reset=True)
        n_history = self._n_history()
        check_enough_rows(len(X_array), n_history + 1, self._who(), self._history_parameter)
        self.history_ = X_array[len(X_array) - n_history :].copy()
        self.next_label_ = next_label(X)
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
        stitch = continues(X, self.next_label_)
        if not stitch:
            warn_all_padded(len(X_array), self._n_history() + 1, self._who())
        extended, n_prefix = with_history(X_array, self.history_, stitch)
        return self._compute(extended)[n_prefix:]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
