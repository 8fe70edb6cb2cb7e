"""make_forecaster's known-future calendar: beside the windows, switchable, and in the nets."""

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_vix import (
    FeedForwardRegressor,
    GRURegressor,
    HARRegressor,
    LSTMRegressor,
    make_forecaster,
)
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
    # Not in the state, not in the window's highway: a weight per output, on its own step.
    assert module.output.in_features == 4
    assert module.highway.in_features == 3
    assert module.known_shape == (2, 1) and module.known_weight.shape == (2, 1)
    # The calendar reaches the forecast: move one step's days and the forecast moves.
    Z = forecaster.regressor_[:-1].transform(X.iloc[-20:])
    shifted = Z.copy()
    shifted["days_step1"] += 1.0
    assert not np.allclose(net.predict(shifted), net.predict(Z))


@pytest.mark.parametrize("Net", [LSTMRegressor, FeedForwardRegressor])
def test_step_k_calendar_reaches_output_k_only(vix, Net):
    X, y = vix
    forecaster = make_forecaster(Net(max_epochs=2, random_state=0), lookback=3).fit(X, y)
    net = forecaster.regressor_["model"]
    Z = forecaster.regressor_[:-1].transform(X.iloc[-20:])
    before = net.predict(Z)
    for step in (1, 2):
        shifted = Z.copy()
        shifted[f"days_step{step}"] += 1.0
        moved = net.predict(shifted) - before
        np.testing.assert_array_equal(moved[:, 2 - step], 0.0)
        assert np.abs(moved[:, step - 1]).min() > 0


def test_the_calendar_starts_at_the_least_squares_forecast(vix):
    X, y = vix
    Z = make_forecaster(LinearRegression(), lookback=3).fit(X, y).regressor_[:-1].transform(X)
    target = np.log(y.to_numpy())
    # lr so small that training leaves the start: the highway's least squares.
    net = LSTMRegressor(**{**TINY, "max_epochs": 1}, lr=1e-12, validation_fraction=0)
    start = net.fit(Z, target).predict(Z)
    for step in (1, 2):
        # Output k is the regression of target k on the window and step k's days only.
        columns = [*Z.columns[:3], f"days_step{step}"]
        reference = LinearRegression().fit(Z[columns], target[:, step - 1]).predict(Z[columns])
        np.testing.assert_allclose(start[:, step - 1], reference, rtol=1e-4)


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
    assert module.known_shape is None and module.known_weight is None
    assert module.output.in_features == 4
    assert module(torch.zeros(5, 3, 2)).shape == (5, 1)


class WindowOnly(torch.nn.Module):
    """A custom module written to the window-only contract."""

    def __init__(self, lookback, n_columns, n_outputs):
        super().__init__()
        self.linear = torch.nn.Linear(lookback * n_columns, n_outputs)

    def forward(self, window):
        return self.linear(window.flatten(1))


class WithCalendar(WindowOnly):
    """A custom module that takes the known-future features as documented."""

    seen: list = []

    def __init__(self, lookback, n_columns, n_outputs, known_shape):
        super().__init__(lookback, n_columns, n_outputs)
        self.calendar = torch.nn.Linear(known_shape[0] * known_shape[1], n_outputs)

    def forward(self, window, known):
        self.seen.append((tuple(window.shape[1:]), tuple(known.shape[1:])))
        return super().forward(window) + self.calendar(known.flatten(1))


class OneInputWithShape(WindowOnly):
    def __init__(self, lookback, n_columns, n_outputs, known_shape):
        super().__init__(lookback, n_columns, n_outputs)


def test_a_custom_module_gets_the_window_and_the_calendar_apart(vix):
    X, y = vix
    WithCalendar.seen.clear()
    net = LSTMRegressor(module=WithCalendar, max_epochs=2, random_state=0)
    prediction = make_forecaster(net, lookback=3).fit(X, y).predict(X)
    assert prediction.shape == (len(X), 2)
    assert set(WithCalendar.seen) == {((3, 1), (2, 1))}


def test_a_window_only_module_works_without_the_calendar(vix):
    X, y = vix
    net = LSTMRegressor(module=WindowOnly, max_epochs=2, random_state=0)
    forecaster = make_forecaster(net, lookback=3, calendar=None).fit(X, y)
    assert forecaster.predict(X).shape == (len(X), 2)


@pytest.mark.parametrize(
    ("module", "problem"),
    [
        (WindowOnly, "takes no known_shape= argument"),
        (OneInputWithShape, "has a forward that takes one input"),
    ],
)
def test_a_window_only_module_under_the_calendar_is_told_the_fix(vix, module, problem):
    X, y = vix
    net = LSTMRegressor(module=module, max_epochs=2, random_state=0)
    with pytest.raises(TypeError, match=problem) as error:
        make_forecaster(net, lookback=3).fit(X, y)
    assert "forward(window, known)" in str(error.value)
    assert "(batch, 2, 1)" in str(error.value)
    assert "calendar=None" in str(error.value)


def test_calendar_steps_that_are_not_the_outputs_are_an_error(vix):
    X, y = vix
    Z = make_forecaster(LinearRegression(), lookback=2).fit(X, y).regressor_[:-1].transform(X)
    with pytest.raises(ValueError, match="describe 2 forecast step"):
        LSTMRegressor(**TINY).fit(Z, y.iloc[:, 0])
    reordered = Z[[*Z.columns[:2], "days_step2", "days_step1"]]
    with pytest.raises(ValueError, match="step-major"):
        LSTMRegressor(**TINY).fit(reordered, y)


def test_the_networks_page_quotes_the_benchmark_it_includes():
    root = Path(__file__).resolve().parents[1]
    results = (root / "benchmarks" / "results" / "net_calendar.md").read_text()
    page = (root / "docs" / "user_guide" / "networks.md").read_text()
    assert "{include} ../../benchmarks/results/net_calendar.md" in page
    section = page.split("## The calendar: known-future inputs")[1].split("\n## ")[0]
    number = re.compile(r"[+-]?\d\.\d{4}")
    quoted = number.findall(section)
    assert quoted and set(quoted) <= set(number.findall(results))


def test_time_zone_aware_dates_work_end_to_end_as_naive_ones():
    # Market data often comes dated in New York time.
    import pandas as pd
    from sklearn.linear_model import LinearRegression

    from sklearn_vix import ConformalForecaster, make_forecaster
    from sklearn_vix.datasets import load_vix, make_supervised
    from sklearn_vix.model_selection import backtest

    frame = load_vix()[["vix"]].loc["2019":"2021"]
    results = []
    for data in (frame, frame.tz_localize("America/New_York")):
        X, y = make_supervised(data, horizon=2)
        model = ConformalForecaster(make_forecaster(LinearRegression()), coverage=0.8)
        fitted = model.fit(X.iloc[:500], y.iloc[:500])
        walk = backtest(model, X, y, start=600, refit_every=60, progress=False)
        results.append((fitted.predict_interval(X.iloc[500:]), walk.forecasts))
    (naive, naive_walk), (aware, aware_walk) = results
    np.testing.assert_allclose(aware, naive)
    np.testing.assert_allclose(
        aware_walk[["forecast", "lower", "upper"]], naive_walk[["forecast", "lower", "upper"]]
    )
    assert list(pd.DatetimeIndex(aware_walk["target_date"]).tz_localize(None)) == list(
        naive_walk["target_date"]
    )
