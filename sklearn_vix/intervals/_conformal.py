"""Conformal prediction intervals over any forecaster, calibrated without look-ahead.

Why not MAPIE's ``TimeSeriesRegressor`` (MAPIE 1.6, checked against its source):

- it takes a single-output ``y``; a VIX forecaster predicts ``horizon`` steps at once;
- its adaptive conformal inference (``adapt_conformal_inference``) predicts one NumPy row at
  a time, so a windowed pipeline loses its column names, its index and the rows of history
  every window needs;
- EnbPI's block bootstrap calibrates each row with models trained on later blocks (the
  out-of-bag residual of 2008 comes from a model that saw 2009), and refits a network
  once per bootstrap sample;
- its conformity scores are absolute residuals; the VIX needs signed residuals with two
  quantiles (spikes are up, decays are slow), in log space and per step.

So the calibration is written here, small: signed log residuals, time-ordered cross-fitting
with the horizon purged, per-step quantiles with the finite-sample correction, and the
adaptive conformal inference update of Gibbs and Candès (2021), tested against its
published coverage bound.
"""

from __future__ import annotations

import bisect
from collections import deque
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted, validate_data

from .._compat import HasMethods, Interval, StrOptions, _fit_context, _safe_indexing
from .._frames import column_values
from .._validation import check_positive, resolve_target_column
from ..preprocessing._history import continues, next_label
from ._online import PIDState, pid_replay

__all__ = ["ConformalForecaster"]

# Weekly, monthly and quarterly windows of the local volatility scale. Chosen on the real
# VIX before 2016 (fit 1990-2009, scored 2010-2015): adding HAR's 1-day term made the
# interval score worse by 5-9 % (one day's move is mostly noise as a scale).
_SCALE_WINDOWS = (5, 22, 66)


def _min_calibration_rows(coverage: float) -> int:
    """Fewest scores for which the upper split-conformal quantile is a finite score."""
    return int(np.ceil(2.0 / (1.0 - coverage))) - 1


def _ranked_bounds(ordered, alpha: float) -> tuple[float, float]:
    """Split-conformal lower and upper quantiles of sorted scores, at miscoverage ``alpha``.

    The upper bound is the ``ceil((n+1)(1-alpha/2))``-th smallest score, the lower the
    ``floor((n+1) alpha/2)``-th: each side then misses with probability at most ``alpha/2``
    for exchangeable scores. ``alpha <= 0`` (reached by adaptive conformal inference) gives
    an unbounded interval, ``alpha >= 1`` an empty one, as in Gibbs and Candès (2021).
    """
    if alpha >= 1.0:
        return np.inf, -np.inf
    n = len(ordered)
    rank_hi = int(np.ceil((n + 1) * (1.0 - alpha / 2.0)))
    rank_lo = int(np.floor((n + 1) * alpha / 2.0))
    upper = ordered[rank_hi - 1] if 1 <= rank_hi <= n else np.inf
    lower = ordered[rank_lo - 1] if 1 <= rank_lo <= n else -np.inf
    return lower, upper


