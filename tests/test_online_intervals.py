"""Online interval updates: conformal PID control beside adaptive conformal inference."""

import numpy as np
import pytest

from sklearn_vix import ConformalForecaster, HARRegressor
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.intervals import _online
from sklearn_vix.intervals._online import PIDState, pid_replay


@pytest.fixture(scope="module")
def data():
    return make_supervised(load_vix_sim().iloc[:900], horizon=2)


def _fitted(data, online):
    X, y = data
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8, online=online)
    return model.fit(X.iloc[:500], y.iloc[:500])


def test_pid_starts_from_the_split_conformal_intervals(data):
    X, _ = data
    aci, pid = _fitted(data, "aci"), _fitted(data, "pid")
    np.testing.assert_allclose(pid.predict_interval(X[500:]), aci.predict_interval(X[500:]))


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
    assert model.pid_states_[0].t == 200
    fresh = _fitted(data, "pid")
    assert not np.allclose(model.predict_interval(X[700:]), fresh.predict_interval(X[700:]))


def _replay(scores, pool, alpha=0.1):
    low, high = np.quantile(pool, [alpha / 2, 1 - alpha / 2])
    return pid_replay(scores, pool, PIDState(low, high), alpha, delay=1)[1]


def test_pid_covers_near_nominal_on_exchangeable_scores():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=3000)
    issued = _replay(scores, rng.normal(size=500))
    inside = (issued[:, 0] <= scores) & (scores <= issued[:, 1])
    assert abs(inside.mean() - 0.9) < 0.03


def test_pid_recovers_coverage_after_the_scores_widen_and_stays_finite(monkeypatch):
    # A faster step than the default (tuned on calm years) so that the shift is caught
    # within the test's 2,500 rows.
    monkeypatch.setattr(_online, "LEARNING_RATE", 0.01)
    rng = np.random.default_rng(1)
    pool = rng.normal(size=500)
    scores = np.concatenate([rng.normal(size=500), 4.0 * rng.normal(size=2500)])
    issued = _replay(scores, pool)
    inside = (issued[:, 0] <= scores) & (scores <= issued[:, 1])
    assert inside[1000:].mean() > 0.85
    assert np.isfinite(issued).all()
    assert (issued[:, 0] <= issued[:, 1]).all()


def test_online_must_be_a_known_method(data):
    X, y = data
    with pytest.raises(ValueError, match="online"):
        ConformalForecaster(HARRegressor(), online="pi").fit(X, y)
