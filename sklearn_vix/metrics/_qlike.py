"""QLIKE, the volatility literature's loss, scoring a forecast of VIX as one of VIX^2."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import make_scorer
from sklearn.utils.validation import check_consistent_length

from .._compat import StrOptions, validate_params
from .._validation import check_positive
from ._relative import (
    _aggregate,
)

__all__ = ["qlike", "qlike_loss", "qlike_scorer"]


def qlike_loss(y_true, y_pred) -> np.ndarray:
    """QLIKE of each forecast, with the squared VIX as the variance and its proxy.

    ``ratio - log(ratio) - 1`` with ``ratio = y_true**2 / y_pred**2``: 0 for a perfect
    forecast, positive otherwise, and larger for forecasts that are too low than too
    high by the same amount. Patton (2011) shows that, among the usual losses, QLIKE and
    the squared error are the ones that rank forecasts of a variance the same way with
    a noisy proxy as with the true variance, and QLIKE is the less sensitive to the
    proxy's outliers.

    Parameters
    ----------
    y_true, y_pred : array-like of the same shape
        Observed and forecast VIX levels (positive).

    Returns
    -------
    loss : ndarray of the same shape

    References
    ----------
    Patton, A. J. (2011). Volatility forecast comparison using imperfect volatility
    proxies. Journal of Econometrics, 160(1), 246-256.

    Examples
    --------
    >>> from sklearn_vix.metrics import qlike_loss
    >>> qlike_loss([20.0, 20.0, 20.0], [20.0, 18.0, 22.0]).round(4)
    array([0.    , 0.0238, 0.0171])
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}."
        )
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        check_positive(values, f"{name} (QLIKE scores positive VIX levels)")
    ratio = (y_true / y_pred) ** 2
    return ratio - np.log(ratio) - 1.0


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "multioutput": [StrOptions({"uniform_average", "raw_values"})],
    },
    prefer_skip_nested_validation=True,
)
def qlike(y_true, y_pred, *, multioutput: str = "uniform_average") -> float | np.ndarray:
    """Mean QLIKE loss of VIX forecasts, with VIX^2 as the variance proxy (lower is better).

    The standard loss for comparing volatility forecasts: robust to the noise of the
    proxy, and it penalises forecasts that are too low more than forecasts too high
    (:func:`qlike_loss` gives it per row).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed and forecast VIX levels (positive).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average the per-step losses or return one per step.

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from sklearn_vix.metrics import qlike
    >>> round(qlike([20.0, 25.0], [20.0, 25.0]), 6)
    0.0
    >>> round(qlike([20.0, 25.0], [22.0, 22.0]), 4)
    0.0264
    """
    check_consistent_length(y_true, y_pred)
    losses = qlike_loss(y_true, y_pred)
    return _aggregate(np.atleast_1d(losses.mean(axis=0)), multioutput)


# For ``scoring=`` in sklearn's tools: minus the mean QLIKE (greater is better).
qlike_scorer = make_scorer(qlike, greater_is_better=False)
