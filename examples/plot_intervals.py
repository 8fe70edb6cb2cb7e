"""
How high can the VIX go? Prediction intervals in calm and stress
=================================================================

A point forecast does not say how high tomorrow could go. ``ConformalForecaster`` wraps
any forecaster and adds ``predict_interval``: the forecast moved by quantiles of
out-of-sample residuals, in logs (so the band is wider above than below) and divided by
the recent volatility (so the band widens as soon as the VIX turns turbulent). This
example uses the embedded simulated data; ``benchmarks/bench_intervals.py`` measures the
same on the real VIX.
"""

# %%
# Fit on the first years, forecast the next ones
# ----------------------------------------------
import matplotlib.pyplot as plt

from sklearn_vix import ConformalForecaster, HARRegressor
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.diagnostics import stress_regimes
from sklearn_vix.metrics import interval_coverage, interval_score
from sklearn_vix.plotting import CoverageDisplay, ForecastDisplay

X, y = make_supervised(load_vix_sim()[["vix"]].iloc[:4000])
X_train, y_train, X_test, y_test = X[:2500], y[:2500], X[2500:], y[2500:]

models = {
    "volatility scale": ConformalForecaster(HARRegressor(log=True), coverage=0.9),
    "constant scale": ConformalForecaster(HARRegressor(log=True), coverage=0.9, scale=None),
}
for name, model in models.items():
    model.fit(X_train, y_train)
    bounds = model.predict_interval(X_test)
    stressed = stress_regimes(X_test)["vix_above_25"].to_numpy()
    print(
        f"{name:>16}: coverage {interval_coverage(y_test, bounds):.3f}, "
        f"on VIX > 25 days {interval_coverage(y_test[stressed], bounds[stressed]):.3f}, "
        f"interval score {interval_score(y_test, bounds, coverage=0.9):.3f}"
    )

# %%
# The band around the largest spike of the test years
# ---------------------------------------------------
peak = y_test.to_numpy().argmax()
around = slice(max(peak - 60, 0), peak + 60)
fig, axes = plt.subplots(2, 1, figsize=(9, 6), sharex=True, constrained_layout=True)
for ax, (name, model) in zip(axes, models.items(), strict=True):
    bounds = model.predict_interval(X_test)[around]
    ForecastDisplay.from_predictions(
        y_test[around], model.predict(X_test[around]), y_interval=bounds, name=name, ax=ax
    )

# %%
# Coverage by regime, and over time
# ---------------------------------
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), constrained_layout=True)
model = models["volatility scale"]
CoverageDisplay.from_estimator(model, X_test, y_test, kind="regime", ax=axes[0])
CoverageDisplay.from_estimator(model, X_test, y_test, window=250, ax=axes[1])

# %%
# Online: adapt the intervals as days arrive, without refitting
# -------------------------------------------------------------
# ``update`` replays new days in order: each outcome joins the calibration residuals once
# it is known, and adaptive conformal inference (Gibbs and Candès, 2021) widens the
# intervals after misses and narrows them after hits.
model.update(X_test, y_test)
print(f"online coverage {interval_coverage(y_test, model.update_intervals_):.3f}")
