"""LogTargetRegressor: fit in logs, bring the median back to the mean."""

import pickle

import numpy as np
import pytest
from sklearn import clone, config_context
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_html_repr

from sklearn_vix import (
    ConformalForecaster,
    HARRegressor,
    LinearQuantileRegressor,
    LogTargetRegressor,
    LogTransformer,
    LSTMRegressor,
    make_forecaster,
)
from sklearn_vix.base import is_quantile_forecaster
from sklearn_vix.datasets import load_vix_sim, make_supervised


@pytest.fixture(scope="module")
def data():
    return make_supervised(load_vix_sim().iloc[:800], horizon=3)


def test_without_correction_it_is_sklearns_log_target_regressor(data):
    X, y = data
    ours = LogTargetRegressor(LinearRegression(), bias_correction=None).fit(X, y)
    sklearns = TransformedTargetRegressor(LinearRegression(), func=np.log, inverse_func=np.exp)
    np.testing.assert_allclose(ours.predict(X), sklearns.fit(X, y).predict(X), rtol=1e-12)


def test_smearing_matches_log_har(data):
    X, y = data
    in_logs = make_pipeline(LogTransformer(columns=["vix"]), HARRegressor())
    ours = LogTargetRegressor(in_logs).fit(X, y)
    reference = HARRegressor(log=True).fit(X, y)
    np.testing.assert_allclose(ours.correction_, reference.smearing_, rtol=1e-12)
    np.testing.assert_allclose(ours.predict(X), reference.predict(X), rtol=1e-12)


def test_variance_correction_is_half_the_residual_variance(data):
    X, y = data
    model = LogTargetRegressor(LinearRegression(), bias_correction="variance").fit(X, y)
    log_y = np.log(y.to_numpy())
    residuals = log_y - model.regressor_.predict(X)
    np.testing.assert_allclose(model.correction_, np.exp(residuals.var(axis=0) / 2))
    assert model.predict(X.iloc[:5]).shape == (5, 3)
    assert model.predict(X.iloc[:5]).ndim == 2


def test_one_dimensional_target_stays_one_dimensional(data):
    X, y = data
    model = LogTargetRegressor(LinearRegression()).fit(X, y.iloc[:, 0])
    assert model.predict(X).shape == (len(X),)
    assert model.n_features_in_ == 3
    assert model.feature_names_in_.tolist() == ["vix", "sp500_return", "interest_rate"]


def test_non_positive_target_names_the_row(data):
    X, y = data
    y = y.copy()
    y.iloc[4, 0] = 0.0
    with pytest.raises(ValueError, match=r"y must be positive.*row 4"):
        LogTargetRegressor(LinearRegression()).fit(X, y)


def test_it_is_a_transformed_target_regressor_with_its_html_repr(data):
    model = LogTargetRegressor(LinearRegression())
    assert isinstance(model, TransformedTargetRegressor)
    assert model.get_params(deep=False) == {
        "regressor": model.regressor,
        "bias_correction": "smearing",
    }
    html = estimator_html_repr(model)
    assert ">LogTargetRegressor(regressor=LinearRegression())<" in html
    assert ">LinearRegression<" in html  # the regressor drawn as its own block


def test_sample_weight_is_routed_to_the_regressor(data):
    X, y = data
    weights = np.linspace(0.1, 1.0, len(X))
    expected = LinearRegression().fit(X, np.log(y), sample_weight=weights)
    with config_context(enable_metadata_routing=True):
        requested = LinearRegression().set_fit_request(sample_weight=True)
        model = LogTargetRegressor(requested).fit(X, y, sample_weight=weights)
        np.testing.assert_allclose(model.regressor_.coef_, expected.coef_, rtol=1e-10)
        with pytest.raises(UnsetMetadataPassedError, match="sample_weight"):
            LogTargetRegressor(LinearRegression()).fit(X, y, sample_weight=weights)
    # Without routing, fit parameters go to the regressor, as in TransformedTargetRegressor.
    plain = LogTargetRegressor(LinearRegression()).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(plain.regressor_.coef_, expected.coef_, rtol=1e-10)


