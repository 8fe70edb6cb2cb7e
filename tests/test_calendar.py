"""The trading calendar: NYSE sessions from exchange_calendars, past and future."""

import numpy as np
import pandas as pd
import pytest

from sklearn_vix.calendar import (
    closed_days,
    is_session,
    next_sessions,
    sessions,
    sessions_after,
)
from sklearn_vix.datasets import load_vix


def test_next_sessions_skip_weekends_and_holidays():
    # 2024-01-01 is New Year's Day: the report used to forecast it.
    assert next_sessions("2023-12-29", 1)[0] == pd.Timestamp("2024-01-02")
    assert next_sessions("2024-07-03", 2).strftime("%m-%d").tolist() == ["07-05", "07-08"]


def test_next_sessions_work_far_past_any_data():
    far = next_sessions("2040-12-24", 3)
    assert len(far) == 3 and is_session(far).all()
    assert pd.Timestamp("2040-12-25") not in far


def test_sessions_of_a_range_include_its_ends():
    days = sessions("2024-01-02", "2024-01-05")
    assert days.strftime("%d").tolist() == ["02", "03", "04", "05"]


def test_unscheduled_closures_are_in_the_history():
    closed = ["2001-09-11", "2001-09-14", "2012-10-29", "2012-10-30", "2018-12-05"]
    assert not is_session(closed).any()
    assert next_sessions("2012-10-26", 1)[0] == pd.Timestamp("2012-10-31")


def test_sessions_after_a_non_session_start_with_the_next_session():
    # A holiday row of the CBOE file (Memorial Day 2022) and a Saturday.
    targets = sessions_after(["2022-05-30", "2024-01-06"], 1)[:, 0]
    assert targets.astype("datetime64[D]").astype(str).tolist() == ["2022-05-31", "2024-01-08"]


def test_sessions_after_ignore_time_of_day_and_time_zone():
    dates = pd.DatetimeIndex(["2023-12-29 16:00"], tz="America/New_York")
    assert sessions_after(dates, 1)[0, 0] == np.datetime64("2024-01-02")


def test_sessions_after_reject_a_horizon_below_one():
    with pytest.raises(ValueError, match="horizon must be at least 1, got 0"):
        sessions_after(["2024-01-02"], 0)


def test_the_shipped_vix_follows_the_nyse_calendar_apart_from_known_rows():
    # The measurement documented in sklearn_vix/calendar.py.
    index = load_vix(sessions_only=False).index
    extra = index[~is_session(index)]
    assert extra.year.value_counts().sort_index().to_dict() == {2004: 1, 2022: 5, 2023: 7}
    missing = sessions(index[0], index[-1]).difference(index.as_unit("ns"))
    assert missing.strftime("%Y-%m-%d").tolist() == [
        "1991-03-01",
        "1997-01-31",
        "1997-11-26",
        "1999-12-31",
    ]


def _unscheduled_closures() -> pd.DatetimeIndex:
    import warnings

    import exchange_calendars

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        closures = pd.DatetimeIndex(exchange_calendars.get_calendar("XNYS").adhoc_holidays)
    return closures[(closures >= "1990-01-01") & (closures <= "2025-12-31")].sort_values()


def test_the_published_schedule_counts_unscheduled_closures_as_sessions():
    closures = _unscheduled_closures()
    assert len(closures) == 11
    assert is_session(closures, published=True).all()
    assert not is_session(closures).any()
    # Known the evening before: 9/11 and Sandy were "the next session".
    assert sessions_after(["2001-09-10"], 1, published=True)[0, 0] == np.datetime64("2001-09-11")
    assert sessions_after(["2001-09-10"], 1)[0, 0] == np.datetime64("2001-09-17")


def test_closed_days_never_see_an_unscheduled_closure():
    closures = _unscheduled_closures()
    origins = sessions("1990-01-01", "2025-12-31", published=True)
    with_closures = closed_days(origins, 5)
    # The same count from the regular rules alone: the realised sessions plus the closures.
    rebuilt = sessions("1990-01-01", "2026-03-01").union(closures).to_numpy()
    position = np.searchsorted(rebuilt, origins.to_numpy(), side="right")
    targets = rebuilt[position[:, None] + np.arange(5)]
    expected = (targets - origins.to_numpy()[:, None]) // np.timedelta64(1, "D") - np.arange(1, 6)
    np.testing.assert_array_equal(with_closures, expected)
    assert closed_days(["2001-09-10", "2012-10-26"], 1)[:, 0].tolist() == [0, 2]
