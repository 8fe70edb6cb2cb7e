"""Clark-West and the Model Confidence Set."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from arch.bootstrap import MCS

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
