"""Error relative to persistence, as functions and as sklearn scorers."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline

from sklearn_vix import PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.metrics import (
    make_persistence_scorer,
    persistence_forecast,
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
