"""Error relative to persistence, as functions and as sklearn scorers."""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline

from sklearn_vix import PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.diagnostics import stress_regimes
from sklearn_vix.metrics import (
    interval_coverage,
    interval_pinball_loss,
    interval_score,
    make_interval_scorer,
    make_persistence_scorer,
    mean_interval_width,
    persistence_forecast,
    qlike,
    qlike_loss,
    qlike_scorer,
    rmse_ratio,
    skill_score,
)


def test_skill_and_ratio_agree_with_sklearn_mse():
    rng = np.random.default_rng(0)
    y, pred, naive = rng.normal(size=(3, 50, 2))
    mse = mean_squared_error(y, pred, multioutput="raw_values")
    mse_naive = mean_squared_error(y, naive, multioutput="raw_values")
    np.testing.assert_allclose(
        skill_score(y, pred, naive, multioutput="raw_values"), 1 - mse / mse_naive
    )
    np.testing.assert_allclose(
        rmse_ratio(y, pred, naive, multioutput="raw_values"), np.sqrt(mse / mse_naive)
    )
    assert skill_score(y, pred, naive) == pytest.approx(np.mean(1 - mse / mse_naive))


def test_metric_errors_are_explicit():
    with pytest.raises(ValueError, match="same shape"):
        skill_score([1.0, 2.0], [1.0, 2.0], [[1.0], [2.0]])
    with pytest.raises(ValueError, match="naive forecast is exact"):
        rmse_ratio([1.0, 2.0], [1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="multioutput"):
        skill_score([1.0, 2.0], [1.0, 2.0], [0.0, 2.0], multioutput="mean")
    with pytest.raises(ValueError, match="metric"):
        make_persistence_scorer("r2")


def test_persistence_scores_zero_skill_and_unit_ratio():
    X, y = make_supervised(load_vix_sim().iloc[:500], horizon=2)
    persistence = PersistenceRegressor().fit(X, y)
    assert make_persistence_scorer()(persistence, X, y) == pytest.approx(0.0)
    assert make_persistence_scorer("rmse_ratio")(persistence, X, y) == pytest.approx(-1.0)
    np.testing.assert_array_equal(persistence_forecast(X, y, "vix"), persistence.predict(X))


def test_scorers_work_in_cross_validate_and_grid_search():
    X, y = make_supervised(load_vix_sim().iloc[:1500])
    pipe = Pipeline([("window", WindowTransformer()), ("model", LinearRegression())])
    scoring = {"skill": make_persistence_scorer(), "ratio": make_persistence_scorer("rmse_ratio")}
    result = cross_validate(pipe, X, y, cv=TimeSeriesSplit(3), scoring=scoring)
    np.testing.assert_allclose(1 - result["test_ratio"] ** 2, result["test_skill"])
    scorer = make_persistence_scorer(target_column="vix")
    search = GridSearchCV(
        pipe, {"window__lookback": [1, 5]}, cv=TimeSeriesSplit(3), scoring=scorer
    ).fit(X, y)
    for lookback, score in zip([1, 5], search.cv_results_["mean_test_score"], strict=True):
        expected = cross_validate(
            pipe.set_params(window__lookback=lookback), X, y, cv=TimeSeriesSplit(3), scoring=scorer
        )["test_score"].mean()
        assert score == pytest.approx(expected)


# --- QLIKE ------------------------------------------------------------------------------


def test_qlike_is_pattons_loss_on_the_squared_vix():
    truth, forecast = np.array([20.0, 30.0, 15.0]), np.array([22.0, 27.0, 15.0])
    variance, proxy = forecast**2, truth**2
    expected = proxy / variance - np.log(proxy / variance) - 1
    np.testing.assert_allclose(qlike_loss(truth, forecast), expected)
    assert qlike(truth, forecast) == pytest.approx(expected.mean())
    assert qlike(truth, truth) == 0.0
    # Too low costs more than too high by the same amount.
    assert qlike_loss([20.0], [18.0])[0] > qlike_loss([20.0], [22.0])[0]


def test_qlike_is_minimised_by_the_mean_of_the_variance_proxy():
    rng = np.random.default_rng(0)
    truth = 20 * np.exp(rng.normal(0, 0.3, 5000))
    best = minimize_scalar(
        lambda f: qlike(truth, np.full_like(truth, f)), bounds=(5, 60), method="bounded"
    )
    assert best.x == pytest.approx(np.sqrt(np.mean(truth**2)), rel=1e-4)


def test_qlike_per_step_scorer_and_errors():
    truth = np.array([[20.0, 21.0], [22.0, 23.0]])
    forecast = np.array([[21.0, 21.0], [22.0, 20.0]])
    per_step = qlike(truth, forecast, multioutput="raw_values")
    assert per_step.shape == (2,) and per_step[0] < per_step[1]
    X, y = make_supervised(load_vix_sim().iloc[:600])
    scores = cross_val_score(LinearRegression(), X, y, cv=TimeSeriesSplit(3), scoring=qlike_scorer)
    assert np.all(scores < 0)
    with pytest.raises(ValueError, match=r"y_pred \(QLIKE.*got -1\.0 at row 1"):
        qlike([20.0, 20.0], [20.0, -1.0])


def _intervals(seed=0, n=200, steps=3):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=(n, steps))
    centre = rng.normal(scale=0.3, size=(n, steps))
    half = rng.uniform(0.5, 2.0, size=(n, steps))
    return y, np.stack([centre - half, centre + half], axis=-1)


