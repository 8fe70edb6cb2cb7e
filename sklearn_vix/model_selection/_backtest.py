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
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, clone

from .._compat import Interval, StrOptions, validate_params
from .._validation import check_time_order
from ..calendar import sessions_after
from ..diagnostics import stress_regimes
from ..metrics import persistence_forecast, qlike_loss
from ..stats import clark_west, diebold_mariano, model_confidence_set
from ._compare import _fold_metrics, _interval_metrics
from ._warm import find_net, warm_refit

__all__ = ["BacktestResult", "backtest", "compare_backtests"]

_COLUMNS = ["origin", "step", "target_date", "forecast", "lower", "upper", "actual", "refit"]


@dataclass
class BacktestResult:
    """Outcome of :func:`backtest`.

    Attributes
    ----------
    forecasts : DataFrame
        One row per origin and step: ``origin`` (the index label of the row forecast
        from), ``step`` (1..horizon), ``target_date`` (the session ``step`` rows later;
        past the data's end, the next business days), ``forecast``, ``lower`` and
        ``upper`` (NaN for a model without intervals), ``actual`` and ``refit`` (the
        model version, 0 for the first fit).
    fits : DataFrame
        One row per refit: ``refit``, ``origin`` (the first origin it forecasts),
        ``train_start`` and ``train_end`` (index labels of the training rows),
        ``n_train``, ``warm`` (continued from the previous weights), ``fit_time`` and
        ``predict_time`` (seconds; intervals and online updates included).
    metrics : DataFrame
        The metrics of :func:`compare_models` on all forecast origins, one row named
        ``"all"``: ``rmse``, ``mae``, ``r2``, ``skill`` and ``rmse_ratio`` against
        persistence, ``qlike``, per-step RMSE for several steps, and for interval models
        ``coverage``, ``width``, ``interval_score``, ``pinball`` and coverage per stress
        regime.
    table : DataFrame
        The same metrics per refit block (``refit`` column), as ``compare_models``'
        table per fold.
    coverage : float or None
        Nominal coverage of the intervals, None without intervals.
    """

    forecasts: pd.DataFrame
    fits: pd.DataFrame
    metrics: pd.DataFrame = field(default_factory=pd.DataFrame)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage: float | None = None

    def wide(self, column: str = "forecast") -> pd.DataFrame:
        """``column`` of :attr:`forecasts` as origins x steps."""
        return self.forecasts.pivot(index="origin", columns="step", values=column)

    def losses(self, step: int | None = None, loss: str = "squared") -> pd.Series:
        """Per-origin loss of step ``step`` (the last when None), indexed by origin.

        ``loss`` is ``"squared"``, ``"absolute"`` or ``"qlike"``
        (:func:`~sklearn_vix.metrics.qlike_loss`): the input of
        :func:`~sklearn_vix.stats.model_confidence_set`.
        """
        step = int(self.forecasts["step"].max()) if step is None else step
        rows = self.forecasts[self.forecasts["step"] == step]
        if rows.empty:
            raise ValueError(f"step={step} is not a step of these forecasts.")
        truth, forecast = rows["actual"].to_numpy(), rows["forecast"].to_numpy()
        if loss == "squared":
            values = (forecast - truth) ** 2
        elif loss == "absolute":
            values = np.abs(forecast - truth)
        elif loss == "qlike":
            values = qlike_loss(truth, forecast)
        else:
            raise ValueError(f"loss must be 'squared', 'absolute' or 'qlike', got {loss!r}.")
        return pd.Series(values, index=pd.Index(rows["origin"], name="origin"), name=loss)

    def __str__(self) -> str:
        fit_time = self.fits["fit_time"]
        text = (
            f"{self.forecasts['origin'].nunique()} origins, {len(self.fits)} fits "
            f"({fit_time.sum():.1f} s, median {fit_time.median():.3f} s)\n"
        )
        return text + self.metrics.to_string(float_format=lambda v: f"{v:.4f}")


# -- input checks, all before the first fit ------------------------------------------


def model_lookback(estimator) -> int:
    """Rows of history one forecast needs, read from the estimator's parameters.

    The largest ``lookback`` (windows, nets) or HAR ``windows`` anywhere inside it; 1 for
    a model that reads one row.
    """
    params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    needed = 1
    for name, value in params.items():
        leaf = name.rsplit("__", 1)[-1]
        if leaf == "lookback" and isinstance(value, Integral):
            needed = max(needed, int(value))
        elif leaf in ("windows", "har_windows") and value:
            needed = max(needed, *(int(w) for w in value))
    return needed


