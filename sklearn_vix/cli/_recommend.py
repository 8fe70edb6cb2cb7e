"""The rule that picks the one model the report recommends, from its own comparison.

The rule, in words (the report prints it beside its verdict):

1. A candidate is a model whose RMSE is below persistence's with a Diebold-Mariano p-value
   below 0.05 against persistence: it measurably beats "tomorrow = today".
2. Of the candidates, the one with the lowest RMSE leads.
3. A simpler candidate replaces the leader when the leader is not significantly more
   accurate than it (Diebold-Mariano p >= 0.05 between the two): the simplest such.
   Models are ranked from simple to complex in the order the study lists them.
4. With no candidate, persistence is recommended: no model is shown to do better.

The tests are those of the report's table: squared errors of the last forecast step,
pooled over every tested session, with the Harvey-Leybourne-Newbold correction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model_selection import ModelComparison
from ..stats import diebold_mariano
from ._common import last_step

PERSISTENCE = "persistence"
# The significance level of every test of the rule.
LEVEL = 0.05


@dataclass(frozen=True)
class Recommendation:
    """The recommended model and the sentence that says why."""

    name: str
    reason: str


def last_step_errors(comparison: ModelComparison, name: str) -> np.ndarray:
    """Model ``name``'s out-of-fold errors of the last forecast step."""
    truth = last_step(comparison.y_true)
    return (last_step(comparison.predictions[name]) - truth).to_numpy()


def pairwise_pvalue(comparison: ModelComparison, name: str, other: str, horizon: int) -> float:
    """Two-sided Diebold-Mariano p-value of equal squared error of ``name`` and ``other``."""
    errors = last_step_errors(comparison, name)
    reference = last_step_errors(comparison, other)
    if np.allclose(errors, reference):
        return 1.0
    return float(diebold_mariano(errors, reference, h=horizon).pvalue)


def recommend(comparison: ModelComparison, summary: pd.DataFrame, horizon: int) -> Recommendation:
    """Apply the module's rule to ``summary`` (one row per model, in simple-to-complex order,
    with ``rmse_ratio`` and ``dm_pvalue`` against persistence)."""
    order = [name for name in summary.index if name != PERSISTENCE]
    beats = summary.loc[order]
    candidates = [
        name
        for name in order
        if beats.loc[name, "rmse_ratio"] < 1 and beats.loc[name, "dm_pvalue"] < LEVEL
    ]
    if not candidates:
        return Recommendation(
            PERSISTENCE,
            "No model beats persistence at the 5 % level, so the recommendation is "
            "persistence itself (tomorrow = today).",
        )
    leader = min(candidates, key=lambda name: summary.loc[name, "rmse_ratio"])
    lead = (
        f"{leader} has the lowest RMSE of the models that beat persistence at the 5 % level "
        f"(RMSE ÷ persistence {summary.loc[leader, 'rmse_ratio']:.4f})"
    )
    for name in candidates[: candidates.index(leader)]:
        p = pairwise_pvalue(comparison, leader, name, horizon)
        if p >= LEVEL:
            return Recommendation(
                name,
                f"{lead}, but it is not significantly more accurate than the simpler "
                f"{name} (Diebold-Mariano p = {p:.3f}), so {name} is recommended.",
            )
    simpler = candidates[: candidates.index(leader)]
    against = f", and significantly better than the simpler {', '.join(simpler)}" if simpler else ""
    return Recommendation(leader, f"{lead}{against}, so it is recommended.")
