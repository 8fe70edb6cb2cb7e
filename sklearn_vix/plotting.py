"""Display objects in the style of scikit-learn's ``PredictionErrorDisplay``.

Each Display stores its data through a keyword-only ``__init__``; ``plot(ax=None, *,
name=None, **kwargs)`` draws it, passing style keywords on to matplotlib; class methods
build it from a fitted estimator (never fitting one), from raw predictions, or from the
out-of-fold predictions of :func:`~sklearn_vix.model_selection.compare_models`. After
``plot``, ``ax_`` and ``figure_`` hold what was drawn. matplotlib is optional: a Display
raises a clear ``ImportError`` when it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .diagnostics import SeriesDescription, describe_series
from .metrics import stress_regimes
from .model_selection import ModelComparison

__all__ = [
    "CoverageDisplay",
    "FoldScoresDisplay",
    "ForecastDisplay",
    "LossCurveDisplay",
    "SeriesDisplay",
]


def check_matplotlib_support(caller: str) -> None:
    """Raise an ImportError naming the ``plot`` extra when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"{caller} requires matplotlib: pip install 'sklearn-vix[plot]'"
        ) from error


def _axes(ax, caller: str):
    check_matplotlib_support(caller)
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    return ax


def _column(frame_or_series, step) -> pd.Series:
    if isinstance(frame_or_series, pd.DataFrame):
        values = frame_or_series.drop(columns="fold", errors="ignore")
        return values.iloc[:, step]
    return pd.Series(frame_or_series)


def _step_bounds(bounds, step) -> np.ndarray:
    bounds = np.asarray(bounds, dtype=np.float64)
    return bounds[:, step, :] if bounds.ndim == 3 else bounds


def _as_frame(y, index) -> pd.DataFrame:
    values = np.asarray(y).reshape(len(y), -1)
    frame = pd.DataFrame(values, index=index)
    if isinstance(y, pd.Series):
        frame.columns = [y.name]
    elif isinstance(y, pd.DataFrame):
        frame.columns = list(y.columns)
    return frame


