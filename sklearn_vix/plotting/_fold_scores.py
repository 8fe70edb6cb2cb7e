"""FoldScoresDisplay: each model's score in each test fold of a comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model_selection import ModelComparison
from ._base import _axes

__all__ = ["FoldScoresDisplay"]


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
