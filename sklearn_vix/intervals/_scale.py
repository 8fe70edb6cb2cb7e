"""The volatility scale of the conformity scores, known at each forecast origin.

Each residual is divided by the target's recent volatility: the mean absolute daily log
change over the last 5, 22 and 66 days, averaged, from the origin's row and earlier rows
only. A table that continues the data seen before (``preprocessing/_history.py``) takes
its first rows' history from there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..preprocessing._history import continues, next_label

__all__ = ["SCALE_WINDOWS", "VolatilityScale"]

# Weekly, monthly and quarterly windows of the local volatility scale. Chosen on the real
# VIX before 2016 (fit 1990-2009, scored 2010-2015): adding HAR's 1-day term made the
# interval score worse by 5-9 % (one day's move is mostly noise as a scale).
SCALE_WINDOWS = (5, 22, 66)


def _rolling_scale(log_level: np.ndarray) -> np.ndarray:
    changes = pd.Series(np.abs(np.diff(log_level, prepend=np.nan)))
    parts = [changes.rolling(w, min_periods=1).mean() for w in SCALE_WINDOWS]
    return pd.concat(parts, axis=1).mean(axis=1, skipna=True).to_numpy()


class VolatilityScale:
    """The recent volatility of a positive series at each row, rolled forward in time.

    Parameters
    ----------
    level : ndarray of shape (n_samples,)
        The series (the target's latest value at each origin), positive, oldest first.
    X : DataFrame or ndarray
        The table the levels come from; its index decides whether a later table
        continues it.

    Attributes
    ----------
    fitted : ndarray of shape (n_samples,)
        The scale of the rows of ``level``.
    median : float
        Median of ``fitted``: the scale of a first row without history.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.intervals._scale import VolatilityScale
    >>> scale = VolatilityScale(np.array([10.0, 11.0, 10.0, 10.0]), np.zeros((4, 1)))
    >>> scale.fitted.round(3).tolist()
    [0.095, 0.095, 0.095, 0.064]
    """

    def __init__(self, level: np.ndarray, X):
        raw = _rolling_scale(np.log(level))
        self.median = float(np.nanmedian(raw))
        self.fitted = self._floored(raw)
        self._history = np.empty(0)
        self._roll(level, X)

    def _floored(self, raw: np.ndarray) -> np.ndarray:
        # The first row of a table without history has no change yet: it gets the median
        # scale seen in fit, and a scale of exactly 0 (a flat week) gets a floor.
        return np.maximum(np.where(np.isfinite(raw), raw, self.median), 1e-3 * self.median)

    def _roll(self, level: np.ndarray, X) -> None:
        self._history = np.concatenate([self._history, level])[-max(SCALE_WINDOWS) :]
        self._next_label = next_label(X)

    def at(self, level: np.ndarray, X) -> np.ndarray:
        """The scale of each row of a later table, from it and earlier rows only."""
        history = self._history if continues(X, self._next_label) else np.empty(0)
        raw = _rolling_scale(np.log(np.concatenate([history, level])))[len(history) :]
        return self._floored(raw)

    def extend(self, level: np.ndarray, X) -> None:
        """Remember the rows of a table that continues the data seen so far."""
        self._roll(level, X)
