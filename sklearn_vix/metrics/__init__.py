"""Forecast metrics relative to persistence, interval and distribution metrics, QLIKE, scorers.

R2 of a VIX forecast mostly measures how persistent the VIX is (persistence alone scores
0.93-0.95 one day ahead); the error relative to persistence says whether a model adds
anything. RMSE, MAE and R2 themselves come from :mod:`sklearn.metrics`. QLIKE, the
volatility literature's loss, scores the forecast as a forecast of the variance VIX^2.
"""

from ._crps import (
    crps_from_quantiles,
    crps_gaussian,
    is_crps_grid,
    make_quantile_scorer,
    mean_pinball_score,
)
from ._intervals import (
    interval_coverage,
    interval_pinball_loss,
    interval_score,
    make_interval_scorer,
    mean_interval_width,
)
from ._qlike import qlike, qlike_loss, qlike_scorer
from ._relative import make_persistence_scorer, persistence_forecast, rmse_ratio, skill_score

__all__ = [
    "crps_from_quantiles",
    "crps_gaussian",
    "interval_coverage",
    "interval_pinball_loss",
    "interval_score",
    "is_crps_grid",
    "make_interval_scorer",
    "make_persistence_scorer",
    "make_quantile_scorer",
    "mean_interval_width",
    "mean_pinball_score",
    "persistence_forecast",
    "qlike",
    "qlike_loss",
    "qlike_scorer",
    "rmse_ratio",
    "skill_score",
]
