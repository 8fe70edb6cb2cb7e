"""random_walk_tests, half_life and describe_series."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.stattools import adfuller

from sklearn_vix.datasets import load_vix_csv, load_vix_sim
from sklearn_vix.diagnostics import describe_series, half_life, random_walk_tests


def ar1(phi, n=3000, seed=0, sd=0.05):
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + sd * rng.standard_normal()
    return np.exp(3.0 + x)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_simulated_random_walk_is_not_rejected(seed):
    report = random_walk_tests(ar1(1.0, seed=seed))
    assert not report.rejected
    assert "not rejected" in report.verdict


def test_a_mean_reverting_series_is_rejected():
    report = random_walk_tests(ar1(0.9))
    assert report.rejected
    assert report.tests.loc["ADF", "rejects_null"]


def test_simulated_vix_is_not_a_random_walk():
    report = random_walk_tests(load_vix_sim()["vix"])
    assert report.rejected
    assert 10 < report.half_life < 80


def test_real_vix_is_not_a_random_walk(real_vix_csv):
    with pytest.warns(UserWarning, match="dated on days the NYSE was closed"):
        frame = load_vix_csv(real_vix_csv)
    report = random_walk_tests(frame["vix"])
    assert report.rejected
    ratio_22 = [name for name in report.tests.index if name.startswith("variance ratio 22")]
    assert report.tests.loc[ratio_22[0], "statistic"] < -3


def test_report_holds_the_library_statistics():
    series = ar1(0.98, seed=4)
    report = random_walk_tests(series)
    reference = adfuller(np.log(series), autolag="AIC", result_object=True)
    assert report.tests.loc["ADF", "statistic"] == pytest.approx(reference.statistic)
    assert report.tests.loc["ADF", "p_value"] == pytest.approx(reference.pvalue)


@pytest.mark.parametrize("phi", [0.8, 0.95])
def test_half_life_matches_the_ar1_formula(phi):
    x = np.log(ar1(phi, n=40000, seed=1))
    assert half_life(x) == pytest.approx(np.log(0.5) / np.log(phi), rel=0.1)
    assert half_life(np.cumsum(np.ones(100))) == float("inf")


def test_random_walk_tests_errors():
    with pytest.raises(ValueError, match="positive"):
        random_walk_tests(-ar1(0.9))
    with pytest.raises(ValueError, match="at least 50"):
        random_walk_tests(np.ones(10))
    with pytest.raises(ValueError, match="missing"):
        random_walk_tests(np.r_[ar1(0.9)[:100], np.nan])


def test_describe_series_agrees_with_direct_computation():
    vix = load_vix_sim()["vix"].iloc[:2000]
    description = describe_series(vix)
    parts = description.decomposition
    np.testing.assert_allclose(parts["trend"] + parts["seasonal"] + parts["resid"], np.log(vix))
    change = np.log(vix).diff()
    monday = change[vix.index.day_name() == "Monday"].mean()
    assert description.by_weekday.loc["Monday", "log_change"] == pytest.approx(monday)
    assert description.autocorrelation.loc[0, "log_level"] == pytest.approx(1.0)
    assert description.rolling["mean_22"].iloc[21] == pytest.approx(vix.iloc[:22].mean())
    assert description.summary["share_above_30"] == pytest.approx((vix > 30).mean())


def test_describe_series_errors():
    with pytest.raises(TypeError, match="DatetimeIndex"):
        describe_series(pd.Series(ar1(0.9)))
    dated = pd.Series(ar1(0.9, n=300), index=pd.bdate_range("2000-01-03", periods=300))
    with pytest.raises(ValueError, match="period=252"):
        describe_series(dated)
