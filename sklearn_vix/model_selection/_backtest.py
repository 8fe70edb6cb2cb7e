"""Walk-forward backtest: forecast every origin as production would, refit on a schedule.

At each origin ``t`` a forecaster in production knows the rows up to ``t`` and the targets
that have happened by ``t``: the ``h`` steps of row ``j`` are all known once ``j + h <= t``.
A refit at origin ``r`` therefore trains on rows ``j <= r - h`` (the last ``h - 1`` rows,
whose targets reach past ``r``, are purged), and the model then forecasts every origin up
to the next refit.

Forecasts between two refits are made in ONE predict call on the block of rows that
continues the fit data, starting right after its last row: the library's transformers
complete the block's first windows from the fit history (``preprocessing/_history.py``)
and compute row ``t`` from rows up to ``t`` only, so the block's forecasts are those of
row-by-row production at a fraction of the cost. Interval forecasters with ``update``
(:class:`~sklearn_vix.ConformalForecaster`) replay the same block through ``update``, which
issues each row's interval before its outcomes and absorbs step ``k`` of row ``j`` at
``j + k``: never earlier.

The schedule is a :class:`~sklearn_vix.model_selection.WalkForwardSplit` (``_split.py``), or
a refit policy asked at each origin with what is known then. A finished walk keeps its last
model in the state it had at its last origin, so that
:meth:`~sklearn_vix.model_selection.BacktestResult.extend` continues it exactly.
"""

from __future__ import annotations

import copy
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, clone

from .._compat import Interval, StrOptions, validate_params
from .._validation import check_time_order
from ..base import is_interval_forecaster, model_lookback
from ..diagnostics import stress_regimes
from ..metrics import persistence_forecast
from ._compare import _fold_metrics, _interval_metrics, _quantile_metrics, _scored_quantiles
from ._result import BacktestResult, _fits_frame, _forecast_frame, _quantile_frame
from ._split import WalkForwardSplit, training_rows
from ._warm import find_net, warm_refit

__all__ = ["backtest"]

_POINT_METRICS = ("rmse", "mae", "r2", "skill", "rmse_ratio", "qlike")
_INTERVAL_METRICS = ("coverage", "width", "interval_score", "pinball")
_QUANTILE_METRICS = ("crps", "quantile_pinball")


# -- input checks, all before the first fit ------------------------------------------


def _check_schedule(estimator, cv: WalkForwardSplit, X, y) -> list[tuple]:
    if not hasattr(estimator, "predict"):
        raise TypeError(
            f"backtest needs a forecaster with fit and predict; {type(estimator).__name__} "
            "has no predict."
        )
    lookback = model_lookback(estimator)
    if cv.window != "expanding" and cv.window <= lookback:
        raise ValueError(
            f"window={cv.window} rows is not longer than the model's lookback of {lookback} "
            f"rows: pass window > {lookback} (several times the lookback is advisable) or "
            "window='expanding'."
        )
    blocks = cv.blocks(X, y)
    first_train, first_origin = blocks[0][1], blocks[0][2][0]
    needed = lookback + 1
    if first_train.stop - first_train.start < needed:
        horizon = first_origin - first_train.stop + 1
        raise ValueError(
            f"start={cv.start!r} (row {first_origin}) leaves "
            f"{first_train.stop - first_train.start} training rows whose {horizon}-step "
            f"targets are known, and the model's lookback of {lookback} needs at least "
            f"{needed}: start at row {needed + horizon - 1} or later."
        )
    return blocks


