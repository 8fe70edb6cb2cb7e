"""Distribution scores: the pinball score, the CRPS from quantiles and in closed form."""

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_pinball_loss
from sklearn.model_selection import TimeSeriesSplit, cross_validate

from sklearn_vix import ConformalForecaster, HARRegressor
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.metrics import (
    crps_from_quantiles,
    crps_gaussian,
    interval_pinball_loss,
    make_quantile_scorer,
    mean_pinball_score,
)

GRID = np.arange(1, 20) / 20


def _gaussian_quantiles(mu, sigma, levels):
    return norm.ppf(levels, loc=np.asarray(mu)[..., None], scale=np.asarray(sigma)[..., None])


@pytest.fixture(scope="module")
def draws():
    rng = np.random.default_rng(0)
    mu, sigma = rng.normal(20, 5, size=(300, 2)), rng.uniform(0.5, 3, size=(300, 2))
    return mu + sigma * rng.standard_t(df=5, size=mu.shape), mu, sigma


def test_the_gaussian_crps_at_its_mean_is_the_published_value():
    # Gneiting and Raftery (2007): CRPS(N(0, 1), 0) = 2 phi(0) - 1 / sqrt(pi).
    assert crps_gaussian([0.0], 0.0, 1.0) == pytest.approx(0.2336949772551091, rel=1e-12)
    assert crps_gaussian([0.0], 0.0, 1.0) == pytest.approx(2 * norm.pdf(0) - 1 / np.sqrt(np.pi))


def test_the_gaussian_crps_matches_scoringrules(draws):
    scoringrules = pytest.importorskip("scoringrules")
    y, mu, sigma = draws
    expected = scoringrules.crps_normal(y, mu, sigma, backend="numpy").mean(axis=0)
    np.testing.assert_allclose(crps_gaussian(y, mu, sigma, multioutput="raw_values"), expected)
    assert crps_gaussian(y, mu, sigma) == pytest.approx(expected.mean())


def test_the_quantile_crps_matches_scoringrules(draws):
    scoringrules = pytest.importorskip("scoringrules")
    y, mu, sigma = draws
    quantiles = _gaussian_quantiles(mu, sigma, GRID)
    expected = scoringrules.crps_quantile(y, quantiles, GRID, backend="numpy").mean(axis=0)
    np.testing.assert_allclose(
        crps_from_quantiles(y, quantiles, GRID, multioutput="raw_values"), expected
    )


@pytest.mark.parametrize("n_levels, bias", [(19, 0.048), (99, 0.010)])
def test_the_quantile_crps_tends_to_the_closed_form(n_levels, bias):
    # The numbers crps_from_quantiles' docstring quotes: outcomes drawn from the forecast.
    y = np.random.default_rng(1).normal(size=20_000)
    levels = np.arange(1, n_levels + 1) / (n_levels + 1)
    quantiles = np.broadcast_to(norm.ppf(levels), (len(y), n_levels))
    ratio = crps_from_quantiles(y, quantiles, levels) / crps_gaussian(y, 0.0, 1.0)
    assert ratio - 1 == pytest.approx(bias, abs=0.002)


def test_the_crps_of_a_point_forecast_is_its_absolute_error():
    y, point = np.array([1.0, 4.0, -2.0]), np.array([2.0, 1.0, -2.5])
    quantiles = np.repeat(point[:, None], len(GRID), axis=1)
    assert crps_from_quantiles(y, quantiles, GRID) == pytest.approx(np.abs(y - point).mean())


def test_the_pinball_score_is_sklearns_loss_averaged_over_levels(draws):
    y, mu, sigma = draws
    levels = np.array([0.05, 0.3, 0.5, 0.9])
    quantiles = _gaussian_quantiles(mu, sigma, levels)
    expected = np.mean(
        [
            mean_pinball_loss(y, quantiles[..., i], alpha=level, multioutput="raw_values")
            for i, level in enumerate(levels)
        ],
        axis=0,
    )
    np.testing.assert_allclose(
        mean_pinball_score(y, quantiles, levels, multioutput="raw_values"), expected
    )
    # Two levels a / 2 and 1 - a / 2 are the interval's pinball loss.
    np.testing.assert_allclose(
        mean_pinball_score(y, quantiles[..., [0, 3]], [0.05, 0.9]),
        np.mean([mean_pinball_loss(y, quantiles[..., 0], alpha=0.05),
                 mean_pinball_loss(y, quantiles[..., 3], alpha=0.9)]),
    )  # fmt: skip
    bounds = _gaussian_quantiles(mu, sigma, np.array([0.05, 0.95]))
    assert mean_pinball_score(y, bounds, [0.05, 0.95]) == pytest.approx(
        interval_pinball_loss(y, bounds, coverage=0.9)
    )