def _position(index: pd.Index, value, name: str = "start") -> int:
    """The row position of ``value``: a row position, or the first row on or after a label."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value) if value >= 0 else len(index) + int(value)
    if isinstance(index, pd.DatetimeIndex):
        try:
            value = pd.Timestamp(value)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{name}={value!r} is neither a row position (int) nor a date: pass a date "
                f"such as {str(index[len(index) // 2].date())!r} or a row position."
            ) from error
        if value.tz is None and index.tz is not None:
            value = value.tz_localize(index.tz)
    try:
        return int(index.searchsorted(value, side="left"))
    except TypeError as error:
        raise ValueError(
            f"{name}={value!r} cannot be compared with the index of X ({index.dtype}): "
            "pass a row position (int) or a label of the index."
        ) from error


def _check_schedule(estimator, index, start, horizon, refit_every, window) -> int:
    if not hasattr(estimator, "predict"):
        raise TypeError(
            f"backtest needs a forecaster with fit and predict; {type(estimator).__name__} "
            "has no predict."
        )
    lookback = model_lookback(estimator)
    if window != "expanding" and window <= lookback:
        raise ValueError(
            f"window={window} rows is not longer than the model's lookback of {lookback} "
            f"rows: pass window > {lookback} (several times the lookback is advisable) or "
            "window='expanding'."
        )
    position = _position(index, start)
    n = len(index)
    if not 0 <= position < n:
        raise ValueError(
            f"start={start!r} is after the data, whose last origin is {index[-1]!r} "
            f"(row {n - 1}): pass an earlier start."
            if position >= n
            else f"start={start!r} is before the first row of X."
        )
    n_train = position - horizon + 1
    needed = lookback + 1
    if n_train < needed:
        raise ValueError(
            f"start={start!r} (row {position}) leaves {max(n_train, 0)} training rows whose "
            f"{horizon}-step targets are known, and the model's lookback of {lookback} "
            f"needs at least {needed}: start at row {needed + horizon - 1} or later."
        )
    return position


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


def _schedule(n: int, start: int, horizon: int, refit_every: int, window) -> list[tuple]:
    blocks = []
    for number, first in enumerate(range(start, n, refit_every)):
        train_end = first - horizon + 1  # exclusive: rows whose targets are all known
        train_start = 0 if window == "expanding" else max(0, train_end - window)
        blocks.append(
            (number, slice(train_start, train_end), np.arange(first, min(first + refit_every, n)))
        )
    return blocks


def _predict_block(model, X, y, first_row: int, origins: np.ndarray):
    """Forecasts (and intervals) of ``origins`` from one call on the continuing block."""
    block = slice(first_row, origins[-1] + 1)
    X_block = X.iloc[block]
    skip = origins[0] - first_row
    forecast = np.asarray(model.predict(X_block), dtype=np.float64).reshape(len(X_block), -1)
    bounds = None
    if hasattr(model, "update") and hasattr(model, "predict_interval"):
        # Intervals issued online: each before its outcomes, which are absorbed in time.
        bounds = model.update(X_block, y.iloc[block]).update_intervals_
    elif hasattr(model, "predict_interval"):
        bounds = model.predict_interval(X_block)
    if bounds is not None:
        bounds = np.asarray(bounds).reshape(len(X_block), -1, 2)[skip:]
    return forecast[skip:], bounds


def _run_block(estimator, previous, X, y, number, train, origins, warm_epochs):
    start = time.perf_counter()
    X_train, y_train = X.iloc[train], y.iloc[train]
    warm = previous is not None
    if warm:
        model = warm_refit(estimator, previous, X_train, y_train, max_epochs=warm_epochs)
    else:
        model = clone(estimator).fit(X_train, y_train)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    forecast, bounds = _predict_block(model, X, y, train.stop, origins)
    block = _Block(
        number, origins, train, warm, forecast, bounds, fit_time, time.perf_counter() - start
    )
    return block, model


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


def _walk(estimator, X, y, schedule, warm, warm_epochs, n_jobs, progress) -> list[_Block]:
    bar = _progress(len(schedule), progress)
    try:
        if warm:
            # Each refit starts from the previous one's weights: strictly in order.
            blocks, previous = [], None
            for number, train, origins in schedule:
                block, previous = _run_block(
                    estimator, previous, X, y, number, train, origins, warm_epochs
                )
                blocks.append(block)
                if bar is not None:
                    bar.update()
            return blocks
        jobs = (
            delayed(_run_block)(estimator, None, X, y, number, train, origins, None)
            for number, train, origins in schedule
        )
        blocks = []
        for block, _ in Parallel(n_jobs=n_jobs, return_as="generator")(jobs):
            blocks.append(block)
            if bar is not None:
                bar.update()
        return blocks
    finally:
        if bar is not None:
            bar.close()


# -- the result ---------------------------------------------------------------------


def _target_dates(index: pd.Index, origins: np.ndarray, horizon: int) -> np.ndarray:
    """The session each forecast is for: the k-th NYSE session after its origin's date.

    By the calendar, not by rows: the row after an origin is not its target when a
    session is missing from the data. Without dates, the label ``k`` rows later.
    """
    if isinstance(index, pd.DatetimeIndex):
        targets = pd.DatetimeIndex(sessions_after(index[origins], horizon).ravel())
        # Dated as the data is: a session at midnight in the index's time zone.
        targets = targets.tz_localize(index.tz) if index.tz is not None else targets
        return np.asarray(targets, dtype=object if index.tz else None).reshape(-1, horizon)
    steps = origins[:, None] + np.arange(1, horizon + 1)[None, :]
    extra = max(int(steps.max()) - len(index) + 1, 0)
    labels = index.to_numpy()
    if extra:
        labels = np.concatenate([labels, [np.nan] * extra])
    return labels[steps]


def _forecast_frame(blocks, index, y, horizon) -> pd.DataFrame:
    origins = np.concatenate([b.origins for b in blocks])
    forecast = np.concatenate([b.forecast for b in blocks])
    has_bounds = blocks[0].bounds is not None
    bounds = (
        np.concatenate([b.bounds for b in blocks])
        if has_bounds
        else np.full((*forecast.shape, 2), np.nan)
    )
    refit = np.concatenate([np.full(len(b.origins), b.refit) for b in blocks])
    actual = y.to_numpy(dtype=np.float64).reshape(len(y), -1)[origins]
    n = len(origins)
    frame = pd.DataFrame(
        {
            "origin": np.repeat(index.to_numpy()[origins], horizon),
            "step": np.tile(np.arange(1, horizon + 1), n),
            "target_date": _target_dates(index, origins, horizon).ravel(),
            "forecast": forecast.ravel(),
            "lower": bounds[..., 0].ravel(),
            "upper": bounds[..., 1].ravel(),
            "actual": actual.ravel(),
            "refit": np.repeat(refit, horizon),
        }
    )
    return frame[_COLUMNS]


def _fits_frame(blocks, index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "refit": [b.refit for b in blocks],
            "origin": [index[b.origins[0]] for b in blocks],
            "train_start": [index[b.train.start] for b in blocks],
            "train_end": [index[b.train.stop - 1] for b in blocks],
            "n_train": [b.train.stop - b.train.start for b in blocks],
            "warm": [b.warm for b in blocks],
            "fit_time": [b.fit_time for b in blocks],
            "predict_time": [b.predict_time for b in blocks],
        }
    )


def _metrics(blocks, X, y, target_column, coverage) -> tuple[pd.DataFrame, pd.DataFrame]:
    """compare_models' metrics, overall and per refit block, on the forecast origins."""
    truth_all = y.to_numpy(dtype=np.float64).reshape(len(y), -1)
    naive_all = persistence_forecast(X, truth_all, target_column).reshape(truth_all.shape)
    regimes = stress_regimes(X, target_column=target_column)

    def score(rows, forecast, bounds):
        truth = truth_all[rows]
        row = _fold_metrics(truth, forecast, naive_all[rows])
        if bounds is not None:
            row.update(_interval_metrics(truth, bounds, coverage, regimes.iloc[rows]))
        return row

    table = pd.DataFrame(
        [{"refit": b.refit, **score(b.origins, b.forecast, b.bounds)} for b in blocks]
    )
    has_bounds = blocks[0].bounds is not None
    overall = score(
        np.concatenate([b.origins for b in blocks]),
        np.concatenate([b.forecast for b in blocks]),
        np.concatenate([b.bounds for b in blocks]) if has_bounds else None,
    )
    return pd.DataFrame([overall], index=["all"]), table