def test_interval_score_matches_its_definition():
    y, bounds = _intervals()
    alpha = 0.2
    lower, upper = bounds[..., 0], bounds[..., 1]
    expected = (
        (upper - lower)
        + 2 / alpha * (lower - y) * (y < lower)
        + 2 / alpha * (y - upper) * (y > upper)
    ).mean(axis=0)
    np.testing.assert_allclose(
        interval_score(y, bounds, coverage=0.8, multioutput="raw_values"), expected
    )
    assert interval_score(y, bounds, coverage=0.8) == pytest.approx(expected.mean())


def test_pinball_loss_is_the_interval_score_rescaled():
    y, bounds = _intervals(seed=1)
    for coverage in (0.5, 0.8, 0.9):
        np.testing.assert_allclose(
            interval_pinball_loss(y, bounds, coverage=coverage),
            interval_score(y, bounds, coverage=coverage) * (1 - coverage) / 4,
        )


def test_coverage_and_width_per_step():
    y = np.array([[0.0, 5.0], [1.0, 1.0], [3.0, 1.5]])
    bounds = np.stack([np.zeros((3, 2)), np.full((3, 2), 2.0)], axis=-1)
    np.testing.assert_allclose(
        interval_coverage(y, bounds, multioutput="raw_values"), [2 / 3, 2 / 3]
    )
    np.testing.assert_allclose(mean_interval_width(bounds, multioutput="raw_values"), [2, 2])
    assert interval_coverage(y[:, 0], bounds[:, 0]) == pytest.approx(2 / 3)


@pytest.mark.parametrize("function", [interval_coverage, interval_score, interval_pinball_loss])
def test_interval_metrics_reject_mismatched_shapes(function):
    kwargs = {} if function is interval_coverage else {"coverage": 0.9}
    with pytest.raises(ValueError, match="y_interval must have shape"):
        function(np.zeros(5), np.zeros((5, 3)), **kwargs)
    with pytest.raises(ValueError, match="y_interval must have shape"):
        function(np.zeros((5, 2)), np.zeros((5, 3, 2)), **kwargs)


def test_interval_metrics_validate_coverage():
    y, bounds = _intervals()
    with pytest.raises(ValueError, match="coverage"):
        interval_score(y, bounds, coverage=1.2)


