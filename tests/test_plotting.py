"""Display objects, drawn with the Agg backend and inspected."""

import matplotlib

matplotlib.use("Agg")

import pickle
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import (
    ConformalForecaster,
    GRURegressor,
    HARRegressor,
    PersistenceRegressor,
    WindowTransformer,
    make_forecaster,
)
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.model_selection import compare_models
from sklearn_vix.plotting import (
    CoverageDisplay,
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


def test_forecast_display_from_comparison_draws_out_of_fold_forecasts(data):
    X, y = data
    _, ax = plt.subplots()
    result = compare_models({"persistence": PersistenceRegressor(), "HAR": HARRegressor()}, X, y)
    display = ForecastDisplay.from_comparison(result, ["persistence", "HAR"], ax=ax)
    assert display.ax_ is ax and display.figure_ is ax.figure
    persistence = display.lines_["persistence"]
    tested = y.index[-5 * (len(y) // 6) :]
    np.testing.assert_allclose(persistence.get_ydata(), X.loc[tested, "vix"])
    np.testing.assert_allclose(display.lines_["actual"].get_ydata(), y.loc[tested])
    assert len(display.boundaries_) == 5
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["actual", "persistence", "HAR"]


def test_forecast_display_from_estimator_plots_a_fitted_model_and_never_fits(data):
    X, y = data
    model = ConformalForecaster(HARRegressor(), coverage=0.8).fit(X[:600], y[:600])
    state = pickle.dumps(model)
    display = ForecastDisplay.from_estimator(model, X[600:], y[600:], name="HAR", color="red")
    assert pickle.dumps(model) == state
    np.testing.assert_allclose(display.lines_["HAR"].get_ydata(), model.predict(X[600:]))
    assert display.lines_["HAR"].get_color() == "red"
    band = display.bands_["HAR"].get_paths()[0].vertices[:, 1]
    bounds = model.predict_interval(X[600:])
    assert band.min() == pytest.approx(bounds[:, 0].min())
    assert band.max() == pytest.approx(bounds[:, 1].max())
    with pytest.raises(NotFittedError):
        ForecastDisplay.from_estimator(HARRegressor(), X, y)


def test_forecast_display_from_predictions_takes_arrays(data):
    X, y = data
    bounds = np.stack([y.to_numpy() - 1, y.to_numpy() + 1], axis=1)
    display = ForecastDisplay.from_predictions(y, X["vix"].to_numpy(), y_interval=bounds)
    np.testing.assert_allclose(display.lines_["forecast"].get_ydata(), X["vix"])
    assert list(display.bands_) == ["forecast"]


def test_coverage_display_by_regime_and_rolling(data):
    X, y = data
    model = ConformalForecaster(HARRegressor(), coverage=0.8).fit(X[:500], y[:500])
    bounds = model.predict_interval(X[500:])
    inside = (y[500:] >= bounds[:, 0]) & (y[500:] <= bounds[:, 1])
    display = CoverageDisplay.from_estimator(model, X[500:], y[500:], kind="regime")
    high = X["vix"][500:].to_numpy() > 25
    assert display.by_regime_["all days"] == pytest.approx(inside.mean())
    assert display.by_regime_["vix_above_25"] == pytest.approx(inside[high].mean())
    heights = [bar.get_height() for bar in display.artist_]
    np.testing.assert_allclose(heights, display.by_regime_.to_numpy())
    rolling = CoverageDisplay.from_estimator(model, X[500:], y[500:], window=50, color="green")
    np.testing.assert_allclose(
        rolling.artist_.get_ydata()[49:], inside.astype(float).rolling(50).mean()[49:]
    )
    assert rolling.artist_.get_color() == "green"
    with pytest.raises(TypeError, match="wrap it in ConformalForecaster"):
        CoverageDisplay.from_estimator(HARRegressor().fit(X, y), X, y)


def test_displays_need_matplotlib_with_a_clear_error(data, monkeypatch):
    X, y = data
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="requires matplotlib"):
        ForecastDisplay.from_predictions(y, X["vix"])


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
    pipe = make_pipeline(WindowTransformer(5), StandardScaler(), net)
    # Pandas output carries the window layout (lookback, columns) to the net.
    return pipe.set_output(transform="pandas").fit(X, y)


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
    ).set_output(transform="pandas")
    search = GridSearchCV(pipe, {"gruregressor__hidden_size": [3, 4]}, cv=TimeSeriesSplit(2))
    search.fit(X, y)
    display = LossCurveDisplay.from_estimator(search)
    assert len(display.train_line_.get_ydata()) == len(search.best_estimator_[-1].history_)


def test_loss_curve_display_looks_through_make_forecaster_and_intervals(data):
    X, y = data
    net = GRURegressor(hidden_size=4, max_epochs=3, patience=2, random_state=0)
    model = ConformalForecaster(make_forecaster(net, lookback=5), method="split")
    model.fit(X[["vix"]], y)
    fitted_net = model.estimator_.regressor_["model"]
    display = LossCurveDisplay.from_estimator(model)
    train_loss = fitted_net.history_[:, "train_loss"]
    np.testing.assert_allclose(display.train_line_.get_ydata(), train_loss)


def test_loss_curve_display_needs_a_network(data):
    X, y = data
    with pytest.raises(TypeError, match="no training history"):
        LossCurveDisplay.from_estimator(HARRegressor().fit(X, y))


@pytest.mark.parametrize(
    "unfitted",
    [
        HARRegressor(),
        GRURegressor(hidden_size=4),
        make_forecaster(GRURegressor(hidden_size=4)),
        ConformalForecaster(make_forecaster(GRURegressor(hidden_size=4))),
    ],
    ids=["har", "net", "make_forecaster", "conformal"],
)
def test_loss_curve_display_of_an_unfitted_model_is_not_fitted_error(unfitted):
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(unfitted)


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
    display = SeriesDisplay.from_series(vix, ax=axes)
    assert display.figure_ is axes[0, 0].figure
    series_line = display.axes_["series"].get_lines()[0]
    np.testing.assert_allclose(series_line.get_ydata(), vix)
    acf_line = display.axes_["acf"].get_lines()[0]
    np.testing.assert_allclose(
        acf_line.get_ydata(), display.description.autocorrelation["log_level"]
    )
    assert len(display.axes_["weekday"].patches) == 5