def _resolve_metrics(metrics, estimator, X, horizon: int):
    """``(name, column or callable)`` pairs, every string checked before any fit."""
    if metrics is None:
        return None
    items = (
        metrics.items()
        if isinstance(metrics, Mapping)
        else [(getattr(m, "__name__", None) if callable(m) else m, m) for m in metrics]
    )
    allowed = [*_POINT_METRICS, *(f"rmse_step{k}" for k in range(1, horizon + 1) if horizon > 1)]
    if is_interval_forecaster(estimator):
        regimes = stress_regimes(X.iloc[:2]).columns
        allowed += [*_INTERVAL_METRICS, *(f"coverage_{name}" for name in regimes)]
    if _scored_quantiles(estimator) is not None:
        allowed += list(_QUANTILE_METRICS)
    resolved = []
    for name, metric in items:
        if callable(metric):
            resolved.append((str(name or type(metric).__name__), metric))
        elif isinstance(metric, str) and metric in allowed:
            resolved.append((str(name), metric))
        else:
            raise ValueError(
                f"metrics={metrics!r}: {metric!r} is not a metric of this backtest; pass "
                f"callables f(y_true, y_pred) (scikit-learn's metric functions) or names "
                f"among {allowed}."
            )
    if not resolved:
        raise ValueError("metrics is empty: pass None for the default metrics, or some.")
    return resolved


def _asked_quantiles(chosen, estimator) -> np.ndarray | None:
    """The levels to read quantiles at, when a chosen metric scores them: they cost one
    more prediction per block, paid only when asked."""
    if chosen is None or not any(metric in _QUANTILE_METRICS for _, metric in chosen):
        return None
    return _scored_quantiles(estimator)


def _as_frame(X, y):
    """pandas copies of ``X`` and ``y`` (NumPy input gets a RangeIndex), checked for time
    order and alignment before anything is fitted."""
    if not isinstance(X, pd.DataFrame):
        X = pd.DataFrame(np.asarray(X))
    if not isinstance(y, (pd.Series, pd.DataFrame)):
        y = np.asarray(y)
        y = pd.Series(y, index=X.index) if y.ndim == 1 else pd.DataFrame(y, index=X.index)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows and y has {len(y)}: they must match.")
    check_time_order(
        X.index, "X", "Sort X and y by date (sort_index()) and drop repeated dates first."
    )
    if not y.index.equals(X.index):
        row = next(i for i in range(len(X)) if not y.index[i] == X.index[i])
        raise ValueError(
            f"y's index is not X's: row {row} of y is {y.index[row]!r} where X has "
            f"{X.index[row]!r}. Pass the X and y of one make_supervised call, aligned by row."
        )
    return X, y


# -- the walk -----------------------------------------------------------------------


@dataclass
class _Block:
    refit: int
    origins: np.ndarray  # positions forecast by this fit
    train: slice
    warm: bool
    forecast: np.ndarray
    bounds: np.ndarray | None
    fit_time: float
    predict_time: float
    model: object = None
    quantiles: np.ndarray | None = None  # (n_origins, n_steps, n_levels)
    # An online model as it was at the block's first origin, before its updates: what a
    # continued backtest reads the quantiles of the block's later origins from.
    quantile_source: object = None


def _online(model) -> bool:
    """Whether ``model`` issues intervals online (an interval forecaster with ``update``)."""
    return hasattr(model, "update") and hasattr(model, "predict_interval")


def _known_by(y_block: pd.DataFrame | pd.Series, last: int) -> np.ndarray:
    """The block's targets as known at its last origin: step ``k`` of row ``j`` (0-based
    in the block) is known at ``j + k``; later ones are NaN, not yet known."""
    values = np.asarray(y_block, dtype=np.float64).reshape(len(y_block), -1).copy()
    rows = np.arange(len(values))[:, None]
    values[rows + np.arange(1, values.shape[1] + 1)[None, :] > last] = np.nan
    return values.reshape(np.shape(y_block))


