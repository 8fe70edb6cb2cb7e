"""ConformalForecaster's calendar groups: Mondays and post-holiday days get their own width."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster
from sklearn_vix.intervals._groups import calendar_groups
from sklearn_vix.metrics import interval_coverage


@pytest.fixture(scope="module")
def weekend_noise():
    """Errors three times wider when the target session follows a closed day."""
    rng = np.random.default_rng(0)
    index = pd.bdate_range("2010-01-04", periods=2500, name="date")
    X = pd.DataFrame({"x": rng.normal(size=len(index))}, index=index)
    closed = calendar_groups(X, 1)[:, 0]
    y = X["x"] + rng.normal(size=len(X)) * np.where(closed > 0, 3.0, 1.0)
    return X, pd.Series(y, index=index, name="y_h1"), closed


def fit(X, y, calendar, **kwargs):
    model = ConformalForecaster(
        LinearRegression(), log=False, scale=None, calendar=calendar, **kwargs
    )
    return model.fit(X[:2000], y[:2000])


def test_closed_days_before_the_target_are_counted_from_the_calendar():
    X = pd.DataFrame(
        {"x": [0.0] * 4},
        index=pd.to_datetime(["2023-12-28", "2023-12-29", "2024-03-27", "2024-03-28"]),
    )
    # Thu -> Fri: none; Fri -> Tue after New Year: 3; Wed -> Thu: none; Thu -> Mon after
    # Good Friday: a 3-day closure. Step 2 adds the closures up to the second session.
    np.testing.assert_array_equal(calendar_groups(X, 2), [[0, 3], [3, 3], [0, 3], [3, 3]])


def test_weekends_get_their_own_width_and_their_coverage(weekend_noise):
    X, y, closed = weekend_noise
    grouped = fit(X, y, "auto", group_shrinkage=0.0)
    width = np.diff(grouped.predict_interval(X.iloc[2000:]), axis=1).ravel()
    after = closed[2000:] > 0
    assert width[after].mean() > 2.5 * width[~after].mean()
    bounds = grouped.predict_interval(X.iloc[2000:])
    truth = y.iloc[2000:].to_numpy()
    for mask in (after, ~after):
        assert abs(interval_coverage(truth[mask], bounds[mask]) - 0.9) < 0.05
    pooled = fit(X, y, None).predict_interval(X.iloc[2000:])
    # One pool: too narrow after closed days, too wide otherwise.
    assert interval_coverage(truth[after], pooled[after]) < 0.8
    assert interval_coverage(truth[~after], pooled[~after]) > 0.95


def test_future_rows_never_change_an_interval(weekend_noise):
    X, y, _ = weekend_noise
    model = fit(X, y, "auto")
    full = model.predict_interval(X.iloc[2000:])
    np.testing.assert_array_equal(model.predict_interval(X.iloc[2000:2100]), full[:100])


def test_numpy_input_pools_under_auto_and_is_an_error_when_groups_are_required(weekend_noise):
    X, y, _ = weekend_noise
    assert fit(X.to_numpy(), y.to_numpy(), "auto").calibration_groups_ is None
    with pytest.raises(TypeError, match="indexed by date"):
        fit(X.to_numpy(), y.to_numpy(), "closed_days")
    grouped = fit(X, y, "auto")
    with pytest.raises(TypeError, match="indexed by date here too"):
        grouped.predict_interval(X.to_numpy())


def test_update_rolls_the_groups_with_the_scores(weekend_noise):
    X, y, closed = weekend_noise
    model = fit(X, y, "auto")
    n = len(model.calibration_scores_)
    model.update(X.iloc[2000:2300], y.iloc[2000:2300])
    assert model.calibration_groups_.shape == (n, 1)
    np.testing.assert_array_equal(model.calibration_groups_[-300:, 0], closed[2000:2300])


def test_a_small_group_borrows_the_pools_width_a_large_one_keeps_its_own(weekend_noise):
    X, y, closed = weekend_noise
    test = X.iloc[2000:]
    widths = {
        shrinkage: np.diff(
            fit(X, y, "auto", group_shrinkage=shrinkage).predict_interval(test), axis=1
        ).ravel()
        for shrinkage in (0.0, 100.0, 1e9)
    }
    own, shrunk, pooled = widths[0.0], widths[100.0], widths[1e9]
    for group in (0, 1, 2, 3):
        rows = closed[2000:] == group
        if not rows.any():
            continue
        # Between the pool's width and the group's own.
        low, high = sorted([own[rows][0], pooled[rows][0]])
        assert low - 1e-9 <= shrunk[rows][0] <= high + 1e-9
    model = fit(X, y, "auto")
    sizes = {g: int((model.calibration_groups_[:, 0] == g).sum()) for g in (0, 2)}
    for group, size in sizes.items():
        rows = closed[2000:] == group
        weight = size / (size + 100.0)
        expected = weight * own[rows][0] + (1 - weight) * pooled[rows][0]
        assert shrunk[rows][0] == pytest.approx(expected)


def _published_sessions():
    import exchange_calendars as xcals

    # exchange_calendars reads a tz-aware Series' .values, which pandas deprecates: theirs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        calendar = xcals.get_calendar("XNYS", start="1990-01-01", end="2026-12-31")
    unscheduled = pd.DatetimeIndex(calendar.adhoc_holidays)
    return calendar, pd.DatetimeIndex(calendar.sessions).union(unscheduled)


def test_no_unscheduled_closure_changes_a_group():
    calendar, published = _published_sessions()
    closures = pd.DatetimeIndex(calendar.adhoc_holidays)
    closures = closures[(closures > "1990-01-10") & (closures < "2026-01-01")]
    assert pd.Timestamp("2001-09-11") in closures and pd.Timestamp("2012-10-29") in closures
    # Every origin of the week before each closure, as the published schedule saw it.
    origins = pd.DatetimeIndex(
        sorted(
            {
                d
                for c in closures
                for d in published[(published < c) & (published >= c - pd.Timedelta(days=8))]
            }
        )
    )
    X = pd.DataFrame({"x": 0.0}, index=origins)
    position = published.searchsorted(origins, side="right")
    targets = published.to_numpy()[position[:, None] + np.arange(5)]
    days = (targets - origins.to_numpy()[:, None]) // np.timedelta64(1, "D")
    expected = np.minimum(days - np.arange(1, 6), 3)
    np.testing.assert_array_equal(calendar_groups(X, 5), expected)
    named = pd.DataFrame({"x": [0.0, 0.0]}, index=pd.to_datetime(["2001-09-10", "2012-10-26"]))
    # Monday 2001-09-10: Tuesday is one session ahead, as it was on the day.
    np.testing.assert_array_equal(calendar_groups(named, 5), [[0, 0, 0, 0, 2], [2, 2, 2, 2, 2]])


def test_tz_aware_dates_give_the_groups_and_intervals_of_naive_ones(weekend_noise):
    X, y, _ = weekend_noise
    aware_X, aware_y = X.tz_localize("America/New_York"), y.tz_localize("America/New_York")
    np.testing.assert_array_equal(calendar_groups(aware_X, 3), calendar_groups(X, 3))
    naive = fit(X, y, "auto")
    aware = fit(aware_X, aware_y, "auto")
    np.testing.assert_allclose(
        aware.predict_interval(aware_X.iloc[2000:]), naive.predict_interval(X.iloc[2000:])
    )
    aware.update(aware_X.iloc[2000:2100], aware_y.iloc[2000:2100])
    naive.update(X.iloc[2000:2100], y.iloc[2000:2100])
    np.testing.assert_allclose(aware.update_intervals_, naive.update_intervals_)
