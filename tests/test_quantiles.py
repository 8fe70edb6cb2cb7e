"""Quantile forecasts: the conformal predictive distribution, linear quantiles, CQR."""

import pickle

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, QuantileRegressor

from sklearn_vix import ConformalForecaster, HARRegressor, LinearQuantileRegressor
from sklearn_vix.base import is_quantile_forecaster
from sklearn_vix.datasets import load_vix_sim, make_supervised, make_vix_sim
from sklearn_vix.intervals._quantiles import ScorePool, ranked_bounds, ranked_quantile
from sklearn_vix.metrics import interval_coverage

LEVELS = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]


@pytest.fixture(scope="module")
def sim():
    frame = load_vix_sim().iloc[:1600]
    return make_supervised(frame), make_supervised(frame, horizon=3)


@pytest.fixture(scope="module")
def fitted(sim):
    (X, y), (X3, y3) = sim
    one = ConformalForecaster(HARRegressor()).fit(X[:1200], y[:1200])
    three = ConformalForecaster(HARRegressor(), group_shrinkage=0.0).fit(X3[:1200], y3[:1200])
    return one, three


def test_is_a_quantile_forecaster(fitted):
    assert is_quantile_forecaster(fitted[0])
    assert not is_quantile_forecaster(HARRegressor())


def test_shapes_follow_predict_interval(sim, fitted):
    (X, y), (X3, _) = sim
    one, three = fitted
    assert one.predict_quantiles(X[1200:], LEVELS).shape == (len(X) - 1200, len(LEVELS))
    assert three.predict_quantiles(X3[1200:], LEVELS).shape == (len(X3) - 1200, 3, len(LEVELS))
    column = ConformalForecaster(HARRegressor()).fit(X[:1200], y[:1200].to_frame())
    assert column.predict_quantiles(X[1200:], [0.5]).shape == (len(X) - 1200, 1, 1)
    assert column.predict_interval(X[1200:]).shape == (len(X) - 1200, 1, 2)


def test_quantiles_are_non_decreasing_in_the_level(sim, fitted):
    _, (X3, _) = sim
    # group_shrinkage=0 reads every calendar group's own scores: the most crossings.
    fan = fitted[1].predict_quantiles(X3[1200:], np.linspace(0.01, 0.99, 99))
    assert (np.diff(fan, axis=-1) >= 0).all()


@pytest.mark.parametrize("coverage", [0.5, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("log, scale", [(True, "volatility"), (False, None)])
def test_predict_interval_is_two_quantiles_of_the_distribution(sim, coverage, log, scale):
    _, (X3, y3) = sim
    model = ConformalForecaster(HARRegressor(), log=log, scale=scale, group_shrinkage=20.0)
    model.fit(X3[:1200], y3[:1200])
    alpha = 1.0 - coverage
    np.testing.assert_array_equal(
        model.predict_quantiles(X3[1200:], [alpha / 2, 1 - alpha / 2]),
        model.predict_interval(X3[1200:], coverage),
    )


def test_predict_interval_at_the_fitted_coverage_is_two_quantiles(sim, fitted):
    (X, _), _ = sim
    for online in ("aci", "pid"):
        model = pickle.loads(pickle.dumps(fitted[0])).set_params(online=online)
        np.testing.assert_array_equal(
            model.predict_quantiles(X[1200:], [0.05, 0.95]), model.predict_interval(X[1200:])
        )


def test_quantiles_read_the_rolled_scores_but_not_the_online_state(sim, fitted):
    (X, y), _ = sim
    new, later = slice(1200, 1400), slice(1400, None)
    static = pickle.loads(pickle.dumps(fitted[0])).set_params(gamma=0.0)
    static.update(X[new], y[new])
    assert not np.array_equal(static.calibration_scores_, fitted[0].calibration_scores_)
    np.testing.assert_array_equal(
        static.predict_quantiles(X[later], [0.05, 0.95]), static.predict_interval(X[later])
    )
    adaptive = pickle.loads(pickle.dumps(fitted[0])).set_params(gamma=0.05)
    adaptive.update(X[new], y[new])
    quantiles = adaptive.predict_quantiles(X[later], [0.05, 0.95])
    assert not np.array_equal(quantiles, adaptive.predict_interval(X[later]))
    adaptive.online_state_.states.clear()
    np.testing.assert_array_equal(quantiles, adaptive.predict_interval(X[later]))


def test_each_quantile_is_calibrated_on_exchangeable_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8000, 2))
    y = X @ [1.0, -0.5] + rng.standard_t(df=4, size=len(X))
    model = ConformalForecaster(
        LinearRegression(), method="split", calibration_size=0.5, log=False, scale=None
    )
    fan = model.fit(X[:4000], y[:4000]).predict_quantiles(X[4000:], LEVELS)
    below = (y[4000:, None] <= fan).mean(axis=0)
    # Given 2000 calibration scores, each level's rate has a spread of at most 0.011,
    # and 4000 test rows add 0.008.
    np.testing.assert_allclose(below, LEVELS, atol=0.04)


