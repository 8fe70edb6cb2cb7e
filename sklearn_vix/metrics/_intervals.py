"""Prediction-interval metrics: coverage, width, interval score, and their scorers."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.metrics import mean_pinball_loss

from .._compat import Interval, StrOptions, validate_params
from ..base import is_interval_forecaster
from ._relative import (
    _aggregate,
)

__all__ = [
    "interval_coverage",
    "interval_pinball_loss",
    "interval_score",
    "make_interval_scorer",
    "mean_interval_width",
]


_MULTIOUTPUT = [StrOptions({"uniform_average", "raw_values"})]


_COVERAGE = [Interval(Real, 0, 1, closed="neither")]


_SCORE_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_interval": ["array-like"],
    "coverage": _COVERAGE,
    "multioutput": _MULTIOUTPUT,
}


def _check_interval(y_true, y_interval) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Truth, lower and upper bounds as (n_samples, n_steps) arrays."""
    truth = np.asarray(y_true, dtype=np.float64)
    bounds = np.asarray(y_interval, dtype=np.float64)
    truth = truth.reshape(len(truth), -1)
    if bounds.ndim == 2:
        bounds = bounds[:, None, :]
    if bounds.ndim != 3 or bounds.shape[-1] != 2 or bounds.shape[:2] != truth.shape:
        raise ValueError(
            "y_interval must have shape (n_samples, 2) or (n_samples, n_steps, 2) matching "
            f"y_true's {np.shape(y_true)}, got {np.shape(y_interval)}."
        )
    lower, upper = bounds[..., 0], bounds[..., 1]
    if np.isnan(bounds).any() or np.isnan(truth).any():
        raise ValueError("y_true and y_interval must not contain NaN.")
    return truth, lower, upper


