"""Online updates of conformal intervals beyond adaptive conformal inference.

Conformal PID control (Angelopoulos, Candès and Tibshirani, 2023) tracks each bound of the
interval directly, as a quantile of the conformity scores, instead of moving a
miscoverage level and reading the bound off a pool of scores:

- P, quantile tracking: after each outcome, the upper bound moves up by
  ``eta * (miss_above - alpha/2)`` and the lower bound down by
  ``eta * (miss_below - alpha/2)``, with ``eta = lr * B`` and ``B`` the range of the
  recent scores (the paper's adaptive step, so that ``lr`` is scale free);
- I, the integrator: each bound adds ``r_t(S)``, a saturating function of the running
  sum ``S`` of ``miss - alpha/2`` on its side: ``K_I * tan(S * log(t) / (t * C_sat))``,
  which grows without bound when misses pile up and so restores long-run coverage.

The scorecaster (the D of PID, a model of the scores) is not included.

Two choices differ from the paper, both to keep every interval finite and non-empty, as
a user needs each day: the integrator's tangent is capped at ``_MAX_ANGLE`` below
``pi / 2``, and its term at ``_MAX_INTEGRATOR`` score ranges; a lower bound that crosses
the upper one is set to it. The first bounds are the split-conformal quantiles of the
calibration scores at the nominal level, so that before any outcome PID issues exactly
the intervals of :meth:`~sklearn_vix.ConformalForecaster.predict_interval`.

The scores arrive with the delay of their step, as in adaptive conformal inference:
step ``k`` of row ``j`` is absorbed before the interval of row ``j + k`` is issued.
"""

from __future__ import annotations

from collections import deque

import numpy as np

__all__ = ["PIDState", "pid_replay"]

# Step of quantile tracking, in score ranges (the paper's lr), and gain of the integrator,
# chosen on the real VIX before 2016 (log-HAR fitted on 1990-2009, updated through
# 2010-2015; `bench_online_intervals.py --tune`), never on the scored years: the interval
# score fell as lr fell from 0.03 to 0.001 (0.944 -> 0.891 of the naive interval's at h=1,
# 1.156 -> 0.890 at h=5). An integrator gain of 0.1 cost 0.0001 (h=1) and 0.003 (h=5)
# against none; it is kept as the safeguard against long runs of misses that gives PID
# its coverage guarantee. The saturation constant was not tuned.
LEARNING_RATE = 0.001
INTEGRATOR_GAIN = 0.1
SATURATION = 5.0
_MAX_ANGLE = np.pi / 2 - 0.05
_MAX_INTEGRATOR = 1.0


class PIDState:
    """Tracked bounds and integrator sums of one forecast step."""

    def __init__(self, lower: float, upper: float):
        self.lower, self.upper = float(lower), float(upper)
        self.sum_below, self.sum_above = 0.0, 0.0
        self.t = 0

    def _integrator(self, total: float, scale: float) -> float:
        if self.t < 2:
            return 0.0
        angle = total * np.log(self.t) / (self.t * SATURATION)
        term = INTEGRATOR_GAIN * scale * np.tan(np.clip(angle, -_MAX_ANGLE, _MAX_ANGLE))
        return float(np.clip(term, -_MAX_INTEGRATOR * scale, _MAX_INTEGRATOR * scale))

    def bounds(self, scale: float) -> tuple[float, float]:
        """The bounds issued now, in score units."""
        lower = self.lower - self._integrator(self.sum_below, scale)
        upper = self.upper + self._integrator(self.sum_above, scale)
        return min(lower, upper), upper

    def absorb(self, score: float, issued: tuple[float, float], alpha: float, scale: float):
        """Move the bounds after the outcome of an interval issued as ``issued``."""
        below, above = float(score < issued[0]), float(score > issued[1])
        step = LEARNING_RATE * scale
        self.upper += step * (above - alpha / 2)
        self.lower -= step * (below - alpha / 2)
        self.sum_above += above - alpha / 2
        self.sum_below += below - alpha / 2
        self.t += 1


def pid_replay(scores: np.ndarray, pool: np.ndarray, state: PIDState, alpha: float, delay: int):
    """Replay one step's new scores row by row; return the pool and the issued bounds.

    ``pool`` holds the latest scores (the oldest leaves as each new one arrives); its
    range is the scale ``B`` of the steps and of the integrator.
    """
    arrival = deque(pool)
    issued = np.empty((len(scores), 2))

    def scale() -> float:
        return float(max(arrival) - min(arrival))

    def absorb(j):
        state.absorb(scores[j], issued[j], alpha, scale())
        arrival.popleft()
        arrival.append(scores[j])

    for i in range(len(scores)):
        if i - delay >= 0:
            absorb(i - delay)
        issued[i] = state.bounds(scale())
    for j in range(max(len(scores) - delay, 0), len(scores)):
        absorb(j)
    return np.asarray(arrival), issued
