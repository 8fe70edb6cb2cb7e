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

So the calibration is written here, small, one idea per module: time-ordered cross-fitting
with the horizon purged (``_crossfit.py``), the volatility scale (``_scale.py``), the
calendar groups (``_groups.py``), per-step quantiles by rank with small groups shrunk to
the pool (``_quantiles.py``) and one online replay with ACI or PID as its rule
(``_online.py``). This module is the estimator that composes them.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted, validate_data

from .._compat import HasMethods, Interval, StrOptions, _fit_context, _safe_indexing
from .._frames import column_values
from .._validation import (
    check_finite,
    check_positive,
    check_quantiles,
    resolve_target_column,
    validate_rows,
)
from ..base import is_quantile_forecaster, model_lookback
from ..preprocessing._history import continues, next_label
from ._crossfit import calibration_splits, out_of_fold_forecasts
from ._groups import calendar_groups
from ._online import ACIRule, OnlineState, PendingRows, PIDRule, replay
from ._quantiles import ScorePool, min_calibration_rows
from ._scale import VolatilityScale

__all__ = ["ConformalForecaster"]


def _row_keys(X, X_array: np.ndarray) -> list:
    """One key per row, to recognise a row passed again: its label and its values."""
    index = getattr(X, "index", None)
    labels = list(index) if isinstance(index, pd.Index) else [None] * len(X_array)
    return [(label, row.tobytes()) for label, row in zip(labels, X_array, strict=True)]


