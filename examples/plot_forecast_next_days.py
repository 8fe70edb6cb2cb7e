"""
Forecast the next five sessions
===============================

Fit the recommended model on the real VIX and forecast the five sessions after the last
day, as ``sklearn-vix predict`` does. The recommended model is the linear model on log
windows with the calendar, ``make_forecaster(LinearRegression())``: on the real VIX no
network is significantly more accurate than it (see "What to expect" in the user guide),
and ``sklearn-vix report`` picks it by a stated rule. The shipped data ends on
2023-12-29, so the forecast is for January 2024; for a forecast from today, fetch Cboe's
current file with ``fetch_cboe()`` (or run ``sklearn-vix predict --data cboe``).
"""

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, make_forecaster
from sklearn_vix.calendar import next_sessions
from sklearn_vix.datasets import load_vix, make_supervised

frame = load_vix()[["vix"]]
# Row t of y holds the VIX at the five sessions after t: one model forecasts all five.
X, y = make_supervised(frame, horizon=5)
# Cross-fitted conformal intervals: the point forecast is fitted on every session, and
# out-of-fold errors set the 90 % interval (a few more fits of a model that fits in
# milliseconds).
model = ConformalForecaster(make_forecaster(LinearRegression()), coverage=0.9).fit(X, y)

# %%
# The forecast starts from the last row of the data, whose target is not known yet:
# predict on every row (windows only look back) and keep the last one. Its dates are the
# next NYSE sessions, from the exchange's calendar: New Year's Day 2024 is skipped.
last_day = frame.index[-1]
days = next_sessions(last_day, 5)
bounds = model.predict_interval(frame)[-1]  # shape (5 steps, 2)
forecast = pd.DataFrame(
    {"forecast": model.predict(frame)[-1], "lower": bounds[:, 0], "upper": bounds[:, 1]},
    index=pd.Index(days, name="session"),
)
print(f"VIX on {last_day.date()}: {frame['vix'].iloc[-1]}")
print(f"linear (log, calendar), fitted on {len(X):,} sessions to {last_day.date()}:")
print(forecast.round(2))

# %%
# The last 60 sessions and the forecast, its band opening from the last close.
fig, ax = plt.subplots(figsize=(9, 4))
ax.plot(frame.index[-60:], frame["vix"].iloc[-60:], color="black", label="VIX close")
ax.plot(forecast.index, forecast["forecast"], marker="o", label="forecast")
ax.fill_between(forecast.index, forecast["lower"], forecast["upper"], alpha=0.3, label="90 %")
ax.set_ylabel("VIX (index points)")
ax.set_title("The last 60 sessions and the next five")
ax.legend()
plt.show()