class ForecastDisplay:
    """Actual against forecast values over time, with the prediction interval as a band.

    Build it with :meth:`from_estimator` (a fitted forecaster on given rows),
    :meth:`from_predictions` (arrays) or :meth:`from_comparison` (the out-of-fold
    forecasts of :func:`~sklearn_vix.model_selection.compare_models`).

    Parameters
    ----------
    y_true : Series
        Observed values, indexed by date.
    y_pred : dict of str to Series
        Forecasts of the same rows, per model.
    y_interval : dict of str to ndarray of shape (n_samples, 2), default=None
        Lower and upper bounds per model, for the models that have them.
    fold_starts : list, default=None
        Index labels where a test fold starts (drawn as vertical lines).

    Attributes
    ----------
    lines_ : dict of str to Line2D
        The actual series (key ``"actual"``) and each model's forecast.
    bands_ : dict of str to PolyCollection
        The interval band of each model with intervals.
    boundaries_ : list of Line2D
        The fold boundaries.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

    See Also
    --------
    CoverageDisplay : How often the intervals hold, by regime or over time.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_vix import ConformalForecaster, HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.plotting import ForecastDisplay
    >>> X, y = make_supervised(load_vix_sim().iloc[:1200])
    >>> model = ConformalForecaster(HARRegressor()).fit(X[:1000], y[:1000])
    >>> display = ForecastDisplay.from_estimator(model, X[1000:], y[1000:], name="HAR")
    >>> sorted(display.lines_), sorted(display.bands_)
    (['HAR', 'actual'], ['HAR'])
    """

    def __init__(self, *, y_true, y_pred, y_interval=None, fold_starts=None):
        self.y_true = y_true
        self.y_pred = y_pred
        self.y_interval = y_interval
        self.fold_starts = fold_starts

    def plot(self, ax=None, *, name=None, interval_kwargs=None, **kwargs) -> ForecastDisplay:
        """Draw the actual series, the forecasts, their bands and the fold boundaries.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Label of the forecast when there is only one model (replaces its key).
        interval_kwargs : dict, default=None
            Keywords for the bands' ``Axes.fill_between`` (default ``alpha=0.25``).
        **kwargs : dict
            Keywords for the forecasts' ``Axes.plot`` (colour, line width, ...).

        Returns
        -------
        display : ForecastDisplay
            The display, with ``lines_``, ``bands_``, ``ax_`` and ``figure_`` set.
        """
        ax = _axes(ax, "ForecastDisplay.plot")
        predictions = dict(self.y_pred)
        intervals = dict(self.y_interval or {})
        if name is not None and len(predictions) == 1:
            (key,) = predictions
            predictions = {name: predictions[key]}
            intervals = {name: intervals[key]} if key in intervals else {}
        truth = self.y_true
        self.lines_ = {
            "actual": ax.plot(truth.index, truth.to_numpy(), color="black", lw=1.0, label="actual")[
                0
            ]
        }
        self.bands_ = {}
        line_style = {"lw": 0.9, "alpha": 0.9, **kwargs}
        for label, prediction in predictions.items():
            line = ax.plot(prediction.index, prediction.to_numpy(), label=label, **line_style)[0]
            self.lines_[label] = line
            if label in intervals:
                bounds = np.asarray(intervals[label])
                band_style = {
                    "alpha": 0.25,
                    "color": line.get_color(),
                    "lw": 0,
                    **(interval_kwargs or {}),
                }
                self.bands_[label] = ax.fill_between(
                    prediction.index,
                    bounds[:, 0],
                    bounds[:, 1],
                    label=f"{label} interval",
                    **band_style,
                )
        self.boundaries_ = [
            ax.axvline(start, color="grey", ls="--", lw=0.8) for start in self.fold_starts or []
        ]
        ax.set_ylabel(str(truth.name or "value"))
        ax.legend(loc="upper left", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_pred,
        *,
        y_interval=None,
        folds=None,
        step: int = -1,
        name: str | None = None,
        ax=None,
        interval_kwargs=None,
        **kwargs,
    ) -> ForecastDisplay:
        """Plot given forecasts; for multi-step targets, the column ``step`` of each.

        Parameters
        ----------
        y_true : Series or DataFrame
            Observed values (one column per step), indexed by date.
        y_pred : Series, DataFrame, or dict of str to Series or DataFrame
            Forecasts of the same rows: one model, or several by name.
        y_interval : ndarray or dict of str to ndarray, default=None
            Bounds shaped ``(n_samples, 2)`` or ``(n_samples, n_steps, 2)``, for one model
            or per model name.
        folds : Series, default=None
            Fold number per row (as in :func:`~sklearn_vix.model_selection.out_of_fold_predict`),
            for the fold boundaries.
        step : int, default=-1
            Which step of a multi-step target to draw (the last by default).
        name : str, default=None
            Label of a single forecast.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        interval_kwargs : dict, default=None
            Keywords for the bands' ``Axes.fill_between``.
        **kwargs : dict
            Keywords for the forecasts' ``Axes.plot``.

        Returns
        -------
        display : ForecastDisplay
        """
        truth = _column(y_true, step)
        single = not isinstance(y_pred, Mapping)
        label = name or "forecast"
        predictions = {label: y_pred} if single else dict(y_pred)
        forecasts = {}
        for key, prediction in predictions.items():
            if not isinstance(prediction, (pd.Series, pd.DataFrame)):
                prediction = _as_frame(prediction, truth.index)
            forecasts[key] = _column(prediction, step)
        intervals = None
        if y_interval is not None:
            intervals = {label: y_interval} if single else dict(y_interval)
            intervals = {key: _step_bounds(b, step) for key, b in intervals.items()}
        starts = []
        if folds is not None:
            folds = pd.Series(folds)
            starts = list(folds.index[folds.ne(folds.shift())])
        display = cls(y_true=truth, y_pred=forecasts, y_interval=intervals, fold_starts=starts)
        return display.plot(ax=ax, interval_kwargs=interval_kwargs, **kwargs)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        step: int = -1,
        name: str | None = None,
        ax=None,
        interval_kwargs=None,
        **kwargs,
    ) -> ForecastDisplay:
        """Plot a fitted forecaster's forecasts of ``X`` (and its intervals, if it has them).

        The estimator is not fitted here: fit it on earlier rows first. For
        out-of-fold forecasts under a time-series split use :meth:`from_comparison`.

        Parameters
        ----------
        estimator : fitted estimator
            A forecaster; its ``predict_interval`` is drawn as a band when it has one.
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows to forecast from.
        y : Series or DataFrame
            The observed targets of those rows.
        step : int, default=-1
            Which step of a multi-step target to draw.
        name : str, default=None
            Label of the forecast; the estimator's class name when None.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        interval_kwargs : dict, default=None
            Keywords for the band's ``Axes.fill_between``.
        **kwargs : dict
            Keywords for the forecast's ``Axes.plot``.

        Returns
        -------
        display : ForecastDisplay
        """
        check_is_fitted(estimator)
        index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(X))
        truth = _as_frame(y, index)
        prediction = _as_frame(estimator.predict(X), index)
        bounds = estimator.predict_interval(X) if hasattr(estimator, "predict_interval") else None
        return cls.from_predictions(
            truth,
            prediction,
            y_interval=bounds,
            step=step,
            name=name or type(estimator).__name__,
            ax=ax,
            interval_kwargs=interval_kwargs,
            **kwargs,
        )

    @classmethod
    def from_comparison(
        cls,
        comparison: ModelComparison,
        models=None,
        *,
        step: int = -1,
        ax=None,
        interval_kwargs=None,
        **kwargs,
    ) -> ForecastDisplay:
        """Plot the out-of-fold forecasts (and intervals) kept by ``compare_models``.

        Parameters
        ----------
        comparison : ModelComparison
            The result of :func:`~sklearn_vix.model_selection.compare_models`.
        models : list of str, default=None
            Models to draw (keys of ``comparison.predictions``); all when None.
        step : int, default=-1
            Which step of a multi-step target to draw.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        interval_kwargs : dict, default=None
            Keywords for the bands' ``Axes.fill_between``.
        **kwargs : dict
            Keywords for the forecasts' ``Axes.plot``.

        Returns
        -------
        display : ForecastDisplay
        """
        names = list(models or comparison.predictions)
        predictions = {name: comparison.predictions[name] for name in names}
        intervals = {n: comparison.intervals[n] for n in names if n in comparison.intervals}
        folds = next(iter(predictions.values()))["fold"]
        return cls.from_predictions(
            comparison.y_true,
            predictions,
            y_interval=intervals or None,
            folds=folds,
            step=step,
            ax=ax,
            interval_kwargs=interval_kwargs,
            **kwargs,
        )


