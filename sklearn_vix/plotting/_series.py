"""SeriesDisplay: the four panels of a first look at a series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..diagnostics import SeriesDescription, describe_series
from ._base import check_matplotlib_support

__all__ = ["SeriesDisplay"]


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
