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

from sklearn_vix import GRURegressor, HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.model_selection import compare_models
from sklearn_vix.plotting import FoldScoresDisplay, ForecastDisplay, LossCurveDisplay, SeriesDisplay

IMAGES = Path(__file__).resolve().parent / "images"


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
    display = ForecastDisplay.from_predictions(
        result.y_true.iloc[-120:], last, title="Last 120 test days of load_vix_sim()"
    )
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


if __name__ == "__main__":
    main()
