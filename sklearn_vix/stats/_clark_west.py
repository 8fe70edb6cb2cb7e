"""The Clark-West test of equal accuracy for nested models."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy import stats

from .._compat import Interval, validate_params

__all__ = ["ClarkWestResult", "clark_west"]


@dataclass(frozen=True)
class ClarkWestResult:
    """Statistic and one-sided p-value of :func:`clark_west`."""

    statistic: float
    pvalue: float
    mean_adjusted_difference: float


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred_small": ["array-like"],
        "y_pred_large": ["array-like"],
        "h": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def clark_west(y_true, y_pred_small, y_pred_large, *, h: int = 1) -> ClarkWestResult:
    """Clark-West test that a larger model nesting a smaller one forecasts better.

    When the small model is nested in the large one (persistence inside HAR, HAR inside
    HAR plus features), the large model's squared error carries the noise of estimating
    parameters that are zero under the null, so the Diebold-Mariano test favours the
    small model. Clark and West (2007) add that noise back:
    ``f(t) = e_small(t)**2 - (e_large(t)**2 - (y_small(t) - y_large(t))**2)`` and test
    ``mean(f) > 0`` with a t statistic whose standard error is Newey-West (Bartlett
    weights) over ``h - 1`` lags, against the standard normal.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The observed values.
    y_pred_small : array-like of shape (n_samples,)
        Forecasts of the nested (smaller) model, the null.
    y_pred_large : array-like of shape (n_samples,)
        Forecasts of the larger model.
    h : int, default=1
        Forecast horizon: the adjusted differences of ``h``-step forecasts are
        autocorrelated up to lag ``h - 1``.

    Returns
    -------
    result : ClarkWestResult
        A positive statistic and a small p-value: the larger model is more accurate.

    References
    ----------
    Clark, T. E. and West, K. D. (2007). Approximately normal tests for equal predictive
    accuracy in nested models. Journal of Econometrics, 138(1), 291-311.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.stats import clark_west
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=1000)
    >>> truth = 0.3 * x + rng.normal(size=1000)
    >>> result = clark_west(truth, np.zeros(1000), 0.3 * x)
    >>> bool(result.statistic > 0), bool(result.pvalue < 0.01)
    (True, True)
    """
    truth, small, large = (
        np.asarray(a, dtype=np.float64) for a in (y_true, y_pred_small, y_pred_large)
    )
    if not truth.shape == small.shape == large.shape or truth.ndim != 1:
        raise ValueError(
            "y_true, y_pred_small and y_pred_large must be 1-D of the same length, got "
            f"{truth.shape}, {small.shape} and {large.shape}."
        )
    n = len(truth)
    if not 1 <= h < n:
        raise ValueError(f"h must be between 1 and n_samples - 1, got h={h} for n={n}.")
    adjusted = (truth - small) ** 2 - ((truth - large) ** 2 - (small - large) ** 2)
    centred = adjusted - adjusted.mean()
    lags = range(1, h)
    variance = centred @ centred / n + 2 * sum(
        (1 - k / h) * (centred[k:] @ centred[: n - k]) / n for k in lags
    )
    if variance <= 0:
        raise ValueError("The adjusted differences have no variance: the forecasts are identical.")
    statistic = float(adjusted.mean() / np.sqrt(variance / n))
    return ClarkWestResult(statistic, float(stats.norm.sf(statistic)), float(adjusted.mean()))
