"""Forecast metrics relative to persistence, and scorers for cross-validation.

R2 of a VIX forecast mostly measures how persistent the VIX is (persistence alone scores
0.93-0.95 one day ahead); the error relative to persistence says whether a model adds
anything. RMSE, MAE and R2 themselves come from :mod:`sklearn.metrics`. QLIKE, the
volatility literature's loss, scores the forecast as a forecast of the variance VIX^2.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.metrics import make_scorer
from sklearn.utils._param_validation import StrOptions, validate_params
from sklearn.utils.validation import check_consistent_length

__all__ = [
    "make_persistence_scorer",
    "persistence_forecast",
    "qlike",
    "qlike_loss",
    "qlike_scorer",
    "rmse_ratio",
    "skill_score",
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
        Position or name of the target's column in ``X``.

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
    if isinstance(target_column, str):
        if not isinstance(X, pd.DataFrame) or target_column not in X.columns:
            raise ValueError(
                f"target_column={target_column!r} needs a DataFrame X with that column."
            )
        latest = X[target_column].to_numpy(dtype=np.float64)
    else:
        latest = np.asarray(X, dtype=np.float64)[:, target_column]
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
        Position or name of the target's column in ``X``.
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
