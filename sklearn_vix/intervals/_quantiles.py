"""Split-conformal bounds read by rank, per step and per calendar group.

A step's calibration scores form a :class:`ScorePool`: first in, first out, kept sorted
in total and within each calendar group, so that a bound is read by rank without sorting.
A group with few scores borrows from the pool (see :meth:`ScorePool.bounds`).
"""

from __future__ import annotations

import bisect
from collections import deque

import numpy as np

__all__ = ["ScorePool", "min_calibration_rows", "ranked_bounds", "ranked_quantile"]


def min_calibration_rows(coverage: float) -> int:
    """Fewest scores for which the upper split-conformal quantile is a finite score.

    Examples
    --------
    >>> from sklearn_vix.intervals._quantiles import min_calibration_rows
    >>> min_calibration_rows(0.9)
    19
    """
    # Rounded first: 2 / (1 - 0.9) is 20.000000000000004 in floating point.
    return int(np.ceil(round(2.0 / (1.0 - coverage), 9))) - 1


def ranked_quantile(ordered, level: float) -> float:
    """The split-conformal quantile of sorted scores at ``level``, read by rank.

    Below the median the ``floor((n+1) level)``-th smallest score, from the median up the
    ``ceil((n+1) level)``-th: a new exchangeable score falls below the lower ones with
    probability at most ``level`` and above the upper ones with probability at most
    ``1 - level``, for any ``n``. A level finer than the pool resolves (a rank of 0 or
    above ``n``) is unbounded: ``-inf`` below, ``+inf`` above. These are the ranks of the
    conformal predictive distribution of ``crepes`` (its ``lower_percentiles`` and
    ``higher_percentiles``), which sets those levels to ``y_min`` and ``y_max``.

    Examples
    --------
    >>> from sklearn_vix.intervals._quantiles import ranked_quantile
    >>> [float(ranked_quantile(list(range(1, 20)), q)) for q in (0.01, 0.05, 0.5, 0.95)]
    [-inf, 1.0, 10.0, 19.0]
    """
    n = len(ordered)
    # Rounded first, as in min_calibration_rows: with alpha = 1 - 0.9 (0.09999999999999998)
    # and 19 scores, (n + 1) * alpha / 2 is 0.9999999999999998, whose floor would make the
    # lower bound infinite where the lowest score is the bound.
    position = round((n + 1) * level, 9)
    if level < 0.5:
        rank = int(np.floor(position))
        return ordered[rank - 1] if rank >= 1 else -np.inf
    rank = int(np.ceil(position))
    return ordered[rank - 1] if rank <= n else np.inf


def ranked_bounds(ordered, alpha: float) -> tuple[float, float]:
    """Split-conformal lower and upper quantiles of sorted scores, at miscoverage ``alpha``.

    The upper bound is the ``ceil((n+1)(1-alpha/2))``-th smallest score, the lower the
    ``floor((n+1) alpha/2)``-th (:func:`ranked_quantile` at ``alpha/2`` and
    ``1 - alpha/2``): each side then misses with probability at most ``alpha/2`` for
    exchangeable scores. ``alpha <= 0`` (reached by adaptive conformal inference) gives
    an unbounded interval, ``alpha >= 1`` an empty one, as in Gibbs and Candès (2021).

    Examples
    --------
    >>> from sklearn_vix.intervals._quantiles import ranked_bounds
    >>> [float(b) for b in ranked_bounds(list(range(1, 20)), 1 - 0.9)]
    [1.0, 19.0]
    """
    if alpha >= 1.0:
        return np.inf, -np.inf
    if alpha <= 0.0:
        return -np.inf, np.inf
    return ranked_quantile(ordered, alpha / 2.0), ranked_quantile(ordered, 1.0 - alpha / 2.0)


class ScorePool:
    """The latest calibration scores of one forecast step, with their calendar groups.

    Parameters
    ----------
    scores : array-like of shape (n_scores,)
        Oldest first.
    groups : array-like of int of shape (n_scores,)
        The calendar group of each score (all 0 when the scores are pooled).
    group_strength : float
        Pseudo-scores of the pool given to every group: a group of ``n_g`` scores takes
        ``n_g / (n_g + group_strength)`` of its own quantile and the rest of the pool's.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.intervals._quantiles import ScorePool
    >>> pool = ScorePool(np.arange(40.0), np.r_[np.zeros(20), np.ones(20)], 20.0)
    >>> [float(b) for b in pool.bounds(1, 0.1)]
    [10.5, 38.5]
    """

    def __init__(self, scores, groups, group_strength: float):
        scores = np.asarray(scores, dtype=np.float64)
        groups = np.asarray(groups, dtype=np.int64)
        self.group_strength = float(group_strength)
        self._arrival = deque(zip(scores.tolist(), groups.tolist(), strict=True))
        self._sorted = sorted(scores.tolist())
        self._by_group: dict[int, list[float]] = {}
        for score, group in self._arrival:
            self._by_group.setdefault(group, []).append(score)
        for values in self._by_group.values():
            values.sort()

    def __len__(self) -> int:
        return len(self._arrival)

    def size(self, group: int) -> int:
        """Number of scores of ``group`` in the pool."""
        return len(self._by_group.get(group, ()))

    def score_range(self) -> float:
        """Largest minus smallest score of the pool."""
        return float(self._sorted[-1] - self._sorted[0])

    def bounds(self, group: int, alpha: float) -> tuple[float, float]:
        """The bounds of ``group`` at miscoverage ``alpha``: its own, shrunk to the pool's.

        :meth:`quantile` at ``alpha/2`` and ``1 - alpha/2``; ``alpha`` outside (0, 1)
        (reached by adaptive conformal inference) reads the pool, unbounded or empty.
        """
        if not 0.0 < alpha < 1.0:
            return ranked_bounds(self._sorted, alpha)
        return self.quantile(group, alpha / 2.0), self.quantile(group, 1.0 - alpha / 2.0)

    def quantile(self, group: int, level: float) -> float:
        """The quantile of ``group`` at ``level`` in (0, 1): its own, shrunk to the pool's.

        The group's split-conformal quantile and the pool's (:func:`ranked_quantile`) are
        averaged with weight ``n_g / (n_g + group_strength)`` on the group's: a group of
        a handful of scores (the one-day holidays) is read almost from the pool, a large
        group (weekends) almost from itself. A group too small for a finite quantile at
        ``level`` takes the pool's.
        """
        pooled = ranked_quantile(self._sorted, level)
        own = self._by_group.get(group, [])
        mine = ranked_quantile(own, level) if own else np.inf
        if not np.isfinite(mine):
            return pooled
        weight = len(own) / (len(own) + self.group_strength)
        return weight * mine + (1.0 - weight) * pooled

    def roll(self, score: float, group: int) -> None:
        """Add a new score; the oldest leaves."""
        old_score, old_group = self._arrival.popleft()
        self._sorted.pop(bisect.bisect_left(self._sorted, old_score))
        mine = self._by_group[old_group]
        mine.pop(bisect.bisect_left(mine, old_score))
        self._arrival.append((score, group))
        bisect.insort(self._sorted, score)
        bisect.insort(self._by_group.setdefault(group, []), score)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Scores and groups, oldest first."""
        scores, groups = zip(*self._arrival, strict=True)
        return np.asarray(scores, dtype=np.float64), np.asarray(groups, dtype=np.int64)
