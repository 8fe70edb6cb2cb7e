"""The rule that picks the report's one model: the lowest RMSE among the models that beat
persistence, unless a simpler one is not significantly worse."""

import numpy as np
import pandas as pd
import pytest

from sklearn_vix.cli._recommend import pairwise_pvalue, recommend
from sklearn_vix.model_selection import ModelComparison

N = 600


def _comparison(errors: dict) -> ModelComparison:
    """Out-of-fold predictions whose last-step errors are ``errors`` (name -> array)."""
    index = pd.bdate_range("2020-01-01", periods=N)
    truth = pd.DataFrame({"1": np.full(N, 20.0)}, index=index)
    predictions = {
        name: pd.DataFrame({"1": 20.0 + error, "fold": 0}, index=index)
        for name, error in errors.items()
    }
    return ModelComparison(pd.DataFrame(), pd.DataFrame(), predictions, truth)


def _summary(comparison: ModelComparison, dm_pvalues: dict) -> pd.DataFrame:
    truth = comparison.y_true["1"]
    rmse = {
        name: np.sqrt(np.mean((frame["1"] - truth) ** 2))
        for name, frame in comparison.predictions.items()
    }
    ratio = {name: value / rmse["persistence"] for name, value in rmse.items()}
    return pd.DataFrame({"rmse_ratio": ratio, "dm_pvalue": {"persistence": np.nan, **dm_pvalues}})


@pytest.fixture
def noise():
    return np.random.default_rng(0).normal(size=(4, N))


def _sized(error: np.ndarray, rmse: float) -> np.ndarray:
    """``error`` rescaled to root mean square ``rmse``."""
    return error * rmse / np.sqrt(np.mean(error**2))


def test_no_model_that_beats_persistence_recommends_persistence(noise):
    comparison = _comparison({"persistence": noise[0], "HAR": 0.99 * noise[0]})
    summary = _summary(comparison, {"HAR": 0.2})
    assert recommend(comparison, summary, 1).name == "persistence"


def test_a_worse_model_is_never_a_candidate_even_when_significant(noise):
    comparison = _comparison({"persistence": noise[0], "HAR": 1.5 * noise[0]})
    summary = _summary(comparison, {"HAR": 0.001})
    assert recommend(comparison, summary, 1).name == "persistence"


def test_a_simpler_model_wins_a_tie(noise):
    # The net is 1 % more accurate than the linear model, with errors of its own: far
    # within noise.
    linear, net = _sized(noise[1], 0.8), _sized(noise[2], 0.792)
    comparison = _comparison({"persistence": _sized(noise[0], 1), "linear": linear, "net": net})
    summary = _summary(comparison, {"linear": 0.001, "net": 0.001})
    assert summary.loc["net", "rmse_ratio"] < summary.loc["linear", "rmse_ratio"]
    p = pairwise_pvalue(comparison, "net", "linear", 1)
    assert p >= 0.05
    recommendation = recommend(comparison, summary, 1)
    assert recommendation.name == "linear"
    assert (
        f"not significantly more accurate than the simpler linear (Diebold-Mariano p = {p:.3f})"
        in (recommendation.reason)
    )


def test_a_complex_model_that_is_significantly_better_wins(noise):
    comparison = _comparison(
        {"persistence": noise[0], "linear": 0.8 * noise[0], "net": 0.5 * noise[0]}
    )
    summary = _summary(comparison, {"linear": 0.001, "net": 0.001})
    recommendation = recommend(comparison, summary, 1)
    assert recommendation.name == "net"
    assert "significantly better than the simpler linear" in recommendation.reason


def test_the_simplest_tied_model_is_kept(noise):
    # Three candidates within noise of each other: the first (simplest) listed wins,
    # whatever the order of their RMSEs.
    errors = {
        "persistence": _sized(noise[0], 1),
        "HAR": _sized(noise[1], 0.8),
        "linear": _sized(noise[2], 0.79),
        "net": _sized(noise[3], 0.78),
    }
    comparison = _comparison(errors)
    summary = _summary(comparison, dict.fromkeys(["HAR", "linear", "net"], 0.001))
    recommendation = recommend(comparison, summary, 1)
    assert recommendation.name == "HAR"
    assert recommendation.reason.startswith("net has the lowest RMSE")
