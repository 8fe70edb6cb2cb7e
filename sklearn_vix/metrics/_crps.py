"""Scores of whole forecast distributions: the pinball score, the CRPS, and their scorer.

The continuous ranked probability score (CRPS) of a forecast distribution ``F`` at the
outcome ``y`` is ``integral (F(x) - 1{y <= x})^2 dx``, in the target's units, lower is
better; for a point forecast it is the absolute error. It is also twice the integral
over levels ``q`` of the pinball loss of ``F``'s ``q``-quantile (Gneiting and Raftery,
2007; Laio and Tamea, 2007), which is how it is computed from a set of quantiles.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from scipy.stats import norm

from .._compat import StrOptions, validate_params
from .._validation import check_quantiles
from ..base import is_quantile_forecaster
from ._relative import _aggregate

__all__ = [
    "crps_from_quantiles",
    "crps_gaussian",
    "is_crps_grid",
    "make_quantile_scorer",
    "mean_pinball_score",
]

_MULTIOUTPUT = [StrOptions({"uniform_average", "raw_values"})]

_QUANTILE_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_quantiles": ["array-like"],
    "quantiles": ["array-like"],
    "multioutput": _MULTIOUTPUT,
}


def _check_quantile_forecast(y_true, y_quantiles, quantiles):
    """Truth as (n_samples, n_steps), quantiles as (n_samples, n_steps, n_quantiles)."""
    levels = check_quantiles(quantiles)
    truth = np.asarray(y_true, dtype=np.float64)
    values = np.asarray(y_quantiles, dtype=np.float64)
    truth = truth.reshape(len(truth), -1)
    if values.ndim == 2:
        values = values[:, None, :]
    if values.ndim != 3 or values.shape != (*truth.shape, len(levels)):
        raise ValueError(
            f"y_quantiles must have shape (n_samples, {len(levels)}) or (n_samples, n_steps, "
            f"{len(levels)}) matching y_true's {np.shape(y_true)} and the {len(levels)} "
            f"quantiles, got {np.shape(y_quantiles)}."
        )
    if np.isnan(values).any() or np.isnan(truth).any():
        raise ValueError("y_true and y_quantiles must not contain NaN.")
    return truth, values, levels


def _pinball(truth: np.ndarray, values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Pinball loss of every sample, step and level.

    An infinite quantile (a conformal distribution's unresolved tail) costs ``+inf``:
    ``max(q (y - v), (q - 1)(y - v))`` is infinite, never NaN, for a level in (0, 1).
    """
    error = truth[..., None] - values
    return np.maximum(levels * error, (levels - 1.0) * error)