def _predict_block(model, X, y, first_row: int, origins: np.ndarray, levels=None):
    """Forecasts, intervals and quantiles at ``levels`` of ``origins`` from one call on the
    rows from ``first_row`` (which continue the model's fit rows, or start with its pending
    rows)."""
    block = slice(first_row, origins[-1] + 1)
    X_block = X.iloc[block]
    keep = origins - first_row
    quantiles = _block_quantiles(model, X, first_row, origins, levels)
    if _online(model):
        # Intervals issued online: each before its outcomes, which are absorbed in time.
        # The outcomes not known by the block's last origin stay pending, so that the
        # model's state is the one production has then (a continued backtest resumes it).
        # update predicts the block itself: one prediction per block.
        model.update(X_block, _known_by(y.iloc[block], origins[-1] - first_row))
        forecast, bounds = model.update_forecasts_, model.update_intervals_
    else:
        forecast = model.predict(X_block)
        bounds = model.predict_interval(X_block) if hasattr(model, "predict_interval") else None
    forecast = np.asarray(forecast, dtype=np.float64).reshape(len(X_block), -1)
    if bounds is not None:
        bounds = np.asarray(bounds).reshape(len(X_block), -1, 2)[keep]
    return forecast[keep], bounds, quantiles


def _block_quantiles(model, X, first_row: int, origins: np.ndarray, levels):
    """Quantiles at ``levels`` of ``origins`` (None without levels) from one call on the
    rows from ``first_row``. Called before a block's updates, they read the calibration
    scores known at its first origin: one call per block keeps the cost small."""
    if levels is None:
        return None
    X_block = X.iloc[first_row : origins[-1] + 1]
    quantiles = np.asarray(model.predict_quantiles(X_block, levels), dtype=np.float64)
    return quantiles.reshape(len(X_block), -1, len(levels))[origins - first_row]


def _check_causal(model, X, first_row: int, origins: np.ndarray, forecast, seed: int):
    """Forecast a few origins again from the rows up to them only: a ``predict`` that reads
    later rows of its table gives another number."""
    rng = np.random.default_rng(seed)
    for i in rng.choice(len(origins), size=min(3, len(origins)), replace=False):
        alone = np.asarray(model.predict(X.iloc[first_row : origins[i] + 1]), dtype=np.float64)
        if not np.allclose(alone.reshape(-1, forecast.shape[1])[-1], forecast[i]):
            raise ValueError(
                "The forecaster's predict is not causal: the forecast from "
                f"{X.index[origins[i]]!r} changes when the rows after it are left out of "
                "the table. backtest forecasts a block of origins in one call, which needs "
                "each row's forecast to depend on that row and earlier ones only."
            )


@dataclass
class _Settings:
    warm: bool
    warm_epochs: int | None
    carry_online_state: bool
    check_causality: bool
    return_estimator: bool
    levels: np.ndarray | None = None


def _fit(estimator, previous, X, y, train, settings: _Settings):
    """The refit on rows ``train``: warm from ``previous`` for a net, else cold."""
    start = time.perf_counter()
    X_train, y_train = X.iloc[train], y.iloc[train]
    warm = settings.warm and previous is not None
    if warm:
        model = warm_refit(estimator, previous, X_train, y_train, max_epochs=settings.warm_epochs)
    else:
        model = clone(estimator).fit(X_train, y_train)
    if settings.carry_online_state and previous is not None:
        # Production keeps what the online rule learnt (ACI's levels, PID's bounds) across
        # a refit; the rows pending on the old model are the new one's calibration rows.
        model.online_state_.states = copy.deepcopy(previous.online_state_.states)
    return model, warm, time.perf_counter() - start


def _run_block(estimator, previous, X, y, number, train, origins, settings: _Settings,
               last: bool = False):  # fmt: skip
    """One refit and its block. The last block of a walk keeps a copy of its model as it
    was at its first origin, from which a continued backtest reads the quantiles of the
    origins it adds (an online model's later state knows outcomes they must not)."""
    model, warm, fit_time = _fit(estimator, previous, X, y, train, settings)
    start = time.perf_counter()
    keep = last and settings.levels is not None and _online(model)
    source = copy.deepcopy(model) if keep else None
    if settings.check_causality:
        forecast = np.asarray(model.predict(X.iloc[train.stop : origins[-1] + 1]))
        forecast = forecast.reshape(origins[-1] + 1 - train.stop, -1)[origins - train.stop]
        _check_causal(model, X, train.stop, origins, forecast, number)
    forecast, bounds, quantiles = _predict_block(model, X, y, train.stop, origins, settings.levels)
    block = _Block(
        number,
        origins,
        train,
        warm,
        forecast,
        bounds,
        fit_time,
        time.perf_counter() - start,
        model if settings.return_estimator else None,
        quantiles,
        source,
    )
    return block, model


