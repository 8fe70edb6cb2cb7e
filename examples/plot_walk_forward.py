"""
Walk forward: forecast every day as production would
=====================================================

A forecaster of the VIX is used one day at a time: each evening it takes the day's close,
forecasts tomorrow with an interval, and is refitted now and then. ``backtest`` replays
exactly that on past data: from each origin it forecasts with what was known on that
evening, refits every ``refit_every`` sessions on the days whose outcomes are known, and
feeds each outcome to the online intervals of ``ConformalForecaster`` on the day it
arrives. This example walks through 2022-2023 with log-HAR and a linear model on ten
years of history (a rolling window), and ranks them with a Model Confidence Set.
"""

# %%
# Two forecasters with online intervals, and persistence
# ------------------------------------------------------
import matplotlib.pyplot as plt
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, HARRegressor, PersistenceRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.model_selection import backtest, compare_backtests
from sklearn_vix.plotting import CoverageDisplay, ForecastDisplay

X, y = make_supervised(load_vix())
models = {
    "HAR (log), ACI": ConformalForecaster(make_forecaster(HARRegressor())),
    "HAR (log), PID": ConformalForecaster(make_forecaster(HARRegressor()), online="pid"),
    "linear, ACI": ConformalForecaster(make_forecaster(LinearRegression())),
    "persistence": PersistenceRegressor(),
}
runs = {
    name: backtest(model, X, y, start="2022-01-01", refit_every=22, window=2520)
    for name, model in models.items()
}
print(runs["HAR (log), ACI"])

# %%
# One row per origin and step
# ---------------------------
# ``forecasts`` holds the origin, the session forecast, the forecast and its bounds, the
# outcome and the model version (``refit``) that made it.
print(runs["HAR (log), ACI"].forecasts.head().to_string())

# %%
# The forecasts with their bands, refits marked
# ---------------------------------------------
run = runs["HAR (log), ACI"]
bounds = run.forecasts[["lower", "upper"]].to_numpy()
fig, axes = plt.subplots(2, 1, figsize=(9, 6), constrained_layout=True)
ForecastDisplay.from_predictions(
    run.wide("actual"),
    run.wide("forecast"),
    y_interval=bounds,
    folds=run.forecasts.set_index("origin")["refit"],
    name="HAR (log)",
    ax=axes[0],
)
CoverageDisplay.from_predictions(
    run.wide("actual"), bounds, coverage=0.9, window=66, name="HAR (log), ACI", ax=axes[1]
)
plt.show()

# %%
# Which models are really best?
# -----------------------------
# The Model Confidence Set keeps the models not significantly worse than the best (at
# size 0.1, with a block bootstrap of the daily squared errors); the ``dm_vs_*`` columns
# are pairwise Diebold-Mariano p-values.
ranking = compare_backtests(runs)
print(f"bootstrap block: {ranking.attrs['block_size']} days")
print(ranking.round(4).to_string())
