"""Errors relative to persistence: skill, RMSE ratio, and their scorers."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Literal

import numpy as np
from sklearn.utils.validation import check_consistent_length

from .._compat import StrOptions, validate_params
from .._validation import target_values

__all__ = ["make_persistence_scorer", "persistence_forecast", "rmse_ratio", "skill_score"]


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
    latest = target_values(X, target_column)
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
