"""Compare forecasters: fold by fold (out-of-fold predictions, metrics, Diebold-Mariano), and
backtests (mean loss, Model Confidence Set, Diebold-Mariano, Clark-West)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.model_selection import TimeSeriesSplit

from .._compat import HasMethods, Interval, StrOptions, _safe_indexing, validate_params
from .._frames import as_frame, row_index
from .._validation import check_fold_data, check_quantiles
from ..base import is_interval_forecaster, is_quantile_forecaster
from ..diagnostics import stress_regimes
from ..metrics import (
    crps_from_quantiles,
    interval_coverage,
    interval_pinball_loss,
    interval_score,
    is_crps_grid,
    mean_interval_width,
    mean_pinball_score,
    persistence_forecast,
    qlike_loss,
    rmse_ratio,
    skill_score,
)
from ..stats import clark_west, diebold_mariano, model_confidence_set
from ._result import BacktestResult

__all__ = [
    "ModelComparison",
    "compare_backtests",
    "compare_models",
    "default_cv",
    "out_of_fold_predict",
]


# The levels a quantile forecaster is scored at: 0.05, 0.10, ..., 0.95, evenly spaced and
# symmetric about 0.5 as crps_from_quantiles needs; on 19 levels its CRPS reads about 5 %
# above the exact one, the same factor for every model (ratios and rankings hold).
_CRPS_QUANTILES = np.arange(1, 20) / 20


def _horizon(y) -> int:
    return 1 if np.ndim(y) == 1 else np.shape(y)[1]


def _scored_quantiles(estimator) -> np.ndarray | None:
    """The levels at which compare_models and backtest score a quantile forecaster: its
    own fixed levels (an attribute ``quantiles``, as LinearQuantileRegressor's), else the
    grid 0.05, 0.10, ..., 0.95; None for a model that is not a quantile forecaster."""
    if not is_quantile_forecaster(estimator):
        return None
    own = getattr(estimator, "quantiles", None)
    return _CRPS_QUANTILES if own is None else check_quantiles(own)


@validate_params(
    {
        "y": ["array-like"],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "purge": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def default_cv(y, n_splits: int = 5, purge: bool = True) -> TimeSeriesSplit:
    """``TimeSeriesSplit(n_splits, gap=h-1)`` for a target of ``h`` steps.

    With a horizon of ``h`` days the last ``h-1`` training rows have targets inside the
    test fold; ``gap=h-1`` drops them (``purge=False`` keeps them: a mild look-ahead in
    the training targets, and full window history for the fold's first rows).

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, horizon)
    n_splits : int, default=5
    purge : bool, default=True

    Returns
    -------
    cv : TimeSeriesSplit

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.model_selection import default_cv
    >>> default_cv(np.zeros((10, 5))).gap
    4
    """
    return TimeSeriesSplit(n_splits, gap=_horizon(y) - 1 if purge else 0)


@dataclass
class _Fold:
    """One test fold: its rows, the forecasts (and intervals) and the time each took."""

    number: int
    test: np.ndarray
    prediction: np.ndarray
    intervals: np.ndarray | None
    quantiles: np.ndarray | None
    fit_time: float
    score_time: float

    def frame(self, y, index) -> pd.DataFrame:
        part = as_frame(self.prediction, index[self.test], like=y)
        part["fold"] = self.number
        return part


def _fit_and_predict(estimator, X, y, train, test, number: int) -> _Fold:
    model = clone(estimator)
    start = time.perf_counter()
    model.fit(_safe_indexing(X, train), _safe_indexing(y, train))
    fit_time = time.perf_counter() - start
    X_test = _safe_indexing(X, test)
    start = time.perf_counter()
    prediction = model.predict(X_test)
    intervals = model.predict_interval(X_test) if is_interval_forecaster(model) else None
    levels = _scored_quantiles(model)
    quantiles = None if levels is None else model.predict_quantiles(X_test, levels)
    return _Fold(
        number, test, prediction, intervals, quantiles, fit_time, time.perf_counter() - start
    )


def _out_of_fold(estimator, X, y, *, folds, n_jobs) -> list[_Fold]:
    """Fit on each training fold, predict its test fold once; the one pass every
    evaluation here shares."""
    return Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_predict)(estimator, X, y, train, test, number)
        for number, (train, test) in enumerate(folds)
    )


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=False,
)
def out_of_fold_predict(
    estimator: BaseEstimator, X, y, *, cv=None, n_jobs: int | None = None
) -> pd.DataFrame:
    """Predictions of every test fold of a time-series split, indexed like ``X``.

    ``sklearn.model_selection.cross_val_predict`` refuses splits whose test folds do not
    cover every row, as ``TimeSeriesSplit``'s do not; this returns the rows that are
    tested, each predicted by the model fitted on its fold's training rows.

    Parameters
    ----------
    estimator : estimator
        Cloned and fitted once per fold.
    X : DataFrame or array-like of shape (n_samples, n_features)
    y : Series, DataFrame or array-like of shape (n_samples,) or (n_samples, horizon)
    cv : splitter, default=None
        :func:`default_cv` of ``y`` when None.
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib).

    Returns
    -------
    predictions : DataFrame
        One column per target step (named as ``y``'s) and a ``fold`` column, indexed by
        ``X``'s index (positions for arrays).

    Examples
    --------
    >>> from sklearn_vix import PersistenceRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import out_of_fold_predict
    >>> X, y = make_supervised(load_vix_sim().iloc[:600])
    >>> oof = out_of_fold_predict(PersistenceRegressor(), X, y)
    >>> list(oof.columns), len(oof)
    (['vix_h1', 'fold'], 495)
    """
    folds = check_fold_data(X, y, default_cv(y) if cv is None else cv)
    folds = _out_of_fold(estimator, X, y, folds=folds, n_jobs=n_jobs)
    return pd.concat([fold.frame(y, row_index(X)) for fold in folds])


@dataclass
class ModelComparison:
    """Outcome of :func:`compare_models`.

    Attributes
    ----------
    table : DataFrame
        One row per model and fold: ``rmse``, ``mae``, ``r2``, ``skill`` and
        ``rmse_ratio`` (relative to persistence), ``qlike`` (the mean
        :func:`~sklearn_vix.metrics.qlike_loss`; NaN when a forecast is not positive),
        per-step ``rmse_step{k}`` for a multi-step target, ``fit_time`` and ``score_time``
        (seconds to fit the fold's model and to predict its test fold, intervals and
        quantiles included). Interval forecasters add ``coverage``, ``width``,
        ``interval_score``, ``pinball`` (of the interval's two bounds) and
        ``coverage_{regime}`` for each stress regime of
        :func:`~sklearn_vix.diagnostics.stress_regimes` (averaged over steps). Quantile
        forecasters add ``crps`` (:func:`~sklearn_vix.metrics.crps_from_quantiles`) and
        ``quantile_pinball`` (:func:`~sklearn_vix.metrics.mean_pinball_score`) of their
        quantiles at 0.05, 0.10, ..., 0.95, or at a model's own fixed levels (its
        ``quantiles``) (``crps`` is NaN where those are not an even grid).
    summary : DataFrame
        Per model, the mean and standard deviation over folds of each metric, and the
        Diebold-Mariano statistic and p-value of the model's pooled out-of-fold errors of
        the last step against persistence's (``dm_stat`` < 0: the model is more accurate).
    predictions : dict of str to DataFrame
        Out-of-fold predictions per model (with a ``fold`` column), plus
        ``"persistence (reference)"``.
    y_true : DataFrame
        The observed targets of the tested rows.
    intervals : dict of str to ndarray
        Out-of-fold intervals of the models that give them, shaped as their
        ``predict_interval`` output, rows as in ``predictions``.
    pooled : DataFrame
        Per model, the interval and quantile metrics over all tested rows pooled (empty
        when no model gives intervals or quantiles).
    quantiles : dict of str to ndarray
        Out-of-fold quantiles of the quantile forecasters, shaped as their
        ``predict_quantiles`` output, rows as in ``predictions``, at the levels
        ``quantile_levels[name]``.
    quantile_levels : dict of str to ndarray
        The levels of each model's ``quantiles``.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    predictions: dict
    y_true: pd.DataFrame
    intervals: dict = field(default_factory=dict)
    pooled: pd.DataFrame = field(default_factory=pd.DataFrame)
    quantiles: dict = field(default_factory=dict)
    quantile_levels: dict = field(default_factory=dict)

    def __str__(self) -> str:
        means = self.summary.xs("mean", axis=1, level=1)
        tests = self.summary[["dm_stat", "dm_pvalue"]].droplevel(1, axis=1)
        text = means.join(tests).to_string(float_format=lambda v: f"{v:.4f}")
        if len(self.pooled):
            pooled = self.pooled.to_string(float_format=lambda v: f"{v:.4f}")
            text += f"\n\nIntervals, all folds pooled:\n{pooled}"
        return text


def _fold_metrics(truth: np.ndarray, prediction: np.ndarray, naive: np.ndarray) -> dict:
    row = {
        "rmse": root_mean_squared_error(truth, prediction),
        "mae": mean_absolute_error(truth, prediction),
        "r2": r2_score(truth, prediction),
        "skill": skill_score(truth, prediction, naive),
        "rmse_ratio": rmse_ratio(truth, prediction, naive),
        # QLIKE scores a forecast of the variance VIX^2; undefined for a non-positive one.
        "qlike": (
            float(qlike_loss(truth, prediction).mean())
            if (truth > 0).all() and (prediction > 0).all()
            else np.nan
        ),
    }
    if truth.shape[1] > 1:
        per_step = np.sqrt(((truth - prediction) ** 2).mean(axis=0))
        row.update({f"rmse_step{k + 1}": value for k, value in enumerate(per_step)})
    return row


def _interval_metrics(truth, bounds, coverage: float, regimes: pd.DataFrame) -> dict:
    row = {
        "coverage": interval_coverage(truth, bounds),
        "width": mean_interval_width(bounds),
        "interval_score": interval_score(truth, bounds, coverage=coverage),
        "pinball": interval_pinball_loss(truth, bounds, coverage=coverage),
    }
    for name in regimes.columns:
        mask = regimes[name].to_numpy()
        row[f"coverage_{name}"] = (
            interval_coverage(truth[mask], bounds[mask]) if mask.any() else np.nan
        )
    return row


def _quantile_metrics(truth, quantiles, levels) -> dict:
    """CRPS (NaN unless ``levels`` are an even grid) and mean pinball loss."""
    return {
        "crps": crps_from_quantiles(truth, quantiles, levels) if is_crps_grid(levels) else np.nan,
        "quantile_pinball": mean_pinball_score(truth, quantiles, levels),
    }


@validate_params(
    {
        "models": [Mapping],
        "X": ["array-like"],
        "y": ["array-like"],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
        "target_column": [Integral, str],
    },
    prefer_skip_nested_validation=False,
)
def compare_models(
    models: Mapping[str, BaseEstimator],
    X,
    y,
    *,
    cv=None,
    n_jobs: int | None = None,
    target_column: int | str = 0,
) -> ModelComparison:
    """Cross-validate several forecasters on the same time-series folds and compare them.

    Each model is fitted once per training fold and predicts its test fold once (the
    same pass as :func:`out_of_fold_predict`); every metric is computed from those
    out-of-fold predictions, against persistence (the target's latest value, read from
    ``X`` by the rule of :class:`~sklearn_vix.PersistenceRegressor`). Interval forecasters
    (:func:`~sklearn_vix.base.is_interval_forecaster`, e.g.
    :class:`~sklearn_vix.ConformalForecaster`) are also scored on their intervals, per
    fold and pooled, overall and in stress regimes, at their ``coverage``; quantile
    forecasters (:func:`~sklearn_vix.base.is_quantile_forecaster`) on their quantiles at
    0.05, 0.10, ..., 0.95 (or their own fixed levels) by the CRPS and the pinball loss.

    The default splitter is ``TimeSeriesSplit(5, gap=h-1)`` (:func:`default_cv`): with a
    horizon of ``h`` days, the last ``h-1`` training rows have targets inside the test
    fold and are purged. Pass ``cv=TimeSeriesSplit(5)`` to keep them (see the user guide
    for what each choice costs).

    Parameters
    ----------
    models : mapping of str to estimator
        Named estimators or pipelines taking the raw rows ``X``.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Time-ordered rows, as from :func:`~sklearn_vix.datasets.make_supervised`.
    y : Series, DataFrame or array-like of shape (n_samples,) or (n_samples, horizon)
        The target after each row.
    cv : splitter, default=None
        :func:`default_cv` of ``y`` when None.
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib).
    target_column : int or str, default=0
        Column of ``X`` holding the target's latest value (persistence, stress regimes).

    Returns
    -------
    comparison : ModelComparison
        ``table`` (model x fold), ``summary`` (per model, with Diebold-Mariano against
        persistence), ``predictions`` (out-of-fold, per model), for interval models
        ``intervals`` and ``pooled``, and for quantile models ``quantiles`` and ``pooled``.

    Examples
    --------
    >>> from sklearn_vix import ConformalForecaster, HARRegressor, PersistenceRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import compare_models
    >>> X, y = make_supervised(load_vix_sim().iloc[:2000])
    >>> result = compare_models({"persistence": PersistenceRegressor(),
    ...                          "har": HARRegressor()}, X, y)
    >>> result.table.shape
    (10, 10)
    >>> float(result.summary.loc["persistence", ("rmse_ratio", "mean")])
    1.0
    >>> result = compare_models({"har": ConformalForecaster(HARRegressor())}, X, y)
    >>> list(result.pooled.columns)[:3]
    ['coverage', 'width', 'interval_score']
    >>> bool(result.pooled.loc["har", "crps"] < result.table["mae"].mean())
    True
    """
    if not models:
        raise ValueError(
            "compare_models needs at least one model, got an empty mapping: pass "
            '{"name": estimator, ...}, e.g. {"har": HARRegressor()}.'
        )
    splits = check_fold_data(X, y, default_cv(y) if cv is None else cv)
    index = row_index(X)
    y_frame = as_frame(y, index)
    naive = as_frame(persistence_forecast(X, y, target_column), index, like=y)
    regimes = stress_regimes(X, target_column=target_column)
    rows, predictions, intervals, pooled, quantiles = [], {}, {}, {}, {}
    levels = {name: _scored_quantiles(model) for name, model in models.items()}
    for name, model in models.items():
        folds = _out_of_fold(model, X, y, folds=splits, n_jobs=n_jobs)
        for fold in folds:
            truth = y_frame.iloc[fold.test].to_numpy()
            row = {"model": name, "fold": fold.number}
            row.update(
                _fold_metrics(
                    truth,
                    np.reshape(fold.prediction, truth.shape),
                    naive.iloc[fold.test].to_numpy(),
                )
            )
            if fold.intervals is not None:
                row.update(
                    _interval_metrics(
                        truth, fold.intervals, model.coverage, regimes.iloc[fold.test]
                    )
                )
            if fold.quantiles is not None:
                row.update(_quantile_metrics(truth, fold.quantiles, levels[name]))
            rows.append({**row, "fit_time": fold.fit_time, "score_time": fold.score_time})
        predictions[name] = pd.concat([fold.frame(y, index) for fold in folds])
        tested = np.concatenate([fold.test for fold in folds])
        truth = y_frame.iloc[tested].to_numpy()
        if folds[0].intervals is not None:
            intervals[name] = np.concatenate([fold.intervals for fold in folds])
            pooled[name] = _interval_metrics(
                truth, intervals[name], model.coverage, regimes.iloc[tested]
            )
        if folds[0].quantiles is not None:
            quantiles[name] = np.concatenate([fold.quantiles for fold in folds])
            pooled.setdefault(name, {}).update(
                _quantile_metrics(truth, quantiles[name], levels[name])
            )
    table = pd.DataFrame(rows)
    first = predictions[next(iter(models))]
    reference = naive.loc[first.index].assign(fold=first["fold"])
    predictions["persistence (reference)"] = reference
    summary = _summarize(table, predictions, y_frame.loc[first.index], reference, _horizon(y))
    pooled = pd.DataFrame.from_dict(pooled, orient="index")
    return ModelComparison(
        table,
        summary,
        predictions,
        y_frame.loc[first.index],
        intervals,
        pooled,
        quantiles,
        {name: levels[name] for name in quantiles},
    )


def _summarize(table, predictions, y_true, reference, horizon) -> pd.DataFrame:
    metrics = [c for c in table.columns if c not in ("model", "fold")]
    summary = table.groupby("model", sort=False)[metrics].agg(["mean", "std"])
    last = y_true.columns[-1]
    naive_errors = (reference[last] - y_true[last]).to_numpy()
    dm = {}
    for name in summary.index:
        errors = (predictions[name][last] - y_true[last]).to_numpy()
        if np.allclose(errors, naive_errors):
            dm[name] = (np.nan, np.nan)
            continue
        result = diebold_mariano(errors, naive_errors, h=horizon)
        dm[name] = (result.statistic, result.pvalue)
    summary[("dm_stat", "")] = [dm[name][0] for name in summary.index]
    summary[("dm_pvalue", "")] = [dm[name][1] for name in summary.index]
    return summary


@validate_params(
    {
        "results": [Mapping],
        "size": [Interval(Real, 0, 1, closed="neither")],
        "step": [Interval(Integral, 1, None, closed="left"), None],
        "loss": [StrOptions({"squared", "absolute", "qlike"})],
        "nested": [StrOptions({"auto"}), list, tuple],
        "method": [StrOptions({"R", "max"})],
        "bootstrap": [StrOptions({"stationary", "circular", "moving block"})],
        "reps": [Interval(Integral, 1, None, closed="left")],
        "block_size": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def compare_backtests(
    results,
    *,
    size: float = 0.1,
    step: int | None = None,
    loss: str = "squared",
    nested="auto",
    method: str = "R",
    bootstrap: str = "stationary",
    reps: int = 1000,
    block_size: int | None = None,
    random_state=0,
) -> pd.DataFrame:
    """Rank backtested models: mean loss, Model Confidence Set, Diebold-Mariano, Clark-West.

    Every number is that of a public function on the backtests' forecasts of one step:
    the mean of :meth:`BacktestResult.losses`,
    :func:`~sklearn_vix.stats.model_confidence_set` of those losses,
    :func:`~sklearn_vix.stats.diebold_mariano` on the same ``loss`` with ``h`` the step,
    and :func:`~sklearn_vix.stats.clark_west` for nested pairs.

    A nested pair is a small model that the large one contains as a special case:
    persistence is HAR with weights (1, 0, 0) on the daily, weekly and monthly values,
    and a linear model on windows with weight 1 on the latest value. Diebold-Mariano
    favours the small model of such a pair (the large one pays for estimating weights
    that are zero under the null), which Clark and West (2007) correct.

    Parameters
    ----------
    results : mapping of str to BacktestResult
        Backtests over the same origins.
    size : float, default=0.1
        Size of the Model Confidence Set (a ``1 - size`` confidence set).
    step : int or None, default=None
        The forecast step compared; the last when None.
    loss : {"squared", "absolute", "qlike"}, default="squared"
        The loss of ``mean_loss``, of the Model Confidence Set and of the
        Diebold-Mariano tests (:meth:`BacktestResult.losses`).
    nested : "auto" or list of (str, str), default="auto"
        The ``(small, large)`` pairs of model names tested by Clark-West. ``"auto"``:
        persistence, found by its name ``"persistence"`` or by its forecasts (each the
        target's value at its origin), inside every other model, which holds for every
        model that reads the latest value. A list declares the pairs; ``[]`` tests none.
    method : {"R", "max"}, default="R"
        Elimination statistic of the Model Confidence Set.
    bootstrap : {"stationary", "circular", "moving block"}, default="stationary"
        Block bootstrap of the Model Confidence Set.
    reps : int, default=1000
        Bootstrap replications of the Model Confidence Set.
    block_size : int or None, default=None
        Bootstrap block length in days (the mean length for the stationary bootstrap);
        ``ceil(sqrt(n_origins))`` when None, one day more than arch's default
        ``int(sqrt(n_origins))`` unless ``n_origins`` is a perfect square.
    random_state : int, Generator, RandomState or None, default=0
        Seed of the bootstrap.

    Returns
    -------
    table : DataFrame
        Per model (row): ``mean_loss``; ``mcs_pvalue`` and ``in_mcs``; ``dm_vs_{other}``,
        the two-sided, HLN-corrected Diebold-Mariano p-value of equal ``loss`` against
        every model (NaN against itself and for identical forecasts); and for each small
        model of ``nested``, ``cw_vs_{small}``: the one-sided Clark-West p-value that the
        row's model, which nests ``small``, has the smaller mean squared error (NaN on
        the other rows). Clark-West's adjustment is derived for squared error: its
        p-values compare squared errors whatever ``loss`` is. ``table.attrs`` holds
        ``loss``, ``step``, ``nested`` (the pairs tested), ``size``, ``block_size``,
        ``method``, ``bootstrap`` and ``reps``.

    See Also
    --------
    sklearn_vix.stats.diebold_mariano : The pairwise test, which warns and uses ``h=1``
        where the variance at ``h`` is not positive.

    References
    ----------
    Clark, T. E. and West, K. D. (2007). Approximately normal tests for equal predictive
    accuracy in nested models. Journal of Econometrics, 138(1), 291-311.

    Examples
    --------
    >>> from sklearn_vix import HARRegressor, PersistenceRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import backtest, compare_backtests
    >>> X, y = make_supervised(load_vix_sim().iloc[:800])
    >>> runs = {name: backtest(model, X, y, start=500, progress=False)
    ...         for name, model in {"har": HARRegressor(),
    ...                             "persistence": PersistenceRegressor()}.items()}
    >>> table = compare_backtests(runs, random_state=0)
    >>> list(table.columns)
    ['mean_loss', 'mcs_pvalue', 'in_mcs', 'dm_vs_har', 'dm_vs_persistence', 'cw_vs_persistence']
    >>> table.attrs["nested"], table.attrs["loss"], table.attrs["block_size"]
    ([('persistence', 'har')], 'squared', 18)
    >>> absolute = compare_backtests(runs, loss="absolute", method="max", reps=200)
    >>> absolute.attrs["loss"], absolute.attrs["method"]
    ('absolute', 'max')
    """
    losses = pd.DataFrame({name: r.losses(step, loss) for name, r in results.items()})
    if losses.isna().any().any():
        raise ValueError("The backtests do not cover the same origins: align their start.")
    horizon = step or max(int(r.forecasts["step"].max()) for r in results.values())
    pairs = _nested_pairs(results, nested)
    mcs = model_confidence_set(
        losses,
        size,
        block_size=block_size,
        method=method,
        bootstrap=bootstrap,
        reps=reps,
        random_state=random_state,
    )
    table = pd.DataFrame({"mean_loss": losses.mean()})
    table["mcs_pvalue"] = mcs.pvalues.reindex(table.index)
    table["in_mcs"] = table.index.isin(mcs.included)
    truth = next(iter(results.values())).wide("actual")[horizon].to_numpy()
    forecasts = {name: r.wide("forecast")[horizon].to_numpy() for name, r in results.items()}
    errors = {name: forecast - truth for name, forecast in forecasts.items()}
    for other in results:
        table[f"dm_vs_{other}"] = [
            np.nan
            if name == other or np.allclose(errors[name], errors[other])
            else diebold_mariano(
                errors[name], errors[other], h=horizon, loss=loss, y_true=truth
            ).pvalue
            for name in results
        ]
    for small in dict.fromkeys(small for small, _ in pairs):
        table[f"cw_vs_{small}"] = [
            clark_west(truth, forecasts[small], forecasts[name], h=horizon).pvalue
            if (small, name) in pairs and not np.allclose(forecasts[small], forecasts[name])
            else np.nan
            for name in results
        ]
    table.attrs.update(
        loss=loss,
        step=horizon,
        nested=pairs,
        size=size,
        block_size=mcs.block_size,
        method=method,
        bootstrap=bootstrap,
        reps=reps,
    )
    return table


def _nested_pairs(results, nested) -> list[tuple[str, str]]:
    """The ``(small, large)`` pairs of ``nested``, checked against the models' names."""
    if isinstance(nested, str):
        small = [name for name, r in results.items() if name == "persistence" or _is_persistence(r)]
        return [(name, large) for name in small for large in results if large not in small]
    pairs = []
    for pair in nested:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(
                f"nested must hold (small, large) pairs of model names, got {pair!r}: "
                'pass e.g. nested=[("persistence", "har")].'
            )
        small, large = pair
        for name in pair:
            if name not in results:
                raise ValueError(
                    f"nested={nested!r} names {name!r}, which is not a model of results: "
                    f"the models are {', '.join(map(repr, results))}."
                )
        if small == large:
            raise ValueError(f"nested pairs two different models, got ({small!r}, {large!r}).")
        pairs.append((small, large))
    return pairs


def _is_persistence(result: BacktestResult) -> bool:
    """Whether every forecast repeats the target's value at its origin, as persistence's.

    That value is the step-1 outcome of the origin whose next session is this origin.
    """
    forecast = result.wide("forecast")
    first = result.forecasts[result.forecasts["step"] == 1]
    value_on = pd.Series(first["actual"].to_numpy(), index=pd.Index(first["target_date"]))
    value_on = value_on[value_on.index.notna() & ~value_on.index.duplicated()]
    current = value_on.reindex(forecast.index).to_numpy()
    known = np.isfinite(current)
    return bool(known.any()) and np.allclose(
        forecast.to_numpy()[known], current[known, None], rtol=1e-12, atol=0.0
    )