class CoverageDisplay:
    """How often prediction intervals hold: by stress regime, or rolling over time.

    Parameters
    ----------
    y_true : Series
        Observed values, indexed by date.
    y_interval : ndarray of shape (n_samples, 2)
        Lower and upper bounds of the same rows.
    coverage : float
        Nominal coverage, drawn as a reference line.
    regimes : DataFrame of bool, default=None
        Stress flags per row (as from :func:`~sklearn_vix.metrics.stress_regimes`).

    Attributes
    ----------
    inside_ : Series of bool
        Whether each observation fell inside its interval.
    by_regime_ : Series
        Coverage overall and in each regime (``kind="regime"``).
    rolling_ : Series
        Rolling coverage (``kind="rolling"``).
    artist_ : BarContainer or Line2D
        What was drawn.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_vix import ConformalForecaster, HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.plotting import CoverageDisplay
    >>> X, y = make_supervised(load_vix_sim().iloc[:2000])
    >>> model = ConformalForecaster(HARRegressor()).fit(X[:1000], y[:1000])
    >>> display = CoverageDisplay.from_estimator(model, X[1000:], y[1000:], kind="regime")
    >>> list(display.by_regime_.index)
    ['all days', 'vix_above_25']
    """

    def __init__(self, *, y_true, y_interval, coverage: float, regimes=None):
        self.y_true = y_true
        self.y_interval = y_interval
        self.coverage = coverage
        self.regimes = regimes

    def plot(
        self, ax=None, *, name=None, kind: str = "rolling", window: int = 250, **kwargs
    ) -> CoverageDisplay:
        """Draw coverage by regime (bars) or rolling over time (a line).

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Label of the model, for the legend and title.
        kind : {"rolling", "regime"}, default="rolling"
            Rolling coverage over ``window`` rows, or coverage per stress regime.
        window : int, default=250
            Rows in the rolling window (about a trading year).
        **kwargs : dict
            Keywords for ``Axes.plot`` (rolling) or ``Axes.bar`` (regime).

        Returns
        -------
        display : CoverageDisplay
        """
        if kind not in ("rolling", "regime"):
            raise ValueError(f"kind must be 'rolling' or 'regime', got {kind!r}.")
        ax = _axes(ax, "CoverageDisplay.plot")
        bounds = np.asarray(self.y_interval, dtype=np.float64)
        truth = self.y_true.to_numpy(dtype=np.float64)
        self.inside_ = pd.Series(
            (truth >= bounds[:, 0]) & (truth <= bounds[:, 1]), index=self.y_true.index
        )
        label = name or "coverage"
        if kind == "rolling":
            self.rolling_ = self.inside_.astype(float).rolling(window).mean()
            self.artist_ = ax.plot(
                self.rolling_.index, self.rolling_.to_numpy(), label=label, **kwargs
            )[0]
            ax.set_ylabel(f"coverage, rolling {window} days")
        else:
            groups = {"all days": np.ones(len(truth), dtype=bool)}
            if self.regimes is not None:
                groups.update({c: self.regimes[c].to_numpy() for c in self.regimes.columns})
            self.by_regime_ = pd.Series(
                {
                    k: self.inside_.to_numpy()[m].mean() if m.any() else np.nan
                    for k, m in groups.items()
                }
            )
            self.artist_ = ax.bar(
                self.by_regime_.index, self.by_regime_.to_numpy(), label=label, **kwargs
            )
            ax.set_ylabel("coverage")
        ax.axhline(self.coverage, color="grey", ls="--", lw=0.8, label="nominal")
        ax.set_ylim(0, 1.02)
        ax.legend(loc="lower left", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_interval,
        *,
        coverage: float,
        regimes=None,
        step: int = -1,
        kind: str = "rolling",
        window: int = 250,
        name: str | None = None,
        ax=None,
        **kwargs,
    ) -> CoverageDisplay:
        """Plot the coverage of given intervals.

        Parameters
        ----------
        y_true : Series or DataFrame
            Observed values (one column per step), indexed by date.
        y_interval : ndarray of shape (n_samples, 2) or (n_samples, n_steps, 2)
            Lower and upper bounds.
        coverage : float
            Nominal coverage.
        regimes : DataFrame of bool, default=None
            Stress flags per row, for ``kind="regime"``.
        step : int, default=-1
            Which step of a multi-step target to draw.
        kind : {"rolling", "regime"}, default="rolling"
            Rolling coverage or coverage by regime.
        window : int, default=250
            Rows in the rolling window.
        name : str, default=None
            Label of the model.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keywords for ``Axes.plot`` or ``Axes.bar``.

        Returns
        -------
        display : CoverageDisplay
        """
        display = cls(
            y_true=_column(y_true, step),
            y_interval=_step_bounds(y_interval, step),
            coverage=coverage,
            regimes=regimes,
        )
        return display.plot(ax=ax, name=name, kind=kind, window=window, **kwargs)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        step: int = -1,
        kind: str = "rolling",
        window: int = 250,
        target_column: int | str = 0,
        name: str | None = None,
        ax=None,
        **kwargs,
    ) -> CoverageDisplay:
        """Plot the coverage of a fitted interval forecaster on ``X`` (never fitted here).

        The regimes are :func:`~sklearn_vix.metrics.stress_regimes` of ``X``.

        Parameters
        ----------
        estimator : fitted estimator with ``predict_interval``
            Such as a fitted :class:`~sklearn_vix.ConformalForecaster`.
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows to forecast from.
        y : Series or DataFrame
            The observed targets of those rows.
        step : int, default=-1
            Which step of a multi-step target to draw.
        kind : {"rolling", "regime"}, default="rolling"
            Rolling coverage or coverage by regime.
        window : int, default=250
            Rows in the rolling window.
        target_column : int or str, default=0
            Column of ``X`` holding the target's latest value (for the regimes).
        name : str, default=None
            Label of the model; the estimator's class name when None.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keywords for ``Axes.plot`` or ``Axes.bar``.

        Returns
        -------
        display : CoverageDisplay
        """
        check_is_fitted(estimator)
        if not hasattr(estimator, "predict_interval"):
            raise TypeError(
                f"{type(estimator).__name__} has no predict_interval: wrap it in "
                "ConformalForecaster first."
            )
        index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(X))
        return cls.from_predictions(
            _as_frame(y, index),
            estimator.predict_interval(X),
            coverage=estimator.coverage,
            regimes=stress_regimes(X, target_column=target_column),
            step=step,
            kind=kind,
            window=window,
            name=name or type(estimator).__name__,
            ax=ax,
            **kwargs,
        )


