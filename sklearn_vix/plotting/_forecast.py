"""ForecastDisplay: actual against forecast over time, with the interval band."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .._frames import as_frame, row_index
from ..base import is_interval_forecaster
from ..model_selection import ModelComparison
from ._base import _axes, _column, _step_bounds

__all__ = ["ForecastDisplay"]


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
                prediction = as_frame(prediction, truth.index)
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
            A forecaster; an interval forecaster's ``predict_interval`` is drawn as a
            band (:func:`~sklearn_vix.base.is_interval_forecaster`).
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
        index = row_index(X)
        truth = as_frame(y, index)
        prediction = as_frame(estimator.predict(X), index)
        bounds = estimator.predict_interval(X) if is_interval_forecaster(estimator) else None
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
