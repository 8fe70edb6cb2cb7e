"""out_of_fold_predict, diebold_mariano and compare_models."""

import time

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from statsmodels.stats.sandwich_covariance import cov_hac, weights_uniform

from sklearn_vix import (
    ConformalForecaster,
    HARRegressor,
    LinearQuantileRegressor,
    PersistenceRegressor,
    WindowTransformer,
)
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.metrics import (
    crps_from_quantiles,
    interval_coverage,
    interval_score,
    mean_pinball_score,
    qlike,
)
from sklearn_vix.model_selection import (
    compare_models,
    default_cv,
    out_of_fold_predict,
)
from sklearn_vix.stats import diebold_mariano


@pytest.fixture(scope="module")
def data():
    return make_supervised(load_vix_sim().iloc[:1500])


@pytest.mark.parametrize("h", [1, 3, 5])
def test_diebold_mariano_variance_matches_statsmodels_hac(h):
    rng = np.random.default_rng(h)
    e1 = rng.normal(size=300)
    e2 = 0.3 * e1 + rng.normal(size=300)
    result = diebold_mariano(e1, e2, h=h)
    d = e1**2 - e2**2
    ols = sm.OLS(d, np.ones((len(d), 1))).fit()
    kwargs = {"nlags": h - 1, "weights_func": weights_uniform, "use_correction": False}
    standard_error = np.sqrt(cov_hac(ols, **kwargs)[0, 0]) if h > 1 else d.std() / np.sqrt(300)
    n = len(d)
    correction = np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    assert result.statistic == pytest.approx(d.mean() / standard_error * correction, rel=1e-10)


def test_diebold_mariano_decides_as_expected():
    rng = np.random.default_rng(0)
    truth = rng.normal(size=800)
    good = truth + rng.normal(0, 0.5, 800)
    bad = truth + rng.normal(0, 1.0, 800)
    twin = truth + rng.normal(0, 0.5, 800)
    strong = diebold_mariano(good - truth, bad - truth)
    assert strong.statistic < 0 and strong.pvalue < 1e-6
    assert diebold_mariano(good - truth, twin - truth).pvalue > 0.05
    swapped = diebold_mariano(bad - truth, good - truth)
    assert swapped.statistic == pytest.approx(-strong.statistic)
    assert diebold_mariano(good - truth, bad - truth, alternative="less").pvalue < 1e-6
    assert diebold_mariano(good - truth, bad - truth, alternative="greater").pvalue > 0.99


def test_diebold_mariano_errors():
    with pytest.raises(ValueError, match="same length"):
        diebold_mariano(np.zeros(5), np.zeros(6))
    with pytest.raises(ValueError, match="identical"):
        diebold_mariano(np.ones(5), np.ones(5))
    with pytest.raises(ValueError, match="alternative"):
        diebold_mariano(np.arange(5.0), np.zeros(5), alternative="smaller")
    with pytest.raises(ValueError, match="h must be"):
        diebold_mariano(np.arange(5.0), np.zeros(5), h=5)


def test_out_of_fold_predictions_equal_per_fold_fits(data):
    X, y = data
    model = make_pipeline(WindowTransformer(5), LinearRegression())
    oof = out_of_fold_predict(model, X, y, cv=TimeSeriesSplit(4))
    for fold, (train, test) in enumerate(TimeSeriesSplit(4).split(X)):
        expected = model.fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
        part = oof[oof["fold"] == fold]
        assert part.index.equals(X.index[test])
        np.testing.assert_allclose(part["vix_h1"], expected)


def test_out_of_fold_predictions_never_see_later_rows(data):
    X, y = data
    oof = out_of_fold_predict(HARRegressor(), X, y)
    last_fold_start = oof.index[oof["fold"] == oof["fold"].max()][0]
    X_changed, y_changed = X.copy(), y.copy()
    X_changed.loc[last_fold_start:, "vix"] = 80.0
    y_changed.loc[last_fold_start:] = 80.0
    changed = out_of_fold_predict(HARRegressor(), X_changed, y_changed)
    earlier = oof.index < last_fold_start
    pd.testing.assert_frame_equal(changed[earlier], oof[earlier])


def test_default_cv_purges_the_horizon():
    assert default_cv(np.zeros(100)).gap == 0
    assert default_cv(np.zeros((100, 5))).gap == 4
    assert default_cv(np.zeros((100, 5)), purge=False).gap == 0