def _find_net(estimator):
    """The skorch net inside an estimator, a Pipeline, a fitted search or a fitted wrapper.

    Wrappers are looked through by their fitted attribute: ``best_estimator_`` (a search),
    ``estimator_`` (:class:`~sklearn_vix.ConformalForecaster`) and ``regressor_``
    (:class:`~sklearn_vix.LogTargetRegressor`, ``TransformedTargetRegressor``), so the
    net of ``make_forecaster(...)`` is found as well.
    """
    for attribute in ("best_estimator_", "estimator_", "regressor_"):
        estimator = getattr(estimator, attribute, estimator)
    if hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    if not hasattr(estimator, "history_") or estimator.history_ is None:
        raise TypeError(
            f"{type(estimator).__name__} has no training history: pass a fitted network "
            "(LSTMRegressor, GRURegressor, FeedForwardRegressor), a Pipeline ending in one, "
            "or a fitted search or wrapper (make_forecaster, ConformalForecaster) holding one."
        )
    return estimator


class LossCurveDisplay:
    """Training and validation loss per epoch of a fitted network, best epoch marked.

    Parameters
    ----------
    train_loss, valid_loss : array-like
        Loss per epoch (``valid_loss`` may be None).
    best_epoch : int or None
        The epoch whose weights early stopping kept (0: the untrained net).

    Attributes
    ----------
    train_line_, valid_line_ : Line2D
    best_line_ : Line2D or None
        Vertical line at the best epoch.
    ax_ : Axes
    figure_ : Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_vix import GRURegressor
    >>> from sklearn_vix.plotting import LossCurveDisplay
    >>> X = np.random.default_rng(0).normal(size=(300, 5))
    >>> net = GRURegressor(n_columns=1, hidden_size=4, max_epochs=3, random_state=0)
    >>> net = net.fit(X, X[:, 0])
    >>> len(LossCurveDisplay.from_estimator(net).train_line_.get_ydata())
    3
    """

    def __init__(self, *, train_loss, valid_loss=None, best_epoch=None):
        self.train_loss = train_loss
        self.valid_loss = valid_loss
        self.best_epoch = best_epoch

    def plot(self, ax=None, *, name=None, **kwargs) -> LossCurveDisplay:
        """Draw the curves and the kept epoch.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Name of the network, put in the title.
        **kwargs : dict
            Keywords for both curves' ``Axes.plot``.

        Returns
        -------
        display : LossCurveDisplay
            With ``train_line_``, ``valid_line_``, ``best_line_``, ``ax_``, ``figure_``.
        """
        ax = _axes(ax, "LossCurveDisplay.plot")
        train = np.asarray(self.train_loss, dtype=float)
        epochs = np.arange(1, len(train) + 1)
        style = {"marker": ".", **kwargs}
        self.train_line_ = ax.plot(epochs, train, label="train", **style)[0]
        self.valid_line_ = None
        if self.valid_loss is not None:
            valid = np.asarray(self.valid_loss, dtype=float)
            self.valid_line_ = ax.plot(epochs, valid, label="validation", **style)[0]
        self.best_line_ = None
        if self.best_epoch is not None:
            label = "kept: untrained start" if self.best_epoch == 0 else "kept (early stopping)"
            self.best_line_ = ax.axvline(self.best_epoch, color="grey", ls="--", label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss (standardized target)")
        ax.set_title(f"Loss per epoch{f' of {name}' if name else ''}")
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, name=None, ax=None, **kwargs) -> LossCurveDisplay:
        """Plot the history of a fitted net, a Pipeline ending in one, or a fitted search.

        Parameters
        ----------
        estimator : fitted estimator
            A fitted LSTMRegressor, GRURegressor or FeedForwardRegressor, a Pipeline
            ending in one, or a fitted search whose best estimator is one.
        name : str, default=None
            Name of the network, put in the title.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keywords for the curves' ``Axes.plot``.

        Returns
        -------
        display : LossCurveDisplay
        """
        net = _find_net(estimator)
        history = net.history_
        valid = history[:, "valid_loss"] if "valid_loss" in history[-1] else None
        early_stopping = dict(getattr(net, "callbacks_", [])).get("early_stopping")
        best = getattr(early_stopping, "best_epoch_", None)
        display = cls(train_loss=history[:, "train_loss"], valid_loss=valid, best_epoch=best)
        return display.plot(ax=ax, name=name, **kwargs)


