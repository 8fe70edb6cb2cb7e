"""Error relative to persistence, as functions and as sklearn scorers."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline

from sklearn_vix import PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.metrics import (
    make_persistence_scorer,
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
    with pytest.raises(ValueError, match=r"y_pred is -1\.0 at row 1"):
        qlike([20.0, 20.0], [20.0, -1.0])
