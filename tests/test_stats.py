"""Diebold-Mariano (against R's dm.test), Clark-West and the Model Confidence Set."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from arch.bootstrap import MCS
from scipy import stats

from sklearn_vix.stats import clark_west, diebold_mariano, model_confidence_set


def _nested(n=600, seed=0, beta=0.2):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    truth = beta * x + rng.normal(size=n)
    # The large model estimates beta with noise: its squared error pays for it.
    large = (beta + rng.normal(0, 0.2, size=n)) * x
    return truth, np.zeros(n), large


@pytest.mark.parametrize("h", [1, 2, 5])
def test_clark_west_matches_statsmodels_newey_west_t_statistic(h):
    truth, small, large = _nested(seed=h)
    result = clark_west(truth, small, large, h=h)
    adjusted = (truth - small) ** 2 - ((truth - large) ** 2 - (small - large) ** 2)
    ols = sm.OLS(adjusted, np.ones((len(adjusted), 1)))
    fit = ols.fit(cov_type="HAC", cov_kwds={"maxlags": h - 1, "use_correction": False})
    assert result.statistic == pytest.approx(float(fit.tvalues[0]), rel=1e-10)
    assert result.pvalue == pytest.approx(float(fit.pvalues[0]) / 2, rel=1e-8)


def test_clark_west_rejects_where_diebold_mariano_favours_the_nested_model():
    truth, small, large = _nested(n=2000, seed=1, beta=0.15)
    cw = clark_west(truth, small, large)
    dm = diebold_mariano(large - truth, small - truth, alternative="less")
    assert cw.pvalue < 0.05
    assert dm.pvalue > 0.5  # DM: no evidence at all that the large model is better


def test_clark_west_does_not_reject_when_the_extra_regressor_is_useless():
    rejections = [clark_west(*_nested(n=500, seed=s, beta=0.0)).pvalue < 0.05 for s in range(40)]
    assert np.mean(rejections) < 0.2


def test_clark_west_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        clark_west(np.zeros(5), np.zeros(5), np.zeros(4))


def _losses(seed=0, n=400):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "best": rng.chisquare(1, n),
            "close": 1.02 * rng.chisquare(1, n),
            "bad": 2.5 * rng.chisquare(1, n),
        }
    )


def test_model_confidence_set_is_arch_mcs_with_the_stated_block():
    losses = _losses()
    result = model_confidence_set(losses, size=0.1, reps=300, random_state=3)
    direct = MCS(losses, 0.1, reps=300, block_size=20, seed=3)
    direct.compute()
    assert result.block_size == 20  # ceil(sqrt(400))
    pd.testing.assert_series_equal(
        result.pvalues, direct.pvalues["Pvalue"].rename("pvalue"), check_names=False
    )
    assert sorted(result.included) == sorted(direct.included)
    assert "bad" in result.excluded
    assert result.table().loc["bad", "in_set"] == False  # noqa: E712


def test_model_confidence_set_checks_its_input():
    with pytest.raises(ValueError, match="two models"):
        model_confidence_set(_losses()[["best"]])
    losses = _losses()
    losses.loc[3, "close"] = np.nan
    with pytest.raises(ValueError, match="'close'"):
        model_confidence_set(losses)


def test_models_with_identical_losses_share_their_place_in_the_set():
    losses = _losses()
    losses["best twin"] = losses["best"]
    result = model_confidence_set(losses, reps=200)
    assert result.pvalues["best twin"] == result.pvalues["best"]
    assert ("best twin" in result.included) == ("best" in result.included)
    assert "bad" in result.excluded


# Fixed errors and the outputs of R's forecast::dm.test (forecast 8.20, R 4.x), printed
# with options(digits=17): dm.test(E1, E2, h=h, power=p, alternative=...).
E1 = np.array([0.8, -1.2, 0.3, 1.9, -0.4, 0.7, -1.5, 0.2, 1.1, -0.6, 0.9, -0.1])
E2 = np.array([0.5, -0.9, 1.4, 0.6, -1.1, 0.2, -0.3, 1.6, 0.4, -0.8, 0.1, -1.3])
E3 = np.array([1.0, -0.2, 0.6, 2.4, -1.7, 0.1, -0.9, 0.8, 1.5, 0.3, -0.5, 0.4])
R_DM_TEST = [
    # (e1, e2, h, loss, alternative, statistic, p-value, horizon dm.test reports)
    (E1, E2, 1, "squared", "two-sided", 0.22715259466297169, 0.82447156441468228, 1),
    (E1, E2, 3, "squared", "two-sided", 0.74141261409705295, 0.47397513587419304, 3),
    (E1, E2, 1, "absolute", "two-sided", 0.15284796715014512, 0.88128587409625991, 1),
    (E1, E2, 3, "absolute", "two-sided", 0.42207495591251437, 0.68110164499809733, 3),
    (E1, E3, 2, "squared", "two-sided", -0.55027024780571998, 0.5931320483677206, 2),
    (E1, E3, 2, "absolute", "greater", -0.3114398519085943, 0.6193553909538444, 2),
]


@pytest.mark.parametrize(
    ("e1", "e2", "h", "loss", "alternative", "statistic", "pvalue", "used"), R_DM_TEST
)
def test_diebold_mariano_matches_r_dm_test(e1, e2, h, loss, alternative, statistic, pvalue, used):
    result = diebold_mariano(e1, e2, h=h, loss=loss, alternative=alternative)
    assert result.statistic == pytest.approx(statistic, rel=1e-12)
    assert result.pvalue == pytest.approx(pvalue, rel=1e-12)
    assert result.h == used


def test_diebold_mariano_at_h1_is_the_one_sample_t_test_of_the_loss_differences():
    # HLN's factor at h=1 turns the variance over n into the sample variance over n - 1.
    rng = np.random.default_rng(5)
    e1, e2 = rng.normal(0, 1.0, 80), rng.normal(0, 1.2, 80)
    t_test = stats.ttest_1samp(e1**2 - e2**2, 0.0)
    result = diebold_mariano(e1, e2)
    assert result.statistic == pytest.approx(t_test.statistic, rel=1e-12)
    assert result.pvalue == pytest.approx(t_test.pvalue, rel=1e-12)


def _r_variance(d, h):
    """d.var of dm.test: acf(d, type="covariance") up to lag h - 1, summed, over n."""
    n, centred = len(d), d - d.mean()
    acov = [centred[k:] @ centred[: n - k] / n for k in range(h)]
    return (acov[0] + 2 * sum(acov[1:])) / n


@pytest.mark.parametrize(
    ("e1", "e2", "h", "loss", "statistic", "pvalue"),
    [
        # dm.test(E1, E2, h=2): "Variance is negative ... Proceeding with horizon h=1."
        (E1, E2, 2, "squared", 0.22715259466297169, 0.82447156441468228),
        (E1, E3, 4, "squared", -0.71958892374610817, 0.48678569067482524),
        # |d| alternating high and low: lag-1 autocorrelation about -0.9.
        (
            np.array([2.0, 0.1, 1.9, 0.3, 2.2, 0.2, 1.8, 0.1, 2.1, 0.4]),
            np.zeros(10),
            2,
            "absolute",
            3.7025149074488981,
            0.0049014384553061575,
        ),
    ],
)
def test_diebold_mariano_falls_back_to_h1_when_the_variance_is_negative(
    e1, e2, h, loss, statistic, pvalue
):
    power = 2 if loss == "squared" else 1
    d = np.abs(e1) ** power - np.abs(e2) ** power
    assert _r_variance(d, h) < 0 < _r_variance(d, 1)
    with pytest.warns(UserWarning, match=f"not positive at h={h}.*using horizon h=1"):
        result = diebold_mariano(e1, e2, h=h, loss=loss)
    assert result.h == 1
    assert result.statistic == pytest.approx(statistic, rel=1e-12)
    assert result.pvalue == pytest.approx(pvalue, rel=1e-12)
    # The h=1 test itself, computed from the formula of dm.test.
    n = len(d)
    by_hand = d.mean() / np.sqrt(_r_variance(d, 1)) * np.sqrt((n - 1) / n)
    assert result.statistic == pytest.approx(by_hand, rel=1e-12)
    assert result.pvalue == pytest.approx(2 * stats.t.sf(abs(by_hand), n - 1), rel=1e-12)


def test_diebold_mariano_still_refuses_constant_loss_differences():
    with pytest.raises(ValueError, match="no variance"):
        diebold_mariano(np.ones(8), 2 * np.ones(8), h=1)
    # As dm.test: the warning and the fallback to h=1, where the variance is still zero.
    with pytest.warns(UserWarning, match="h=2"), pytest.raises(ValueError, match="no variance"):
        diebold_mariano(np.ones(8), -np.ones(8), h=2, loss="absolute")


def test_default_block_is_the_square_root_rounded_up_where_arch_rounds_down():
    losses = _losses(n=500)
    assert model_confidence_set(losses, reps=10).block_size == 23  # ceil(22.36)
    assert MCS(losses, 0.1, reps=10).block_size == 22  # arch: int(22.36)
    assert model_confidence_set(_losses(n=400), reps=10).block_size == 20  # a square


@pytest.mark.parametrize(
    ("method", "bootstrap"), [("max", "circular"), ("R", "moving block"), ("max", "stationary")]
)
def test_model_confidence_set_options_are_arch_options(method, bootstrap):
    losses = _losses(seed=2)
    result = model_confidence_set(
        losses, 0.2, block_size=7, method=method, bootstrap=bootstrap, reps=150, random_state=11
    )
    direct = MCS(losses, 0.2, reps=150, block_size=7, method=method, bootstrap=bootstrap, seed=11)
    direct.compute()
    pd.testing.assert_series_equal(
        result.pvalues, direct.pvalues["Pvalue"].rename("pvalue"), check_names=False
    )
    assert sorted(result.included) == sorted(direct.included)
