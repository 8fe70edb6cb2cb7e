"""Display objects, drawn with the Agg backend and inspected."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import GRURegressor, HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.model_selection import compare_models
from sklearn_vix.plotting import (
    FoldScoresDisplay,
    ForecastDisplay,
    LossCurveDisplay,
    SeriesDisplay,
)


@pytest.fixture(scope="module")
def data():
    return make_supervised(load_vix_sim().iloc[:900])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_forecast_display_from_estimator_draws_out_of_fold_forecasts(data):
    X, y = data
    _, ax = plt.subplots()
    display = ForecastDisplay.from_estimator(
        {"persistence": PersistenceRegressor(), "HAR": HARRegressor()}, X, y, ax=ax
    )
    assert display.ax_ is ax and display.figure_ is ax.figure
    persistence = display.lines_["persistence"]
    tested = y.index[-5 * (len(y) // 6) :]
    np.testing.assert_allclose(persistence.get_ydata(), X.loc[tested, "vix"])
    np.testing.assert_allclose(display.lines_["actual"].get_ydata(), y.loc[tested])
    assert len(display.boundaries_) == 5
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["actual", "persistence", "HAR"]


def test_forecast_display_from_comparison_picks_a_step():
    X, y = make_supervised(load_vix_sim().iloc[:900], horizon=3)
    result = compare_models({"HAR": HARRegressor()}, X, y)
    display = ForecastDisplay.from_comparison(result, ["HAR"], step=0)
    np.testing.assert_allclose(
        display.lines_["HAR"].get_ydata(), result.predictions["HAR"]["vix_h1"]
    )
    np.testing.assert_allclose(display.lines_["actual"].get_ydata(), result.y_true["vix_h1"])


def fitted_net(X, y):
    net = GRURegressor(hidden_size=4, max_epochs=6, patience=2, lr=0.03, random_state=0)
    return make_pipeline(WindowTransformer(5), StandardScaler(), net).fit(X, y)


def test_loss_curve_display_reads_the_history_from_a_pipeline(data):
    X, y = data
    pipe = fitted_net(X, y)
    display = LossCurveDisplay.from_estimator(pipe)
    history = pipe[-1].history_
    np.testing.assert_allclose(display.train_line_.get_ydata(), history[:, "train_loss"])
    np.testing.assert_allclose(display.valid_line_.get_ydata(), history[:, "valid_loss"])
    best = dict(pipe[-1].callbacks_)["early_stopping"].best_epoch_
    assert display.best_line_.get_xdata()[0] == best


def test_loss_curve_display_from_a_grid_search(data):
    X, y = data
    pipe = make_pipeline(
        WindowTransformer(5), StandardScaler(), GRURegressor(max_epochs=2, random_state=0)
    )
    search = GridSearchCV(pipe, {"gruregressor__hidden_size": [3, 4]}, cv=TimeSeriesSplit(2))
    search.fit(X, y)
    display = LossCurveDisplay.from_estimator(search)
    assert len(display.train_line_.get_ydata()) == len(search.best_estimator_[-1].history_)


def test_loss_curve_display_needs_a_network():
    with pytest.raises(TypeError, match="no training history"):
        LossCurveDisplay.from_estimator(HARRegressor())


def test_fold_scores_display_shows_every_fold(data):
    X, y = data
    result = compare_models({"persistence": PersistenceRegressor(), "HAR": HARRegressor()}, X, y)
    display = FoldScoresDisplay.from_comparison(result, metric="rmse")
    assert list(display.scores.columns) == ["persistence", "HAR"]
    har_points = display.points_[1].get_offsets()[:, 1]
    np.testing.assert_allclose(
        har_points, result.table.loc[result.table["model"] == "HAR", "rmse"].to_numpy()
    )
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["persistence", "HAR"]
    with pytest.raises(ValueError, match="metric='mape'"):
        FoldScoresDisplay.from_comparison(result, metric="mape")


def test_series_display_draws_the_eda_figure():
    vix = load_vix_sim()["vix"].iloc[:1200]
    _, axes = plt.subplots(2, 2)
    display = SeriesDisplay.from_series(vix, axes=axes)
    assert display.figure_ is axes[0, 0].figure
    series_line = display.axes_["series"].get_lines()[0]
    np.testing.assert_allclose(series_line.get_ydata(), vix)
    acf_line = display.axes_["acf"].get_lines()[0]
    np.testing.assert_allclose(
        acf_line.get_ydata(), display.description.autocorrelation["log_level"]
    )
    assert len(display.axes_["weekday"].patches) == 5
