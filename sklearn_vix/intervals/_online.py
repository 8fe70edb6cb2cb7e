"""Online updates of conformal intervals: one replay, with ACI or conformal PID as its rule.

Rows are replayed in time order as an online user lives them. For step ``k`` (1-based),
the outcome of row ``j`` is known ``k`` rows later: it is absorbed before the interval of
row ``j + k`` is issued, never earlier. Absorbing an outcome does two things:

- its score joins the step's :class:`~sklearn_vix.intervals._quantiles.ScorePool` (the
  oldest score leaves), with its calendar group;
- the rule's state of the row's (step, calendar group) learns whether the interval issued
  for that row missed.

Each (step, group) has its own state, and a group with few scores borrows the pool's
(:meth:`ScorePool.bounds`), so that the interval issued online for a row is the one
:meth:`~sklearn_vix.ConformalForecaster.predict_interval` gives for it at that moment.

The rules:

- :class:`ACIRule`, adaptive conformal inference (Gibbs and Candès, 2021): the
  miscoverage level moves by ``gamma * (alpha - miss)`` after each outcome, and the
  bounds are read off the pool at that level;
- :class:`PIDRule`, conformal PID control (Angelopoulos, Candès and Tibshirani, 2023),
  which tracks each bound directly as a quantile of the scores:

  - P, quantile tracking: after each outcome, the upper bound moves up by
    ``eta * (miss_above - alpha/2)`` and the lower bound down by
    ``eta * (miss_below - alpha/2)``, with ``eta = learning_rate * B`` and ``B`` the
    range of the step's pool (the paper's adaptive step, so that the rate is scale free);
  - I, the integrator: each bound adds ``r_t(S)``, a saturating function of the running
    sum ``S`` of ``miss - alpha/2`` on its side:
    ``integrator_gain * B * tan(S * log(t) / (t * saturation))``, which grows without
    bound when misses pile up and so restores long-run coverage.

  The scorecaster (the D of PID, a model of the scores) is not included. Two choices
  differ from the paper, both to keep every interval finite and non-empty, as a user
  needs each day: the integrator's tangent is capped at ``_MAX_ANGLE`` below ``pi / 2``
  and its term at ``_MAX_INTEGRATOR`` score ranges; a lower bound that crosses the
  upper one is set to it. The first bounds are the split-conformal ones of the group at
  the nominal level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._quantiles import ScorePool

__all__ = ["ACIRule", "OnlineState", "PIDRule", "PIDState", "replay"]

_MAX_ANGLE = np.pi / 2 - 0.05
_MAX_INTEGRATOR = 1.0


class ACIRule:
    """Adaptive conformal inference: a miscoverage level per (step, group).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.intervals._online import ACIRule
    >>> from sklearn_vix.intervals._quantiles import ScorePool
    >>> pool = ScorePool(np.linspace(-1, 1, 99), np.zeros(99), 0.0)
    >>> rule = ACIRule(alpha=0.1, gamma=0.05)
    >>> rule.learn(rule.start(pool, 0), 5.0, (-0.9, 0.9), pool)  # a miss: alpha falls
    0.055
    """

    def __init__(self, alpha: float, gamma: float):
        self.alpha, self.gamma = alpha, gamma

    def start(self, pool: ScorePool, group: int) -> float:
        return self.alpha

    def bounds(self, state: float, pool: ScorePool, group: int, alpha=None):
        """The bounds issued now; at miscoverage ``alpha`` shifted by what ACI learnt."""
        return pool.bounds(group, state if alpha is None else alpha + state - self.alpha)

    def learn(self, state: float, score: float, issued, pool: ScorePool) -> float:
        miss = float(not issued[0] <= score <= issued[1])
        return state + self.gamma * (self.alpha - miss)


@dataclass
class PIDState:
    """Tracked bounds and integrator sums of one (step, group), in score units."""

    lower: float
    upper: float
    sum_below: float = 0.0
    sum_above: float = 0.0
    t: int = 0


class PIDRule:
    """Conformal PID control: quantile tracking with an integrator, per (step, group).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.intervals._online import PIDRule
    >>> from sklearn_vix.intervals._quantiles import ScorePool
    >>> pool = ScorePool(np.linspace(-1, 1, 99), np.zeros(99), 0.0)
    >>> rule = PIDRule(0.1, learning_rate=0.01, integrator_gain=0.1, saturation=5.0)
    >>> state = rule.learn(rule.start(pool, 0), 5.0, (-0.9, 0.9), pool)
    >>> round(state.upper, 4)  # a miss above: the upper bound moves up
    0.9374
    """

    def __init__(
        self, alpha: float, learning_rate: float, integrator_gain: float, saturation: float
    ):
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.integrator_gain = integrator_gain
        self.saturation = saturation

    def start(self, pool: ScorePool, group: int) -> PIDState:
        return PIDState(*(float(b) for b in pool.bounds(group, self.alpha)))

    def _integrator(self, state: PIDState, total: float, scale: float) -> float:
        if state.t < 2:
            return 0.0
        angle = total * np.log(state.t) / (state.t * self.saturation)
        term = self.integrator_gain * scale * np.tan(np.clip(angle, -_MAX_ANGLE, _MAX_ANGLE))
        return float(np.clip(term, -_MAX_INTEGRATOR * scale, _MAX_INTEGRATOR * scale))

    def bounds(self, state: PIDState, pool: ScorePool, group: int, alpha=None):
        """The tracked bounds; at another miscoverage ``alpha``, the pool's static ones."""
        if alpha is not None:
            return pool.bounds(group, alpha)
        scale = pool.score_range()
        lower = state.lower - self._integrator(state, state.sum_below, scale)
        upper = state.upper + self._integrator(state, state.sum_above, scale)
        return min(lower, upper), upper

    def learn(self, state: PIDState, score: float, issued, pool: ScorePool) -> PIDState:
        below, above = float(score < issued[0]), float(score > issued[1])
        step = self.learning_rate * pool.score_range()
        state.upper += step * (above - self.alpha / 2)
        state.lower -= step * (below - self.alpha / 2)
        state.sum_above += above - self.alpha / 2
        state.sum_below += below - self.alpha / 2
        state.t += 1
        return state


