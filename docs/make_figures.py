"""Draw the figures the README and the user guide show, on the real VIX shipped with the
package, into docs/images/.

python docs/make_figures.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, HARRegressor, PersistenceRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.model_selection import compare_models, default_cv
from sklearn_vix.plotting import ForecastDisplay

IMAGES = Path(__file__).resolve().parent / "images"


def out_of_fold_forecasts() -> None:
    """The README's figure: the last test days of the cross-validation, the recommended
    model beside persistence and log-HAR."""
    X, y = make_supervised(load_vix()[["vix"]])
    models = {
        "persistence": PersistenceRegressor(),
        "log-HAR": HARRegressor(log=True),
        "linear (log, calendar)": make_forecaster(LinearRegression()),
    }
    result = compare_models(models, X, y, cv=default_cv(y))
    last = {
        name: p.iloc[-120:]
        for name, p in result.predictions.items()
        if name != "persistence (reference)"
    }
    display = ForecastDisplay.from_predictions(result.y_true.iloc[-120:], last)
    display.ax_.set_title("Out-of-fold forecasts of the real VIX, one session ahead: the last 120")
    display.ax_.set_ylabel("VIX (index points)")
    display.figure_.savefig(IMAGES / "forecast.png", dpi=110, bbox_inches="tight")
    plt.close("all")
    print(result)


def spike_2020() -> None:
    """The 90 % one-day interval of log-HAR through the 2020 spike, real VIX."""
    X, y = make_supervised(load_vix()[["vix"]])
    train = X.index <= "2019-12-31"
    window = (X.index >= "2020-01-15") & (X.index <= "2020-06-30")
    fig, axes = plt.subplots(2, 1, figsize=(10, 7), sharex=True, constrained_layout=True)
    for ax, scale in zip(axes, ["volatility", None], strict=True):
        model = ConformalForecaster(HARRegressor(log=True), scale=scale).fit(X[train], y[train])
        # Predicting from 2020-01-02 on keeps the volatility scale's history continuous.
        later = X.index >= "2020-01-01"
        bounds = model.predict_interval(X[later])[window[later]]
        ForecastDisplay.from_predictions(
            y[window], model.predict(X[window]), y_interval=bounds, name="log-HAR", ax=ax
        )
        label = "volatility scale (default)" if scale else "constant scale"
        ax.set_title(f"90 % interval for the next session's close, {label}")
        ax.set_ylabel("VIX (index points)")
    fig.savefig(IMAGES / "intervals_2020.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    IMAGES.mkdir(exist_ok=True)
    out_of_fold_forecasts()
    spike_2020()
