"""Online interval updates: one replay, with ACI or conformal PID as its rule."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_vix import ConformalForecaster, HARRegressor
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.intervals._online import PIDRule, replay
from sklearn_vix.intervals._quantiles import ScorePool


@pytest.fixture(scope="module")
def data():
    return make_supervised(load_vix_sim().iloc[:900], horizon=2)


def _fitted(data, online, **kwargs):
    X, y = data
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8, online=online, **kwargs)
    return model.fit(X.iloc[:500], y.iloc[:500])


def test_pid_starts_from_the_split_conformal_intervals(data):
    X, _ = data
    aci, pid = _fitted(data, "aci"), _fitted(data, "pid")
    np.testing.assert_allclose(pid.predict_interval(X[500:]), aci.predict_interval(X[500:]))


@pytest.mark.parametrize("online", ["aci", "pid"])
def test_the_first_online_interval_is_the_grouped_predict_interval(online):
    from sklearn.linear_model import LinearRegression

    from sklearn_vix import make_forecaster
    from sklearn_vix.datasets import load_vix

    X, y = make_supervised(load_vix().iloc[-900:], horizon=2)
    model = ConformalForecaster(make_forecaster(LinearRegression()), online=online, gamma=0.0)
    model.fit(X.iloc[:600], y.iloc[:600])
    assert model.calibration_groups_ is not None
    # Every block's first row, and the rows whose interval nothing absorbed yet can move.
    for start in (600, 700):
        expected = model.predict_interval(X.iloc[start : start + 2])
        issued = model.update(X.iloc[start : start + 100], y.iloc[start : start + 100])
        np.testing.assert_allclose(issued.update_intervals_[0], expected[0])
        # Step 2 of the second row is issued before any step-2 outcome arrives.
        np.testing.assert_allclose(issued.update_intervals_[1, 1], expected[1, 1])
        # After the block, predict_interval issues what update would issue next.
        following = model.predict_interval(X.iloc[start + 100 : start + 101])
        again = pickle_copy(model).update(
            X.iloc[start + 100 : start + 101], y.iloc[start + 100 : start + 101]
        )
        np.testing.assert_allclose(again.update_intervals_, following)


def pickle_copy(model):
    import pickle

    return pickle.loads(pickle.dumps(model))


@pytest.mark.parametrize("online", ["aci", "pid"])
def test_online_intervals_never_use_an_outcome_before_it_is_known(data, online):
    X, y = data
    model = _fitted(data, online)
    rows = slice(500, 700)
    issued = model.update(X[rows], y[rows]).update_intervals_
    origin = 120  # row 620
    changed = y[rows].copy()
    # Step k (1-based) of row j is known at j + k: change every outcome after the origin.
    for k in range(1, changed.shape[1] + 1):
        changed.iloc[origin - k + 1 :, k - 1] *= 3.0
    again = _fitted(data, online).update(X[rows], changed).update_intervals_
    np.testing.assert_array_equal(issued[: origin + 1], again[: origin + 1])
    assert not np.allclose(issued[origin + 1 :], again[origin + 1 :])


def test_pid_predict_interval_continues_from_the_updated_state(data):
    X, y = data
    model = _fitted(data, "pid").update(X[500:700], y[500:700])
    steps = [state.t for (k, _), state in model.online_state_.states.items() if k == 0]
    assert sum(steps) == 200
    fresh = _fitted(data, "pid")
    assert not np.allclose(model.predict_interval(X[700:]), fresh.predict_interval(X[700:]))


def test_pid_constants_are_parameters_that_set_params_and_grid_search_reach(data):
    X, y = data
    slow = _fitted(data, "pid").update(X[500:800], y[500:800]).update_intervals_
    fast = _fitted(data, "pid", pid_learning_rate=0.05).update(X[500:800], y[500:800])
    assert not np.allclose(slow, fast.update_intervals_)
    grid = GridSearchCV(
        ConformalForecaster(HARRegressor(log=True), online="pid", coverage=0.8),
        {"pid_learning_rate": [0.001, 0.01], "pid_integrator_gain": [0.0, 0.1]},
        cv=TimeSeriesSplit(2),
    ).fit(X, y)
    assert set(grid.cv_results_["param_pid_learning_rate"]) == {0.001, 0.01}
    with pytest.raises(ValueError, match="pid_learning_rate"):
        ConformalForecaster(HARRegressor(), pid_learning_rate=0.0).fit(X, y)


def _replay(scores, pool, learning_rate=0.001, alpha=0.1):
    pools = [ScorePool(pool, np.zeros(len(pool)), 0.0)]
    n = len(scores)
    issued = np.zeros((n, 1, 2))
    rule = PIDRule(alpha, learning_rate, integrator_gain=0.1, saturation=5.0)
    replay(rule, {}, pools, scores[:, None], np.zeros((n, 1), int), issued,
           np.zeros((n, 1), bool), np.ones(n, bool))  # fmt: skip
    return issued[:, 0]


def test_pid_covers_near_nominal_on_exchangeable_scores():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=3000)
    issued = _replay(scores, rng.normal(size=500))
    inside = (issued[:, 0] <= scores) & (scores <= issued[:, 1])
    assert abs(inside.mean() - 0.9) < 0.03


def test_pid_recovers_coverage_after_the_scores_widen_and_stays_finite():
    # A faster step than the default (tuned on calm years) so that the shift is caught
    # within the test's 2,500 rows.
    rng = np.random.default_rng(1)
    pool = rng.normal(size=500)
    scores = np.concatenate([rng.normal(size=500), 4.0 * rng.normal(size=2500)])
    issued = _replay(scores, pool, learning_rate=0.01)
    inside = (issued[:, 0] <= scores) & (scores <= issued[:, 1])
    assert inside[1000:].mean() > 0.85
    assert np.isfinite(issued).all()
    assert (issued[:, 0] <= issued[:, 1]).all()


def test_online_must_be_a_known_method(data):
    X, y = data
    with pytest.raises(ValueError, match="online"):
        ConformalForecaster(HARRegressor(), online="pi").fit(X, y)


def test_a_day_by_day_update_forecasts_each_row_from_its_full_history():
    # Production at h=2 feeds tonight's row alone (its outcomes unknown, NaN) with the
    # pending rows: each row's forecast must read the rows before it, not padding.
    import pandas as pd
    from sklearn.base import clone
    from sklearn.linear_model import LinearRegression

    from sklearn_vix import make_forecaster
    from sklearn_vix.datasets import load_vix

    X, y = make_supervised(load_vix()[["vix"]].loc["2021":"2023"], horizon=2)
    model = ConformalForecaster(make_forecaster(LinearRegression()), gamma=0.0)
    daily = clone(model).fit(X.iloc[:500], y.iloc[:500])
    block = clone(model).fit(X.iloc[:500], y.iloc[:500]).update(X.iloc[500:530], y.iloc[500:530])
    issued = []
    for t in range(500, 530):
        pending = len(daily.online_state_.pending)
        rows = slice(t - pending, t + 1)
        known = y.iloc[rows].to_numpy().copy()
        # On day t the outcome of row j at step k is known when j + k <= t.
        ahead = np.arange(rows.start, t + 1)[:, None] + np.arange(1, 3)[None, :]
        known[ahead > t] = np.nan
        daily.update(X.iloc[rows], pd.DataFrame(known, index=X.index[rows]))
        issued.append(daily.update_intervals_[-1])
    np.testing.assert_allclose(np.asarray(issued), block.update_intervals_)
