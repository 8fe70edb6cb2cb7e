"""Known-future features: the trading calendar of each target session, from the row's date.

Row t's features describe the sessions t+1..t+h that its forecast is about. They are a
function of row t's own date (the index) and of the exchange's schedule
(:mod:`sklearn_vix.calendar`) only: no other row, and no value, is ever read. The schedule is
the one *published* in advance: regular holidays and weekends, with the unscheduled closures
(9/11, Hurricane Sandy, days of mourning) counted as the sessions they were scheduled to be,
since nobody knew of them the evening before.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._compat import Interval, _fit_context

__all__ = ["CALENDAR_FEATURES", "CalendarTransformer", "calendar_step"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
# Feature group -> the names of its columns (each gets the suffix ``_step{k}``).
CALENDAR_FEATURES = {
    "days": ("days",),
    "log_days": ("log_days",),
    "gap": ("gap",),
    "next_gap": ("next_gap",),
    "weekday": tuple(f"weekday_{day}" for day in _WEEKDAYS),
    "expiry": ("spx_expiry", "vix_expiry"),
}
_STEP_SUFFIX = "_step"


def calendar_step(name: str) -> int | None:
    """The forecast step ``k`` of a calendar column named ``{feature}_step{k}``, else None.

    This is the one rule by which the nets and the interval forecaster recognise the
    known-future columns of :class:`CalendarTransformer`.

    Examples
    --------
    >>> from sklearn_vix.preprocessing import calendar_step
    >>> calendar_step("gap_step2"), calendar_step("log_vix_lag0")
    (2, None)
    """
    feature, sep, step = str(name).rpartition(_STEP_SUFFIX)
    known = {column for columns in CALENDAR_FEATURES.values() for column in columns}
    if not sep or feature not in known or not step.isdigit():
        return None
    return int(step)


def _third_fridays(first: pd.Timestamp, months: int) -> np.ndarray:
    starts = pd.date_range(first.to_period("M").to_timestamp(), periods=months, freq="MS")
    # The first Friday is 0..6 days after the 1st; the third is two weeks later.
    return (starts + pd.to_timedelta((4 - starts.day_of_week) % 7 + 14, unit="D")).to_numpy()


def _on_or_before_session(days: np.ndarray) -> np.ndarray:
    from ..calendar import is_session

    days = days.astype("datetime64[ns]")
    while not (open_ := is_session(days, published=True)).all():
        days = np.where(open_, days, days - np.timedelta64(1, "D"))
    return days


def _expirations(targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The monthly SPX and VIX expiration dates around ``targets``, each sorted."""
    first = pd.Timestamp(targets.min()) - pd.DateOffset(months=1)
    months = (pd.Timestamp(targets.max()).to_period("M") - first.to_period("M")).n + 3
    fridays = _third_fridays(first, months)
    # SPX: the third Friday, or the session before it when the exchange is closed (Good
    # Friday). VIX: 30 days before the next month's SPX expiration (a Wednesday, or a
    # Tuesday after a Good Friday), or the session before it when closed.
    spx = _on_or_before_session(fridays)
    vix = _on_or_before_session(spx[1:] - np.timedelta64(30, "D"))
    return spx, vix


def _days_to_next(targets: np.ndarray, events: np.ndarray) -> np.ndarray:
    position = np.searchsorted(events, targets, side="left")
    return (events[position] - targets) / np.timedelta64(1, "D")


