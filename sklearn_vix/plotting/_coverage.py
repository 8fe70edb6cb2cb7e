"""CoverageDisplay: how often the intervals held, by regime or over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .._frames import as_frame, row_index
from ..base import is_interval_forecaster
from ..diagnostics import stress_regimes
from ._base import _axes, _column, _step_bounds

__all__ = ["CoverageDisplay"]


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
        Stress flags per row (as from :func:`~sklearn_vix.diagnostics.stress_regimes`).

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

        The regimes are :func:`~sklearn_vix.diagnostics.stress_regimes` of ``X``.

        Parameters
        ----------
        estimator : fitted interval forecaster
            Such as a fitted :class:`~sklearn_vix.ConformalForecaster`
            (:func:`~sklearn_vix.base.is_interval_forecaster`).
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
        if not is_interval_forecaster(estimator):
            raise TypeError(
                f"{type(estimator).__name__} is not an interval forecaster (it needs "
                "predict_interval and coverage): wrap it in ConformalForecaster first."
            )
        index = row_index(X)
        return cls.from_predictions(
            as_frame(y, index),
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
