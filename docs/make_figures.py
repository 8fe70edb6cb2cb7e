"""Draw one figure of each Display on the embedded default data, into docs/images/.

python docs/make_figures.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import (
    ConformalForecaster,
    GRURegressor,
    HARRegressor,
    PersistenceRegressor,
    WindowTransformer,
)
from sklearn_vix.datasets import load_vix_csv, load_vix_sim, make_supervised
from sklearn_vix.model_selection import compare_models
from sklearn_vix.plotting import FoldScoresDisplay, ForecastDisplay, LossCurveDisplay, SeriesDisplay

IMAGES = Path(__file__).resolve().parent / "images"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    frame = load_vix_sim()
    X, y = make_supervised(frame[["vix"]])
    gru = make_pipeline(
        WindowTransformer(10), StandardScaler(), GRURegressor(random_state=0)
    ).set_output(transform="pandas")
    models = {
        "persistence": PersistenceRegressor(),
        "linear": make_pipeline(WindowTransformer(10), LinearRegression()),
        "HAR": HARRegressor(),
        "GRU": gru,
    }
    result = compare_models(models, X, y)

    last = {
        name: p.iloc[-120:]
        for name, p in result.predictions.items()
        if name != "persistence (reference)"
    }
    display = ForecastDisplay.from_predictions(result.y_true.iloc[-120:], last)
    display.ax_.set_title("Last 120 test days of load_vix_sim()")
    display.figure_.savefig(IMAGES / "forecast.png", dpi=110, bbox_inches="tight")

    display = FoldScoresDisplay.from_comparison(result, metric="rmse_ratio")
    display.figure_.savefig(IMAGES / "fold_scores.png", dpi=110, bbox_inches="tight")

    gru.fit(X.iloc[:7000], y.iloc[:7000])
    display = LossCurveDisplay.from_estimator(gru)
    display.figure_.savefig(IMAGES / "loss_curve.png", dpi=110, bbox_inches="tight")

    display = SeriesDisplay.from_series(frame["vix"])
    display.figure_.savefig(IMAGES / "series.png", dpi=90, bbox_inches="tight")
    plt.close("all")
    print(result)
    if REAL.exists():
        spike_2020()


def spike_2020() -> None:
    """The 90 % one-day interval of log-HAR through the 2020 spike, real VIX."""
    X, y = make_supervised(load_vix_csv(REAL)[["vix"]])
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
        ax.set_title(f"90 % interval for the next day's close, {label}")
    fig.savefig(IMAGES / "intervals_2020.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