def _known_frame(blocks, X, y, horizon: int, now: int) -> pd.DataFrame:
    """The forecasts of ``blocks`` as known at row ``now``: outcomes after it are NaN."""
    frame = _forecast_frame(blocks, X.index, y, horizon)
    origins = np.repeat(np.concatenate([b.origins for b in blocks]), horizon)
    frame.loc[origins + frame["step"].to_numpy() > now, "actual"] = np.nan
    return frame


def _walk_by_policy(estimator, X, y, candidates, window, policy, settings, progress):
    """The walk whose refits ``policy(forecasts, origin)`` decides, origin by origin.

    Each refit forecasts every later candidate origin (``predict`` is causal); the policy
    is then asked at each of them, in order, with the forecasts made so far and only the
    outcomes known at that origin, and the block ends before the first origin where it
    says True. An online interval forecaster replays the block again up to that end, so
    that its state holds nothing from after it.
    """
    horizon = 1 if y.ndim == 1 else y.shape[1]
    blocks, previous, k = [], None, 0
    bar = _progress(len(candidates), progress)
    try:
        while k < len(candidates):
            rest = candidates[k:]
            train = training_rows(rest[0], horizon, window)
            model, warm, fit_time = _fit(estimator, previous, X, y, train, settings)
            start = time.perf_counter()
            probe = copy.deepcopy(model) if _online(model) else model
            forecast, bounds, quantiles = _predict_block(
                probe, X, y, train.stop, rest, settings.levels
            )
            end = len(rest)
            for i in range(1, len(rest)):
                partial = _Block(len(blocks), rest[:i], train, warm, forecast[:i],
                                 None if bounds is None else bounds[:i], 0.0, 0.0)  # fmt: skip
                known = _known_frame([*blocks, partial], X, y, horizon, rest[i])
                if policy(known, X.index[rest[i]]):
                    end = i
                    break
            if _online(model):
                forecast, bounds, _ = _predict_block(model, X, y, train.stop, rest[:end])
            else:
                forecast, bounds = forecast[:end], None if bounds is None else bounds[:end]
            quantiles = None if quantiles is None else quantiles[:end]
            blocks.append(
                _Block(
                    len(blocks),
                    rest[:end],
                    train,
                    warm,
                    forecast,
                    bounds,
                    fit_time,
                    time.perf_counter() - start,
                    model if settings.return_estimator else None,
                    quantiles,
                )
            )
            previous, k = model, k + end
            if bar is not None:
                bar.update(end)
        return blocks, previous
    finally:
        if bar is not None:
            bar.close()


def _progress(total: int, progress):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="backtest", unit="refit")


def _warm(estimator, warm_start: bool) -> bool:
    """Whether refits continue a net. Not inside an interval forecaster with ``update``:
    its calibration folds would start from weights trained on the rows they calibrate on,
    and their residuals would be in-sample."""
    return (
        warm_start
        and find_net(estimator, fitted=False) is not None
        and not hasattr(estimator, "update")
    )


def _walk(estimator, X, y, schedule, settings, n_jobs, progress, previous=None):
    """Run every block of ``schedule``; return the blocks and the last fitted model."""
    final = schedule[-1][0] if schedule else None
    bar = _progress(len(schedule), progress)
    try:
        if settings.warm or settings.carry_online_state:
            # Each refit starts from the previous one (its weights, its online state):
            # strictly in order.
            blocks = []
            for number, train, origins in schedule:
                block, previous = _run_block(
                    estimator, previous, X, y, number, train, origins, settings, number == final
                )
                blocks.append(block)
                if bar is not None:
                    bar.update()
            return blocks, previous
        jobs = (
            delayed(_run_block)(
                estimator, None, X, y, number, train, origins, settings, number == final
            )
            for number, train, origins in schedule
        )
        blocks = []
        for block, model in Parallel(n_jobs=n_jobs, return_as="generator")(jobs):
            blocks.append(block)
            previous = model
            if bar is not None:
                bar.update()
        return blocks, previous
    finally:
        if bar is not None:
            bar.close()