def test_stress_regimes_flag_high_levels_and_wide_ranges():
    X = pd.DataFrame(
        {
            "vix": np.linspace(10, 40, 20),
            "high": np.linspace(10, 40, 20) * np.r_[np.full(18, 1.01), 1.3, 1.5],
            "low": np.linspace(10, 40, 20),
        }
    )
    regimes = stress_regimes(X, target_column="vix")
    np.testing.assert_array_equal(regimes["vix_above_25"], X["vix"] > 25)
    assert regimes["top_range"].tolist() == [False] * 18 + [True, True]
    assert list(stress_regimes(X[["vix"]]).columns) == ["vix_above_25"]


def test_persistence_has_one_column_rule():
    X, y = make_supervised(load_vix_sim().iloc[:300], horizon=2)
    windows = WindowTransformer(lookback=3).set_output(transform="pandas").fit_transform(X)
    expected = PersistenceRegressor(target_column="vix").fit(windows, y).predict(windows)
    np.testing.assert_array_equal(persistence_forecast(windows, y, "vix"), expected)
    with pytest.raises(ValueError, match="is not among X's columns"):
        persistence_forecast(windows, y, "rate")


@pytest.mark.parametrize("metric", ["interval_score", "pinball", "width", "coverage_error"])
def test_interval_scorers_are_minus_the_metric(metric):
    from sklearn_vix import ConformalForecaster, HARRegressor

    X, y = make_supervised(load_vix_sim().iloc[:1200])
    model = ConformalForecaster(HARRegressor()).fit(X[:800], y[:800])
    bounds = model.predict_interval(X[800:])
    expected = {
        "interval_score": interval_score(y[800:], bounds, coverage=0.9),
        "pinball": interval_pinball_loss(y[800:], bounds, coverage=0.9),
        "width": mean_interval_width(bounds),
        "coverage_error": abs(interval_coverage(y[800:], bounds) - 0.9),
    }[metric]
    assert make_interval_scorer(metric)(model, X[800:], y[800:]) == pytest.approx(-expected)


def test_an_unbounded_interval_scores_infinity():
    bounds = np.array([[0.0, np.inf], [0.0, 2.0]])
    assert interval_score([1.0, 1.0], bounds, coverage=0.9) == np.inf
    single = interval_score(
        [[1.0], [3.0]], bounds[:, None, :], coverage=0.9, multioutput="raw_values"
    )
    assert single.shape == (1,) and single[0] == np.inf
    assert interval_coverage([1.0, 3.0], bounds) == 0.5


class _UnboundedForecaster:
    """An interval forecaster whose upper bound is +inf, as ACI issues when alpha_t hits 0."""

    coverage = 0.9

    def predict_interval(self, X, coverage=None):
        return np.column_stack([np.zeros(len(X)), np.full(len(X), np.inf)])


def test_infinite_bounds_score_infinity_in_every_interval_metric():
    # Step 0 is unbounded on one row, step 1 is finite: the rule is per step.
    truth = np.array([[1.0, 1.0], [3.0, 3.0]])
    bounds = np.array([[[0.0, np.inf], [0.0, 2.0]], [[0.0, 2.0], [0.0, 2.0]]])
    score = interval_score(truth, bounds, coverage=0.8, multioutput="raw_values")
    pinball = interval_pinball_loss(truth, bounds, coverage=0.8, multioutput="raw_values")
    assert score[0] == np.inf and pinball[0] == np.inf
    assert np.isfinite(score[1]) and pinball[1] == pytest.approx(score[1] * 0.2 / 4)
    assert mean_interval_width(bounds, multioutput="raw_values")[0] == np.inf


@pytest.mark.parametrize("metric", ["interval_score", "pinball", "width"])
def test_interval_scorers_do_not_raise_on_unbounded_intervals(metric):
    X, y = np.zeros((3, 1)), np.ones(3)
    assert make_interval_scorer(metric)(_UnboundedForecaster(), X, y) == -np.inf
