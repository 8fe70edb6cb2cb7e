"""make_forecaster: composition, layout, sklearn tools, the HAR special case, no look-ahead."""

import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline

from sklearn_vix import (
    ConformalForecaster,
    HARRegressor,
    LogTargetRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    RecurrentRegressor,
    make_forecaster,
)
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.model_selection import compare_models

TINY = dict(hidden_size=4, max_epochs=2, random_state=0)


def cboe_frame(n=400, recorded_from=200, seed=0):
    """A CBOE-like frame: vix, open, high, low, with high = low = close before a date."""
    rng = np.random.default_rng(seed)
    vix = 20 * np.exp(np.cumsum(rng.normal(0, 0.05, n)) * 0.5)
    spread = np.exp(rng.uniform(0.01, 0.1, n))
    high, low = vix * spread, vix / spread
    high[:recorded_from] = low[:recorded_from] = vix[:recorded_from]
    index = pd.bdate_range("2003-01-01", periods=n, name="date")
    return pd.DataFrame({"vix": vix, "open": vix, "high": high, "low": low}, index=index)


@pytest.fixture(scope="module")
def sim():
    return make_supervised(load_vix_sim().iloc[:700], horizon=3)


@pytest.fixture(scope="module")
def cboe():
    return make_supervised(cboe_frame(), horizon=2)


def test_it_is_sklearn_composition_of_public_pieces():
    forecaster = make_forecaster(LinearRegression())
    assert type(forecaster) is LogTargetRegressor
    pipeline = forecaster.regressor
    assert type(pipeline) is Pipeline
    assert [name for name, _ in pipeline.steps] == [
        "features",
        "window",
        "known_future",
        "scale",
        "model",
    ]
    assert type(pipeline["features"]) is ColumnTransformer
    assert type(make_forecaster(LinearRegression(), log=False)) is Pipeline


def test_importing_and_building_does_not_load_torch():
    code = (
        "import sys, sklearn_vix; from sklearn.linear_model import LinearRegression; "
        "sklearn_vix.make_forecaster(LinearRegression()); print('torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_features_from_a_cboe_frame_are_log_vix_har_means_and_range(cboe):
    X, y = cboe
    forecaster = make_forecaster(
        LinearRegression(), lookback=3, har_windows=(5, 22), daily_range="standardize"
    ).fit(X, y)
    names = forecaster.regressor_["features"].get_feature_names_out().tolist()
    assert names == ["log_vix", "log_vix_mean5", "log_vix_mean22", "log_range"]
    assert make_forecaster(LinearRegression()).fit(X, y).regressor_[
        "features"
    ].get_feature_names_out().tolist() == ["log_vix"]
    features = forecaster.regressor_["features"].transform(X)
    np.testing.assert_allclose(features["log_vix"], np.log(X["vix"]))
    assert forecaster.predict(X).shape == (len(X), 2)


def test_the_simulator_frame_can_use_its_exogenous_columns(sim):
    X, y = sim
    forecaster = make_forecaster(LinearRegression(), exogenous=True).fit(X, y)
    names = forecaster.regressor_["features"].get_feature_names_out().tolist()
    assert names == ["log_vix", "sp500_return", "interest_rate"]
    default = make_forecaster(LinearRegression(), har_windows=(22,)).fit(X, y)
    assert default.regressor_["features"].get_feature_names_out().tolist() == [
        "log_vix",
        "log_vix_mean22",
    ]


def test_window_layout_reaches_the_net(cboe):
    X, y = cboe
    forecaster = make_forecaster(
        LSTMRegressor(**TINY), lookback=4, har_windows=(5, 22), daily_range="standardize"
    ).fit(X, y)
    net = forecaster.regressor_["model"]
    assert (net.lookback_, net.n_columns_) == (4, 4)
    assert net.feature_names_in_[:2].tolist() == ["log_vix_lag0", "log_vix_mean5_lag0"]
    prediction = forecaster.predict(X)[-5:]
    assert prediction.shape == (5, 2) and np.all(np.isfinite(prediction))


def test_log_har_through_make_forecaster_is_har_in_logs(sim):
    X, y = sim
    composed = make_forecaster(HARRegressor()).fit(X.iloc[:500], y.iloc[:500])
    assert [name for name, _ in composed.regressor_.steps] == ["features", "model"]
    reference = HARRegressor(log=True).fit(X.iloc[:500], y.iloc[:500])
    np.testing.assert_allclose(
        composed.predict(X.iloc[500:]), reference.predict(X.iloc[500:]), rtol=1e-10
    )


def test_persistence_reads_the_latest_level(sim):
    X, y = sim
    forecaster = make_forecaster(PersistenceRegressor(), log=False).fit(X, y)
    np.testing.assert_allclose(forecaster.predict(X)[:, 0], X["vix"])


def test_a_model_already_in_logs_is_refused():
    with pytest.raises(ValueError, match=r"log=True\) already models log vix"):
        make_forecaster(HARRegressor(log=True))


def test_an_interval_forecaster_is_sent_outside_not_mistaken_for_a_log_model(sim):
    # ConformalForecaster's log is the space of its residuals, not its target: it is not
    # refused as "already in logs" but as an interval forecaster, whose intervals the
    # pipeline would hide; the message names the composition that works.
    X, y = sim
    with pytest.raises(ValueError, match=r"interval forecaster.*ConformalForecaster\(make_"):
        make_forecaster(ConformalForecaster(LinearRegression()))
    with pytest.raises(ValueError, match="interval forecaster"):
        make_forecaster(ConformalForecaster(LinearRegression(), log=False), log=False)
    outside = ConformalForecaster(make_forecaster(LinearRegression())).fit(X, y)
    assert outside.predict_interval(X.iloc[-20:]).shape == (20, 3, 2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lookback": 0}, "lookback"),
        ({"har_windows": (5, 0)}, "har_windows"),
        ({"daily_range": "fill"}, "daily_range"),
        ({"bias_correction": "duan"}, "bias_correction"),
    ],
)
def test_bad_options_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_forecaster(LinearRegression(), **kwargs)


