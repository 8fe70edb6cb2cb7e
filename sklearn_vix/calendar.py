"""The trading calendar of the VIX: New York Stock Exchange sessions, from ``exchange_calendars``.

The VIX is computed from S&P 500 index options, which trade on the days the NYSE is open,
so its daily series follows the NYSE calendar (``exchange_calendars``' ``"XNYS"``). Measured
on the shipped CBOE file (``load_vix(sessions_only=False)``, 8,574 rows, 1990-2023):

=========  ======================  ==========================
period     data rows on non-XNYS   XNYS sessions with no row
           days
=========  ======================  ==========================
1990-2003  0                       4 (1991-03-01, 1997-01-31,
                                   1997-11-26, 1999-12-31)
2004-2021  1 (2004-06-11)          0
2022-2023  12 (holidays: Memorial  0
           Day, Juneteenth, ...)
=========  ======================  ==========================

The Cboe Futures Exchange calendar (``"XCBF"``) agrees on every one of those rows and
misses 8 sessions instead of 4 in 1990-2003, so XNYS is the calendar used. The rows on
holidays since 2022 are values from Cboe's extended trading hours, not sessions of the
options market; 2004-06-11 (the day of mourning for President Reagan) repeats the close of
the day before. The loaders drop those 13 rows (one row per session), a forecast is
labelled with XNYS sessions, and a row's calendar features describe the XNYS sessions after
it.

Two schedules are kept apart, because what was known on a day is not what happened:

- the **published** schedule (``published=True``): the exchange's regular holidays and
  weekends, with every *unscheduled* closure counted as a session. This is what a forecaster
  knew the evening before: the calendar features (:class:`~sklearn_vix.CalendarTransformer`)
  and the interval groups (:func:`closed_days`) read it, so the forecast made on
  2001-09-10 is "one session ahead", as it was on the day;
- the **realised** sessions (the default): the days the exchange actually opened, which
  also skip the unscheduled closures of ``exchange_calendars``' ``adhoc_holidays``:
  2001-09-11 to 09-14, Hurricane Sandy (2012-10-29 and 30) and the national days of
  mourning (1994-04-27, 2004-06-11, 2007-01-02, 2018-12-05, 2025-01-09), 11 days in
  1990-2025. They label forecasts and targets (the outcome of the forecast of 2001-09-10
  arrives on 2001-09-17) and decide whether one table continues another.

``exchange_calendars`` is imported on the first call, so ``import sklearn_vix`` stays light.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

__all__ = ["closed_days", "is_session", "next_sessions", "sessions", "sessions_after"]

# The exchange whose sessions the VIX follows (see the measurements above).
EXCHANGE = "XNYS"
# exchange_calendars' default start is 20 years before today; the data begins in 1990.
_FIRST_YEAR = 1990


@functools.lru_cache(maxsize=8)
def _calendar(first_year: int, last_year: int):
    import exchange_calendars

    # exchange_calendars 4.13 reads a tz-aware Series' ``.values``, which pandas 3.1
    # deprecates; the warning is theirs, not the user's.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return exchange_calendars.get_calendar(
            EXCHANGE, start=f"{first_year}-01-01", end=f"{last_year}-12-31"
        )


def _as_dates(dates) -> pd.DatetimeIndex:
    """Calendar dates at midnight, without time zone, whatever the input's unit or zone.

    A tz-aware date keeps its own wall-clock day (16:00 in New York on 2024-01-02 is
    2024-01-02), which is the trading day a market data feed means by it.
    """
    index = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(dates)))
    if index.tz is not None:
        index = index.tz_localize(None)
    return index.normalize().as_unit("ns")


@functools.lru_cache(maxsize=8)
def _unscheduled_closures() -> np.ndarray:
    # ``adhoc_holidays`` holds the closures no published schedule foresaw (9/11, Sandy,
    # days of mourning); the regular holidays follow rules known years ahead.
    closures = pd.DatetimeIndex(_calendar(_FIRST_YEAR, _FIRST_YEAR).adhoc_holidays)
    return np.sort(closures.as_unit("ns").to_numpy())


def _session_array(first: pd.Timestamp, last: pd.Timestamp, published: bool = False) -> np.ndarray:
    """Every XNYS session of whole years covering ``first`` .. ``last``, as datetime64[ns].

    ``published=True`` adds back the unscheduled closures: the schedule as it was known
    in advance.
    """
    first_year = min(_FIRST_YEAR, first.year - 1)
    # Two more years than asked: the sessions *after* ``last`` must exist too.
    last_year = max(pd.Timestamp.now().year, last.year) + 2
    realised = _calendar(first_year, last_year).sessions.as_unit("ns").to_numpy()
    if not published:
        return realised
    closures = _unscheduled_closures()
    inside = closures[(closures > realised[0]) & (closures < realised[-1])]
    return np.union1d(realised, inside)


def sessions(start, end, *, published: bool = False) -> pd.DatetimeIndex:
    """The NYSE sessions from ``start`` to ``end``, both included.

    Parameters
    ----------
    start, end : str, datetime or Timestamp
        First and last calendar day of the range. Any dates work, past or future: future
        sessions follow the exchange's published holiday rules.
    published : bool, default=False
        Count the unscheduled closures as sessions (the schedule known in advance).

    Returns
    -------
    sessions : DatetimeIndex
        The sessions, oldest first, named ``"date"``.

    See Also
    --------
    next_sessions : The sessions after a date.

    Examples
    --------
    >>> from sklearn_vix.calendar import sessions
    >>> sessions("2023-12-22", "2024-01-03").strftime("%a %d").tolist()
    ['Fri 22', 'Tue 26', 'Wed 27', 'Thu 28', 'Fri 29', 'Tue 02', 'Wed 03']
    """
    first, last = _as_dates([start, end])
    all_sessions = _session_array(first, last, published)
    chosen = all_sessions[(all_sessions >= first.to_datetime64()) & (all_sessions <= last)]
    return pd.DatetimeIndex(chosen, name="date")


def sessions_after(dates, horizon: int, *, published: bool = False) -> np.ndarray:
    """The ``horizon`` sessions that follow each date, as a 2-D array.

    A date need not be a session itself (a weekend, a holiday row of the CBOE file): its
    first session after is the first session strictly later than it. Only the calendar is
    read, never any data.

    Parameters
    ----------
    dates : array-like of datetime
        Origins, in any order.
    horizon : int
        Number of sessions after each origin.
    published : bool, default=False
        False: the sessions that took place (labels, targets). True: the schedule as
        published in advance, which counts the unscheduled closures as sessions (what
        a forecast made on the day could know).

    Returns
    -------
    targets : ndarray of datetime64[ns] of shape (n_dates, horizon)
        ``targets[i, k - 1]`` is the k-th session after ``dates[i]``.

    Examples
    --------
    >>> from sklearn_vix.calendar import sessions_after
    >>> sessions_after(["2023-12-29"], 2).astype("datetime64[D]").tolist()
    [[datetime.date(2024, 1, 2), datetime.date(2024, 1, 3)]]
    >>> sessions_after(["2012-10-26"], 1, published=True).astype("datetime64[D]").tolist()
    [[datetime.date(2012, 10, 29)]]
    """
    origins = _as_dates(dates)
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}.")
    if len(origins) == 0:
        return np.empty((0, horizon), dtype="datetime64[ns]")
    # About 252 sessions a year, so horizon // 200 + 1 more years always suffice.
    last = origins.max() + pd.DateOffset(years=horizon // 200 + 1)
    all_sessions = _session_array(origins.min(), last, published)
    first = np.searchsorted(all_sessions, origins.to_numpy(), side="right")
    return all_sessions[first[:, None] + np.arange(horizon)[None, :]]


def next_sessions(date, n: int = 1) -> pd.DatetimeIndex:
    """The ``n`` NYSE sessions strictly after ``date``.

    Works past the end of any data: this is how a forecast made on the last row is
    labelled.

    Parameters
    ----------
    date : str, datetime or Timestamp
        The origin (the last day with data).
    n : int, default=1
        Number of sessions.

    Returns
    -------
    sessions : DatetimeIndex
        ``n`` sessions, oldest first, named ``"date"``.

    Examples
    --------
    >>> from sklearn_vix.calendar import next_sessions
    >>> next_sessions("2023-12-29", 3).strftime("%Y-%m-%d").tolist()
    ['2024-01-02', '2024-01-03', '2024-01-04']
    """
    return pd.DatetimeIndex(sessions_after([date], n)[0], name="date")


def is_session(dates, *, published: bool = False) -> np.ndarray:
    """Whether each date is an NYSE session.

    Parameters
    ----------
    dates : array-like of datetime
    published : bool, default=False
        Count the unscheduled closures as sessions (the schedule known in advance).

    Returns
    -------
    mask : ndarray of bool of shape (n_dates,)

    Examples
    --------
    >>> from sklearn_vix.calendar import is_session
    >>> is_session(["2024-01-01", "2024-01-02", "2012-10-29"]).tolist()
    [False, True, False]
    """
    days = _as_dates(dates)
    if len(days) == 0:
        return np.zeros(0, dtype=bool)
    all_sessions = _session_array(days.min(), days.max(), published)
    return np.isin(days.to_numpy(), all_sessions)


def closed_days(dates, horizon: int) -> np.ndarray:
    """Closed calendar days between each date and each of its next ``horizon`` sessions.

    ``closed_days[i, k - 1]`` is the number of calendar days from ``dates[i]`` to its k-th
    session after, minus ``k``: 0 between consecutive sessions, 2 over a weekend, 1 for a
    one-day holiday, 3 for a long weekend. It reads the **published** schedule
    (:func:`sessions_after` with ``published=True``), so an unscheduled closure (9/11,
    Hurricane Sandy) changes nothing: it was not known the evening before. This is the one
    count behind the calendar features and the calendar groups of the intervals.

    Parameters
    ----------
    dates : array-like of datetime
        Forecast origins.
    horizon : int
        Number of sessions after each origin.

    Returns
    -------
    closed : ndarray of int64 of shape (n_dates, horizon)

    Examples
    --------
    >>> from sklearn_vix.calendar import closed_days
    >>> closed_days(["2023-12-28", "2023-12-29", "2012-10-26"], 2).tolist()
    [[0, 3], [3, 3], [2, 2]]
    """
    origins = _as_dates(dates).to_numpy()
    targets = sessions_after(origins, horizon, published=True)
    days = (targets - origins[:, None]) // np.timedelta64(1, "D")
    return (days - np.arange(1, horizon + 1)).astype(np.int64)
