"""The Diebold-Mariano test of equal predictive accuracy."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy import stats

from .._compat import Interval, StrOptions, validate_params
from ..metrics import qlike_loss

__all__ = ["DieboldMarianoResult", "diebold_mariano"]


@dataclass(frozen=True)
class DieboldMarianoResult:
    """Statistic and p-value of :func:`diebold_mariano`.

    Attributes
    ----------
    statistic : float
        The HLN-corrected statistic; negative when model 1 has the smaller loss.
    pvalue : float
        Its p-value against a Student t with ``n - 1`` degrees of freedom.
    mean_loss_difference : float
        Mean of ``L1(t) - L2(t)``.
    h : int
        The horizon the variance and the correction used: the ``h`` asked for, or 1
        where its variance was not positive (see :func:`diebold_mariano`).
    """

    statistic: float
    pvalue: float
    mean_loss_difference: float
    h: int


@validate_params(
    {
        "errors_1": ["array-like"],
        "errors_2": ["array-like"],
        "h": [Interval(Integral, 1, None, closed="left")],
        "loss": [StrOptions({"squared", "absolute", "qlike"})],
        "y_true": ["array-like", None],
        "alternative": [StrOptions({"two-sided", "less", "greater"})],
    },
    prefer_skip_nested_validation=True,
)
def diebold_mariano(
    errors_1,
    errors_2,
    *,
    h: int = 1,
    loss: str = "squared",
    y_true=None,
    alternative: str = "two-sided",
) -> DieboldMarianoResult:
    """Diebold-Mariano test of equal accuracy, with the Harvey-Leybourne-Newbold correction.

    ``d(t) = L1(t) - L2(t)`` is the difference of the two models' losses. Its mean is
    divided by a HAC standard error that sums the autocovariances of ``d`` up to lag
    ``h-1`` (the dependence of ``h``-step forecast errors), the statistic is multiplied
    by Harvey, Leybourne and Newbold's (1997) small-sample factor
    ``sqrt((n + 1 - 2h + h(h-1)/n) / n)`` and compared with a Student t with ``n-1``
    degrees of freedom: the test of R's ``forecast::dm.test``.

    This rectangular sum of autocovariances can be negative at ``h > 1`` for distinct
    forecasts (loss differences with a lag-1 autocorrelation below -0.5 at ``h=2``).
    As ``dm.test`` does, the test then warns and is computed with ``h=1``, variance and
    correction alike; ``result.h`` says which horizon was used.

    Parameters
    ----------
    errors_1, errors_2 : array-like of shape (n_samples,)
        Forecast errors (forecast minus observed) of two models on the same rows, in
        time order.
    h : int, default=1
        Forecast horizon of the errors.
    loss : {"squared", "absolute", "qlike"}, default="squared"
        ``e**2``, ``|e|``, or QLIKE of the forecast ``y_true + e`` as a forecast of the
        variance ``y_true**2`` (:func:`~sklearn_vix.metrics.qlike_loss`), which needs
        ``y_true``.
    y_true : array-like of shape (n_samples,), default=None
        The observed values; required with ``loss="qlike"``.
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        "less": model 1 is more accurate (its loss is smaller).

    Returns
    -------
    result : DieboldMarianoResult
        A negative statistic means model 1 has the smaller loss.

    Warns
    -----
    UserWarning
        When the variance at ``h > 1`` is not positive and the test falls back to
        ``h=1``.

    References
    ----------
    Diebold, F. X. and Mariano, R. S. (1995). Comparing predictive accuracy. Journal of
    Business & Economic Statistics, 13(3), 253-263.

    Harvey, D., Leybourne, S. and Newbold, P. (1997). Testing the equality of prediction
    mean squared errors. International Journal of Forecasting, 13(2), 281-291.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.stats import diebold_mariano
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.normal(size=500)
    >>> good, bad = truth - rng.normal(0, 0.5, 500), truth - rng.normal(0, 1.0, 500)
    >>> diebold_mariano(good - truth, bad - truth).pvalue < 0.01
    True
    >>> vix = 20 + rng.gamma(2.0, 3.0, 500)
    >>> e_good, e_bad = rng.normal(0, 1.0, 500), rng.normal(0, 3.0, 500)
    >>> bool(diebold_mariano(e_good, e_bad, loss="qlike", y_true=vix).statistic < 0)
    True
    """
    e1 = np.asarray(errors_1, dtype=np.float64)
    e2 = np.asarray(errors_2, dtype=np.float64)
    if e1.shape != e2.shape or e1.ndim != 1:
        raise ValueError(
            f"errors_1 and errors_2 must be 1-D of the same length, got {e1.shape} and {e2.shape}."
        )
    n = len(e1)
    if not 1 <= h < n:
        raise ValueError(f"h must be between 1 and n_samples - 1, got h={h} for n={n}.")
    d = _losses(e1, loss, y_true) - _losses(e2, loss, y_true)
    variance = _long_run_variance(d, h)
    if variance <= 0 and h > 1:
        # R's forecast::dm.test: the rectangular kernel is not positive definite, and
        # its estimate of the variance of mean(d) can be negative; it reverts to h=1.
        warnings.warn(
            f"The variance of the mean loss difference is not positive at h={h} "
            f"({variance:.3g}): using horizon h=1, as R's forecast::dm.test does.",
            UserWarning,
            stacklevel=3,  # the caller, past validate_params' wrapper
        )
        h, variance = 1, _long_run_variance(d, 1)
    if variance <= 0:
        raise ValueError(
            "The loss differences have no variance: the forecasts are identical, or their "
            "losses differ by the same amount on every row."
        )
    correction = np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    statistic = float(d.mean() / np.sqrt(variance) * correction)
    if alternative == "two-sided":
        pvalue = 2 * stats.t.sf(abs(statistic), df=n - 1)
    elif alternative == "less":
        pvalue = stats.t.cdf(statistic, df=n - 1)
    else:
        pvalue = stats.t.sf(statistic, df=n - 1)
    return DieboldMarianoResult(statistic, float(pvalue), float(d.mean()), h)


def _long_run_variance(d: np.ndarray, h: int) -> float:
    """Variance of ``mean(d)``: autocovariances (divided by ``n``) up to lag ``h - 1``,
    unweighted, over ``n``; ``d.var`` of R's ``dm.test``."""
    n = len(d)
    centred = d - d.mean()
    autocovariances = [centred[k:] @ centred[: n - k] / n for k in range(h)]
    return float((autocovariances[0] + 2 * sum(autocovariances[1:])) / n)


def _losses(errors: np.ndarray, loss: str, y_true) -> np.ndarray:
    if loss == "squared":
        return errors**2
    if loss == "absolute":
        return np.abs(errors)
    if y_true is None:
        raise ValueError(
            "loss='qlike' scores the forecasts y_true + errors: pass y_true, the observed values."
        )
    truth = np.asarray(y_true, dtype=np.float64)
    if truth.shape != errors.shape:
        raise ValueError(f"y_true must have the errors' shape {errors.shape}, got {truth.shape}.")
    return qlike_loss(truth, truth + errors)