def test_changing_the_future_leaves_earlier_quantiles_unchanged(sim, fitted):
    _, (X3, _) = sim
    test_X = X3[1200:1500]
    changed_X = test_X.copy()
    changed_X.iloc[200:, 0] *= 2.0
    before = fitted[1].predict_quantiles(test_X, LEVELS)
    after = fitted[1].predict_quantiles(changed_X, LEVELS)
    np.testing.assert_array_equal(before[:200], after[:200])
    assert not np.array_equal(before[200:], after[200:])


def test_levels_finer_than_the_scores_are_unbounded(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor(), method="split", calibration_size=0.05)
    model.fit(X[:400], y[:400])  # 20 calibration scores: levels 1/21 .. 20/21
    fan = model.predict_quantiles(X[400:500], [0.01, 0.05, 0.5, 0.95, 0.99])
    assert (fan[:, 0] == 0.0).all()  # -inf in logs
    assert np.isinf(fan[:, -1]).all()
    assert np.isfinite(fan[:, 1:-1]).all() and (fan[:, 1:-1] > 0).all()
    levels = model.set_params(log=False).fit(X[:400], y[:400])
    assert np.isneginf(levels.predict_quantiles(X[400:500], [0.01])).all()


@pytest.mark.parametrize(
    "quantiles, message",
    [
        ([0.0, 0.5], "strictly between 0 and 1"),
        ([0.5, 1.0], "strictly between 0 and 1"),
        ([0.9, 0.1], "increasing"),
        ([0.5, 0.5], "increasing"),
        ([], "non-empty"),
        ([[0.1, 0.9]], "1-D"),
    ],
)
def test_bad_quantiles_are_a_value_error_naming_the_parameter(sim, fitted, quantiles, message):
    (X, _), _ = sim
    with pytest.raises(ValueError, match=f"quantiles.*{message}|{message}.*quantiles"):
        fitted[0].predict_quantiles(X[1200:1210], quantiles)


def test_ranked_quantiles_are_the_interval_ranks():
    ordered = np.sort(np.random.default_rng(0).normal(size=57))
    for alpha in (0.05, 0.1, 1 - 0.9, 0.3, 0.5):
        lower, upper = ranked_bounds(ordered, alpha)
        assert ranked_quantile(ordered, alpha / 2) == lower
        assert ranked_quantile(ordered, 1 - alpha / 2) == upper


def test_a_group_too_small_for_a_level_reads_the_pool():
    scores = np.arange(60.0)
    pool = ScorePool(scores, np.r_[np.zeros(50), np.ones(10)], 0.0)
    # 10 scores resolve levels 1/11 .. 10/11 only: below, the pool's 61 ranks.
    assert pool.quantile(1, 0.05) == ranked_quantile(scores, 0.05)
    assert pool.quantile(1, 0.5) == ranked_quantile(scores[50:], 0.5)


