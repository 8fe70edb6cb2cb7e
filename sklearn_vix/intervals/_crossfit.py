"""Out-of-sample forecasts of the calibration rows, in time order, with the horizon purged.

Each calibration block is forecast by a model fitted on earlier rows only; the
``horizon - 1`` rows before the block, whose targets reach into it, are purged from the
training rows. Their *features* are known at the block's origins, so the block is
predicted in one call on the rows that continue the training rows, the purged ones
included, as :func:`~sklearn_vix.model_selection.backtest` does: the first windows of the
block then hold the history the model would have had, not padding.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit

from .._compat import _safe_indexing

__all__ = ["calibration_splits", "out_of_fold_forecasts"]


def calibration_splits(n: int, purge: int, method: str, n_splits: int, calibration_size: float):
    """(training rows, calibration rows) pairs, each training block purged of ``purge`` rows.

    Examples
    --------
    >>> from sklearn_vix.intervals._crossfit import calibration_splits
    >>> [(int(tr[-1]), int(te[0])) for tr, te in calibration_splits(100, 2, "cross", 4, 0.2)]
    [(17, 20), (37, 40), (57, 60), (77, 80)]
    """
    if method == "split":
        n_cal = int(calibration_size * n)
        n_train = n - n_cal - purge
        if n_train < 2:
            raise ValueError(
                f"calibration_size={calibration_size} leaves {max(n_train, 0)} "
                f"training rows of {n}: lower calibration_size or pass more rows."
            )
        return [(np.arange(n_train), np.arange(n - n_cal, n))]
    if n - purge <= n_splits:
        raise ValueError(
            f"method='cross' with n_splits={n_splits} needs more than "
            f"{n_splits + purge} rows, got {n} samples: pass more rows or lower n_splits."
        )
    return list(TimeSeriesSplit(n_splits, gap=purge).split(np.empty((n, 1))))


def _point_forecast(model, X) -> np.ndarray:
    return np.asarray(model.predict(X), dtype=np.float64).reshape(len(X), -1)


def out_of_fold_forecasts(estimator, X, y, splits, predict=_point_forecast):
    """Forecast each calibration block with a clone fitted on its training rows.

    ``predict(model, X)`` gives one row of outputs per row of ``X`` (by default the
    point forecast, one column per step). Returns the outputs of every block,
    concatenated, and the last fitted clone.
    """
    forecasts, model = [], None
    for train, test in splits:
        model = clone(estimator).fit(_safe_indexing(X, train), _safe_indexing(y, train))
        # The training rows are a prefix: the block starts right after them.
        block = np.arange(train[-1] + 1, test[-1] + 1)
        prediction = predict(model, _safe_indexing(X, block))
        forecasts.append(prediction[len(block) - len(test) :])
    return np.concatenate(forecasts), model
