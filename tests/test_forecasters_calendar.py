"""make_forecaster's known-future calendar: beside the windows, switchable, and in the nets."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_vix import GRURegressor, HARRegressor, LSTMRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised

TINY = dict(hidden_size=4, max_epochs=2, random_state=0)


@pytest.fixture(scope="module")
def vix():
    # 2022-2023 of the shipped data: holidays, and rows on NYSE holidays.
    return make_supervised(load_vix().loc["2022-01-01":, ["vix"]], horizon=2)


def test_the_calendar_bypasses_the_window(vix):
    X, y = vix
    forecaster = make_forecaster(LinearRegression(), lookback=3).fit(X, y)
    names = forecaster.regressor_["known_future"].get_feature_names_out().tolist()
    assert names[:3] == ["log_vix_lag0", "log_vix_lag1", "log_vix_lag2"]
    # Not lagged: one set per forecast step, after the window.
    assert names[3:] == ["days_step1", "days_step2"]


def test_calendar_none_is_the_pipeline_without_it():
    forecaster = make_forecaster(LinearRegression(), calendar=None)
    assert [name for name, _ in forecaster.regressor.steps] == [
        "features",
        "window",
        "scale",
        "model",
    ]


def test_models_that_read_rows_get_no_calendar():
    pipeline = make_forecaster(HARRegressor()).regressor
    assert [name for name, _ in pipeline.steps] == ["features", "model"]


def test_feature_groups_are_switched_by_name_in_a_grid_search(vix):
    X, y = vix
    grid = GridSearchCV(
        make_forecaster(LinearRegression(), lookback=2),
        {"regressor__known_future__calendar__features": [("days",), ("weekday", "gap")]},
        cv=TimeSeriesSplit(2, gap=1),
    ).fit(X, y)
    best = grid.best_estimator_.regressor_["known_future"].get_feature_names_out()
    chosen = grid.best_params_["regressor__known_future__calendar__features"]
    assert {name.rsplit("_step", 1)[0] for name in best[2:]} <= {
        "days",
        "gap",
        *(f"weekday_{d}" for d in ("mon", "tue", "wed", "thu", "fri")),
    }
    assert chosen in [("days",), ("weekday", "gap")]


@pytest.mark.parametrize("calendar", [(), ("weekdays",), ("gap", "gap"), "gap"])
def test_bad_calendar_options_are_named(calendar):
    with pytest.raises(ValueError, match="calendar"):
        make_forecaster(LinearRegression(), calendar=calendar)


def test_future_rows_never_move_earlier_forecasts(vix):
    X, y = vix
    forecaster = make_forecaster(LSTMRegressor(**TINY), lookback=3).fit(X.iloc[:300], y.iloc[:300])
    test = X.iloc[300:].copy()
    before = forecaster.predict(test)[:60]
    test.iloc[60:] = test.iloc[60:] * 1.7
    np.testing.assert_array_equal(forecaster.predict(test)[:60], before)
    # Deleting the future rows: the last kept row's forecast exists and is unchanged.
    np.testing.assert_array_equal(forecaster.predict(X.iloc[300:360]), before)


def test_the_net_reads_the_calendar_beside_its_state_not_as_a_step(vix):
    X, y = vix
    forecaster = make_forecaster(LSTMRegressor(**TINY), lookback=3).fit(X, y)
    net = forecaster.regressor_["model"]
    assert (net.lookback_, net.n_columns_, net.n_known_) == (3, 1, 2)
    module = net.module_
    assert module.rnn.input_size == 1
    assert module.output.in_features == 4 + 2
    assert module.highway.in_features == 3 + 2
    # The calendar reaches the forecast: move one step's days and the forecast moves.
    Z = forecaster.regressor_[:-1].transform(X.iloc[-20:])
    shifted = Z.copy()
    shifted["days_step1"] += 1.0
    assert not np.allclose(net.predict(shifted), net.predict(Z))


def test_calendar_columns_inside_the_window_are_an_error(vix):
    X, y = vix
    Z = make_forecaster(LinearRegression(), lookback=2).fit(X, y).regressor_[:-1].transform(X)
    moved = Z[[Z.columns[-1], *Z.columns[:-1]]]
    with pytest.raises(ValueError, match="must come after the window columns"):
        LSTMRegressor(**TINY).fit(moved, y)


def test_weights_alone_rebuild_a_net_with_known_future_inputs(vix, tmp_path):
    X, y = vix
    forecaster = make_forecaster(GRURegressor(**TINY), lookback=3).fit(X, y)
    net = forecaster.regressor_["model"]
    Z = forecaster.regressor_[:-1].transform(X)
    net.save_params(f_params=tmp_path / "weights.pt")
    fresh = GRURegressor(hidden_size=4).load_params(f_params=tmp_path / "weights.pt")
    assert fresh.n_known_ == net.n_known_ and fresh.n_features_in_ == Z.shape[1]
    np.testing.assert_array_equal(fresh.predict(Z), net.predict(Z))


def test_the_module_without_known_inputs_is_unchanged():
    from sklearn_vix.neural import RecurrentForecaster

    torch.manual_seed(0)
    module = RecurrentForecaster(lookback=3, n_columns=2, n_outputs=1, hidden_size=4)
    assert module.n_known == 0 and module.output.in_features == 4
    assert module(torch.zeros(5, 3, 2)).shape == (5, 1)