@validate_params(
    {
        "forecaster": "no_validation",
        "X": ["array-like"],
        "y": ["array-like"],
        "start": "no_validation",
        "refit_every": [Interval(Integral, 1, None, closed="left")],
        "window": [StrOptions({"expanding"}), Interval(Integral, 1, None, closed="left")],
        "warm_start": ["boolean"],
        "warm_epochs": [Interval(Integral, 1, None, closed="left"), None],
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
    start,
    refit_every: int = 22,
    window: str | int = "expanding",
    warm_start: bool = True,
    warm_epochs: int | None = None,
    target_column: int | str = 0,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> BacktestResult:
    """Walk-forward backtest: forecast from every origin, refitting on a schedule.

    The origins run from ``start`` to the last row of ``X``. Every ``refit_every`` origins
    the forecaster is refitted on the rows whose targets are all known by then (rows
    ``j <= t - horizon`` at origin ``t``), from the first row (``window="expanding"``)
    or the last ``window`` of them; it then forecasts each origin of its block from the
    rows up to that origin. A :class:`~sklearn_vix.ConformalForecaster` receives each
    outcome through ``update`` as soon as it is known and never before: step ``k`` of
    origin ``t`` at ``t + k``.

    The forecaster's ``predict`` must compute row ``t`` from rows up to ``t`` only, as
    every estimator and transformer of this library does: a block of origins is forecast
    in one call; a block continues its fit data across weekends and NYSE holidays (the
    transformers' continuation rule reads the exchange's schedule), so its first windows
    are completed from the fit rows.

    Parameters
    ----------
    forecaster : estimator
        Anything with ``fit`` and ``predict`` taking the raw rows ``X``: HAR, a linear
        pipeline, :func:`~sklearn_vix.make_forecaster`, ``ConformalForecaster``, a net.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Time-ordered rows, as from :func:`~sklearn_vix.datasets.make_supervised`.
    y : Series, DataFrame or array-like of shape (n_samples,) or (n_samples, horizon)
        The targets after each row.
    start : int or index label
        First origin: a row position (int) or a label of ``X``'s index (a date).
    refit_every : int, default=22
        Origins between two refits (22 sessions: about a month).
    window : "expanding" or int, default="expanding"
        Train on every known row, or on the last ``window`` rows.
    warm_start : bool, default=True
        A net (found inside pipelines and wrappers) continues from the previous refit's
        weights on the grown data instead of training from scratch; other models are
        refitted as usual. A net inside a ``ConformalForecaster`` is refitted cold: its
        calibration folds would otherwise start from weights trained on the rows they
        calibrate on. ``fits["warm"]`` says which refits were warm.
    warm_epochs : int or None, default=None
        Cap on the epochs of a warm refit (the net's ``max_epochs`` when None); early
        stopping on the latest rows still ends it sooner.
    target_column : int or str, default=0
        Column of ``X`` holding the target's latest value (persistence, stress regimes).
    n_jobs : int or None, default=None
        Cold refits run in parallel (joblib); warm refits of a net run in order.
    progress : bool or None, default=None
        Show a progress bar; None shows one when stderr is a terminal.

    Returns
    -------
    result : BacktestResult
        ``forecasts`` (one row per origin and step), ``fits``, ``metrics`` and ``table``.

    Examples
    --------
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
    """
    X, y = _as_frame(X, y)
    horizon = 1 if y.ndim == 1 else y.shape[1]
    index = X.index
    position = _check_schedule(forecaster, index, start, horizon, refit_every, window)
    schedule = _schedule(len(X), position, horizon, refit_every, window)
    warm = _warm(forecaster, warm_start)
    blocks = _walk(forecaster, X, y, schedule, warm, warm_epochs, n_jobs, progress)
    coverage = getattr(forecaster, "coverage", None) if blocks[0].bounds is not None else None
    metrics, table = _metrics(blocks, X, y, target_column, coverage)
    return BacktestResult(
        _forecast_frame(blocks, index, y, horizon),
        _fits_frame(blocks, index),
        metrics,
        table,
        coverage,
    )


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