def _conformal_quantiles(scores: np.ndarray, alpha) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_ranked_bounds` per column of ``scores``, one ``alpha`` per column."""
    ordered = np.sort(scores, axis=0)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (scores.shape[1],))
    bounds = np.array([_ranked_bounds(ordered[:, k], a) for k, a in enumerate(alpha)])
    return bounds[:, 0], bounds[:, 1]


# Closed calendar days between the origin and a target, counted up to this many: 0 for
# consecutive sessions, 1 for a one-day holiday, 2 for a weekend, 3 for a long weekend.
_MAX_CLOSED_DAYS = 3


def calendar_groups(X, n_steps: int) -> np.ndarray | None:
    """The calendar group of each row and step: closed days between origin and target k.

    ``min(calendar days from the row's date to its k-th NYSE session after - k, 3)``,
    from the row's own date and the exchange schedule only; None when ``X`` has no
    dates (a ``DatetimeIndex``).
    """
    index = getattr(X, "index", None)
    if not isinstance(index, pd.DatetimeIndex):
        return None
    from ..calendar import sessions_after

    origins = index.normalize().as_unit("ns").to_numpy()
    targets = sessions_after(origins, n_steps)
    days = (targets - origins[:, None]) / np.timedelta64(1, "D")
    return np.minimum(days - np.arange(1, n_steps + 1), _MAX_CLOSED_DAYS).astype(np.int64)


class ConformalForecaster(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Prediction intervals for any forecaster, from out-of-sample residuals in time order.

    ``fit`` and ``predict`` behave as the wrapped forecaster's. ``predict_interval`` adds
    lower and upper bounds: the forecast moved by quantiles of calibration residuals, one
    pair per forecast step, so that intervals widen with the horizon as the residuals do.

    The residuals are out of sample and come only from rows before the ones they
    calibrate:

    - ``method="cross"`` (default): ``TimeSeriesSplit(n_splits, gap=horizon-1)``; each
      test fold is predicted by a model fitted on the rows before it, with the ``horizon-1``
      rows whose targets reach into the fold purged. The pooled out-of-fold residuals
      calibrate the model then refitted on every row.
    - ``method="split"``: the model is fitted on the first rows and calibrated on the last
      ``calibration_size`` of them (purged the same way); that model is the one kept.

    With ``log=True`` (default) the residual is ``log(y) - log(forecast)``: intervals
    scale with the level and are asymmetric, wider above than below, as the VIX's moves
    are. With ``scale="volatility"`` (default) each residual is divided by the target's
    recent volatility, known at the forecast origin: the mean absolute daily log change
    over the last 5, 22 and 66 days, averaged. Intervals then widen as soon as the VIX
    turns turbulent instead of holding a calm-years width (on the real VIX scored
    2016-2023 this lifts the coverage of days with a VIX above 25 from about 0.80 to
    0.92 at a nominal 0.90, see ``benchmarks/bench_intervals.py``).

    With ``calendar="auto"`` (default) and a ``DatetimeIndex`` on ``X``, the scores are
    also grouped by the calendar of each step's target: the closed days between the
    forecast origin and the target session (0 between consecutive sessions, 2 over a
    weekend, 1 or 3 around a holiday; :mod:`sklearn_vix.calendar`). Each group gets its
    own quantiles, so Monday forecasts, which cross a weekend and move more, get wider
    intervals than Tuesday's; a group with too few calibration rows for the coverage
    uses the pooled scores. The group is known at the origin: the exchange publishes its
    schedule.

    :meth:`update` feeds newly observed rows: their residuals join the calibration
    scores (the oldest leave) and adaptive conformal inference (Gibbs and Candès, 2021)
    moves the miscoverage level ``alpha_t`` by ``gamma * (alpha - miss)`` after every
    outcome, so that intervals that missed too often widen, without refitting the model.

    Parameters
    ----------
    estimator : estimator
        A forecaster with ``fit`` and ``predict``: a pipeline, HAR, a net, a linear model.
        Its predictions must be positive when ``log=True``.
    coverage : float, default=0.9
        Nominal coverage of the intervals, in (0, 1).
    method : {"cross", "split"}, default="cross"
        How out-of-sample residuals are made (see above).
    n_splits : int, default=5
        Folds of the time-ordered cross-fitting (``method="cross"``).
    calibration_size : float, default=0.2
        Fraction of the rows kept for calibration (``method="split"``).
    log : bool, default=True
        Residuals of the logs (relative errors) rather than of the levels.
    scale : {"volatility"} or None, default="volatility"
        Divide residuals by the target's recent volatility (read from ``target_column``
        of ``X``, which must then be positive); None for a constant scale.
    gamma : float, default=0.005
        Step size of adaptive conformal inference in :meth:`update` (0: no adaptation of
        ``alpha_t``, the residual pool still rolls). Gibbs and Candès use 0.005.
    online : {"aci", "pid"}, default="aci"
        How :meth:`update` adapts the intervals: adaptive conformal inference, or
        conformal PID control (Angelopoulos, Candès and Tibshirani, 2023), which tracks
        each bound as a quantile of the scores with an integrator of the misses
        (``sklearn_vix/intervals/_online.py``).
    target_column : int or str, default=0
        Position or name of the column of ``X`` holding the target's latest value, for
        ``scale="volatility"`` and the positivity check of ``log=True``.
    calendar : {"auto", "closed_days"} or None, default="auto"
        Group the scores by the closed days before each target (see above):
        ``"closed_days"`` requires ``X`` indexed by date, ``"auto"`` groups when it is
        and pools otherwise, None always pools.

    Attributes
    ----------
    estimator_ : estimator
        The fitted forecaster that ``predict`` uses.
    calibration_scores_ : ndarray of shape (n_calibration, n_steps)
        Out-of-sample residuals (in logs when ``log=True``, divided by the scale when
        ``scale`` is set), one column per step, oldest first.
    calibration_groups_ : ndarray of shape (n_calibration, n_steps) or None
        The calendar group of each calibration score; None when the scores are pooled.
    alpha_ : ndarray of shape (n_steps,)
        Current miscoverage level per step; ``1 - coverage`` until :meth:`update` moves it.
    update_intervals_ : ndarray
        The intervals that the last :meth:`update` issued for its rows, each computed
        before that row's outcome was known (what an online user would have seen).
    n_features_in_ : int
        Number of columns of ``X`` seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of ``X``, when it has them.

    See Also
    --------
    sklearn_vix.metrics.interval_score : Scores the intervals.

    References
    ----------
    Gibbs, I. and Candès, E. (2021). Adaptive conformal inference under distribution shift.
    NeurIPS 34.

    Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. J. and Wasserman, L. (2018).
    Distribution-free predictive inference for regression. JASA 113(523).

    Examples
    --------
    >>> from sklearn_vix import ConformalForecaster, HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim().iloc[:1500])
    >>> model = ConformalForecaster(HARRegressor(), coverage=0.8).fit(X[:1000], y[:1000])
    >>> bounds = model.predict_interval(X[1000:])
    >>> bounds.shape
    (499, 2)
    >>> bool((bounds[:, 0] < model.predict(X[1000:])).all())
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
        "method": [StrOptions({"cross", "split"})],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "calibration_size": [Interval(Real, 0, 1, closed="neither")],
        "log": ["boolean"],
        "scale": [StrOptions({"volatility"}), None],
        "gamma": [Interval(Real, 0, 1, closed="left")],
        "online": [StrOptions({"aci", "pid"})],
        "target_column": [Integral, str],
        "calendar": [StrOptions({"auto", "closed_days"}), None],
    }

    def __init__(
        self,
        estimator,
        *,
        coverage: float = 0.9,
        method: str = "cross",
        n_splits: int = 5,
        calibration_size: float = 0.2,
        log: bool = True,
        scale: str | None = "volatility",
        gamma: float = 0.005,
        online: str = "aci",
        target_column: int | str = 0,
        calendar: str | None = "auto",
    ):
        self.estimator = estimator
        self.coverage = coverage
        self.method = method
        self.n_splits = n_splits
        self.calibration_size = calibration_size
        self.log = log
        self.scale = scale
        self.gamma = gamma
        self.online = online
        self.target_column = target_column
        self.calendar = calendar

    # -- data helpers ---------------------------------------------------------------

    def _target(self, X) -> np.ndarray:
        return column_values(X, self.target_index_)

    def _to_space(self, values: np.ndarray, what: str) -> np.ndarray:
        values = np.asarray(values, dtype=np.float64)
        if not self.log:
            return values
        check_positive(values, what)
        return np.log(values)

    def _from_space(self, values: np.ndarray) -> np.ndarray:
        return np.exp(values) if self.log else values

    def _local_scale(self, X, *, fitting: bool = False) -> np.ndarray:
        """The volatility scale of each row, from that row and earlier ones only."""
        n = len(X)
        if self.scale is None:
            return np.ones(n)
        level = self._target(X)
        check_positive(level, f"column {self.target_column!r} of X (scale='volatility')")
        history = np.empty(0)
        if not fitting and continues(X, self.scale_next_label_):
            history = self.scale_history_
        log_level = np.log(np.concatenate([history, level]))
        changes = pd.Series(np.abs(np.diff(log_level, prepend=np.nan)))
        parts = [changes.rolling(w, min_periods=1).mean() for w in _SCALE_WINDOWS]
        scale = pd.concat(parts, axis=1).mean(axis=1, skipna=True).to_numpy()[len(history) :]
        # The first row of a table without history has no change yet: it gets the median
        # scale seen in fit, and a scale of exactly 0 (a flat week) gets a floor.
        fallback = self.scale_median_ if not fitting else np.nanmedian(scale)
        scale = np.where(np.isfinite(scale), scale, fallback)
        return np.maximum(scale, 1e-3 * fallback)

    def _groups(self, X, n_steps: int) -> np.ndarray | None:
        if self.calendar is None:
            return None
        groups = calendar_groups(X, n_steps)
        if groups is None and self.calendar == "closed_days":
            raise TypeError(
                "ConformalForecaster(calendar='closed_days') groups the scores by the "
                "calendar of each target session, so X must be a DataFrame indexed by date "
                f"(a DatetimeIndex); got {type(getattr(X, 'index', X)).__name__}. Use "
                "calendar='auto' or None to pool them."
            )
        return groups

    def _as_2d(self, y) -> np.ndarray:
        return np.asarray(y, dtype=np.float64).reshape(len(y), -1)

    def _scores(self, prediction, y, scale, what: str) -> np.ndarray:
        centre = self._to_space(self._as_2d(prediction), f"the forecast of {what}")
        truth = self._to_space(self._as_2d(y), f"y ({what})")
        return (truth - centre) / scale[:, None]

    # -- fit ------------------------------------------------------------------------

    def _calibration_splits(self, n: int, purge: int):
        if self.method == "split":
            n_cal = int(self.calibration_size * n)
            n_train = n - n_cal - purge
            if n_train < 2:
                raise ValueError(
                    f"calibration_size={self.calibration_size} leaves {max(n_train, 0)} "
                    f"training rows of {n}: lower calibration_size or pass more rows."
                )
            return [(np.arange(n_train), np.arange(n - n_cal, n))]
        splitter = TimeSeriesSplit(self.n_splits, gap=purge)
        if n - purge <= self.n_splits:
            raise ValueError(
                f"method='cross' with n_splits={self.n_splits} needs more than "
                f"{self.n_splits + purge} rows, got {n} samples: pass more rows or lower "
                "n_splits."
            )
        return list(splitter.split(np.empty((n, 1))))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the forecaster and calibrate its intervals on out-of-sample residuals.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Time-ordered rows, as the wrapped forecaster takes them.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            The target ``1..horizon`` days after each row.

        Returns
        -------
        self : ConformalForecaster
            The fitted meta-estimator.
        """
        # Checked for sklearn's usual errors (NaN, empty, 1-D, ...); the wrapped
        # forecaster still receives X as given, with its index and column names.
        _, y_checked = validate_data(self, X, y, multi_output=True, y_numeric=True)
        y_2d = self._as_2d(y_checked)
        # Array-likes other than pandas and NumPy (lists, sparse-free wrappers) are read
        # as arrays once, so that folds can be indexed.
        X = X if isinstance(X, (pd.DataFrame, np.ndarray)) else np.asarray(X)
        y = y if isinstance(y, (pd.Series, pd.DataFrame, np.ndarray)) else y_checked
        self.target_index_ = resolve_target_column(self, self.target_column)
        self.n_outputs_ = None if y_checked.ndim == 1 else y_2d.shape[1]
        if self.log:
            check_positive(y_2d, "y (log=True)")
        n = y_2d.shape[0]
        purge = y_2d.shape[1] - 1
        scale = self._local_scale(X, fitting=True)
        if self.scale is not None:
            self.scale_median_ = float(np.median(scale))
        groups = self._groups(X, y_2d.shape[1])
        scores, rows, model = [], [], None
        for train, test in self._calibration_splits(n, purge):
            model = clone(self.estimator).fit(_safe_indexing(X, train), _safe_indexing(y, train))
            prediction = model.predict(_safe_indexing(X, test))
            scores.append(self._scores(prediction, y_2d[test], scale[test], "calibration rows"))
            rows.append(test)
        self.calibration_scores_ = np.concatenate(scores)
        self.calibration_groups_ = None if groups is None else groups[np.concatenate(rows)]
        needed = _min_calibration_rows(self.coverage)
        if len(self.calibration_scores_) < needed:
            raise ValueError(
                f"coverage={self.coverage} needs at least {needed} calibration rows, got "
                f"{len(self.calibration_scores_)}: pass more rows, lower coverage, or raise "
                "calibration_size / n_splits."
            )
        self.estimator_ = model if self.method == "split" else clone(self.estimator).fit(X, y)
        self.alpha_ = np.full(y_2d.shape[1], 1.0 - self.coverage)
        self.pid_states_ = None
        if self.scale is not None:
            keep = max(_SCALE_WINDOWS)
            self.scale_history_ = self._target(X)[-keep:]
            self.scale_next_label_ = next_label(X)
        return self

    # -- predict --------------------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """The wrapped forecaster's point forecast.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def _alpha(self, coverage) -> np.ndarray:
        if coverage is None:
            return self.alpha_
        if not isinstance(coverage, Real) or not 0.0 < coverage < 1.0:
            raise ValueError(f"coverage must be a number in (0, 1), got {coverage!r}.")
        needed = _min_calibration_rows(coverage)
        if len(self.calibration_scores_) < needed:
            raise ValueError(
                f"coverage={coverage} needs at least {needed} calibration rows, got "
                f"{len(self.calibration_scores_)}: lower coverage or calibrate on more rows."
            )
        # Adaptive conformal inference shifts every level by what it learnt at the
        # nominal one.
        return (1.0 - coverage) + (self.alpha_ - (1.0 - self.coverage))

    def _shape(self, bounds: np.ndarray) -> np.ndarray:
        return bounds[:, 0, :] if self.n_outputs_ is None else bounds

    def predict_interval(self, X, coverage: float | None = None) -> np.ndarray:
        """Lower and upper bounds of the forecast.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows to forecast from.
        coverage : float, default=None
            Nominal coverage; the fitted ``coverage`` when None.

        Returns
        -------
        bounds : ndarray of shape (n_samples, 2) or (n_samples, horizon, 2)
            ``[..., 0]`` is the lower bound, ``[..., 1]`` the upper one.
        """
        check_is_fitted(self)
        alpha = self._alpha(coverage)
        # The calendar groups first: a table without dates fails before any prediction.
        q_low, q_high = self._quantiles(X, alpha, (len(X), self.calibration_scores_.shape[1]))
        centre = self._to_space(self._as_2d(self.predict(X)), "the forecast")
        scale = self._local_scale(X)[:, None]
        if coverage is None and getattr(self, "pid_states_", None) is not None:
            pool = self.calibration_scores_
            q_low, q_high = np.transpose(
                [s.bounds(np.ptp(pool[:, k])) for k, s in enumerate(self.pid_states_)]
            )
        bounds = np.stack([centre + scale * q_low, centre + scale * q_high], axis=-1)
        return self._shape(self._from_space(bounds))

    def _quantiles(self, X, alpha, shape) -> tuple[np.ndarray, np.ndarray]:
        """Score quantiles for every row and step: of the row's calendar group, or pooled."""
        q_low, q_high = _conformal_quantiles(self.calibration_scores_, alpha)
        q_low, q_high = np.broadcast_to(q_low, shape).copy(), np.broadcast_to(q_high, shape).copy()
        if self.calibration_groups_ is None:
            return q_low, q_high
        groups = self._groups(X, shape[1])
        if groups is None:
            raise TypeError(
                "This ConformalForecaster grouped its scores by the calendar in fit (X had "
                "dates); X must be a DataFrame indexed by date here too."
            )
        alpha = np.broadcast_to(alpha, (shape[1],))
        for k in range(shape[1]):
            for group in np.unique(groups[:, k]):
                pool = self.calibration_scores_[self.calibration_groups_[:, k] == group, k]
                # Too few scores for this level (or an unbounded level reached by adaptive
                # conformal inference): the pooled quantiles stand.
                if 0.0 < alpha[k] < 1.0 and len(pool) >= _min_calibration_rows(1.0 - alpha[k]):
                    rows = groups[:, k] == group
                    q_low[rows, k], q_high[rows, k] = _ranked_bounds(np.sort(pool), alpha[k])
        return q_low, q_high

    # -- online ---------------------------------------------------------------------

    def update(self, X_new, y_new):
        """Adapt the intervals to newly observed rows without refitting the forecaster.

        Rows are replayed in time order as an online user would have lived them: for
        step ``k``, the outcome of row ``j`` is known ``k`` rows later, and only then
        does its residual join the calibration scores (the oldest score leaves) and
        does adaptive conformal inference update
        ``alpha_t <- alpha_t + gamma * (alpha - miss_t)``, where ``miss_t`` says whether
        the interval issued for row ``j`` missed. After the call every row's outcome is
        known and absorbed. The replay's intervals use the pooled scores; the calendar
        groups (``calendar``) roll with the pool and apply in :meth:`predict_interval`.

        Parameters
        ----------
        X_new : DataFrame or array-like of shape (n_new, n_features)
            Time-ordered rows following the data seen so far.
        y_new : array-like of shape (n_new,) or (n_new, horizon)
            Their observed targets.

        Returns
        -------
        self : ConformalForecaster
            With ``calibration_scores_``, ``alpha_`` and ``update_intervals_`` updated.
        """
        check_is_fitted(self)
        y_2d = self._as_2d(y_new)
        n_new, n_steps = len(X_new), self.alpha_.shape[0]
        if y_2d.shape != (n_new, n_steps):
            raise ValueError(
                f"y_new must have {n_new} rows and {n_steps} step(s), got shape {y_2d.shape}."
            )
        centre = self._to_space(self._as_2d(self.predict(X_new)), "the forecast")
        scale = self._local_scale(X_new)
        scores = (self._to_space(y_2d, "y_new") - centre) / scale[:, None]
        issued = np.empty((*y_2d.shape, 2))
        pools, alphas = [], []
        if self.online == "pid" and self.pid_states_ is None:
            low, high = _conformal_quantiles(self.calibration_scores_, 1.0 - self.coverage)
            self.pid_states_ = [PIDState(lo, hi) for lo, hi in zip(low, high, strict=True)]
        for k in range(y_2d.shape[1]):
            if self.online == "pid":
                alpha = float(self.alpha_[k])
                pool, bounds = pid_replay(
                    scores[:, k],
                    self.calibration_scores_[:, k],
                    self.pid_states_[k],
                    1.0 - self.coverage,
                    k + 1,
                )
            else:
                pool, alpha, bounds = self._replay_step(scores[:, k], k)
            pools.append(pool)
            alphas.append(alpha)
            issued[:, k, :] = centre[:, k, None] + scale[:, None] * bounds
        self.calibration_scores_ = np.stack(pools, axis=1)
        if self.calibration_groups_ is not None:
            # The pool is first in, first out: its groups roll the same way.
            new_groups = self._groups(X_new, n_steps)
            self.calibration_groups_ = np.concatenate([self.calibration_groups_, new_groups])[
                -len(self.calibration_scores_) :
            ]
        self.alpha_ = np.array(alphas)
        self.update_intervals_ = self._shape(self._from_space(issued))
        if self.scale is not None:
            keep = max(_SCALE_WINDOWS)
            level = self._target(X_new)
            self.scale_history_ = np.concatenate([self.scale_history_, level])[-keep:]
            self.scale_next_label_ = next_label(X_new)
        return self

    def _replay_step(self, scores: np.ndarray, k: int):
        """Replay step ``k`` (0-based) row by row; return pool, alpha and issued bounds."""
        # The pool is kept twice: in arrival order (to drop the oldest) and sorted (to
        # read a quantile by rank without sorting at every row).
        arrival = deque(self.calibration_scores_[:, k])
        ordered = sorted(arrival)
        alpha = float(self.alpha_[k])
        target = 1.0 - self.coverage
        issued = np.empty((len(scores), 2))
        delay = k + 1

        def absorb(j):
            nonlocal alpha
            low, high = issued[j]
            alpha += self.gamma * (target - float(not low <= scores[j] <= high))
            ordered.pop(bisect.bisect_left(ordered, arrival.popleft()))
            bisect.insort(ordered, scores[j])
            arrival.append(scores[j])

        for i in range(len(scores)):
            if i - delay >= 0:
                absorb(i - delay)
            issued[i] = _ranked_bounds(ordered, alpha)
        for j in range(max(len(scores) - delay, 0), len(scores)):
            absorb(j)
        return np.asarray(arrival), alpha, issued

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The point forecast is the wrapped forecaster's, and so is how well it can score.
        wrapped = get_tags(self.estimator).regressor_tags
        if wrapped is not None:
            tags.regressor_tags.poor_score = wrapped.poor_score
        tags.target_tags.multi_output = True
        tags.target_tags.positive_only = self.log
        return tags
