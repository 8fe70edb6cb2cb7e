"""ConformalForecaster: shapes, calibration without look-ahead, coverage, online updates."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils import get_tags

from sklearn_vix import ConformalForecaster, HARRegressor
from sklearn_vix._compat import InvalidParameterError
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.metrics import interval_coverage, mean_interval_width


def clone_fitted(model):
    return pickle.loads(pickle.dumps(model))


@pytest.fixture(scope="module")
def sim():
    frame = load_vix_sim().iloc[:3000]
    return make_supervised(frame), make_supervised(frame, horizon=3)


def _linear_data(n, noise, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, X @ [1.0, -0.5] + noise * rng.normal(size=n)


def test_fit_and_predict_behave_as_the_wrapped_model(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor()).fit(X[:2000], y[:2000])
    reference = HARRegressor().fit(X[:2000], y[:2000])
    np.testing.assert_allclose(model.predict(X[2000:]), reference.predict(X[2000:]))


def test_split_keeps_the_model_fitted_before_the_calibration_block(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor(), method="split", calibration_size=0.25)
    model.fit(X[:2000], y[:2000])
    reference = HARRegressor().fit(X[:1500], y[:1500])
    # The rows after the fit data are forecast from the full history, not from padding.
    np.testing.assert_allclose(model.predict(X[2000:]), reference.predict(X[1500:])[500:])
    assert model.calibration_scores_.shape == (500, 1)


def test_the_wrapped_forecasters_poor_score_tag_is_passed_on():
    assert get_tags(ConformalForecaster(HARRegressor())).regressor_tags.poor_score
    assert not get_tags(ConformalForecaster(LinearRegression())).regressor_tags.poor_score


def test_interval_shapes_and_bounds_around_the_forecast(sim):
    (X, y), (X3, y3) = sim
    one = ConformalForecaster(HARRegressor()).fit(X[:2000], y[:2000])
    bounds = one.predict_interval(X[2000:])
    assert bounds.shape == (len(X) - 2000, 2)
    prediction = one.predict(X[2000:])
    assert (bounds[:, 0] < prediction).all() and (prediction < bounds[:, 1]).all()
    three = ConformalForecaster(HARRegressor()).fit(X3[:2000], y3[:2000])
    assert three.predict_interval(X3[2000:]).shape == (len(X3) - 2000, 3, 2)


def test_log_intervals_scale_with_the_level_and_are_asymmetric(sim):
    (X, y), _ = sim
    # One pool of scores (no calendar groups): the width is then a fixed ratio of the level.
    model = ConformalForecaster(HARRegressor(log=True), scale=None, calendar=None)
    model.fit(X[:2000], y[:2000])
    bounds = model.predict_interval(X[2000:])
    prediction = model.predict(X[2000:])
    relative_width = (bounds[:, 1] - bounds[:, 0]) / prediction
    np.testing.assert_allclose(relative_width, relative_width[0])
    above, below = bounds[:, 1] - prediction, prediction - bounds[:, 0]
    np.testing.assert_allclose(above / below, above[0] / below[0])
    assert above[0] / below[0] > 1.05
    levels = ConformalForecaster(HARRegressor(log=True), log=False, scale=None, calendar=None)
    levels.fit(X[:2000], y[:2000])
    width = np.diff(levels.predict_interval(X[2000:]), axis=1).ravel()
    np.testing.assert_allclose(width, width[0])


def test_multi_step_intervals_widen_with_the_horizon(sim):
    _, (X3, y3) = sim
    model = ConformalForecaster(HARRegressor()).fit(X3[:2000], y3[:2000])
    widths = mean_interval_width(model.predict_interval(X3[2000:]), multioutput="raw_values")
    assert np.all(np.diff(widths) > 0)


def test_coverage_is_nominal_on_exchangeable_data():
    X, y = _linear_data(6000, noise=1.0)
    model = ConformalForecaster(
        LinearRegression(), scale=None, coverage=0.8, log=False, method="split"
    )
    model.fit(X[:2000], y[:2000])
    assert interval_coverage(y[2000:], model.predict_interval(X[2000:])) == pytest.approx(
        0.8, abs=0.02
    )
    assert interval_coverage(
        y[2000:], model.predict_interval(X[2000:], coverage=0.5)
    ) == pytest.approx(0.5, abs=0.03)


# (training rows, predicted rows) of every prediction a RowSpy made, in call order.
SPY_LOG = []


class RowSpy(RegressorMixin, BaseEstimator):
    """Predicts 0 for every step and logs which rows trained the clone that predicted.

    Column 0 of ``X`` holds each row's position in the table, so the log reads rows.
    """

    def fit(self, X, y):
        self.train_rows_ = np.asarray(X)[:, 0].astype(int)
        self.n_steps_ = np.asarray(y).reshape(len(y), -1).shape[1]
        return self

    def predict(self, X):
        SPY_LOG.append((self.train_rows_, np.asarray(X)[:, 0].astype(int)))
        return np.zeros((len(X), self.n_steps_))


@pytest.mark.parametrize("method", ["cross", "split"])
def test_the_rows_whose_targets_reach_a_calibration_block_never_train_its_model(method):
    horizon, n = 3, 300
    X = np.column_stack([np.arange(n), np.ones(n)])
    y = np.random.default_rng(0).normal(size=(n, horizon))
    SPY_LOG.clear()
    ConformalForecaster(RowSpy(), method=method, log=False, scale=None).fit(X, y)
    # The calibration blocks: TimeSeriesSplit(5)'s test folds, or the last 20 % of rows.
    starts = [50, 100, 150, 200, 250] if method == "cross" else [240]
    assert len(SPY_LOG) == len(starts)
    for (train, predicted), start in zip(SPY_LOG, starts, strict=True):
        # Row start-k's target covers days start-k+1..start-k+horizon: for k < horizon
        # it reaches into the block, so the model must not have trained on it ...
        np.testing.assert_array_equal(train, np.arange(start - horizon + 1))
        # ... but its features are known at the block's origins: the block is predicted
        # from right after the training rows, the purged ones included.
        np.testing.assert_array_equal(
            predicted[: horizon - 1], np.arange(start - horizon + 1, start)
        )
        assert predicted[horizon - 1] == start


def test_changing_the_future_leaves_earlier_calibration_scores_unchanged(sim):
    (X, y), _ = sim
    X, y = X[:2000], y[:2000]
    changed_X, changed_y = X.copy(), y.copy()
    changed_X.iloc[-200:, 0] *= 1.7
    changed_y.iloc[-200:] *= 1.7
    kwargs = dict(n_splits=4, scale="volatility")
    base = ConformalForecaster(HARRegressor(), **kwargs).fit(X, y)
    moved = ConformalForecaster(HARRegressor(), **kwargs).fit(changed_X, changed_y)
    first_test = next(iter(TimeSeriesSplit(4).split(X)))[1][0]
    untouched = len(X) - 200 - first_test
    np.testing.assert_array_equal(
        base.calibration_scores_[:untouched], moved.calibration_scores_[:untouched]
    )
    assert not np.allclose(base.calibration_scores_, moved.calibration_scores_)


def test_changing_the_future_leaves_earlier_intervals_unchanged(sim):
    _, (X3, y3) = sim
    model = ConformalForecaster(HARRegressor(), scale="volatility").fit(X3[:2000], y3[:2000])
    test_X, test_y = X3[2000:2400], y3[2000:2400]
    changed_X, changed_y = test_X.copy(), test_y.copy()
    changed_X.iloc[300:, 0] *= 2.0
    changed_y.iloc[300:] *= 2.0
    before = model.predict_interval(test_X)
    after = model.predict_interval(changed_X)
    np.testing.assert_array_equal(before[:300], after[:300])
    online = [
        ConformalForecaster(HARRegressor(), scale="volatility", gamma=0.05)
        .fit(X3[:2000], y3[:2000])
        .update(data_X, data_y)
        .update_intervals_
        for data_X, data_y in ((test_X, test_y), (changed_X, changed_y))
    ]
    # Row i's interval for step k may use outcomes up to day i, i.e. rows up to i-k-1.
    np.testing.assert_array_equal(online[0][:300], online[1][:300])


def test_online_intervals_wait_for_each_step_outcome(sim):
    _, (X3, y3) = sim
    fitted = ConformalForecaster(HARRegressor(), gamma=0.05).fit(X3[:2000], y3[:2000])
    test_X, test_y = X3[2000:2400], y3[2000:2400]
    changed_y = test_y.copy()
    changed_y.iloc[300:] *= 2.0
    base = clone_fitted(fitted).update(test_X, test_y).update_intervals_
    moved = clone_fitted(fitted).update(test_X, changed_y).update_intervals_
    # The step-k target of row 300 is seen on day 300 + k, so it can first move the
    # interval issued on that day: for step k (1-based), rows up to 300 + k - 1 stay put.
    for k in range(3):
        np.testing.assert_array_equal(base[: 301 + k, k], moved[: 301 + k, k])
        assert not np.array_equal(base[301 + k, k], moved[301 + k, k])


def test_volatility_scale_continues_the_fit_history(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor(), scale="volatility").fit(X[:2000], y[:2000])
    # The same rows predicted as a continuation and inside a longer table get one scale.
    np.testing.assert_allclose(
        model.predict_interval(X[2000:2100]), model.predict_interval(X[1900:2100])[100:]
    )


def test_volatility_scale_widens_intervals_in_turbulent_weeks(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor(), scale="volatility").fit(X[:2000], y[:2000])
    bounds = model.predict_interval(X[2000:])
    relative_width = (bounds[:, 1] - bounds[:, 0]) / model.predict(X[2000:])
    moves = np.abs(np.diff(np.log(X["vix"].to_numpy()[1999:])))
    recent = pd.Series(moves).rolling(5).mean().to_numpy()
    assert np.corrcoef(relative_width[5:], recent[5:])[0, 1] > 0.5


def test_adaptive_conformal_inference_meets_its_coverage_bound():
    # Gibbs and Candès (2021), Proposition 4.1: for any sequence,
    # |mean miss - alpha| <= (max(alpha_1, 1 - alpha_1) + gamma) / (gamma T).
    X, y = _linear_data(1500, noise=1.0)
    X_new, y_new = _linear_data(3000, noise=3.0, seed=1)
    gamma, alpha = 0.05, 0.1
    model = ConformalForecaster(
        LinearRegression(), scale=None, log=False, gamma=gamma, method="split"
    )
    model.fit(X, y)
    static = interval_coverage(y_new, model.predict_interval(X_new))
    model.update(X_new, y_new)
    miss = 1 - interval_coverage(y_new, model.update_intervals_)
    assert abs(miss - alpha) <= (max(alpha, 1 - alpha) + gamma) / (gamma * len(y_new))
    assert static < 0.6


def test_update_without_adaptation_rolls_the_residual_pool():
    X, y = _linear_data(1000, noise=1.0)
    model = ConformalForecaster(
        LinearRegression(), scale=None, log=False, gamma=0.0, method="split"
    )
    model.fit(X, y)
    n_scores = len(model.calibration_scores_)
    X_new, y_new = _linear_data(50, noise=1.0, seed=2)
    model.update(X_new, y_new)
    assert model.online_state_.states[(0, 0)] == pytest.approx(0.1)
    assert len(model.calibration_scores_) == n_scores
    np.testing.assert_allclose(model.calibration_scores_[-50:, 0], y_new - model.predict(X_new))


@pytest.mark.parametrize("method", ["cross", "split"])
def test_calibration_forecasts_continue_the_history_the_fold_model_was_given(method):
    from sklearn_vix import make_forecaster

    horizon = 3
    X, y = make_supervised(load_vix_sim().iloc[:700], horizon=horizon)
    forecaster = make_forecaster(LinearRegression(), calendar=None)
    model = ConformalForecaster(forecaster, method=method, log=False, scale=None, n_splits=3)
    model.fit(X, y)
    splits = (
        TimeSeriesSplit(3, gap=horizon - 1).split(X)
        if method == "cross"
        else [(np.arange(len(X) - 139 - horizon + 1), np.arange(len(X) - 139, len(X)))]
    )
    expected = []
    for train, test in splits:
        fold = forecaster.__class__(**forecaster.get_params(deep=False))
        fold.fit(X.iloc[train], y.iloc[train])
        # The same fold model, forecasting from the whole history up to its block.
        expected.append(fold.predict(X.iloc[: test[-1] + 1])[test])
    forecasts = y.to_numpy()[-len(model.calibration_scores_) :] - model.calibration_scores_
    np.testing.assert_allclose(forecasts, np.concatenate(expected), rtol=1e-10, atol=1e-10)


def test_unknown_outcomes_stay_pending_until_a_later_call_brings_them(sim):
    _, (X3, y3) = sim
    fitted = ConformalForecaster(LinearRegression(), gamma=0.05).fit(X3[:2000], y3[:2000])
    rows = slice(2000, 2060)
    block = clone_fitted(fitted).update(X3[rows], y3[rows])
    # Production: one call a day with today's row, whose outcomes are all unknown, after
    # the pending rows again with what has arrived since (step k of row j on day j + k).
    daily, issued = clone_fitted(fitted), []
    for day in range(2000, 2060):
        # Rows day-3..day: the 3-step outcome of row day-3 is the last to arrive.
        first = max(2000, day - 3)
        known = y3.iloc[first : day + 1].copy()
        for k in range(3):
            arrived = np.arange(first, day + 1) + k < day
            known.iloc[:, k] = known.iloc[:, k].where(arrived)
        daily.update(X3.iloc[first : day + 1], known)
        issued.append(daily.update_intervals_[-1])
        assert len(daily.online_state_.pending) == min(3, day - 1999)
    np.testing.assert_allclose(np.array(issued), block.update_intervals_)
    # Once the last outcomes arrive, the pools are the block's.
    daily.update(X3.iloc[2057:2060], y3.iloc[2057:2060])
    np.testing.assert_allclose(daily.calibration_scores_, block.calibration_scores_)
    assert len(daily.online_state_.pending) == 0


def test_an_unknown_outcome_with_log_is_not_called_negative(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor(log=True)).fit(X[:2000], y[:2000])
    unknown = y[2000:2010].copy()
    unknown.iloc[-1] = np.nan
    model.update(X[2000:2010], unknown)
    assert len(model.online_state_.pending) == 1
    negative = y[2000:2010].copy()
    negative.iloc[3] = -1.0
    with pytest.raises(ValueError, match="Negative values in data: y_new"):
        model.update(X[2010:2020], y[2010:2020].where(np.arange(10) != 3, -1.0))


def test_update_refuses_missing_features_and_infinite_outcomes(sim):
    (X, y), _ = sim
    model = ConformalForecaster(HARRegressor(log=True)).fit(X[:2000], y[:2000])
    holes = X[2000:2010].copy()
    holes.iloc[4, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN at row"):
        model.update(holes, y[2000:2010])
    with pytest.raises(ValueError, match="y_new contains infinity at row"):
        model.update(X[2000:2010], y[2000:2010].where(np.arange(10) != 2, np.inf))
    with pytest.raises(ValueError, match="y_new must have 10 rows and 1 step"):
        model.update(X[2000:2010], y[2000:2009])


@pytest.mark.parametrize("coverage", [0.0, 1.0, 1.5, -0.1])
def test_coverage_outside_the_unit_interval_is_rejected(coverage):
    X, y = _linear_data(200, noise=1.0)
    with pytest.raises(InvalidParameterError, match="coverage"):
        ConformalForecaster(LinearRegression(), scale=None, coverage=coverage, log=False).fit(X, y)
    model = ConformalForecaster(LinearRegression(), scale=None, log=False).fit(X, y)
    with pytest.raises(ValueError, match="coverage must be a number in"):
        model.predict_interval(X, coverage=coverage)


def test_too_few_calibration_rows_is_a_clear_error():
    X, y = _linear_data(60, noise=1.0)
    model = ConformalForecaster(
        LinearRegression(), scale=None, log=False, method="split", coverage=0.95
    )
    with pytest.raises(ValueError, match="needs at least 39 calibration rows, got 12"):
        model.fit(X, y)
    fitted = ConformalForecaster(LinearRegression(), scale=None, log=False, coverage=0.8).fit(X, y)
    with pytest.raises(ValueError, match=r"coverage=0\.99 needs at least 199"):
        fitted.predict_interval(X, coverage=0.99)


def test_predict_interval_before_fit_is_a_clear_error():
    with pytest.raises(NotFittedError, match="ConformalForecaster"):
        ConformalForecaster(LinearRegression(), scale=None).predict_interval(np.zeros((3, 2)))


def test_non_positive_target_with_log_is_a_clear_error():
    X, y = _linear_data(200, noise=1.0)
    with pytest.raises(ValueError, match="y \\(log=True\\) must be positive"):
        ConformalForecaster(LinearRegression(), scale=None).fit(X, y)


def test_inputs_are_not_mutated(sim):
    (X, y), _ = sim
    X_copy, y_copy = X.copy(), y.copy()
    model = ConformalForecaster(HARRegressor(), scale="volatility").fit(X[:2000], y[:2000])
    model.update(X[2000:], y[2000:])
    pd.testing.assert_frame_equal(X, X_copy)
    pd.testing.assert_series_equal(y, y_copy)


def test_simulator_true_quantiles_invert_the_shock_mixture():
    from scipy.optimize import brentq

    from sklearn_vix.datasets._simulator import _invert_mixture, _mixture_cdf

    m, s, p = np.array([[2.9], [3.5]]), np.array([[0.05], [0.12]]), np.array([[0.1], [0.03]])
    levels = [0.05, 0.5, 0.95]
    quantiles = _invert_mixture(m, s, p, levels)
    for row in range(2):
        for j, level in enumerate(levels):
            expected = brentq(
                lambda x, r=row, q=level: _mixture_cdf((x - m[r, 0]) / s[r, 0], p[r, 0]) - q,
                m[row, 0] - 20 * s[row, 0],
                m[row, 0] + 20 * s[row, 0],
            )
            assert quantiles[row, j] == pytest.approx(expected, abs=1e-6)


def test_simulator_true_quantiles_cover_the_simulated_outcomes():
    from sklearn_vix.datasets import make_vix_sim
    from sklearn_vix.datasets._simulator import _conditional_quantiles

    n = 600
    quantiles = _conditional_quantiles(
        n, random_state=5, steps=[1, 3], levels=[0.1, 0.9], n_paths=200
    )
    vix = make_vix_sim(n + 3, random_state=5)["vix"].to_numpy()
    for k, h in enumerate([1, 3]):
        outcome = vix[h : n - 3 + h]
        inside = (outcome >= quantiles[: n - 3, k, 0]) & (outcome <= quantiles[: n - 3, k, 1])
        assert inside.mean() == pytest.approx(0.8, abs=0.05)


def test_the_fewest_scores_a_coverage_needs_give_finite_bounds_on_both_sides():
    from sklearn_vix.intervals._quantiles import min_calibration_rows, ranked_bounds

    for coverage in (0.8, 0.9, 0.95):
        n = min_calibration_rows(coverage)
        lower, upper = ranked_bounds(np.arange(1.0, n + 1), 1 - coverage)
        assert np.isfinite([lower, upper]).all(), coverage