class FoldScoresDisplay:
    """One metric per model and fold: a box per model with the folds as points.

    Parameters
    ----------
    scores : DataFrame
        Rows are folds, columns are models.
    metric : str
        Name of the metric, for the axis label.

    Attributes
    ----------
    boxes_ : dict
        What ``Axes.boxplot`` returned.
    points_ : list of PathCollection
        The fold points, one collection per model.
    ax_ : Axes
    figure_ : Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_vix import HARRegressor, PersistenceRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import compare_models
    >>> from sklearn_vix.plotting import FoldScoresDisplay
    >>> X, y = make_supervised(load_vix_sim().iloc[:1500])
    >>> result = compare_models({"persistence": PersistenceRegressor(), "HAR": HARRegressor()},
    ...                         X, y)
    >>> FoldScoresDisplay.from_comparison(result).scores.shape
    (5, 2)
    """

    def __init__(self, *, scores: pd.DataFrame, metric: str):
        self.scores = scores
        self.metric = metric

    def plot(self, ax=None, *, name=None, **kwargs) -> FoldScoresDisplay:
        """Draw a box per model and the fold points.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Title of the plot; ``"{metric} per fold"`` when None.
        **kwargs : dict
            Keywords for the fold points' ``Axes.scatter``.

        Returns
        -------
        display : FoldScoresDisplay
            With ``boxes_``, ``points_``, ``ax_`` and ``figure_``.
        """
        ax = _axes(ax, "FoldScoresDisplay.plot")
        positions = np.arange(1, self.scores.shape[1] + 1)
        self.boxes_ = ax.boxplot(
            [self.scores[c].to_numpy() for c in self.scores.columns],
            positions=positions,
            widths=0.5,
            showfliers=False,
        )
        self.points_ = []
        style = {"s": 18, "zorder": 3, **kwargs}
        for position, column in zip(positions, self.scores.columns, strict=True):
            values = self.scores[column].to_numpy()
            jitter = np.linspace(-0.12, 0.12, len(values))
            self.points_.append(ax.scatter(position + jitter, values, **style))
        ax.set_xticks(positions, [str(c) for c in self.scores.columns], rotation=20)
        ax.set_ylabel(self.metric)
        ax.set_title(name or f"{self.metric} per fold")
        if self.metric == "rmse_ratio":
            ax.axhline(1.0, color="grey", ls=":", lw=0.8)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_comparison(
        cls, comparison, metric: str = "rmse_ratio", *, name=None, ax=None, **kwargs
    ) -> FoldScoresDisplay:
        """Plot one metric of ``compare_models``'s per-fold table.

        Parameters
        ----------
        comparison : ModelComparison or DataFrame
            The result of :func:`~sklearn_vix.model_selection.compare_models`, or its
            ``table``.
        metric : str, default="rmse_ratio"
            A column of the table (``interval_score`` or ``coverage`` for interval models).
        name : str, default=None
            Title of the plot.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keywords for the fold points' ``Axes.scatter``.

        Returns
        -------
        display : FoldScoresDisplay
        """
        table = comparison.table if isinstance(comparison, ModelComparison) else comparison
        if metric not in table.columns:
            raise ValueError(f"metric={metric!r} is not in the table's {list(table.columns)}.")
        table = table.dropna(subset=[metric])
        order = list(dict.fromkeys(table["model"]))
        scores = table.pivot(index="fold", columns="model", values=metric)[order]
        return cls(scores=scores, metric=metric).plot(ax=ax, name=name, **kwargs)