def test_compare_models_table_summary_and_predictions():
    X, y = make_supervised(load_vix_sim().iloc[:1500], horizon=5)
    models = {"persistence": PersistenceRegressor(), "HAR": HARRegressor()}
    result = compare_models(models, X, y)
    assert result.table.shape[0] == 10
    assert {"rmse_step1", "rmse_step5", "skill", "fit_time", "score_time"} <= set(
        result.table.columns
    )
    persistence = result.table[result.table["model"] == "persistence"]
    np.testing.assert_allclose(persistence["rmse_ratio"], 1.0)
    np.testing.assert_allclose(persistence["skill"], 0.0, atol=1e-12)
    tested = result.y_true.to_numpy()
    har_rows = result.table["model"] == "HAR"
    first_fold = result.predictions["HAR"]["fold"] == 0
    expected = qlike(tested[first_fold], result.predictions["HAR"].drop(columns="fold")[first_fold])
    assert result.table.loc[har_rows, "qlike"].iloc[0] == pytest.approx(expected)
    assert np.isnan(result.summary.loc["persistence", ("dm_pvalue", "")])
    assert 0 <= result.summary.loc["HAR", ("dm_pvalue", "")] <= 1
    har = result.predictions["HAR"]
    first_test = har.index[0]
    # TimeSeriesSplit(5, gap=4): 4 purged rows between the first training fold and its test.
    first_train_size = len(X) - 5 * (len(X) // 6) - 4
    assert X.index.get_loc(first_test) == first_train_size + 4
    np.testing.assert_allclose(
        result.predictions["persistence (reference)"].drop(columns="fold"),
        np.repeat(X.loc[har.index, ["vix"]].to_numpy(), 5, axis=1),
    )
    assert "HAR" in str(result)


def test_diebold_mariano_losses():
    rng = np.random.default_rng(1)
    truth = 20 + rng.gamma(2.0, 3.0, 400)
    e1, e2 = rng.normal(0, 1.0, 400), rng.normal(0, 1.5, 400)
    absolute = diebold_mariano(e1, e2, loss="absolute")
    assert absolute.mean_loss_difference == pytest.approx(np.mean(np.abs(e1) - np.abs(e2)))
    qlike = diebold_mariano(e1, e2, loss="qlike", y_true=truth, h=2)
    ratio1, ratio2 = (truth / (truth + e1)) ** 2, (truth / (truth + e2)) ** 2
    expected = np.mean((ratio1 - np.log(ratio1)) - (ratio2 - np.log(ratio2)))
    assert qlike.mean_loss_difference == pytest.approx(expected)
    assert qlike.statistic < 0
    with pytest.raises(ValueError, match="pass y_true"):
        diebold_mariano(e1, e2, loss="qlike")
    with pytest.raises(ValueError, match="loss"):
        diebold_mariano(e1, e2, loss="cubic")


class _CountingRegressor(LinearRegression):
    """Counts predictions in a class attribute (clones share it) and predicts slowly."""

    calls = 0

    def predict(self, X):
        type(self).calls += 1
        time.sleep(0.05)
        return super().predict(X)


def test_compare_models_predicts_each_fold_once_and_times_that_prediction(data):
    X, y = data
    _CountingRegressor.calls = 0
    result = compare_models({"counted": _CountingRegressor()}, X, y)
    assert _CountingRegressor.calls == 5
    assert (result.table["score_time"] >= 0.05).all()
    assert (result.table["fit_time"] < 0.05).all()


def test_compare_models_and_out_of_fold_predict_share_one_pass(data):
    X, y = data
    result = compare_models({"har": HARRegressor()}, X, y)
    pd.testing.assert_frame_equal(
        result.predictions["har"], out_of_fold_predict(HARRegressor(), X, y)
    )


def test_compare_models_scores_intervals_per_fold_and_pooled(data):
    X, y = data
    model = ConformalForecaster(HARRegressor(), coverage=0.8)
    result = compare_models({"har": HARRegressor(), "conformal": model}, X, y)
    conformal = result.table[result.table["model"] == "conformal"]
    assert conformal[["coverage", "width", "interval_score", "pinball"]].notna().all().all()
    assert result.table.loc[result.table["model"] == "har", "coverage"].isna().all()
    tested = result.y_true.to_numpy()
    bounds = result.intervals["conformal"]
    assert bounds.shape == (len(tested), 2)
    pooled = result.pooled.loc["conformal"]
    assert pooled["coverage"] == pytest.approx(interval_coverage(tested[:, 0], bounds))
    assert pooled["interval_score"] == pytest.approx(
        interval_score(tested[:, 0], bounds, coverage=0.8)
    )
    high = X["vix"].loc[result.y_true.index].to_numpy() > 25
    assert pooled["coverage_vix_above_25"] == pytest.approx(
        interval_coverage(tested[high, 0], bounds[high])
    )
    assert "Intervals, all folds pooled" in str(result)


def test_compare_models_needs_at_least_one_model(data):
    X, y = data
    with pytest.raises(ValueError, match="needs at least one model, got an empty mapping"):
        compare_models({}, X, y)


GRID = np.arange(1, 20) / 20


def test_compare_models_scores_quantile_forecasters_by_crps_on_the_grid(data):
    X, y = data
    X, y = X.iloc[:800], y.iloc[:800]
    models = {
        "conformal": ConformalForecaster(HARRegressor()),
        "quantile": LinearQuantileRegressor(quantiles=GRID),
        "har": HARRegressor(),
    }
    result = compare_models(models, X, y)
    assert set(result.quantiles) == {"conformal", "quantile"}
    tested = result.y_true.to_numpy()[:, 0]
    for name in ("conformal", "quantile"):
        np.testing.assert_array_equal(result.quantile_levels[name], GRID)
        pooled = result.pooled.loc[name]
        assert pooled["crps"] == pytest.approx(
            crps_from_quantiles(tested, result.quantiles[name], GRID)
        )
        assert pooled["quantile_pinball"] == pytest.approx(pooled["crps"] / 2)
    assert result.table.set_index("model").loc["har", "crps"].isna().all()
    assert result.summary.loc["quantile", ("crps", "mean")] > 0


def test_compare_models_scores_fixed_levels_by_pinball_only(data):
    X, y = data
    levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    model = LinearQuantileRegressor(quantiles=levels)
    result = compare_models({"quantile": model}, X.iloc[:800], y.iloc[:800])
    pooled = result.pooled.loc["quantile"]
    assert np.isnan(pooled["crps"])
    assert pooled["quantile_pinball"] == pytest.approx(
        mean_pinball_score(result.y_true.to_numpy()[:, 0], result.quantiles["quantile"], levels)
    )
