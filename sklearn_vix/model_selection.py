"""Compare forecasters fold by fold with sklearn's own cross-validation."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.metrics import make_scorer, mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.model_selection import TimeSeriesSplit, cross_validate

from .metrics import make_persistence_scorer

__all__ = ["compare_models", "summarize_comparison"]

_METRICS = ("rmse", "mae", "r2", "skill", "rmse_ratio")


def _scoring(target_column: int | str) -> dict:
    return {
        "rmse": make_scorer(root_mean_squared_error),
        "mae": make_scorer(mean_absolute_error),
        "r2": make_scorer(r2_score),
        "skill": make_persistence_scorer("skill", target_column=target_column),
        "rmse_ratio": make_persistence_scorer("rmse_ratio", target_column=target_column),
    }


def compare_models(
    models: Mapping[str, BaseEstimator],
    X,
    y,
    *,
    cv=None,
    n_jobs: int | None = None,
    target_column: int | str = 0,
) -> pd.DataFrame:
    """Cross-validate several forecasters on the same folds, one row per model and fold.

    Each model goes through :func:`sklearn.model_selection.cross_validate` with the same
    splitter, so every model sees exactly the same training and test rows.

    Parameters
    ----------
    models : mapping of str to estimator
        Named estimators or pipelines taking the raw rows ``X``.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Time-ordered rows, as from :func:`~sklearn_vix.datasets.make_supervised`.
    y : Series, DataFrame or array-like
        Future values of the target.
    cv : cross-validation splitter, default=None
        ``TimeSeriesSplit(5)`` when None.
    n_jobs : int or None, default=None
        Parallel jobs inside ``cross_validate``.
    target_column : int or str, default=0
        Column of ``X`` holding the target's latest value, for the persistence skill.

    Returns
    -------
    table : DataFrame
        Columns ``model``, ``fold``, ``rmse``, ``mae``, ``r2``, ``skill`` (1 - MSE over
        persistence's MSE), ``rmse_ratio`` (RMSE over persistence's RMSE),
        ``fit_time`` and ``score_time`` (seconds).

    See Also
    --------
    summarize_comparison : Mean and standard deviation per model.

    Examples
    --------
    >>> from sklearn_vix import HARRegressor, PersistenceRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import compare_models
    >>> X, y = make_supervised(load_vix_sim().iloc[:2000])
    >>> table = compare_models({"persistence": PersistenceRegressor(),
    ...                         "har": HARRegressor()}, X, y)
    >>> table.shape
    (10, 9)
    """
    cv = TimeSeriesSplit(5) if cv is None else cv
    scoring = _scoring(target_column)
    frames = []
    for name, model in models.items():
        result = cross_validate(model, X, y, cv=cv, n_jobs=n_jobs, scoring=scoring)
        fold_table = pd.DataFrame({metric: result[f"test_{metric}"] for metric in _METRICS})
        fold_table["rmse_ratio"] = -fold_table["rmse_ratio"]
        fold_table["fit_time"] = result["fit_time"]
        fold_table["score_time"] = result["score_time"]
        fold_table.insert(0, "fold", range(len(fold_table)))
        fold_table.insert(0, "model", name)
        frames.append(fold_table)
    return pd.concat(frames, ignore_index=True)


def summarize_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over folds of each metric, one row per model.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`compare_models`.

    Returns
    -------
    summary : DataFrame
        Indexed by model (in the order given), with two column levels: the metric and
        ``mean`` / ``std``.

    Examples
    --------
    >>> from sklearn_vix import PersistenceRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import compare_models, summarize_comparison
    >>> X, y = make_supervised(load_vix_sim().iloc[:1000])
    >>> table = compare_models({"persistence": PersistenceRegressor()}, X, y)
    >>> float(summarize_comparison(table).loc["persistence", ("rmse_ratio", "mean")])
    1.0
    """
    columns = [*_METRICS, "fit_time", "score_time"]
    return table.groupby("model", sort=False)[columns].agg(["mean", "std"])