def test_bias_correction_raises_the_median_to_the_mean(sim):
    X, y = sim
    median = make_forecaster(LinearRegression(), bias_correction=None).fit(X, y)
    mean = make_forecaster(LinearRegression()).fit(X, y)
    assert np.all(median.correction_ == 1.0)
    assert np.all(mean.correction_ > 1.0)
    np.testing.assert_allclose(mean.predict(X), median.predict(X) * mean.correction_)


@pytest.mark.parametrize("daily_range", ["indicator", "standardize"])
def test_future_rows_never_move_earlier_forecasts(cboe, daily_range):
    X, y = cboe
    forecaster = make_forecaster(
        LinearRegression(), lookback=5, har_windows=(5, 22), daily_range=daily_range
    ).fit(X.iloc[:250], y.iloc[:250])
    test = X.iloc[250:].copy()
    before = forecaster.predict(test)[:60]
    test.iloc[60:] = test.iloc[60:] * 1.7
    # The high moves further than the low, so that the future's daily range changes too.
    test.iloc[60:, test.columns.get_loc("high")] *= 1.3
    np.testing.assert_array_equal(forecaster.predict(test)[:60], before)
    assert not np.allclose(forecaster.predict(test)[60:], forecaster.predict(X.iloc[250:])[60:])


def test_test_fold_continues_the_training_history(sim):
    X, y = sim
    forecaster = make_forecaster(LinearRegression(), har_windows=(5, 22))
    forecaster.fit(X.iloc[:500], y.iloc[:500])
    # The first test rows see the same windows and 22-day means as inside the full series.
    continued = forecaster.predict(X.iloc[500:510])
    whole = forecaster.predict(X)[500:510]
    np.testing.assert_allclose(continued, whole, rtol=1e-12)


def test_cross_val_score_grid_search_and_compare_models(sim):
    X, y = sim
    forecaster = make_forecaster(LinearRegression(), har_windows=(5, 22))
    cv = TimeSeriesSplit(3, gap=2)
    assert np.all(np.isfinite(cross_val_score(forecaster, X, y, cv=cv)))
    grid = GridSearchCV(
        forecaster,
        {"regressor__window__lookback": [2, 5], "regressor__features__har__windows": [(5,), (22,)]},
        cv=cv,
    ).fit(X, y)
    # Each of the four candidates reached its step: they score differently.
    assert len(set(grid.cv_results_["mean_test_score"])) == 4
    result = compare_models(
        {"log-HAR": make_forecaster(HARRegressor()), "linear": forecaster}, X, y, cv=cv
    )
    assert set(result.summary.index) == {"log-HAR", "linear"}


def test_net_parameters_are_reachable_by_name(sim):
    X, y = sim
    forecaster = make_forecaster(RecurrentRegressor(**TINY))
    assert forecaster.get_params()["regressor__model__hidden_size"] == 4
    grid = GridSearchCV(
        forecaster, {"regressor__model__cell": ["lstm", "gru"]}, cv=TimeSeriesSplit(2, gap=2)
    ).fit(X, y)
    # The cell reached the net: an LSTM and a GRU from the same seed score differently.
    lstm, gru = grid.cv_results_["mean_test_score"]
    assert lstm != gru


def test_clone_pickle_and_input_untouched(cboe):
    X, y = cboe
    X_copy = X.copy()
    forecaster = clone(make_forecaster(LinearRegression())).fit(X, y)
    pd.testing.assert_frame_equal(X, X_copy)
    restored = pickle.loads(pickle.dumps(forecaster))
    np.testing.assert_array_equal(restored.predict(X), forecaster.predict(X))


def test_high_without_low_is_a_clear_error(cboe):
    X, y = cboe
    with pytest.raises(ValueError, match="two columns, the daily high and low"):
        make_forecaster(LinearRegression(), daily_range="standardize").fit(X.drop(columns="low"), y)