class CalendarTransformer(TransformerMixin, BaseEstimator):
    """The trading calendar of the sessions each row forecasts, one set per step k = 1..h.

    For a row dated ``t`` the target of step ``k`` is the k-th NYSE session after ``t`` in
    the schedule published in advance (:func:`sklearn_vix.calendar.sessions_after` with
    ``published=True``: an unscheduled closure such as 9/11 counts as the session it was
    scheduled to be), and the features describe it:

    ``days``
        Calendar days from ``t`` to the target (3 from a Friday to a Monday).
    ``log_days``
        The natural log of ``days``.
    ``gap``
        Calendar days from the session before the target to the target: the weekend or
        holiday just before it.
    ``next_gap``
        Calendar days from the target to the session after it: the weekend or holiday
        just after it.
    ``weekday``
        The target's weekday, one-hot (``weekday_mon`` .. ``weekday_fri``).
    ``expiry``
        Calendar days from the target to the next monthly SPX option expiration (the
        third Friday, or the session before it) and to the next monthly VIX expiration
        (30 days before the next month's SPX expiration, or the session before it).

    Every feature is a function of the row's own date and the exchange's published
    schedule: no other row and no value of ``X`` is read, so a row's features cannot
    depend on the data after it, and the last row (whose targets are not in the data)
    has them too. The output replaces the input: use the transformer beside others
    (``FeatureUnion``, or ``make_forecaster(calendar=...)``), not in series.

    Output columns are named ``{feature}_step{k}`` (``days_step1``, ``weekday_mon_step2``),
    step-major: all of step 1, then step 2; :func:`calendar_step` recognises them.

    Parameters
    ----------
    features : tuple of str, default=("days",)
        The feature groups, by the names above, in output order within a step. The default
        is what measured better on the real VIX by more than it cost on the simulator
        (``benchmarks/bench_calendar.py``).
    horizon : int or None, default=None
        Number of steps h. None takes it from ``y`` in ``fit``: its number of columns (a
        ``Pipeline`` passes ``y`` to every step), 1 for a 1-D ``y`` or no ``y``.

    Attributes
    ----------
    horizon_ : int
        The number of steps used.
    n_features_in_ : int
        Number of input columns (their values are not used).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Input column names, when ``X`` has them.

    See Also
    --------
    sklearn_vix.calendar.sessions_after : The target sessions of each date.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.preprocessing import CalendarTransformer
    >>> X = pd.DataFrame({"vix": [13.0, 12.5]}, index=pd.to_datetime(["2023-12-28", "2023-12-29"]))
    >>> calendar = CalendarTransformer(features=("days", "gap"), horizon=2)
    >>> calendar.set_output(transform="pandas").fit_transform(X)
                days_step1  gap_step1  days_step2  gap_step2
    2023-12-28         1.0        1.0         5.0        4.0
    2023-12-29         4.0        4.0         5.0        1.0
    """

    _parameter_constraints: dict = {
        "features": [tuple, list],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, features=("days",), horizon: int | None = None):
        self.features = features
        self.horizon = horizon

    def _check_features(self) -> None:
        unknown = [name for name in self.features if name not in CALENDAR_FEATURES]
        if unknown or not self.features or len(set(self.features)) != len(self.features):
            raise ValueError(
                f"CalendarTransformer(features={tuple(self.features)!r}): give distinct "
                f"names among {sorted(CALENDAR_FEATURES)}, at least one"
                + (f"; unknown: {unknown}." if unknown else ".")
            )

    def _dates(self, X) -> pd.DatetimeIndex:
        """The date of each row of ``X``: its DatetimeIndex, the one place dates are read."""
        index = getattr(X, "index", None)
        if not isinstance(index, pd.DatetimeIndex):
            got = type(index).__name__ if index is not None else type(X).__name__
            raise TypeError(
                f"{type(self).__name__} computes the calendar of each row's target sessions "
                f"from the row's date, so X must be a pandas DataFrame indexed by date (a "
                f"DatetimeIndex, as load_vix and make_supervised return); got {got}. Without "
                "dates there is no calendar: leave this transformer out."
            )
        if index.hasnans:
            raise ValueError(
                f"X's index has a missing date (NaT) at row {int(np.flatnonzero(index.isna())[0])}."
            )
        return index

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the features and the dates, and find the horizon.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows indexed by date (a ``DatetimeIndex``); the values are not used.
        y : array-like of shape (n_samples,) or (n_samples, h), default=None
            The targets; only their number of columns is read, when ``horizon=None``.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        self._check_features()
        # Shape, sparse, complex and empty input get sklearn's own errors before the dates'.
        validate_data(self, X, reset=True, dtype=None, ensure_all_finite=False)
        self._dates(X)
        if self.horizon is not None:
            self.horizon_ = self.horizon
        else:
            # np.asarray first: an array-like that is not an array (sklearn's _NotAnArray
            # check data) refuses np.ndim.
            shape = () if y is None else np.asarray(y).shape
            self.horizon_ = shape[1] if len(shape) >= 2 else 1
        return self

    def transform(self, X):
        """The calendar features of every row's target sessions.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows indexed by date; the values are not used.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            ``horizon_`` blocks of features, step 1 first.
        """
        check_is_fitted(self)
        validate_data(self, X, reset=False, dtype=None, ensure_all_finite=False)
        from ..calendar import _as_dates, sessions_after

        origins = _as_dates(self._dates(X)).to_numpy()
        if len(origins) == 0:
            return np.empty((0, len(self.get_feature_names_out())))
        # One session more than the horizon: the session after the last target. The
        # published schedule: an unscheduled closure was not known at the origin.
        targets = sessions_after(origins, self.horizon_ + 1, published=True)
        one_day = np.timedelta64(1, "D")
        # The session before each target: the one before the first target need not be
        # the origin (a holiday row of the CBOE file, a weekend).
        before = np.column_stack([_previous_sessions(targets[:, 0]), targets[:, :-1]])
        spx, vix = _expirations(targets) if "expiry" in self.features else (None, None)
        blocks = []
        for k in range(self.horizon_):
            target = targets[:, k]
            columns = {
                "days": [(target - origins) / one_day],
                "log_days": [np.log((target - origins) / one_day)],
                "gap": [(target - before[:, k]) / one_day],
                "next_gap": [(targets[:, k + 1] - target) / one_day],
            }
            if spx is not None:
                columns["expiry"] = [_days_to_next(target, spx), _days_to_next(target, vix)]
            if "weekday" in self.features:
                weekday = pd.DatetimeIndex(target).day_of_week.to_numpy()
                columns["weekday"] = [(weekday == day).astype(np.float64) for day in range(5)]
            blocks.extend(column for name in self.features for column in columns[name])
        return np.column_stack(blocks).astype(np.float64)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names ``{feature}_step{k}``, step-major.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the calendar does not depend on the input columns.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        return np.asarray(
            [
                f"{column}{_STEP_SUFFIX}{k}"
                for k in range(1, self.horizon_ + 1)
                for name in self.features
                for column in CALENDAR_FEATURES[name]
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.allow_nan = True
        return tags


def _previous_sessions(days: np.ndarray) -> np.ndarray:
    """The last session strictly before each day."""
    from ..calendar import sessions

    first = pd.Timestamp(days.min()) - pd.Timedelta(days=30)
    all_sessions = sessions(first, pd.Timestamp(days.max()), published=True).to_numpy()
    return all_sessions[np.searchsorted(all_sessions, days, side="left") - 1]