# -- the result ---------------------------------------------------------------------


def _metrics(blocks, X, y, target_column, coverage, chosen, levels=None):
    """The metrics, overall and per refit block, on the forecast origins: compare_models'
    by default, else the ``chosen`` names and callables."""
    truth_all = y.to_numpy(dtype=np.float64).reshape(len(y), -1)
    naive_all = persistence_forecast(X, truth_all, target_column).reshape(truth_all.shape)
    regimes = stress_regimes(X, target_column=target_column)

    def score(rows, forecast, bounds, quantiles):
        truth = truth_all[rows]
        row = _fold_metrics(truth, forecast, naive_all[rows])
        if bounds is not None:
            row.update(_interval_metrics(truth, bounds, coverage, regimes.iloc[rows]))
        if quantiles is not None:
            row.update(_quantile_metrics(truth, quantiles, levels))
        if chosen is None:
            return row
        shaped = truth if truth.shape[1] > 1 else truth[:, 0]
        return {
            name: metric(shaped, forecast.reshape(shaped.shape))
            if callable(metric)
            else row[metric]
            for name, metric in chosen
        }

    table = pd.DataFrame(
        [{"refit": b.refit, **score(b.origins, b.forecast, b.bounds, b.quantiles)} for b in blocks]
    )
    has_bounds = blocks[0].bounds is not None
    has_quantiles = blocks[0].quantiles is not None
    overall = score(
        np.concatenate([b.origins for b in blocks]),
        np.concatenate([b.forecast for b in blocks]),
        np.concatenate([b.bounds for b in blocks]) if has_bounds else None,
        np.concatenate([b.quantiles for b in blocks]) if has_quantiles else None,
    )
    return pd.DataFrame([overall], index=["all"]), table