@dataclass
class PendingRows:
    """Rows issued online, with what absorbing their outcomes later needs.

    One entry per row: its key (index label and values, to recognise it when passed
    again), its centre and scale per step (the forecast in score space and what its score
    is divided by: the volatility scale at issue, times the quantile model's half-width
    with ``conformity_score="cqr"``), its calendar groups, the bounds issued for it (score units)
    and which steps' outcomes have been absorbed.
    """

    keys: list
    centre: np.ndarray
    scale: np.ndarray
    groups: np.ndarray
    issued: np.ndarray
    absorbed: np.ndarray

    @classmethod
    def empty(cls, n_steps: int) -> PendingRows:
        steps = np.zeros((0, n_steps))
        return cls([], steps, steps.copy(), steps.astype(np.int64), np.zeros((0, n_steps, 2)),
                   steps.astype(bool))  # fmt: skip

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, rows: slice) -> PendingRows:
        return PendingRows(
            self.keys[rows], self.centre[rows], self.scale[rows], self.groups[rows],
            self.issued[rows], self.absorbed[rows],
        )  # fmt: skip

    def __add__(self, other: PendingRows) -> PendingRows:
        return PendingRows(
            self.keys + other.keys,
            *(
                np.concatenate([getattr(self, name), getattr(other, name)])
                for name in ("centre", "scale", "groups", "issued", "absorbed")
            ),
        )


@dataclass
class OnlineState:
    """What :meth:`~sklearn_vix.ConformalForecaster.update` carries from call to call.

    Attributes
    ----------
    pending : PendingRows
        The last rows issued whose outcomes were not all known (NaN in ``y_new``): a
        later call that passes them again absorbs the outcomes that have arrived.
    states : dict
        ``{(step, group): state}``, steps 0-based: ACI's miscoverage level (a float) or
        PID's :class:`PIDState`. A (step, group) without an entry has not issued an
        interval yet and starts from the nominal level.
    """

    pending: PendingRows
    states: dict = field(default_factory=dict)


def replay(rule, states: dict, pools: list[ScorePool], scores, groups, issued, absorbed, fresh):
    """Issue and absorb the rows of one :meth:`update` call, step by step, in time order.

    ``scores`` (NaN where the outcome is unknown), ``groups``, ``issued`` (score units)
    and ``absorbed`` have one row per row of the call; ``fresh`` marks the rows issued in
    this call (the others were issued by an earlier call). ``issued``, ``absorbed``,
    ``states`` and ``pools`` are updated in place.
    """
    n, n_steps = scores.shape
    for k in range(n_steps):
        pool, delay = pools[k], k + 1

        def absorb(j, k=k, pool=pool):
            if absorbed[j, k] or np.isnan(scores[j, k]):
                return
            key = (k, int(groups[j, k]))
            states[key] = rule.learn(states[key], scores[j, k], issued[j, k], pool)
            pool.roll(scores[j, k], key[1])
            absorbed[j, k] = True

        for i in range(n):
            if i - delay >= 0:
                absorb(i - delay)
            if fresh[i]:
                key = (k, int(groups[i, k]))
                if key not in states:
                    states[key] = rule.start(pool, key[1])
                issued[i, k] = rule.bounds(states[key], pool, key[1])
        for j in range(max(n - delay, 0), n):
            absorb(j)
