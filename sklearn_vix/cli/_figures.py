"""The report's figures: one or two models per panel, VIX points on the axes, one palette.

Each model keeps its colour in every figure; every line is in its panel's legend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..diagnostics import describe_series
from ..model_selection import ModelComparison
from ._common import last_step

ACTUAL = "black"
_COLOURS = ["tab:grey", "tab:purple", "tab:green", "tab:blue", "tab:orange", "tab:red"]
VIX_AXIS = "VIX (index points)"


def palette(names) -> dict:
    """One colour per model name, the same in every figure of the report."""
    return {name: _COLOURS[i % len(_COLOURS)] for i, name in enumerate(names)}


def _subplots(rows: int, cols: int, size: tuple[float, float]):
    import matplotlib.pyplot as plt

    return plt.subplots(rows, cols, figsize=size, constrained_layout=True, squeeze=False)


def series_figure(vix: pd.Series):
    """The VIX with its rolling mean and volatility, weekday means with 95 % error bars,
    and autocorrelations. No seasonal panel: the VIX has no calendar seasonality to show.
    """
    import matplotlib.pyplot as plt

    description = describe_series(vix)
    figure, axes = plt.subplot_mosaic(
        [["series", "series"], ["weekday", "acf"]], figsize=(11, 7), constrained_layout=True
    )
    ax = axes["series"]
    mean_col, vol_col = description.rolling.columns
    level = ax.plot(vix.index, vix.to_numpy(), lw=0.5, color=ACTUAL, label="VIX close")
    mean = ax.plot(
        description.rolling.index,
        description.rolling[mean_col],
        lw=1.2,
        color="tab:blue",
        label=f"{mean_col.split('_')[-1]}-day mean",
    )
    ax.set_ylabel(VIX_AXIS)
    twin = ax.twinx()
    vol = twin.plot(
        description.rolling.index,
        description.rolling[vol_col],
        lw=0.6,
        color="tab:red",
        alpha=0.7,
        label="volatility of log changes (right axis)",
    )
    twin.set_ylabel("annualised volatility of log VIX")
    lines = level + mean + vol
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize="small")
    ax.set_title(f"The VIX, {mean_col.split('_')[-1]}-day mean and volatility")

    ax = axes["weekday"]
    change = 100 * np.log(vix).diff().dropna()
    by_day = change.groupby(change.index.day_name()).agg(["mean", "sem", "count"])
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    days = [d for d in weekdays if d in by_day.index]
    by_day = by_day.loc[days]
    ax.bar(
        [d[:3] for d in days],
        by_day["mean"],
        yerr=1.96 * by_day["sem"],
        capsize=4,
        color="tab:grey",
        label="mean, 95 % interval",
    )
    ax.axhline(0, color=ACTUAL, lw=0.6)
    ax.set_ylabel("mean change of log VIX (%)")
    ax.set_title("By weekday")
    ax.legend(fontsize="small")

    ax = axes["acf"]
    for column in description.autocorrelation.columns:
        ax.plot(
            description.autocorrelation.index,
            description.autocorrelation[column],
            marker=".",
            label=column.replace("_", " "),
        )
    ax.axhline(0, color="grey", lw=0.6)
    ax.set_xlabel("lag (sessions)")
    ax.set_ylabel("autocorrelation")
    ax.set_title("Autocorrelation")
    ax.legend(fontsize="small")
    return figure


def forecast_figure(comparison: ModelComparison, shown: list[str], colours: dict, tail: int):
    """The last ``tail`` tested sessions, one panel per model (with its band when it has one)."""
    figure, axes = _subplots(len(shown), 1, (11, 3.2 * len(shown)))
    truth = last_step(comparison.y_true).iloc[-tail:]
    for ax, name in zip(axes[:, 0], shown, strict=True):
        ax.plot(truth.index, truth, color=ACTUAL, lw=1.0, label="actual")
        forecast = last_step(comparison.predictions[name]).iloc[-tail:]
        ax.plot(forecast.index, forecast, color=colours[name], lw=1.0, label=name)
        if name in comparison.intervals:
            bounds = np.asarray(comparison.intervals[name])[-tail:].reshape(len(forecast), -1, 2)
            ax.fill_between(
                forecast.index,
                bounds[:, -1, 0],
                bounds[:, -1, 1],
                color=colours[name],
                alpha=0.25,
                label="90 % interval",
            )
        ax.set_ylabel(VIX_AXIS)
        ax.set_title(f"{name}: out-of-fold forecasts, last {tail} tested sessions")
        ax.legend(loc="upper left", fontsize="small")
    return figure


def fan_chart(
    vix: pd.Series,
    forecast: pd.DataFrame,
    name: str,
    colour: str,
    months: int = 2,
    quantiles: pd.DataFrame | None = None,
):
    """The last ``months`` of the VIX (two: enough for the five sessions' fan to be seen),
    then the forecast and its bands.

    With ``quantiles`` (``q05`` .. ``q95`` of one forecast, from
    :func:`~sklearn_vix.cli._common.forecast_quantiles`), the nested 90 % (5-95 %) and
    50 % (25-75 %) bands of that one distribution; else the ``lower``-``upper`` band of
    ``forecast`` when it has one.
    """
    figure, axes = _subplots(1, 1, (11, 3.8))
    ax = axes[0, 0]
    recent = vix.loc[vix.index[-1] - pd.DateOffset(months=months) :]
    ax.plot(recent.index, recent, color=ACTUAL, lw=1.0, label="VIX close")
    # The forecast line starts at the last close, so that the fan opens from it.
    start = pd.Series([vix.iloc[-1]], index=vix.index[-1:])
    path = pd.concat([start, forecast["forecast"]])
    ax.plot(path.index, path, color=colour, lw=1.5, marker=".", label=f"forecast ({name})")
    if quantiles is not None:
        bands = [("q05", "q95", 0.2, "90 % band"), ("q25", "q75", 0.4, "50 % band")]
    elif "lower" in forecast:
        bands, quantiles = [("lower", "upper", 0.25, "90 % interval")], forecast
    else:
        bands = []
    for low, high, alpha, label in bands:
        lower = pd.concat([start, quantiles[low]])
        upper = pd.concat([start, quantiles[high]])
        ax.fill_between(path.index, lower, upper, color=colour, alpha=alpha, label=label)
    ax.set_ylabel(VIX_AXIS)
    ax.set_title(f"The last {months} months and the forecast")
    ax.legend(loc="upper left", fontsize="small")
    return figure


def fold_figure(ratios: pd.DataFrame, colours: dict):
    """RMSE / persistence per fold (rows: folds labelled by dates; columns: models)."""
    figure, axes = _subplots(1, 1, (11, 3.8))
    ax = axes[0, 0]
    width = 0.8 / len(ratios.columns)
    positions = np.arange(len(ratios))
    for i, name in enumerate(ratios.columns):
        ax.bar(positions + i * width, ratios[name], width, color=colours[name], label=name)
    ax.axhline(1.0, color=ACTUAL, lw=0.8, ls="--", label="persistence = 1")
    ax.set_xticks(positions + width * (len(ratios.columns) - 1) / 2, ratios.index, fontsize="small")
    ax.set_ylabel("RMSE ÷ RMSE of persistence")
    low, high = np.nanmin(ratios.to_numpy()), np.nanmax(ratios.to_numpy())
    margin = max(0.01, 0.15 * (high - low))
    ax.set_ylim(min(low, 1.0) - margin, max(high, 1.0) + margin)
    ax.set_title("Accuracy per test fold (below 1: better than persistence)")
    ax.legend(fontsize="small", ncol=3)
    return figure
