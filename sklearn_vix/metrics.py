"""Forecast metrics relative to persistence, and scorers for cross-validation.

R2 of a VIX forecast mostly measures how persistent the VIX is (persistence alone scores
0.93-0.95 one day ahead); the error relative to persistence says whether a model adds
anything. RMSE, MAE and R2 themselves come from :mod:`sklearn.metrics`. QLIKE, the
volatility literature's loss, scores the forecast as a forecast of the variance VIX^2.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral, Real
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.metrics import make_scorer, mean_pinball_loss
from sklearn.utils.validation import check_consistent_length

from ._compat import Interval, StrOptions, validate_params
from ._validation import target_position

__all__ = [
    "interval_coverage",
    "interval_pinball_loss",
    "interval_score",
    "make_interval_scorer",
    "make_persistence_scorer",
    "mean_interval_width",
    "persistence_forecast",
    "qlike",
    "qlike_loss",
    "qlike_scorer",
    "rmse_ratio",
    "skill_score",
    "stress_regimes",
]


def _per_output_mse(y_true, y_pred, y_naive):
    y_true, y_pred, y_naive = (np.asarray(a, dtype=np.float64) for a in (y_true, y_pred, y_naive))
    check_consistent_length(y_true, y_pred, y_naive)
    if not y_true.shape == y_pred.shape == y_naive.shape:
        raise ValueError(
            "y_true, y_pred and y_naive must have the same shape, got "
            f"{y_true.shape}, {y_pred.shape} and {y_naive.shape}."
        )
    mse = ((y_true - y_pred) ** 2).mean(axis=0)
    mse_naive = ((y_true - y_naive) ** 2).mean(axis=0)
    if np.any(mse_naive == 0):
        raise ValueError("The naive forecast is exact, so the relative error is undefined.")
    return np.atleast_1d(mse), np.atleast_1d(mse_naive)


def _aggregate(values: np.ndarray, multioutput: str):
    return values if multioutput == "raw_values" else float(values.mean())


_RELATIVE_ERROR_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "y_naive": ["array-like"],
    "multioutput": [StrOptions({"raw_values", "uniform_average"})],
}


@validate_params(_RELATIVE_ERROR_CONSTRAINTS, prefer_skip_nested_validation=True)
def skill_score(
    y_true, y_pred, y_naive, *, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """Skill relative to a naive forecast: ``1 - MSE(y_pred) / MSE(y_naive)``.

    Positive when the forecast beats the naive one (usually persistence), 0 when it
    ties, negative when it is worse. It equals ``1 - rmse_ratio ** 2``.

    Parameters
    ----------
    y_true, y_pred, y_naive : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed values, the forecast, and the naive forecast.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average the per-step skills or return one per step.

    Returns
    -------
    skill : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from sklearn_vix.metrics import skill_score
    >>> skill_score([1.0, 2.0, 3.0], [1.0, 2.0, 2.0], [0.0, 1.0, 2.0])
    0.666...
    """
    mse, mse_naive = _per_output_mse(y_true, y_pred, y_naive)
    return _aggregate(1.0 - mse / mse_naive, multioutput)


@validate_params(_RELATIVE_ERROR_CONSTRAINTS, prefer_skip_nested_validation=True)
def rmse_ratio(
    y_true, y_pred, y_naive, *, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """RMSE of the forecast divided by the RMSE of a naive forecast (Theil's U2).

    Below 1 the forecast beats the naive one. Against persistence, honest VIX models
    reach about 0.98-0.99 one day ahead.

    Parameters
    ----------
    y_true, y_pred, y_naive : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Observed values, the forecast, and the naive forecast.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average the per-step ratios or return one per step.

    Returns
    -------
    ratio : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from sklearn_vix.metrics import rmse_ratio
    >>> rmse_ratio([1.0, 2.0, 3.0], [1.0, 2.0, 2.0], [0.0, 1.0, 2.0])
    0.577...
    """
    mse, mse_naive = _per_output_mse(y_true, y_pred, y_naive)
    return _aggregate(np.sqrt(mse / mse_naive), multioutput)


def _target_values(X, target_column: int | str) -> np.ndarray:
    """The target's column of raw rows or windows, located as ``PersistenceRegressor`` does."""
    names = X.columns if isinstance(X, pd.DataFrame) else None
    position = target_position(target_column, np.shape(X)[1], names)
    if isinstance(X, pd.DataFrame):
        return X.iloc[:, position].to_numpy(dtype=np.float64)
    return np.asarray(X, dtype=np.float64)[:, position]


@validate_params(
    {"X": ["array-like"], "y": ["array-like"], "target_column": [Integral, str]},
    prefer_skip_nested_validation=True,
)
def persistence_forecast(X, y, target_column: int | str = 0) -> np.ndarray:
    """The random-walk forecast of ``y`` from raw rows ``X``: the target's latest value.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Raw rows, as passed to a pipeline.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Gives the output shape.
    target_column : int or str, default=0
        Position or name of the target's column in ``X`` (a name ``"vix"`` also matches
        the window column ``"vix_lag0"``, as for ``PersistenceRegressor``).

    Returns
    -------
    y_naive : ndarray with the shape of ``y``

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.metrics import persistence_forecast
    >>> persistence_forecast(np.array([[3.0, 0.1], [4.0, 0.2]]), np.zeros((2, 2)))
    array([[3., 3.],
           [4., 4.]])
    """
    latest = _target_values(X, target_column)
    y = np.asarray(y)
    return latest if y.ndim == 1 else np.repeat(latest[:, None], y.shape[1], axis=1)


@validate_params(
    {
        "metric": [StrOptions({"skill", "rmse_ratio"})],
        "target_column": [Integral, str],
        "multioutput": [StrOptions({"uniform_average"})],
    },
    prefer_skip_nested_validation=True,
)
def make_persistence_scorer(
    metric: Literal["skill", "rmse_ratio"] = "skill",
    *,
    target_column: int | str = 0,
    multioutput: str = "uniform_average",
) -> Callable:
    """A scorer comparing an estimator with persistence, for ``scoring=`` in sklearn.

    The scorer takes ``(estimator, X, y)``, predicts ``X`` and compares the error with
    that of persistence, read from the target column of the raw ``X``. Greater is
    better, as for every sklearn scorer: ``"skill"`` returns
    :func:`skill_score`, ``"rmse_ratio"`` returns minus :func:`rmse_ratio`.

    Parameters
    ----------
    metric : {"skill", "rmse_ratio"}, default="skill"
        What to return.
    target_column : int or str, default=0
        Position or name of the target's column in ``X`` (a name ``"vix"`` also matches
        the window column ``"vix_lag0"``, as for ``PersistenceRegressor``).
    multioutput : {"uniform_average"}, default="uniform_average"
        How multi-step errors are combined (sklearn scorers must return a float).

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.metrics import make_persistence_scorer
    >>> X, y = make_supervised(load_vix_sim().iloc[:2000])
    >>> scores = cross_val_score(LinearRegression(), X, y, cv=TimeSeriesSplit(3),
    ...                          scoring=make_persistence_scorer())
    >>> scores.shape
    (3,)
    """
    metrics = {"skill": skill_score, "rmse_ratio": rmse_ratio}
    sign = -1.0 if metric == "rmse_ratio" else 1.0
    function = metrics[metric]

    def scorer(estimator, X, y) -> float:
        y_naive = persistence_forecast(X, y, target_column)
        return sign * function(y, estimator.predict(X), y_naive, multioutput=multioutput)

    scorer.__name__ = f"persistence_{metric}_scorer"
    return scorer


# -- prediction intervals ------------------------------------------------------------------

_MULTIOUTPUT = [StrOptions({"uniform_average", "raw_values"})]
_COVERAGE = [Interval(Real, 0, 1, closed="neither")]


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


@validate_params(
    {
        "y_true": ["array-like"],
        "y_interval": ["array-like"],
        "coverage": _COVERAGE,
        "multioutput": _MULTIOUTPUT,
    },
    prefer_skip_nested_validation=True,
)
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
    truth, lower, upper = _check_interval(y_true, y_interval)
    alpha = 1.0 - coverage
    # An unbounded interval (adaptive conformal inference may issue one) scores +inf;
    # sklearn refuses infinite predictions, so those bounds are zeroed and then overridden.
    unbounded = (np.isinf(lower) | np.isinf(upper)).any(axis=0)
    lower, upper = np.nan_to_num(lower, posinf=0.0, neginf=0.0), np.nan_to_num(upper, posinf=0.0)
    scores = (2.0 / alpha) * (
        _pinball(truth, lower, alpha / 2) + _pinball(truth, upper, 1 - alpha / 2)
    )
    return _aggregate(np.where(unbounded, np.inf, scores), multioutput)


def _pinball(truth, quantile, level: float) -> np.ndarray:
    return mean_pinball_loss(truth, quantile, alpha=level, multioutput="raw_values")


@validate_params(
    {
        "y_true": ["array-like"],
        "y_interval": ["array-like"],
        "coverage": _COVERAGE,
        "multioutput": _MULTIOUTPUT,
    },
    prefer_skip_nested_validation=True,
)
def interval_pinball_loss(
    y_true, y_interval, *, coverage: float, multioutput: str = "uniform_average"
) -> float | np.ndarray:
    """Mean pinball loss of the two bounds as the ``alpha/2`` and ``1 - alpha/2`` quantiles.

    The average of :func:`sklearn.metrics.mean_pinball_loss` of the lower bound at level
    ``(1 - coverage) / 2`` and of the upper bound at ``(1 + coverage) / 2``. It equals
    :func:`interval_score` times ``(1 - coverage) / 4``.

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
    truth, lower, upper = _check_interval(y_true, y_interval)
    alpha = 1.0 - coverage
    return _aggregate(
        (_pinball(truth, lower, alpha / 2) + _pinball(truth, upper, 1 - alpha / 2)) / 2.0,
        multioutput,
    )


@validate_params(
    {
        "X": ["array-like"],
        "target_column": [Integral, str],
        "level": [Interval(Real, 0, None, closed="neither")],
        "range_quantile": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def stress_regimes(
    X, *, target_column: int | str = 0, level: float = 25.0, range_quantile: float = 0.9
) -> pd.DataFrame:
    """Stress flags of each forecast origin, known on the day the forecast is made.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        Raw rows; ``high`` and ``low`` columns (as from
        :func:`~sklearn_vix.datasets.load_vix_csv`) add the range regime.
    target_column : int or str, default=0
        Position or name of the target's column in ``X`` (a name ``"vix"`` also matches
        the window column ``"vix_lag0"``, as for ``PersistenceRegressor``).
    level : float, default=25.0
        The ``vix_above_{level}`` flag marks rows whose target value exceeds it.
    range_quantile : float, default=0.9
        The ``top_range`` flag marks rows whose daily range ``log(high / low)`` is at or
        above this quantile of the rows given (so the top decile by default).

    Returns
    -------
    regimes : DataFrame of bool
        Indexed like ``X``; a ``top_range`` column only when ``X`` has ``high`` and ``low``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.metrics import stress_regimes
    >>> stress_regimes(pd.DataFrame({"vix": [12.0, 30.0]}))["vix_above_25"].tolist()
    [False, True]
    """
    index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(X))
    latest = _target_values(X, target_column)
    regimes = pd.DataFrame({f"vix_above_{level:g}": latest > level}, index=index)
    if isinstance(X, pd.DataFrame) and {"high", "low"} <= set(X.columns):
        daily_range = np.log(X["high"].to_numpy(float) / X["low"].to_numpy(float))
        regimes["top_range"] = daily_range >= np.quantile(daily_range, range_quantile)
    return regimes


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

    The scorer calls ``estimator.predict_interval(X, coverage)`` (as
    :class:`~sklearn_vix.ConformalForecaster` offers) and returns minus
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
        nominal = estimator.coverage if coverage is None else coverage
        bounds = estimator.predict_interval(X, coverage)
        if metric == "width":
            return sign * function(bounds)
        if metric == "coverage_error":
            return sign * abs(function(y, bounds) - nominal)
        return sign * function(y, bounds, coverage=nominal)

    scorer.__name__ = f"{metric}_scorer"
    return scorer


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
        bad = ~(values > 0)
        if bad.any():
            row = int(np.argwhere(bad)[0][0])
            raise ValueError(
                f"QLIKE needs positive VIX levels: {name} is {values.flat[np.flatnonzero(bad)[0]]}"
                f" at row {row}."
            )
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