@validate_params(
    {
        "forecaster": "no_validation",
        "X": ["array-like"],
        "y": ["array-like"],
        "start": "no_validation",
        "end": "no_validation",
        "stride": [Interval(Integral, 1, None, closed="left")],
        "refit_every": [Interval(Integral, 1, None, closed="left"), callable],
        "window": [StrOptions({"expanding"}), Interval(Integral, 1, None, closed="left")],
        "cv": [WalkForwardSplit, None],
        "metrics": [list, tuple, Mapping, None],
        "warm_start": ["boolean"],
        "warm_epochs": [Interval(Integral, 1, None, closed="left"), None],
        "carry_online_state": ["boolean"],
        "return_estimator": ["boolean"],
        "check_causality": ["boolean"],
        "target_column": [Integral, str],
        "n_jobs": [Integral, None],
        "progress": ["boolean", None],
    },
    prefer_skip_nested_validation=False,
)
def backtest(
    forecaster: BaseEstimator,
    X,
    y,
    *,
    start=None,
    end=None,
    stride: int = 1,
    refit_every: int | Callable = 22,
    window: str | int = "expanding",
    cv: WalkForwardSplit | None = None,
    metrics: list | tuple | Mapping | None = None,
    warm_start: bool = True,
    warm_epochs: int | None = 3,
    carry_online_state: bool = False,
    return_estimator: bool = False,
    check_causality: bool = False,
    target_column: int | str = 0,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> BacktestResult:
    """Walk-forward backtest: forecast from every origin, refitting on a schedule.

    The origins run from ``start`` to ``end`` (the last row of ``X`` by default), every
    ``stride``-th one. Every ``refit_every`` rows the forecaster is refitted on the rows
    whose targets are all known by then (rows ``j <= t - horizon`` at origin ``t``), from
    the first row (``window="expanding"``) or the last ``window`` of them; it then
    forecasts each origin of its block from the rows up to that origin. The schedule is a
    :class:`WalkForwardSplit` (pass one as ``cv``, or preview it with its ``schedule``). A
    :class:`~sklearn_vix.ConformalForecaster` receives each outcome through ``update`` as
    soon as it is known and never before: step ``k`` of origin ``t`` at ``t + k``.

    The forecaster's ``predict`` must compute row ``t`` from rows up to ``t`` only, as
    every estimator and transformer of this library does: a block of origins is forecast
    in one call (``check_causality=True`` verifies it on a few origins of every block); a
    block continues its fit data across weekends and NYSE holidays (the transformers'
    continuation rule reads the exchange's schedule), so its first windows are completed
    from the fit rows.

    Parameters
    ----------
    forecaster : estimator
        Anything with ``fit`` and ``predict`` taking the raw rows ``X``: HAR, a linear
        pipeline, :func:`~sklearn_vix.make_forecaster`, ``ConformalForecaster``, a net.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Time-ordered rows (an increasing, unique index), as from
        :func:`~sklearn_vix.datasets.make_supervised`.
    y : Series, DataFrame or array-like of shape (n_samples,) or (n_samples, horizon)
        The targets after each row, on ``X``'s index.
    start : int or index label
        First origin: a row position (int) or a label of ``X``'s index (a date). Required
        unless ``cv`` is given.
    end : int, index label or None, default=None
        Last origin, included; the last row when None.
    stride : int, default=1
        Forecast every ``stride``-th origin.
    refit_every : int or callable, default=22
        Rows between two refits (22 sessions: about a month), or a refit policy (Darts'
        ``retrain=callable``): ``refit_every(forecasts, origin) -> bool`` is asked at every
        origin after a refit's first, with the forecasts made so far (the frame of
        ``BacktestResult.forecasts``, ``actual`` NaN where the outcome is not known at
        ``origin``), and True refits before forecasting ``origin``. For example, refit
        when the last 60 known outcomes' coverage drifts from the nominal one.
    window : "expanding" or int, default="expanding"
        Train on every known row, or on the last ``window`` rows.
    cv : WalkForwardSplit or None, default=None
        The schedule, instead of ``start``, ``end``, ``stride``, ``refit_every`` and
        ``window``.
    metrics : list, tuple, dict or None, default=None
        The columns of ``metrics`` and ``table``: None for those of
        :func:`compare_models` but the quantile ones; else names among them (``"rmse"``,
        ``"qlike"``, ``"coverage"``..., and for a quantile forecaster ``"crps"`` and
        ``"quantile_pinball"`` of its quantiles at 0.05, 0.10, ..., 0.95, or at its own
        fixed levels, read once per refit block: see ``BacktestResult.quantiles``) and
        callables ``f(y_true, y_pred)`` such as scikit-learn's
        metric functions, named by a dict's keys or their ``__name__``. A callable gets
        arrays of shape (n_origins,) at horizon 1, else (n_origins, horizon).
    warm_start : bool, default=True
        A net (found inside pipelines and wrappers) continues from the previous refit's
        weights on the grown data instead of training from scratch; other models are
        refitted as usual. A net inside a ``ConformalForecaster`` is refitted cold: its
        calibration folds would otherwise start from weights trained on the rows they
        calibrate on. ``fits["warm"]`` says which refits were warm.
    warm_epochs : int or None, default=3
        Cap on the epochs of a warm refit (the net's ``max_epochs`` when None); early
        stopping on the latest rows still ends it sooner. The default is the measured
        cheap one: on the LSTM walk of 2016-2023 (refit every 22 sessions) three epochs
        forecast 2023 as well as cold refits do, at a tenth of a cold refit's time
        (``benchmarks/bench_warm_default.py``; the table is in the user guide's walk
        forward page).
    carry_online_state : bool, default=False
        With an interval forecaster that learns online
        (:class:`~sklearn_vix.ConformalForecaster`), each refit starts its online rule
        from the state the previous refit ended with (ACI's levels, PID's bounds, per
        step and calendar group), as production does when it refits on a schedule,
        instead of from the nominal level. Refits then run in order.
    return_estimator : bool, default=False
        Keep every refit's fitted model in ``estimators`` (as ``cross_validate``).
    check_causality : bool, default=False
        Forecast three origins of every block again from the rows up to each, and raise a
        ValueError if a forecast differs from the block's.
    target_column : int or str, default=0
        Column of ``X`` holding the target's latest value (persistence, stress regimes).
    n_jobs : int or None, default=None
        Cold refits run in parallel (joblib); warm refits of a net run in order.
    progress : bool or None, default=None
        Show a progress bar; None shows one when stderr is a terminal.

    Returns
    -------
    result : BacktestResult
        ``forecasts`` (one row per origin and step), ``fits``, ``metrics``, ``table`` and,
        with ``return_estimator``, ``estimators``.

    See Also
    --------
    WalkForwardSplit : The schedule, previewed as a table.
    compare_backtests : Rank the backtests of several models.

    Examples
    --------
    >>> from sklearn.metrics import mean_absolute_percentage_error
    >>> from sklearn_vix import HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import backtest
    >>> X, y = make_supervised(load_vix_sim().iloc[:700], horizon=2)
    >>> result = backtest(HARRegressor(), X, y, start=600, refit_every=22)
    >>> result.forecasts.shape, len(result.fits)
    ((196, 8), 5)
    >>> list(result.forecasts.columns[:4])
    ['origin', 'step', 'target_date', 'forecast']
    >>> bool(result.metrics.loc["all", "rmse_ratio"] < 1.2)
    True
    >>> chosen = backtest(
    ...     HARRegressor(), X, y, start=600, metrics=["rmse", mean_absolute_percentage_error]
    ... )
    >>> list(chosen.metrics.columns)
    ['rmse', 'mean_absolute_percentage_error']
    """
    X, y = _as_frame(X, y)
    horizon = 1 if y.ndim == 1 else y.shape[1]
    policy = refit_every if callable(refit_every) else None
    if cv is None:
        if start is None:
            raise TypeError("backtest needs start= (the first origin) or cv= (a schedule).")
        # A policy's refits are found as the walk goes: one block of every origin to check.
        every = len(X) if policy is not None else refit_every
        cv = WalkForwardSplit(start, end=end, stride=stride, refit_every=every, window=window)
    elif start is not None or end is not None or policy is not None:
        raise TypeError(
            "Pass either cv= or start=, end= and refit_every=, not both: cv holds the schedule."
        )
    chosen = _resolve_metrics(metrics, forecaster, X, horizon)
    schedule = _check_schedule(forecaster, cv, X, y)
    settings = _Settings(
        warm=_warm(forecaster, warm_start),
        warm_epochs=warm_epochs,
        carry_online_state=carry_online_state and hasattr(forecaster, "update"),
        check_causality=check_causality,
        return_estimator=return_estimator,
        levels=_asked_quantiles(chosen, forecaster),
    )
    if policy is None:
        blocks, last = _walk(forecaster, X, y, schedule, settings, n_jobs, progress)
    else:
        candidates = schedule[0][2]
        blocks, last = _walk_by_policy(
            forecaster, X, y, candidates, window, policy, settings, progress
        )
    run = _Run(forecaster, cv, settings, target_column, chosen, X, y, blocks, last, policy)
    return _result(run)


@dataclass
class _Run:
    """What a finished backtest needs to continue: its settings, data, blocks and the last
    model, in the state it had at the last origin."""

    forecaster: BaseEstimator
    cv: WalkForwardSplit
    settings: _Settings
    target_column: int | str
    chosen: list | None
    X: pd.DataFrame
    y: pd.Series | pd.DataFrame
    blocks: list
    model: object
    policy: Callable | None = None


def _result(run: _Run) -> BacktestResult:
    blocks, X, y = run.blocks, run.X, run.y
    horizon = 1 if y.ndim == 1 else y.shape[1]
    coverage = getattr(run.forecaster, "coverage", None) if blocks[0].bounds is not None else None
    for block in blocks[:-1]:
        block.quantile_source = None  # only the last block can be continued
    levels = run.settings.levels
    metrics_frame, table = _metrics(blocks, X, y, run.target_column, coverage, run.chosen, levels)
    forecasts = _forecast_frame(blocks, X.index, y, horizon)
    return BacktestResult(
        forecasts,
        _fits_frame(blocks, X.index),
        metrics_frame,
        table,
        coverage,
        [b.model for b in blocks] if run.settings.return_estimator else None,
        run,
        _quantile_frame(blocks, levels, forecasts.index),
    )


def _check_extension(run: _Run, X: pd.DataFrame, y) -> None:
    n = len(run.X)
    if len(X) < n or not X.index[:n].equals(run.X.index):
        raise ValueError(
            f"The new X must start with the {n} rows of the backtest's X, with the same "
            f"labels ({run.X.index[0]!r} .. {run.X.index[-1]!r}), and add rows after them."
        )
    for name, new, old in (("X", X.iloc[:n], run.X), ("y", y.iloc[:n], run.y)):
        a = np.asarray(new, dtype=np.float64).reshape(n, -1)
        b = np.asarray(old, dtype=np.float64).reshape(n, -1)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            row = int(np.flatnonzero(~same.all(axis=1))[0])
            raise ValueError(
                f"The new {name} changes row {row} ({X.index[row]!r}) of the backtest's "
                f"{name}: a continued backtest equals a full one only on the same past."
            )
    if run.policy is not None:
        raise ValueError(
            "A backtest whose refits a policy decides cannot be continued: its next refit "
            "depends on the whole walk. Run backtest again on the longer data."
        )
    if run.cv.end is not None:
        raise ValueError(
            f"This backtest ended at end={run.cv.end!r}: run a new backtest to forecast "
            "origins after it."
        )


def extend_backtest(result: BacktestResult, X, y, *, progress: bool | None = None):
    """:meth:`BacktestResult.extend`: the backtest continued on data with more rows."""
    run = result._run
    if run is None:
        raise ValueError("This BacktestResult holds no run to continue: make it with backtest.")
    X, y = _as_frame(X, y)
    _check_extension(run, X, y)
    schedule = run.cv.blocks(X, y)
    last = run.blocks[-1]
    _, train, origins = schedule[len(run.blocks) - 1]
    model = copy.deepcopy(run.model)
    fresh = origins[origins > last.origins[-1]]
    blocks = list(run.blocks)
    if len(fresh):
        # The last block goes on with its model, which resumes where it stopped: an
        # online model from its pending rows, any other from its fit rows.
        start = time.perf_counter()
        first_row = train.stop
        if _online(model):
            first_row = last.origins[-1] + 1 - len(model.online_state_.pending)
        forecast, bounds, _ = _predict_block(model, X, y, first_row, fresh)
        source = model if last.quantile_source is None else last.quantile_source
        quantiles = _block_quantiles(source, X, train.stop, fresh, run.settings.levels)
        blocks[-1] = _Block(
            last.refit,
            np.concatenate([last.origins, fresh]),
            last.train,
            last.warm,
            np.concatenate([last.forecast, forecast]),
            None if bounds is None else np.concatenate([last.bounds, bounds]),
            last.fit_time,
            last.predict_time + time.perf_counter() - start,
            model if run.settings.return_estimator else None,
            None if quantiles is None else np.concatenate([last.quantiles, quantiles]),
            last.quantile_source,
        )
    later, model = _walk(
        run.forecaster, X, y, schedule[len(run.blocks) :], run.settings, None, progress, model
    )
    settings = (run.forecaster, run.cv, run.settings, run.target_column, run.chosen)
    return _result(_Run(*settings, X, y, blocks + later, model))