@validate_params(
    {"y_true": ["array-like"], "y_interval": ["array-like"], "multioutput": _MULTIOUTPUT},
    prefer_skip_nested_validation=True,
)
def interval_coverage(
    y_true, y_interval, *, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """Fraction of observations inside their interval (bounds included).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed values.
    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower (``[..., 0]``) and upper (``[..., 1]``) bounds, as from
        :meth:`~sklearn_vix.ConformalForecaster.predict_interval`.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one coverage per step.

    Returns
    -------
    coverage : float or ndarray of shape (n_steps,)

    Examples
    --------
    >>> from sklearn_vix.metrics import interval_coverage
    >>> interval_coverage([1.0, 5.0], [[0.0, 2.0], [0.0, 2.0]])
    0.5
    """
    truth, lower, upper = _check_interval(y_true, y_interval)
    return _aggregate(((truth >= lower) & (truth <= upper)).mean(axis=0), multioutput)


@validate_params(
    {"y_interval": ["array-like"], "multioutput": _MULTIOUTPUT},
    prefer_skip_nested_validation=True,
)
def mean_interval_width(y_interval, *, multioutput: str = "uniform_average") -> float | np.ndarray:
    """Mean distance between the upper and the lower bound.

    Parameters
    ----------
    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower and upper bounds.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one width per step.

    Returns
    -------
    width : float or ndarray of shape (n_steps,)

    Examples
    --------
    >>> from sklearn_vix.metrics import mean_interval_width
    >>> mean_interval_width([[0.0, 2.0], [1.0, 2.0]])
    1.5
    """
    bounds = np.asarray(y_interval, dtype=np.float64)
    if bounds.ndim not in (2, 3) or bounds.shape[-1] != 2:
        raise ValueError(
            "y_interval must have shape (n_samples, 2) or (n_samples, n_steps, 2), got "
            f"{bounds.shape}."
        )
    width = (bounds[..., 1] - bounds[..., 0]).reshape(len(bounds), -1)
    return _aggregate(width.mean(axis=0), multioutput)


@validate_params(_SCORE_CONSTRAINTS, prefer_skip_nested_validation=True)
def interval_score(
    y_true, y_interval, *, coverage: float, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """Mean interval (Winkler) score of central intervals; lower is better.

    ``(u - l) + 2/alpha (l - y) 1{y < l} + 2/alpha (y - u) 1{y > u}`` with
    ``alpha = 1 - coverage`` (Gneiting and Raftery, 2007): width plus a penalty for every
    miss, proportional to its size. It equals ``2/alpha`` times the summed pinball losses
    of the bounds at levels ``alpha/2`` and ``1 - alpha/2``, which is how it is computed
    (:func:`sklearn.metrics.mean_pinball_loss`). ``scoringrules.interval_score`` gives
    the same numbers but compiles numba kernels for about 15 s when imported.

    An infinite bound (adaptive intervals may issue ``(-inf, inf)``) makes its step's
    score ``+inf``: such an interval always covers but says nothing. The same rule holds
    for :func:`interval_pinball_loss`, so their scorers never raise on it.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed values.
    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower and upper bounds.
    coverage : float
        Nominal coverage of the intervals, in (0, 1).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one score per step.

    Returns
    -------
    score : float or ndarray of shape (n_steps,)

    Examples
    --------
    >>> from sklearn_vix.metrics import interval_score
    >>> interval_score([1.0, 3.0], [[0.0, 2.0], [0.0, 2.0]], coverage=0.8)
    7.0
    """
    return _aggregate(
        _summed_pinball(y_true, y_interval, coverage) * 2.0 / (1.0 - coverage), multioutput
    )


def _summed_pinball(y_true, y_interval, coverage: float) -> np.ndarray:
    """Per step, the pinball loss of the lower bound at ``alpha/2`` plus that of the upper
    bound at ``1 - alpha/2``: the one computation behind both interval scores.

    An unbounded interval (adaptive conformal inference issues one when ``alpha_t``
    falls to 0) covers everything and is infinitely wide, so a step with any infinite
    bound scores ``+inf``. sklearn's pinball loss refuses infinite predictions, so those
    bounds are zeroed for it and the step's result is then overridden.
    """
    truth, lower, upper = _check_interval(y_true, y_interval)
    alpha = 1.0 - coverage
    unbounded = (np.isinf(lower) | np.isinf(upper)).any(axis=0)
    lower, upper = (
        np.nan_to_num(lower, posinf=0.0, neginf=0.0),
        np.nan_to_num(upper, posinf=0.0, neginf=0.0),
    )
    summed = _pinball(truth, lower, alpha / 2) + _pinball(truth, upper, 1 - alpha / 2)
    return np.where(unbounded, np.inf, summed)


def _pinball(truth, quantile, level: float) -> np.ndarray:
    return mean_pinball_loss(truth, quantile, alpha=level, multioutput="raw_values")


@validate_params(_SCORE_CONSTRAINTS, prefer_skip_nested_validation=True)
def interval_pinball_loss(
    y_true, y_interval, *, coverage: float, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """Mean pinball loss of the two bounds as the ``alpha/2`` and ``1 - alpha/2`` quantiles.

    The average of :func:`sklearn.metrics.mean_pinball_loss` of the lower bound at level
    ``(1 - coverage) / 2`` and of the upper bound at ``(1 + coverage) / 2``. It equals
    :func:`interval_score` times ``(1 - coverage) / 4`` and is computed by the same
    code, so an infinite bound makes its step's loss ``+inf`` here too.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed values.
    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower and upper bounds.
    coverage : float
        Nominal coverage of the intervals, in (0, 1).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one loss per step.

    Returns
    -------
    loss : float or ndarray of shape (n_steps,)

    Examples
    --------
    >>> from sklearn_vix.metrics import interval_pinball_loss
    >>> interval_pinball_loss([1.0, 3.0], [[0.0, 2.0], [0.0, 2.0]], coverage=0.8)
    0.35
    """
    return _aggregate(_summed_pinball(y_true, y_interval, coverage) / 2.0, multioutput)


_INTERVAL_METRICS = {
    "interval_score": (interval_score, -1.0),
    "pinball": (interval_pinball_loss, -1.0),
    "width": (mean_interval_width, -1.0),
    "coverage_error": (interval_coverage, -1.0),
}


@validate_params(
    {"metric": [StrOptions(set(_INTERVAL_METRICS))], "coverage": [*_COVERAGE, None]},
    prefer_skip_nested_validation=True,
)
def make_interval_scorer(metric: str = "interval_score", *, coverage: float | None = None):
    """A scorer of prediction intervals, for ``scoring=`` in sklearn; greater is better.

    The scorer calls ``estimator.predict_interval(X, coverage)`` of an interval
    forecaster (:func:`~sklearn_vix.base.is_interval_forecaster`, e.g.
    :class:`~sklearn_vix.ConformalForecaster`; any other estimator is a ``TypeError``)
    and returns minus
    :func:`interval_score`, minus :func:`interval_pinball_loss`, minus
    :func:`mean_interval_width`, or minus the absolute gap between
    :func:`interval_coverage` and the nominal coverage (``"coverage_error"``).

    Parameters
    ----------
    metric : {"interval_score", "pinball", "width", "coverage_error"}, \
            default="interval_score"
        What to score.
    coverage : float, default=None
        Nominal coverage; the estimator's ``coverage`` when None.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y) -> float``.

    Examples
    --------
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from sklearn_vix import ConformalForecaster, HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.metrics import make_interval_scorer
    >>> X, y = make_supervised(load_vix_sim().iloc[:1500])
    >>> scores = cross_val_score(ConformalForecaster(HARRegressor()), X, y,
    ...                          cv=TimeSeriesSplit(2), scoring=make_interval_scorer())
    >>> bool((scores < 0).all())
    True
    """
    function, sign = _INTERVAL_METRICS[metric]

    def scorer(estimator, X, y) -> float:
        if not is_interval_forecaster(estimator):
            raise TypeError(
                f"make_interval_scorer({metric!r}) scores interval forecasters (with "
                f"predict_interval and coverage); {type(estimator).__name__} is not one: "
                "wrap it in ConformalForecaster."
            )
        nominal = estimator.coverage if coverage is None else coverage
        bounds = estimator.predict_interval(X, coverage)
        if metric == "width":
            return sign * function(bounds)
        if metric == "coverage_error":
            return sign * abs(function(y, bounds) - nominal)
        return sign * function(y, bounds, coverage=nominal)

    scorer.__name__ = f"{metric}_scorer"
    return scorer
