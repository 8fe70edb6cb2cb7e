"""LogTargetRegressor: fit in logs, bring the median back to the mean."""

import numpy as np
import pytest
from sklearn import config_context
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_html_repr

from sklearn_vix import HARRegressor, LogTargetRegressor, LogTransformer
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