@validate_params(_QUANTILE_CONSTRAINTS, prefer_skip_nested_validation=True)
def mean_pinball_score(
    y_true, y_quantiles, quantiles, *, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """Pinball (quantile) loss of a set of quantile forecasts, averaged over levels.

    At each level ``q``, :func:`sklearn.metrics.mean_pinball_loss` of the ``q``-quantile
    forecast, ``q (y - v)`` when ``y >= v`` and ``(1 - q)(v - y)`` otherwise, averaged
    over samples and then over levels; lower is better. An infinite quantile scores its
    step ``+inf``, as an infinite bound does in :func:`interval_score`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed values.
    y_quantiles : array-like of shape (n_samples, n_quantiles) or \
            (n_samples, n_steps, n_quantiles)
        The forecast quantiles, as from ``predict_quantiles(X, quantiles)``.
    quantiles : array-like of shape (n_quantiles,)
        Their levels, increasing, in (0, 1).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one score per step.

    Returns
    -------
    score : float or ndarray of shape (n_steps,)

    See Also
    --------
    crps_from_quantiles : Twice this score on an evenly spaced grid of levels.

    Examples
    --------
    >>> from sklearn_vix.metrics import mean_pinball_score
    >>> mean_pinball_score([1.0, 3.0], [[0.0, 2.0], [0.0, 2.0]], [0.1, 0.9])
    0.35
    """
    truth, values, levels = _check_quantile_forecast(y_true, y_quantiles, quantiles)
    return _aggregate(_pinball(truth, values, levels).mean(axis=(0, 2)), multioutput)


def is_crps_grid(quantiles) -> bool:
    """Whether :func:`crps_from_quantiles` reads the CRPS from these levels: increasing,
    evenly spaced and symmetric about 0.5 (a single level passes).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.metrics import is_crps_grid
    >>> is_crps_grid(np.arange(1, 20) / 20), is_crps_grid([0.05, 0.25, 0.5, 0.75, 0.95])
    (True, False)
    """
    levels = check_quantiles(quantiles)
    steps = np.diff(levels)
    return len(levels) == 1 or bool(
        np.allclose(steps, steps[0], rtol=0, atol=1e-9)
        and np.allclose(levels + levels[::-1], 1.0, rtol=0, atol=1e-9)
    )


@validate_params(_QUANTILE_CONSTRAINTS, prefer_skip_nested_validation=True)
def crps_from_quantiles(
    y_true, y_quantiles, quantiles, *, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """CRPS approximated from quantiles on an evenly spaced grid of levels.

    The CRPS is ``2 * integral_0^1 pinball_q dq`` (Laio and Tamea, 2007); on ``m``
    levels evenly spaced and symmetric about the median (``i / (m + 1)`` or
    ``(i - 1/2) / m``, ``i = 1..m``) the integral is read as their mean, so the result
    is ``2 * mean_pinball_score``: the "quantile CRPS" of Berrisch and Ziel (2023),
    ``scoringrules.crps_quantile``. It tends to the CRPS as the grid gets finer, but a
    coarse grid ``i / (m + 1)`` weights each level by ``1 / m`` where it spans
    ``1 / (m + 1)``: for Gaussian forecasts and outcomes it reads 4.8 % above the CRPS
    on 19 levels (5 %, 10 %, ..., 95 %) and 1.0 % above on 99 (``tests/test_crps.py``).
    The factor is the same for every model scored on the same grid, so ratios and
    rankings of models hold; compare numbers only between equal grids. Lower is
    better; in the target's units.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed values.
    y_quantiles : array-like of shape (n_samples, n_quantiles) or \
            (n_samples, n_steps, n_quantiles)
        The forecast quantiles, as from ``predict_quantiles(X, quantiles)``.
    quantiles : array-like of shape (n_quantiles,)
        Their levels: increasing, evenly spaced and symmetric about 0.5, e.g.
        ``np.arange(1, 20) / 20``. Any other levels are a ``ValueError`` (use
        :func:`mean_pinball_score` for them).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one score per step.

    Returns
    -------
    crps : float or ndarray of shape (n_steps,)

    See Also
    --------
    crps_gaussian : The CRPS of a Gaussian forecast, in closed form.

    References
    ----------
    Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules, prediction,
    and estimation. JASA 102(477).

    Laio, F. and Tamea, S. (2007). Verification tools for probabilistic forecasts of
    continuous hydrological variables. Hydrology and Earth System Sciences 11(4).

    Berrisch, J. and Ziel, F. (2023). CRPS learning. Journal of Econometrics 237(2).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from sklearn_vix.metrics import crps_from_quantiles
    >>> levels = np.arange(1, 1000) / 1000
    >>> round(crps_from_quantiles([0.0], [norm.ppf(levels)], levels), 4)  # 0.2337 exactly
    0.2339
    """
    levels = check_quantiles(quantiles)
    if not is_crps_grid(levels):
        raise ValueError(
            "crps_from_quantiles reads the CRPS as the mean pinball loss over levels, which "
            "needs quantiles evenly spaced and symmetric about 0.5, e.g. "
            f"np.arange(1, 20) / 20; got {levels.tolist()}. Use mean_pinball_score for "
            "other levels."
        )
    return _aggregate(
        2.0
        * np.atleast_1d(mean_pinball_score(y_true, y_quantiles, levels, multioutput="raw_values")),
        multioutput,
    )


@validate_params(
    {"y_true": ["array-like"], "mu": ["array-like", Real], "sigma": ["array-like", Real],
     "multioutput": _MULTIOUTPUT},
    prefer_skip_nested_validation=True,
)  # fmt: skip
def crps_gaussian(y_true, mu, sigma, *, multioutput: str = "uniform_average") -> float | np.ndarray:
    """Mean CRPS of Gaussian forecasts ``N(mu, sigma^2)``, in closed form.

    ``sigma * (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi))`` with ``z = (y - mu) / sigma``
    (Gneiting, Raftery, Westveld and Goldman, 2005). Lower is better; in the target's
    units. A model of log VIX scored in logs uses it on ``log(y)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed values.
    mu, sigma : float or array-like, broadcastable to the shape of ``y_true``
        Means and standard deviations (positive) of the forecasts.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over steps or return one score per step.

    Returns
    -------
    crps : float or ndarray of shape (n_steps,)

    References
    ----------
    Gneiting, T., Raftery, A. E., Westveld, A. H. and Goldman, T. (2005). Calibrated
    probabilistic forecasting using ensemble model output statistics and minimum CRPS
    estimation. Monthly Weather Review 133(5).

    Examples
    --------
    >>> from sklearn_vix.metrics import crps_gaussian
    >>> round(crps_gaussian([0.0], [0.0], [1.0]), 4)  # 2 phi(0) - 1 / sqrt(pi)
    0.2337
    """
    truth = np.asarray(y_true, dtype=np.float64)
    try:
        mu, sigma = (
            np.broadcast_to(np.asarray(a, dtype=np.float64), truth.shape) for a in (mu, sigma)
        )
    except ValueError:
        raise ValueError(
            f"mu and sigma must broadcast to y_true's shape {truth.shape}, got "
            f"{np.shape(mu)} and {np.shape(sigma)}."
        ) from None
    if not (sigma > 0).all():
        raise ValueError(f"sigma must be positive, got a minimum of {sigma.min()}.")
    if np.isnan(truth).any() or np.isnan(mu).any():
        raise ValueError("y_true and mu must not contain NaN.")
    z = (truth - mu) / sigma
    crps = sigma * (z * (2.0 * norm.cdf(z) - 1.0) + 2.0 * norm.pdf(z) - 1.0 / np.sqrt(np.pi))
    return _aggregate(crps.reshape(len(truth), -1).mean(axis=0), multioutput)


_QUANTILE_METRICS = {"crps": crps_from_quantiles, "pinball": mean_pinball_score}


@validate_params(
    {"metric": [StrOptions(set(_QUANTILE_METRICS))], "quantiles": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def make_quantile_scorer(metric: str = "crps", *, quantiles=None):
    """A scorer of quantile forecasts, for ``scoring=`` in sklearn; greater is better.

    The scorer calls ``estimator.predict_quantiles(X, quantiles)`` of a quantile
    forecaster (:func:`~sklearn_vix.base.is_quantile_forecaster`; any other estimator
    is a ``TypeError``) and returns minus :func:`crps_from_quantiles` or minus
    :func:`mean_pinball_score`.

    Parameters
    ----------
    metric : {"crps", "pinball"}, default="crps"
        What to score.
    quantiles : array-like of shape (n_quantiles,), default=None
        The levels asked for (for ``"crps"``, evenly spaced and symmetric about 0.5);
        None means the estimator's own ``quantiles`` (an estimator fitted at fixed
        levels), and is a ``ValueError`` for one without them.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y) -> float``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_validate
    >>> from sklearn_vix import ConformalForecaster, HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.metrics import make_quantile_scorer
    >>> X, y = make_supervised(load_vix_sim().iloc[:1500])
    >>> scoring = {"crps": make_quantile_scorer("crps", quantiles=np.arange(1, 20) / 20)}
    >>> scores = cross_validate(ConformalForecaster(HARRegressor()), X, y,
    ...                         cv=TimeSeriesSplit(2), scoring=scoring)
    >>> bool((scores["test_crps"] < 0).all())
    True
    """
    function = _QUANTILE_METRICS[metric]
    levels = None if quantiles is None else check_quantiles(quantiles)

    def scorer(estimator, X, y) -> float:
        if not is_quantile_forecaster(estimator):
            raise TypeError(
                f"make_quantile_scorer({metric!r}) scores quantile forecasters (with "
                f"predict_quantiles); {type(estimator).__name__} is not one: wrap it in "
                "ConformalForecaster."
            )
        asked = getattr(estimator, "quantiles", None) if levels is None else levels
        if asked is None:
            raise ValueError(
                f"make_quantile_scorer({metric!r}) needs quantiles= for "
                f"{type(estimator).__name__}, which has no fixed levels: pass e.g. "
                "quantiles=np.arange(1, 20) / 20."
            )
        return -function(y, estimator.predict_quantiles(X, asked), asked)

    scorer.__name__ = f"{metric}_scorer"
    return scorer