def test_an_infinite_quantile_scores_its_step_infinite():
    y = np.array([[1.0, 1.0], [2.0, 2.0]])
    quantiles = np.tile([0.5, 1.0, 1.5], (2, 2, 1))
    quantiles[0, 1, 2] = np.inf
    scores = crps_from_quantiles(y, quantiles, [0.25, 0.5, 0.75], multioutput="raw_values")
    assert np.isfinite(scores[0]) and scores[1] == np.inf


def test_a_grid_that_is_not_even_is_refused_by_the_crps():
    y, quantiles = np.zeros(2), np.zeros((2, 5))
    levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    with pytest.raises(ValueError, match=r"evenly spaced and symmetric.*mean_pinball_score"):
        crps_from_quantiles(y, quantiles, levels)
    assert mean_pinball_score(y, quantiles, levels) == 0.0
    with pytest.raises(ValueError, match="evenly spaced"):
        crps_from_quantiles(np.zeros(2), np.zeros((2, 3)), [0.1, 0.2, 0.3])


@pytest.mark.parametrize(
    "y_quantiles, quantiles, match",
    [
        (np.zeros((3, 2)), [0.25, 0.5, 0.75], "y_quantiles must have shape"),
        (np.zeros((3, 3)), [0.75, 0.5, 0.25], "quantiles must be increasing"),
        (np.zeros((3, 2)), [0.0, 0.5], "quantiles must lie strictly between 0 and 1"),
        (np.full((3, 1), np.nan), [0.5], "must not contain NaN"),
    ],
)
def test_bad_quantile_forecasts_are_value_errors(y_quantiles, quantiles, match):
    with pytest.raises(ValueError, match=match):
        mean_pinball_score(np.zeros(3), y_quantiles, quantiles)


def test_the_gaussian_crps_refuses_a_scale_that_is_not_positive():
    with pytest.raises(ValueError, match="sigma must be positive"):
        crps_gaussian([0.0, 1.0], 0.0, [1.0, 0.0])
    with pytest.raises(ValueError, match="broadcast"):
        crps_gaussian([0.0, 1.0], [0.0, 1.0, 2.0], 1.0)


def test_the_quantile_scorer_runs_in_cross_validate():
    X, y = make_supervised(load_vix_sim().iloc[:1200])
    scoring = {
        "crps": make_quantile_scorer("crps", quantiles=GRID),
        "pinball": make_quantile_scorer("pinball", quantiles=[0.1, 0.5, 0.9]),
    }
    model = ConformalForecaster(HARRegressor())
    scores = cross_validate(model, X, y, cv=TimeSeriesSplit(2), scoring=scoring)
    assert (scores["test_crps"] < 0).all() and (scores["test_pinball"] < 0).all()
    fitted = model.fit(X[:800], y[:800])
    expected = crps_from_quantiles(y[800:], fitted.predict_quantiles(X[800:], GRID), GRID)
    assert scoring["crps"](fitted, X[800:], y[800:]) == -expected


def test_the_quantile_scorer_needs_a_quantile_forecaster_and_levels():
    X, y = np.random.default_rng(0).normal(size=(60, 2)), np.arange(60.0)
    with pytest.raises(TypeError, match="LinearRegression is not one"):
        make_quantile_scorer(quantiles=GRID)(LinearRegression().fit(X, y), X, y)
    conformal = ConformalForecaster(LinearRegression(), log=False, scale=None).fit(X, y)
    with pytest.raises(ValueError, match="needs quantiles="):
        make_quantile_scorer()(conformal, X, y)