class SeriesDisplay:
    """The exploratory figure: series with rolling statistics, STL trend and seasonal
    parts, weekday profile, and autocorrelations.

    Parameters
    ----------
    series : Series
        The level series.
    description : SeriesDescription
        From :func:`~sklearn_vix.diagnostics.describe_series`.

    Attributes
    ----------
    axes_ : dict of str to Axes
        ``"series"``, ``"decomposition"``, ``"weekday"`` and ``"acf"``.
    figure_ : Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_vix.datasets import load_vix_sim
    >>> from sklearn_vix.plotting import SeriesDisplay
    >>> display = SeriesDisplay.from_series(load_vix_sim()["vix"].iloc[:1500])
    >>> sorted(display.axes_)
    ['acf', 'decomposition', 'series', 'weekday']
    """

    def __init__(self, *, series: pd.Series, description: SeriesDescription):
        self.series = series
        self.description = description

    def plot(self, ax=None, *, name=None, **kwargs) -> SeriesDisplay:
        """Draw the four panels.

        Parameters
        ----------
        ax : array of 4 matplotlib Axes, default=None
            A 2x2 array (or list) of Axes; a new figure when None.
        name : str, default=None
            Name of the series, put in the first panel's title.
        **kwargs : dict
            Keywords for the level line's ``Axes.plot``.

        Returns
        -------
        display : SeriesDisplay
            With ``axes_`` (a dict of the four Axes) and ``figure_``.
        """
        check_matplotlib_support("SeriesDisplay.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(2, 2, figsize=(12, 7), constrained_layout=True)
        axes = np.asarray(ax).ravel()
        names = ["series", "decomposition", "weekday", "acf"]
        self.axes_ = dict(zip(names, axes, strict=True))
        d = self.description
        ax = self.axes_["series"]
        style = {"lw": 0.7, "color": "black", **kwargs}
        ax.plot(self.series.index, self.series.to_numpy(), label="level", **style)
        mean_col, vol_col = d.rolling.columns
        ax.plot(d.rolling.index, d.rolling[mean_col], lw=1.0, label=mean_col.replace("_", " "))
        twin = ax.twinx()
        twin.plot(d.rolling.index, d.rolling[vol_col], lw=0.6, color="tab:red", alpha=0.6)
        twin.set_ylabel(f"{vol_col.replace('_', ' ')} (annualised)", color="tab:red")
        ax.set_title(f"{name or 'Series'} and rolling statistics")
        ax.legend(loc="upper left", fontsize="small")
        ax = self.axes_["decomposition"]
        ax.plot(d.decomposition.index, d.decomposition["trend"], label="trend (log)")
        ax.plot(
            d.decomposition.index,
            d.decomposition["seasonal"] + d.decomposition["trend"].mean(),
            lw=0.6,
            label="seasonal (log, shifted)",
        )
        ax.set_title("STL decomposition")
        ax.legend(fontsize="small")
        ax = self.axes_["weekday"]
        ax.bar(d.by_weekday.index.str[:3], d.by_weekday["log_change"] * 100)
        ax.set_ylabel("mean daily log change (%)")
        ax.set_title("By weekday")
        ax = self.axes_["acf"]
        for column in d.autocorrelation.columns:
            ax.plot(d.autocorrelation.index, d.autocorrelation[column], marker=".", label=column)
        ax.axhline(0, color="grey", lw=0.6)
        ax.set_xlabel("lag (days)")
        ax.set_title("Autocorrelation")
        ax.legend(fontsize="small")
        self.figure_ = axes[0].figure
        return self

    @classmethod
    def from_series(cls, series, *, name=None, ax=None, **describe_params) -> SeriesDisplay:
        """Describe ``series`` with :func:`~sklearn_vix.diagnostics.describe_series` and draw it.

        Parameters
        ----------
        series : Series
            The level series, indexed by date.
        name : str, default=None
            Name of the series, put in the title.
        ax : array of 4 matplotlib Axes, default=None
            A 2x2 array of Axes; a new figure when None.
        **describe_params : dict
            Passed to :func:`~sklearn_vix.diagnostics.describe_series`.

        Returns
        -------
        display : SeriesDisplay
        """
        series = pd.Series(series)
        description = describe_series(series, **describe_params)
        return cls(series=series, description=description).plot(ax=ax, name=name)
