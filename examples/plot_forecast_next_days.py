"""
Forecast the next five sessions
===============================

Fit the recommended net on the real VIX and forecast the five sessions after the last
day, as ``sklearn-vix predict`` does. The shipped data ends on 2023-12-29, so the
forecast is for January 2024; for a forecast from today, load CBOE's current file with
``load_vix_csv("VIX_History.csv")`` (or run ``sklearn-vix predict --data
VIX_History.csv``).
"""

import matplotlib.pyplot as plt
import pandas as pd

from sklearn_vix import ConformalForecaster, LSTMRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised

frame = load_vix().loc["2016":, ["vix"]]
# Row t of y holds the VIX at t+1 .. t+5: one net predicts the five steps together.
X, y = make_supervised(frame, horizon=5)
# The sessions since 2016 and 5 epochs keep the documentation build short (a real
# forecast uses every session and the default 100 epochs with early stopping).
# Split conformal intervals cost no extra fit: the net trains on the first 80 % of the
# days and its errors on the last 20 % set the 90 % interval.
net = LSTMRegressor(max_epochs=5, random_state=0)
model = ConformalForecaster(make_forecaster(net, lookback=10), coverage=0.9, method="split")
model.fit(X, y)

# %%
# The forecast starts from the last row of the data, whose target is not known yet:
# predict on every row (windows only look back) and keep the last one.
last_day = frame.index[-1]
days = pd.bdate_range(last_day + pd.offsets.BDay(1), periods=5)
bounds = model.predict_interval(frame)[-1]  # shape (5 steps, 2)
forecast = pd.DataFrame(
    {"forecast": model.predict(frame)[-1], "lower": bounds[:, 0], "upper": bounds[:, 1]},
    index=days,
)
print(f"VIX on {last_day.date()}: {frame['vix'].iloc[-1]}")
print(forecast.round(2))

# %%
# Business days are weekdays: exchange holidays (here New Year's Day) are not known to
# the calendar, so a forecast dated on a holiday belongs to the next trading day.
fig, ax = plt.subplots(figsize=(9, 4))
ax.plot(frame.index[-60:], frame["vix"].iloc[-60:], color="black", label="VIX")
ax.plot(forecast.index, forecast["forecast"], marker="o", label="forecast")
ax.fill_between(forecast.index, forecast["lower"], forecast["upper"], alpha=0.3, label="90 %")
ax.set_title("The last 60 days and the next five")
ax.legend()
plt.show()
