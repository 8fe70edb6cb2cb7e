"""Display objects in the style of scikit-learn's: a ``plot`` that accepts ``ax``, class
methods building the data, and ``figure_`` / ``ax_`` for inspection."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .diagnostics import SeriesDescription, describe_series
from .model_selection import ModelComparison, out_of_fold_predict

__all__ = ["FoldScoresDisplay", "ForecastDisplay", "LossCurveDisplay", "SeriesDisplay"]


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    return ax


def _column(frame_or_series, step) -> pd.Series:
    if isinstance(frame_or_series, pd.DataFrame):
        values = frame_or_series.drop(columns="fold", errors="ignore")
        return values.iloc[:, step]
    return frame_or_series


class ForecastDisplay:
    """Actual against predicted values over time, several models overlaid.

    Build it with :meth:`from_estimator` (out-of-fold predictions under a time-series
    split), :meth:`from_comparison` or :meth:`from_predictions`.

    Parameters
    ----------
    y_true : Series
        Observed values, indexed by date.
    predictions : dict of str to Series
        Forecasts of the same rows, per model.
    fold_starts : list, default=None
        Index labels where a test fold starts (drawn as vertical lines).

    Attributes
    ----------
    lines_ : dict of str to Line2D
        The actual series (key ``"actual"``) and each model's forecast.
    boundaries_ : list of Line2D
        The fold boundaries.
    ax_ : Axes
    figure_ : Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_vix import HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.plotting import ForecastDisplay
    >>> X, y = make_supervised(load_vix_sim().iloc[:1200])
    >>> display = ForecastDisplay.from_estimator({"HAR": HARRegressor()}, X, y)
    >>> sorted(display.lines_)
    ['HAR', 'actual']
    """

    def __init__(self, y_true: pd.Series, predictions: Mapping[str, pd.Series], fold_starts=None):
        self.y_true = y_true
        self.predictions = dict(predictions)
        self.fold_starts = list(fold_starts or [])

    def plot(self, ax=None, *, title: str | None = None) -> ForecastDisplay:
        """Draw the actual series, the forecasts and the fold boundaries on ``ax``."""
        ax = _axes(ax)
        self.lines_ = {
            "actual": ax.plot(
                self.y_true.index, self.y_true.to_numpy(), color="black", lw=1.0, label="actual"
            )[0]
        }
        for name, prediction in self.predictions.items():
            self.lines_[name] = ax.plot(
                prediction.index, prediction.to_numpy(), lw=0.9, alpha=0.85, label=name
            )[0]
        self.boundaries_ = [
            ax.axvline(start, color="grey", ls="--", lw=0.8) for start in self.fold_starts
        ]
        ax.set_ylabel(str(self.y_true.name or "value"))
        ax.set_title(title or "Actual vs predicted (out of fold)")
        ax.legend(loc="upper left", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_predictions(
        cls, y_true, predictions: Mapping, *, folds=None, step: int = -1, ax=None, title=None
    ) -> ForecastDisplay:
        """Plot given forecasts; for multi-step targets, the column ``step`` of each.

        Parameters
        ----------
        y_true : Series or DataFrame
        predictions : dict of str to Series or DataFrame
        folds : Series, default=None
            Fold number per row (as in :func:`out_of_fold_predict`), for the boundaries.
        step : int, default=-1
            Which step of a multi-step target to draw (the last by default).
        ax : Axes, default=None
        title : str, default=None
        """
        truth = _column(y_true, step)
        forecasts = {name: _column(p, step) for name, p in predictions.items()}
        starts = []
        if folds is not None:
            folds = pd.Series(folds)
            starts = list(folds.index[folds.ne(folds.shift())])
        return cls(truth, forecasts, starts).plot(ax=ax, title=title)

    @classmethod
    def from_estimator(
        cls, estimators, X, y, *, cv=None, step: int = -1, ax=None, title=None
    ) -> ForecastDisplay:
        """Fit each estimator per fold and plot its out-of-fold forecasts.

        Parameters
        ----------
        estimators : estimator or dict of str to estimator
        X, y : the rows and targets, as for :func:`out_of_fold_predict`
        cv : splitter, default=None
        step : int, default=-1
        ax : Axes, default=None
        title : str, default=None
        """
        if not isinstance(estimators, Mapping):
            estimators = {type(estimators).__name__: estimators}
        predictions = {
            name: out_of_fold_predict(model, X, y, cv=cv) for name, model in estimators.items()
        }
        first = next(iter(predictions.values()))
        truth = pd.DataFrame(
            np.asarray(y).reshape(len(y), -1), index=getattr(X, "index", None)
        ).loc[first.index]
        if isinstance(y, (pd.Series, pd.DataFrame)):
            truth.columns = [y.name] if isinstance(y, pd.Series) else list(y.columns)
        return cls.from_predictions(
            truth, predictions, folds=first["fold"], step=step, ax=ax, title=title
        )

    @classmethod
    def from_comparison(
        cls, comparison: ModelComparison, models=None, *, step: int = -1, ax=None, title=None
    ) -> ForecastDisplay:
        """Plot the out-of-fold forecasts kept by :func:`compare_models`."""
        names = models or list(comparison.predictions)
        predictions = {name: comparison.predictions[name] for name in names}
        folds = next(iter(predictions.values()))["fold"]
        return cls.from_predictions(
            comparison.y_true, predictions, folds=folds, step=step, ax=ax, title=title
        )


def _find_net(estimator):
    """The skorch net inside an estimator, a Pipeline or a fitted search."""
    estimator = getattr(estimator, "best_estimator_", estimator)
    if hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    if not hasattr(estimator, "history_") or estimator.history_ is None:
        raise TypeError(
            f"{type(estimator).__name__} has no training history: pass a fitted network "
            "(LSTMRegressor, GRURegressor, FeedForwardRegressor), a Pipeline ending in one, "
            "or a fitted search whose best estimator is one."
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

    def __init__(self, train_loss, valid_loss=None, best_epoch=None):
        self.train_loss = np.asarray(train_loss, dtype=float)
        self.valid_loss = None if valid_loss is None else np.asarray(valid_loss, dtype=float)
        self.best_epoch = best_epoch

    def plot(self, ax=None, *, title: str | None = None) -> LossCurveDisplay:
        """Draw the curves on ``ax``."""
        ax = _axes(ax)
        epochs = np.arange(1, len(self.train_loss) + 1)
        self.train_line_ = ax.plot(epochs, self.train_loss, marker=".", label="train")[0]
        self.valid_line_ = None
        if self.valid_loss is not None:
            self.valid_line_ = ax.plot(epochs, self.valid_loss, marker=".", label="validation")[0]
        self.best_line_ = None
        if self.best_epoch is not None:
            label = "kept: untrained start" if self.best_epoch == 0 else "kept (early stopping)"
            self.best_line_ = ax.axvline(self.best_epoch, color="grey", ls="--", label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss (standardized target)")
        ax.set_title(title or "Loss per epoch")
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, title=None) -> LossCurveDisplay:
        """From a fitted net, a Pipeline ending in one, or a fitted GridSearchCV."""
        net = _find_net(estimator)
        history = net.history_
        valid = history[:, "valid_loss"] if "valid_loss" in history[-1] else None
        early_stopping = dict(getattr(net, "callbacks_", [])).get("early_stopping")
        best = getattr(early_stopping, "best_epoch_", None)
        return cls(history[:, "train_loss"], valid, best).plot(ax=ax, title=title)


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

    def __init__(self, scores: pd.DataFrame, metric: str):
        self.scores = scores
        self.metric = metric

    def plot(self, ax=None, *, title: str | None = None) -> FoldScoresDisplay:
        """Draw the boxes and the fold points on ``ax``."""
        ax = _axes(ax)
        positions = np.arange(1, self.scores.shape[1] + 1)
        self.boxes_ = ax.boxplot(
            [self.scores[c].to_numpy() for c in self.scores.columns],
            positions=positions,
            widths=0.5,
            showfliers=False,
        )
        self.points_ = []
        for position, column in zip(positions, self.scores.columns, strict=True):
            values = self.scores[column].to_numpy()
            jitter = np.linspace(-0.12, 0.12, len(values))
            self.points_.append(ax.scatter(position + jitter, values, s=18, zorder=3))
        ax.set_xticks(positions, [str(c) for c in self.scores.columns], rotation=20)
        ax.set_ylabel(self.metric)
        ax.set_title(title or f"{self.metric} per fold")
        if self.metric == "rmse_ratio":
            ax.axhline(1.0, color="grey", ls=":", lw=0.8)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_comparison(
        cls, comparison, metric: str = "rmse_ratio", *, ax=None, title=None
    ) -> FoldScoresDisplay:
        """From :func:`compare_models`'s result (or its ``table``)."""
        table = comparison.table if isinstance(comparison, ModelComparison) else comparison
        if metric not in table.columns:
            raise ValueError(f"metric={metric!r} is not in the table's {list(table.columns)}.")
        order = list(dict.fromkeys(table["model"]))
        scores = table.pivot(index="fold", columns="model", values=metric)[order]
        return cls(scores, metric).plot(ax=ax, title=title)


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

    def __init__(self, series: pd.Series, description: SeriesDescription):
        self.series = series
        self.description = description

    def plot(self, axes=None) -> SeriesDisplay:
        """Draw on four axes (``axes``: a 2x2 array of Axes, or None for a new figure)."""
        import matplotlib.pyplot as plt

        if axes is None:
            _, axes = plt.subplots(2, 2, figsize=(12, 7), constrained_layout=True)
        axes = np.asarray(axes).ravel()
        names = ["series", "decomposition", "weekday", "acf"]
        self.axes_ = dict(zip(names, axes, strict=True))
        d = self.description
        ax = self.axes_["series"]
        ax.plot(self.series.index, self.series.to_numpy(), lw=0.7, color="black", label="level")
        mean_col, vol_col = d.rolling.columns
        ax.plot(d.rolling.index, d.rolling[mean_col], lw=1.0, label=mean_col.replace("_", " "))
        twin = ax.twinx()
        twin.plot(d.rolling.index, d.rolling[vol_col], lw=0.6, color="tab:red", alpha=0.6)
        twin.set_ylabel(f"{vol_col.replace('_', ' ')} (annualised)", color="tab:red")
        ax.set_title("Series and rolling statistics")
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
    def from_series(cls, series, *, axes=None, **describe_params) -> SeriesDisplay:
        """Describe ``series`` (:func:`describe_series`) and draw the figure."""
        series = pd.Series(series)
        return cls(series, describe_series(series, **describe_params)).plot(axes=axes)