def _heteroscedastic(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    noise = (0.5 + np.abs(X[:, 0])) * rng.standard_t(df=4, size=n)
    return X, 3.0 + X @ [1.0, -0.5] + noise


def test_linear_quantiles_are_sklearns_quantile_regressions():
    X, y = _heteroscedastic(300, 0)
    model = LinearQuantileRegressor(quantiles=[0.1, 0.9]).fit(X, y)
    np.testing.assert_array_equal(model.levels_, [0.1, 0.5, 0.9])
    for level, column in ((0.1, 0), (0.9, 1)):
        reference = QuantileRegressor(quantile=level, alpha=0.0).fit(X, y)
        np.testing.assert_allclose(model.predict_quantiles(X)[:, column], reference.predict(X))
    median = QuantileRegressor(quantile=0.5, alpha=0.0).fit(X, y)
    np.testing.assert_allclose(model.predict(X), median.predict(X))


def test_linear_quantiles_fit_each_step_and_never_cross():
    X, y = _heteroscedastic(120, 1)
    steps = np.column_stack([y, 2 * y])
    levels = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
    model = LinearQuantileRegressor(quantiles=levels).fit(X, steps)
    fan = model.predict_quantiles(X)
    assert fan.shape == (120, 2, len(levels)) and model.predict(X).shape == (120, 2)
    assert (np.diff(fan, axis=-1) >= 0).all()
    np.testing.assert_array_equal(model.predict_quantiles(X, [0.5])[..., 0], model.predict(X))


def _pinball(y, prediction, level):
    residual = y - prediction
    return np.mean(np.maximum(level * residual, (level - 1) * residual))


# Seed 1 reaches statsmodels' iteration limit on some level (documented: the last iterate
# is kept, and it is still within the tolerance).
@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.IterationLimitWarning")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_statsmodels_solver_agrees_with_highs(seed):
    # IRLS approximates the exact linear programme: the lines are close and their pinball
    # loss, which the linear programme minimises, is within 0.1 % of the exact minimum.
    X, y = _heteroscedastic(400, seed)
    steps = np.column_stack([y, y - X[:, 1]])
    levels = [0.05, 0.25, 0.75, 0.95]
    exact = LinearQuantileRegressor(quantiles=levels).fit(X, steps)
    fast = LinearQuantileRegressor(quantiles=levels, solver="statsmodels").fit(X, steps)
    np.testing.assert_array_equal(fast.levels_, exact.levels_)
    assert fast.coef_.shape == exact.coef_.shape and fast.intercept_.shape == (5, 2)
    np.testing.assert_allclose(fast.coef_, exact.coef_, atol=0.1)
    np.testing.assert_allclose(fast.intercept_, exact.intercept_, atol=0.1)
    lines_fast = fast.predict_quantiles(X, fast.levels_)
    lines_exact = exact.predict_quantiles(X, exact.levels_)
    for j, level in enumerate(fast.levels_):
        for k in range(2):
            best = _pinball(steps[:, k], lines_exact[:, k, j], level)
            assert _pinball(steps[:, k], lines_fast[:, k, j], level) <= 1.001 * best


def test_statsmodels_solver_takes_no_penalty():
    X, y = _heteroscedastic(60, 3)
    with pytest.raises(ValueError, match='solver="statsmodels" fits no L1 penalty'):
        LinearQuantileRegressor(alpha=0.1, solver="statsmodels").fit(X, y)


def test_linear_quantiles_refuse_a_level_they_were_not_fitted_at():
    X, y = _heteroscedastic(60, 2)
    model = LinearQuantileRegressor(quantiles=[0.1, 0.9]).fit(X, y)
    with pytest.raises(ValueError, match=r"fitted at quantiles \[0.1, 0.5, 0.9\].*0.25"):
        model.predict_quantiles(X, [0.25, 0.5])
    with pytest.raises(ValueError, match="quantiles must lie strictly between 0 and 1"):
        LinearQuantileRegressor(quantiles=[0.0, 0.5]).fit(X, y)


class HalfWidthQuantiles(LinearQuantileRegressor):
    """Linear quantiles pulled halfway to the median: a quantile model far too narrow."""

    def predict_quantiles(self, X, quantiles=None):
        median = self.predict(X)[..., None]
        return median + 0.5 * (super().predict_quantiles(X, quantiles) - median)


def test_cqr_restores_the_coverage_of_a_poor_quantile_model():
    X, y = _heteroscedastic(6000, 3)
    quantile_model = HalfWidthQuantiles(quantiles=[0.05, 0.95])
    raw = quantile_model.fit(X[:3000], y[:3000]).predict_quantiles(X[3000:])
    raw_coverage = interval_coverage(y[3000:], raw)
    cqr = ConformalForecaster(
        quantile_model,
        conformity_score="cqr",
        method="split",
        calibration_size=0.5,
        log=False,
        scale=None,
    ).fit(X[:3000], y[:3000])
    coverage = interval_coverage(y[3000:], cqr.predict_interval(X[3000:]))
    assert raw_coverage < 0.8
    # 1500 calibration scores and 3000 test rows: a spread of about 0.009.
    assert coverage == pytest.approx(0.9, abs=0.03)


def test_cqr_covers_on_the_simulated_vix():
    coverages = []
    for seed in range(3):
        X, y = make_supervised(make_vix_sim(n_days=1800, random_state=seed), horizon=2)
        model = ConformalForecaster(
            LinearQuantileRegressor(), conformity_score="cqr", method="split"
        )
        model.fit(X[:1000], y[:1000])
        coverages.append(interval_coverage(y[1000:], model.predict_interval(X[1000:])))
    assert np.mean(coverages) == pytest.approx(0.9, abs=0.04)


def test_cqr_predicts_quantiles_and_updates_like_the_residual_score(sim):
    (X, y), _ = sim
    model = ConformalForecaster(
        LinearQuantileRegressor(quantiles=[0.05, 0.95]), conformity_score="cqr", coverage=0.9
    ).fit(X[:1000], y[:1000])
    np.testing.assert_array_equal(
        model.predict_quantiles(X[1000:], [0.05, 0.95]), model.predict_interval(X[1000:])
    )
    assert (np.diff(model.predict_quantiles(X[1000:], LEVELS), axis=-1) >= 0).all()
    bounds = model.predict_interval(X[1000:1100])
    issued = model.update(X[1000:1100], y[1000:1100]).update_intervals_
    np.testing.assert_array_equal(issued[0], bounds[0])


def test_cqr_needs_a_quantile_model(sim):
    (X, y), _ = sim
    with pytest.raises(TypeError, match="HARRegressor has none"):
        ConformalForecaster(HARRegressor(), conformity_score="cqr").fit(X[:500], y[:500])