class ConformalForecaster(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Prediction intervals for any forecaster, from out-of-sample residuals in time order.

    ``fit`` and ``predict`` behave as the wrapped forecaster's. ``predict_interval`` adds
    lower and upper bounds: the forecast moved by quantiles of calibration residuals, one
    pair per forecast step, so that intervals widen with the horizon as the residuals do.
    :meth:`predict_quantiles` reads any levels of the same distribution (the conformal
    predictive distribution), of which an interval is two quantiles.

    The residuals are out of sample and come only from rows before the ones they
    calibrate:

    - ``method="cross"`` (default): ``TimeSeriesSplit(n_splits, gap=horizon-1)``; each
      test fold is predicted by a model fitted on the rows before it, with the ``horizon-1``
      rows whose targets reach into the fold purged. The purged rows' features are known
      at the fold's origins, so the fold is predicted in one call that starts right after
      the training rows: its first windows hold their real history, as in
      :func:`~sklearn_vix.model_selection.backtest`. The pooled out-of-fold residuals
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

    With ``calendar="auto"`` (default) and a ``DatetimeIndex`` on ``X`` (naive or
    tz-aware), the scores are also grouped by the calendar of each step's target: the
    closed days between the forecast origin and the target session under the exchange's
    published schedule, capped at 3 (0 between consecutive sessions, 2 over a weekend, 1
    or 3 around a holiday; :func:`sklearn_vix.calendar.closed_days`). The group is known
    at the origin, and an unscheduled closure (9/11) changes none. Each group's quantiles
    are shrunk to the pooled ones: a group of ``n_g`` scores takes ``n_g / (n_g +
    group_shrinkage)`` of its own split-conformal quantile and the rest of the pool's.
    Weekends (a fifth of the scores) keep most of their own width, one-day holidays (a
    handful of scores a year) take the pool's, so that a few noisy scores never make the
    widest band of the year (``benchmarks/bench_interval_groups.py``).

    :meth:`update` feeds newly observed rows and replays them in time order: each row's
    interval is issued before its outcomes, and the outcome of step ``k`` joins the
    calibration scores ``k`` rows later (the oldest leave). The online rule adapts each
    (step, calendar group) on its own, so that the interval :meth:`update` issues for a
    row is the one :meth:`predict_interval` gives at that moment: adaptive conformal
    inference (Gibbs and Candès, 2021) moves the group's miscoverage level
    ``alpha_t`` by ``gamma * (alpha - miss)`` after every outcome; conformal PID control
    (Angelopoulos, Candès and Tibshirani, 2023) tracks the group's bounds directly.

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
        conformal PID control.
    pid_learning_rate : float, default=0.001
        PID's quantile-tracking step, in ranges of the step's scores (the paper's ``lr``).
        Chosen on the real VIX before 2016 (``benchmarks/bench_online_intervals.py
        --tune``): the interval score fell as it fell from 0.03 to 0.001.
    pid_integrator_gain : float, default=0.1
        Gain ``K_I`` of PID's integrator, the safeguard against long runs of misses that
        gives PID its coverage guarantee (0 switches it off).
    pid_saturation : float, default=5.0
        Saturation constant ``C_sat`` of PID's integrator (not tuned).
    target_column : int or str, default=0
        Position or name of the column of ``X`` holding the target's latest value, for
        ``scale="volatility"`` and the positivity check of ``log=True``.
    calendar : {"auto", "closed_days"} or None, default="auto"
        Group the scores by the closed days before each target (see above):
        ``"closed_days"`` requires ``X`` indexed by date, ``"auto"`` groups when it is
        and pools otherwise, None always pools.
    group_shrinkage : float, default=100.0
        Pseudo-scores of the pool given to every calendar group (see above): 0 reads
        each group's own quantiles alone, a large value pools every group.
    conformity_score : {"residual", "cqr"}, default="residual"
        The conformity score. ``"residual"``: the residual of the point forecast, as
        above. ``"cqr"``: conformalized quantile regression, for an ``estimator`` with
        ``predict_quantiles`` (:class:`~sklearn_vix.LinearQuantileRegressor`, or any
        :func:`~sklearn_vix.base.is_quantile_forecaster`) fitted at the levels
        ``(1 - coverage) / 2`` and ``(1 + coverage) / 2``: the score is the residual
        from the middle of the model's interval divided by its half-width (and by the
        volatility scale when ``scale`` is set), the scaled CQR of Sesia and Candès
        (2020). Where the model's interval is right the scores fall in [-1, 1]; their
        split-conformal quantiles widen or narrow it to finite-sample coverage, asymmetric
        and per step and calendar group like the residuals' bounds.

    Attributes
    ----------
    estimator_ : estimator
        The fitted forecaster that ``predict`` uses.
    history_ : DataFrame or None
        With a DataFrame ``X``: the last rows seen, by ``fit`` and then by :meth:`update`
        (the forecaster's lookback plus the horizon). A table that continues them, or
        starts with pending rows of :meth:`update` passed again, is forecast with the rows
        before it in front, as from the full history: ``estimator_`` of
        ``method="split"`` was fitted on the first rows only, and a day-by-day
        :meth:`update` passes one new row at a time. None for NumPy input.
    history_next_label_ : object
        The index label a table continuing ``history_`` starts with.
    calibration_scores_ : ndarray of shape (n_calibration, n_steps)
        Out-of-sample residuals (in logs when ``log=True``, divided by the scale when
        ``scale`` is set), one column per step, oldest first. :meth:`update` rolls each
        column as its step's outcomes arrive, so after an update whose last outcomes are
        unknown the columns may end on different rows.
    min_half_width_ : float
        With ``conformity_score="cqr"``: the smallest half-width of the model's
        interval used as a scale (a thousandth of its median over the calibration rows
        where it is positive; 1 if it is nowhere), so that a collapsed interval never
        divides by 0.
    calibration_groups_ : ndarray of shape (n_calibration, n_steps) or None
        The calendar group of each calibration score; None when the scores are pooled.
    online_state_ : OnlineState
        The online rule's state per (step, calendar group), ``online_state_.states``
        (ACI's miscoverage level, PID's tracked bounds; a pair absent has issued nothing
        yet and starts at the nominal level), and the last rows :meth:`update` issued
        whose outcomes are not all known, ``online_state_.pending``.
    update_intervals_ : ndarray of shape (n_new, 2) or (n_new, horizon, 2)
        The intervals that the last :meth:`update` issued for its rows, each computed
        before that row's outcome was known (what an online user would have seen).
    update_forecasts_ : ndarray of shape (n_new,) or (n_new, horizon)
        The point forecasts of the last :meth:`update`'s rows, the centres of its
        intervals with ``conformity_score="residual"`` (what :meth:`predict` gives for
        them), so that a caller needs no second prediction.
    n_features_in_ : int
        Number of columns of ``X`` seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of ``X``, when it has them.

    See Also
    --------
    sklearn_vix.metrics.interval_score : Scores the intervals.
    sklearn_vix.calendar.closed_days : The calendar groups.

    References
    ----------
    Gibbs, I. and Candès, E. (2021). Adaptive conformal inference under distribution shift.
    NeurIPS 34.

    Angelopoulos, A. N., Candès, E. J. and Tibshirani, R. J. (2023). Conformal PID
    control for time series prediction. NeurIPS 36.

    Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. J. and Wasserman, L. (2018).
    Distribution-free predictive inference for regression. JASA 113(523).

    Romano, Y., Patterson, E. and Candès, E. (2019). Conformalized quantile regression.
    NeurIPS 32.

    Sesia, M. and Candès, E. J. (2020). A comparison of some conformal quantile
    regression methods. Stat 9(1).

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
    >>> issued = model.update(X[1000:1100], y[1000:1100]).update_intervals_
    >>> bool((issued[0] == bounds[0]).all())  # the first row: nothing learnt yet
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
        "pid_learning_rate": [Interval(Real, 0, None, closed="neither")],
        "pid_integrator_gain": [Interval(Real, 0, None, closed="left")],
        "pid_saturation": [Interval(Real, 0, None, closed="neither")],
        "target_column": [Integral, str],
        "calendar": [StrOptions({"auto", "closed_days"}), None],
        "group_shrinkage": [Interval(Real, 0, None, closed="left")],
        "conformity_score": [StrOptions({"residual", "cqr"})],
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
        pid_learning_rate: float = 0.001,
        pid_integrator_gain: float = 0.1,
        pid_saturation: float = 5.0,
        target_column: int | str = 0,
        calendar: str | None = "auto",
        group_shrinkage: float = 100.0,
        conformity_score: str = "residual",
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
        self.pid_learning_rate = pid_learning_rate
        self.pid_integrator_gain = pid_integrator_gain
        self.pid_saturation = pid_saturation
        self.target_column = target_column
        self.calendar = calendar
        self.group_shrinkage = group_shrinkage
        self.conformity_score = conformity_score

    # -- data helpers ---------------------------------------------------------------

    def _to_space(self, values, what: str) -> np.ndarray:
        """Values in the space of the scores: their logs when ``log=True``; NaN stays NaN."""
        values = np.asarray(values, dtype=np.float64)
        if not self.log:
            return values
        # NaN is an outcome not known yet, not a negative value.
        check_positive(np.where(np.isnan(values), 1.0, values), what)
        return np.log(values)

    def _from_space(self, values: np.ndarray) -> np.ndarray:
        return np.exp(values) if self.log else values

    def _as_2d(self, y) -> np.ndarray:
        return np.asarray(y, dtype=np.float64).reshape(len(y), -1)

    def _level(self, X) -> np.ndarray:
        level = column_values(X, self.target_index_)
        check_positive(level, f"column {self.target_column!r} of X (scale='volatility')")
        return level

    def _scale_at(self, X) -> np.ndarray:
        """The volatility scale of each row, from that row and earlier ones only."""
        if self.scale is None:
            return np.ones(len(X))
        return self.scale_.at(self._level(X), X)

    def _model_levels(self) -> list[float]:
        """The levels of the quantile model's interval that ``conformity_score="cqr"`` reads."""
        alpha = 1.0 - self.coverage
        return [alpha / 2.0, 1.0 - alpha / 2.0]

    def _model_outputs(self, model, X) -> np.ndarray:
        """What the scores are computed from: the point forecast (n, n_steps) or, with
        ``conformity_score="cqr"``, the model's two quantiles (n, 2 * n_steps), step-major."""
        if self.conformity_score == "residual":
            return np.asarray(model.predict(X), dtype=np.float64).reshape(len(X), -1)
        bounds = np.asarray(model.predict_quantiles(X, self._model_levels()), dtype=np.float64)
        return bounds.reshape(len(X), -1)

    def _centre_width(self, outputs: np.ndarray, floor=None) -> tuple[np.ndarray, np.ndarray]:
        """Centre (in the scores' space) and width of each row and step's score; the
        quantile model's half-width is floored at ``floor`` (``min_half_width_``)."""
        if self.conformity_score == "residual":
            centre = self._to_space(outputs, "the forecast")
            return centre, np.ones_like(centre)
        bounds = self._to_space(outputs, "the quantile forecast").reshape(len(outputs), -1, 2)
        half = (bounds[..., 1] - bounds[..., 0]) / 2.0
        floor = self.min_half_width_ if floor is None else floor
        return bounds.mean(axis=-1), np.maximum(half, floor)

    def _centre_scale(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Centre and scale, both (n_samples, n_steps), of the forecasts of a table."""
        centre, width = self._centre_width(self._with_history(self._model_outputs, X))
        return centre, self._scale_at(X)[:, None] * width

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

    def _groups_of(self, X) -> np.ndarray:
        """The calendar group of each row and step of a table after fit (0 when pooled)."""
        n_steps = self.calibration_scores_.shape[1]
        if self.calibration_groups_ is None:
            return np.zeros((len(X), n_steps), dtype=np.int64)
        groups = self._groups(X, n_steps)
        if groups is None:
            raise TypeError(
                "This ConformalForecaster grouped its scores by the calendar in fit (X had "
                "dates); X must be a DataFrame indexed by date here too."
            )
        return groups

    def _pools(self) -> list[ScorePool]:
        groups = self.calibration_groups_
        if groups is None:
            groups = np.zeros(self.calibration_scores_.shape, dtype=np.int64)
        return [
            ScorePool(self.calibration_scores_[:, k], groups[:, k], self.group_shrinkage)
            for k in range(self.calibration_scores_.shape[1])
        ]

    def _rule(self):
        alpha = 1.0 - self.coverage
        if self.online == "pid":
            return PIDRule(
                alpha, self.pid_learning_rate, self.pid_integrator_gain, self.pid_saturation
            )
        return ACIRule(alpha, self.gamma)

    def _shape(self, bounds: np.ndarray) -> np.ndarray:
        return bounds[:, 0, :] if self.n_outputs_ is None else bounds

    # -- fit ------------------------------------------------------------------------

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
        n, n_steps = y_2d.shape
        purge = n_steps - 1
        self.scale_ = None if self.scale is None else VolatilityScale(self._level(X), X)
        scale = np.ones(n) if self.scale is None else self.scale_.fitted
        groups = self._groups(X, n_steps)
        if self.conformity_score == "cqr" and not is_quantile_forecaster(self.estimator):
            raise TypeError(
                "ConformalForecaster(conformity_score='cqr') conformalizes a quantile model: the "
                "estimator needs predict_quantiles(X, quantiles), and "
                f"{type(self.estimator).__name__} has none. Use LinearQuantileRegressor, "
                "or conformity_score='residual' for a point forecaster."
            )
        splits = calibration_splits(n, purge, self.method, self.n_splits, self.calibration_size)
        outputs, model = out_of_fold_forecasts(
            self.estimator, X, y, splits, predict=self._model_outputs
        )
        rows = np.concatenate([test for _, test in splits])
        if self.conformity_score == "cqr":
            _, half = self._centre_width(outputs, floor=0.0)
            positive = half[half > 0]
            self.min_half_width_ = 1e-3 * float(np.median(positive)) if positive.size else 1.0
        centre, width = self._centre_width(outputs)
        truth = self._to_space(y_2d[rows], "y (calibration rows)")
        self.calibration_scores_ = (truth - centre) / (scale[rows, None] * width)
        self.calibration_groups_ = None if groups is None else groups[rows]
        needed = min_calibration_rows(self.coverage)
        if len(rows) < needed:
            raise ValueError(
                f"coverage={self.coverage} needs at least {needed} calibration rows, got "
                f"{len(rows)}: pass more rows, lower coverage, or raise "
                "calibration_size / n_splits."
            )
        self.estimator_ = model if self.method == "split" else clone(self.estimator).fit(X, y)
        # The split model was fitted on the first rows only, and update() may pass one new
        # row at a time: tables that continue the rows seen get them as history.
        self.history_ = self._last_rows(X)
        self.online_state_ = OnlineState(PendingRows.empty(n_steps))
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
        return self._with_history(lambda model, rows: model.predict(rows), X)

    def _with_history(self, method, X):
        """``method(estimator_, X)`` with the rows seen before ``X`` in front (see
        ``history_``), for the rows of ``X``."""
        before = self._rows_before(X)
        if before is None:
            return method(self.estimator_, X)
        return method(self.estimator_, pd.concat([before, X]))[len(before) :]

    def _last_rows(self, X, previous=None) -> pd.DataFrame | None:
        if not isinstance(X, pd.DataFrame):
            self.history_next_label_ = None
            return None
        keep = model_lookback(self.estimator) + self.calibration_scores_.shape[1]
        seen = X if previous is None else pd.concat([previous, X])
        seen = seen.iloc[max(len(seen) - keep, 0) :].copy()
        # Computed here, once: reading the index in predict would fill pandas' caches and
        # change the fitted model (a predict must leave it as it was).
        self.history_next_label_ = next_label(seen)
        return seen

    def _rows_before(self, X) -> pd.DataFrame | None:
        """The rows seen before ``X``: all of history_ when ``X`` continues it, those
        before its first label when ``X`` starts inside it (pending rows passed again)."""
        history = getattr(self, "history_", None)
        if history is None or not isinstance(X, pd.DataFrame) or not len(X) or not len(history):
            return None
        if continues(X, self.history_next_label_):
            return history
        labels = history.index.to_numpy(copy=True)
        found = np.flatnonzero(labels == X.index.to_numpy()[0])
        return history.iloc[: found[0]] if len(found) and found[0] > 0 else None

    def _miscoverage(self, coverage) -> float | None:
        if coverage is None:
            return None
        if not isinstance(coverage, Real) or not 0.0 < coverage < 1.0:
            raise ValueError(f"coverage must be a number in (0, 1), got {coverage!r}.")
        needed = min_calibration_rows(coverage)
        if len(self.calibration_scores_) < needed:
            raise ValueError(
                f"coverage={coverage} needs at least {needed} calibration rows, got "
                f"{len(self.calibration_scores_)}: lower coverage or calibrate on more rows."
            )
        return 1.0 - coverage

    def predict_interval(self, X, coverage: float | None = None) -> np.ndarray:
        """Lower and upper bounds of the forecast.

        Each row's bounds are those of its (step, calendar group): the group's quantiles
        shrunk to the pool's, as the online rule has left them after :meth:`update`.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows to forecast from.
        coverage : float, default=None
            Nominal coverage; the fitted ``coverage`` when None, with the online rule's
            current state. At another coverage, ACI shifts the level by what it learnt at
            the nominal one, and PID (which tracks bounds, not a level) gives the static
            split-conformal bounds.

        Returns
        -------
        bounds : ndarray of shape (n_samples, 2) or (n_samples, horizon, 2)
            ``[..., 0]`` is the lower bound, ``[..., 1]`` the upper one.
        """
        check_is_fitted(self)
        alpha = self._miscoverage(coverage)
        # The calendar groups first: a table without dates fails before any prediction.
        groups = self._groups_of(X)
        centre, scale = self._centre_scale(X)
        rule, states = self._rule(), self.online_state_.states
        quantiles = np.empty((*groups.shape, 2))
        for k, pool in enumerate(self._pools()):
            for group in np.unique(groups[:, k]):
                state = states.get((k, int(group)))
                if state is None:
                    state = rule.start(pool, int(group))
                rows = groups[:, k] == group
                quantiles[rows, k] = rule.bounds(state, pool, int(group), alpha)
        bounds = centre[..., None] + scale[..., None] * quantiles
        return self._shape(self._from_space(bounds))

    def predict_quantiles(self, X, quantiles) -> np.ndarray:
        """Quantiles of the conformal predictive distribution of each forecast.

        The distribution is the forecast moved by every calibration score of its (step,
        calendar group), times the row's volatility scale, in logs when ``log=True``:
        the split-conformal predictive distribution of Vovk et al. (2019), with the
        scores normalised by the scale and grouped by the calendar. The level ``q`` is
        read by rank as :meth:`predict_interval`'s bounds are (the
        ``floor((n+1) q)``-th smallest score below the median, the ``ceil((n+1) q)``-th
        from it), and each group's quantile is shrunk to the pool's by
        ``group_shrinkage``. So ``predict_quantiles(X, [a / 2, 1 - a / 2])`` equals
        ``predict_interval(X, 1 - a)`` before any :meth:`update`. A level finer than the
        scores resolve (below ``1 / (n+1)`` or above ``n / (n+1)`` for ``n`` scores) is
        unbounded: ``-inf`` (0 with ``log=True``) or ``+inf``, as the interval of a pool
        too small for its coverage would be.

        ``crepes``' ``ConformalPredictiveSystem`` builds the same distribution from the
        same ranks (normalised by ``sigmas``, "Mondrian" by ``bins``) with three
        differences: its bins are separate pools where a calendar group here borrows
        from the pool; its out-of-range levels are clipped to ``y_min`` and ``y_max``
        (infinite by default, as here) with a warning; and it pools residuals of one
        target, where each forecast step here has its own scores.

        After :meth:`update`, the quantiles read the rolled calibration scores but not
        the online rule's state: adaptive conformal inference and PID correct the
        interval at the nominal coverage, a correction that has no counterpart at other
        levels. With ``gamma=0`` (and ``online="aci"``) the equality with
        :meth:`predict_interval` therefore holds after updates too.

        Where a small calendar group's own quantile starts at a level (its first finite
        rank), the shrunk quantiles may cross the pooled ones of the levels below it;
        the values of each row and step are then sorted across the levels asked for
        (the rearrangement of Chernozhukov, Fernández-Val and Galichon, 2010), so that
        they are always non-decreasing.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Rows to forecast from.
        quantiles : array-like of float of shape (n_quantiles,)
            Increasing levels in (0, 1).

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or \
                (n_samples, horizon, n_quantiles)
            In the target's units, non-decreasing along the last axis. Two-dimensional
            for a one-step target (a 1-D ``y`` in ``fit``), as :meth:`predict_interval`'s
            ``(n_samples, 2)``; three-dimensional for a ``y`` of shape
            ``(n_samples, horizon)``, one step or more.

        References
        ----------
        Vovk, V., Shen, J., Manokhin, V. and Xie, M. (2019). Nonparametric predictive
        distributions based on conformal prediction. Machine Learning 108.

        Chernozhukov, V., Fernández-Val, I. and Galichon, A. (2010). Quantile and
        probability curves without crossing. Econometrica 78(3).

        Examples
        --------
        >>> from sklearn_vix import ConformalForecaster, HARRegressor
        >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
        >>> X, y = make_supervised(load_vix_sim().iloc[:1500])
        >>> model = ConformalForecaster(HARRegressor()).fit(X[:1000], y[:1000])
        >>> fan = model.predict_quantiles(X[1000:], [0.05, 0.25, 0.5, 0.75, 0.95])
        >>> fan.shape
        (499, 5)
        >>> bool((fan[:, [0, 4]] == model.predict_interval(X[1000:], 0.9)).all())
        True
        """
        check_is_fitted(self)
        levels = check_quantiles(quantiles)
        groups = self._groups_of(X)
        centre, scale = self._centre_scale(X)
        scores = np.empty((*groups.shape, len(levels)))
        for k, pool in enumerate(self._pools()):
            for group in np.unique(groups[:, k]):
                group_scores = [pool.quantile(int(group), level) for level in levels]
                scores[groups[:, k] == group, k] = group_scores
        quantiles = centre[..., None] + scale[..., None] * np.sort(scores, axis=-1)
        return self._shape(self._from_space(quantiles))

    # -- online ---------------------------------------------------------------------

    def _check_new(self, X_new, y_new) -> tuple[np.ndarray, np.ndarray]:
        X_array = validate_rows(self, X_new, reset=False)
        y_values = np.asarray(y_new, dtype=np.float64)
        n_new, n_steps = len(X_array), self.calibration_scores_.shape[1]
        y_2d = y_values.reshape(len(y_values), -1) if y_values.ndim else y_values
        if y_2d.ndim != 2 or y_2d.shape != (n_new, n_steps):
            raise ValueError(
                f"y_new must have {n_new} rows and {n_steps} step(s), got shape {y_values.shape}."
            )
        # NaN is an outcome not known yet; an infinite one is an error.
        check_finite(np.where(np.isnan(y_2d), 0.0, y_2d), y_new, "y_new")
        return X_array, y_2d

    def _refed(self, keys: list) -> int:
        """How many first rows of the call are pending rows passed again."""
        pending = self.online_state_.pending
        if not len(pending) or keys[:1] != pending.keys[:1]:
            return 0
        m = min(len(keys), len(pending))
        if keys[:m] != pending.keys[:m]:
            raise ValueError(
                f"X_new starts with the first of the {len(pending)} rows whose outcomes were "
                "not all known, but does not continue with the others in order: pass them "
                "again in the same order, or only rows after them."
            )
        return m

    def update(self, X_new, y_new):
        """Adapt the intervals to newly observed rows without refitting the forecaster.

        Rows are replayed in time order as an online user would have lived them: each
        row's interval is issued first, from the state of its (step, calendar group),
        equal to what :meth:`predict_interval` gives for it at that moment. For step
        ``k`` the outcome of row ``j`` is known ``k`` rows later, and only then does its
        residual join the calibration scores (the step's oldest score leaves) and does
        the online rule (``online``) learn whether the interval missed. After the call
        every known outcome is absorbed.

        A NaN in ``y_new`` is an outcome not known yet (at ``horizon=5``, today's row
        has no outcome): the known steps are absorbed and the rows from the first NaN
        on stay pending (``online_state_.pending``). The next call may start with those
        rows again, now with more outcomes: they keep the intervals issued for them and
        their newly known steps are absorbed. A call that starts with other rows drops
        them.

        Parameters
        ----------
        X_new : DataFrame or array-like of shape (n_new, n_features)
            Time-ordered rows following the data seen so far, or starting with the
            pending rows of the last call.
        y_new : array-like of shape (n_new,) or (n_new, horizon)
            Their observed targets, NaN where not known yet.

        Returns
        -------
        self : ConformalForecaster
            With ``calibration_scores_``, ``calibration_groups_``, ``online_state_`` and
            ``update_intervals_`` updated.
        """
        check_is_fitted(self)
        X_array, y_2d = self._check_new(X_new, y_new)
        keys = _row_keys(X_new, X_array)
        n_refed = self._refed(keys)
        old = self.online_state_.pending
        fresh_X = _safe_indexing(X_new, np.arange(n_refed, len(keys)))
        # The whole table is predicted, so that the new rows' windows read the rows
        # passed again before them.
        predicted = self.predict(X_new)
        if self.conformity_score == "residual":
            outputs = self._as_2d(predicted)
        else:
            outputs = self._with_history(self._model_outputs, X_new)
        centre, width = self._centre_width(outputs[n_refed:])
        n_fresh, n_steps = centre.shape
        rows = old[:n_refed] + PendingRows(
            keys[n_refed:],
            centre,
            self._scale_at(fresh_X)[:, None] * width,
            self._groups_of(fresh_X),
            np.zeros((n_fresh, n_steps, 2)),
            np.zeros((n_fresh, n_steps), dtype=bool),
        )
        scores = (self._to_space(y_2d, "y_new") - rows.centre) / rows.scale
        pools = self._pools()
        is_fresh = np.arange(len(keys)) >= n_refed
        replay(self._rule(), self.online_state_.states, pools, scores, rows.groups,
               rows.issued, rows.absorbed, is_fresh)  # fmt: skip
        arrays = [pool.arrays() for pool in pools]
        self.calibration_scores_ = np.stack([scores for scores, _ in arrays], axis=1)
        if self.calibration_groups_ is not None:
            self.calibration_groups_ = np.stack([groups for _, groups in arrays], axis=1)
        unknown = np.flatnonzero(~rows.absorbed.all(axis=1))
        first = unknown[0] if len(unknown) else len(keys)
        self.online_state_.pending = rows[first:] + old[n_refed:]
        bounds = rows.centre[..., None] + rows.scale[..., None] * rows.issued
        self.update_intervals_ = self._shape(self._from_space(bounds))
        self.update_forecasts_ = np.asarray(predicted)
        if self.scale is not None and n_fresh:
            self.scale_.extend(self._level(fresh_X), fresh_X)
        if n_fresh and self.history_ is not None:
            self.history_ = self._last_rows(fresh_X, self.history_)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The point forecast is the wrapped forecaster's, and so is how well it can score.
        wrapped = get_tags(self.estimator).regressor_tags
        if wrapped is not None:
            tags.regressor_tags.poor_score = wrapped.poor_score
        tags.target_tags.multi_output = True
        tags.target_tags.positive_only = self.log
        return tags