@pytest.fixture(scope="module")
def quantile_forecaster(data):
    X, y = data
    model = make_forecaster(LinearQuantileRegressor(quantiles=[0.1, 0.9]), lookback=3)
    return model.fit(X.iloc[:400], y.iloc[:400])


def test_quantiles_are_exp_of_the_pipelines_log_quantiles(data, quantile_forecaster):
    X, _ = data
    pipeline = quantile_forecaster.regressor_
    in_logs = pipeline[-1].predict_quantiles(pipeline[:-1].transform(X.iloc[400:]))
    fan = quantile_forecaster.predict_quantiles(X.iloc[400:])
    assert fan.shape == (len(X) - 400, 3, 2)
    np.testing.assert_allclose(fan, np.exp(in_logs), rtol=1e-12)
    np.testing.assert_allclose(
        quantile_forecaster.predict_quantiles(X.iloc[400:], [0.5])[..., 0],
        quantile_forecaster.predict(X.iloc[400:]) / quantile_forecaster.correction_,
        rtol=1e-12,
    )


def test_quantiles_commute_with_exp_and_need_no_correction(data):
    X, y = data
    fans = [
        LogTargetRegressor(LinearQuantileRegressor(), bias_correction=correction)
        .fit(X.iloc[:300], y.iloc[:300, 0])
        .predict_quantiles(X.iloc[300:], [0.05, 0.5, 0.95])
        for correction in ("smearing", None)
    ]
    reference = LinearQuantileRegressor().fit(X.iloc[:300], np.log(y.iloc[:300, 0]))
    expected = np.exp(reference.predict_quantiles(X.iloc[300:], [0.05, 0.5, 0.95]))
    assert fans[0].shape == (len(X) - 300, 3)
    np.testing.assert_allclose(fans[0], expected, rtol=1e-12)
    np.testing.assert_array_equal(fans[0], fans[1])


def test_only_a_quantile_regressor_gives_quantiles(quantile_forecaster):
    assert not hasattr(make_forecaster(LinearRegression()), "predict_quantiles")
    assert not is_quantile_forecaster(LogTargetRegressor(LinearRegression()))
    assert is_quantile_forecaster(make_forecaster(LinearQuantileRegressor()))
    assert is_quantile_forecaster(make_forecaster(LSTMRegressor(criterion="quantile")))
    assert not is_quantile_forecaster(make_forecaster(LSTMRegressor()))
    # Once fitted, the fitted regressor decides, not the parameter.
    refitted = clone(quantile_forecaster).set_params(regressor=LinearRegression())
    assert not is_quantile_forecaster(refitted)
    fitted = pickle.loads(pickle.dumps(quantile_forecaster))
    fitted.set_params(regressor=LinearRegression())
    assert is_quantile_forecaster(fitted)


def test_changing_the_future_leaves_earlier_quantiles_unchanged(data, quantile_forecaster):
    X, _ = data
    test_X = X.iloc[400:600]
    changed_X = test_X.copy()
    changed_X.iloc[100:, 0] *= 1.5
    before = quantile_forecaster.predict_quantiles(test_X)
    after = quantile_forecaster.predict_quantiles(changed_X)
    np.testing.assert_array_equal(before[:100], after[:100])
    assert not np.array_equal(before[100:], after[100:])


def test_conformalized_quantiles_of_the_recommended_pipeline():
    X, y = make_supervised(load_vix_sim().iloc[:1500], horizon=2)
    quantile_model = make_forecaster(LinearQuantileRegressor(quantiles=(0.05, 0.5, 0.95)))
    model = ConformalForecaster(quantile_model, conformity_score="cqr", coverage=0.9)
    model.fit(X.iloc[:1200], y.iloc[:1200])
    bounds = model.predict_interval(X.iloc[1200:])
    assert bounds.shape == (len(X) - 1200, 2, 2)
    assert (bounds[..., 0] < bounds[..., 1]).all() and (bounds[..., 0] > 0).all()
    fan = model.predict_quantiles(X.iloc[1200:], [0.05, 0.25, 0.5, 0.75, 0.95])
    assert (np.diff(fan, axis=-1) >= 0).all()
