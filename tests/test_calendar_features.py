"""CalendarTransformer: known-future features from each row's own date, never its future rows."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import FeatureUnion, Pipeline

from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.preprocessing import CALENDAR_FEATURES, CalendarTransformer, calendar_step

ALL = tuple(CALENDAR_FEATURES)


@pytest.fixture(scope="module")
def frame():
    # The end of the shipped file: holidays, a year end, and, kept here on purpose, Cboe's
    # rows on NYSE holidays (2023-05-29, 07-04, ...), where the next row is no session.
    return load_vix(sessions_only=False).loc["2023-05-01":]


def features(X, **params):
    calendar = CalendarTransformer(features=ALL, **params).set_output(transform="pandas")
    return calendar.fit_transform(X)


def test_the_last_row_has_features_though_its_targets_are_not_in_the_data(frame):
    out = features(frame, horizon=2).loc["2023-12-29"]
    # Fri 2023-12-29 -> Tue 2024-01-02 (New Year's Day) -> Wed 2024-01-03.
    assert out["days_step1"] == 4 and out["gap_step1"] == 4 and out["next_gap_step1"] == 1
    assert out["weekday_tue_step1"] == 1 and out["weekday_wed_step2"] == 1
    assert out["days_step2"] == 5 and out["gap_step2"] == 1
    assert out["log_days_step1"] == pytest.approx(np.log(4))


def test_expirations_follow_the_third_friday_and_the_vix_wednesday():
    X = pd.DataFrame(
        {"vix": [1.0, 1.0, 1.0]}, index=pd.to_datetime(["2023-12-14", "2024-03-27", "2022-03-11"])
    )
    out = features(X, horizon=1)
    # The target Fri 2023-12-15 is the third Friday; the VIX expired on Wed 2023-12-20, 30
    # days before 2024-01-19. From Thu 2024-03-28 the next are Fri 04-19 and Wed 04-17. The
    # third Friday of April 2022 was Good Friday: SPX expired on Thu 04-14 and the VIX 30
    # days before that, on Tue 2022-03-15, the day after the target Mon 2022-03-14.
    assert out["spx_expiry_step1"].tolist() == [0.0, 22.0, 4.0]
    assert out["vix_expiry_step1"].tolist() == [5.0, 20.0, 1.0]


def test_changing_or_deleting_future_rows_changes_nothing(frame):
    full = features(frame, horizon=3)
    changed = frame.copy()
    changed.iloc[51:] = 1e6
    pd.testing.assert_frame_equal(features(changed, horizon=3).iloc[:51], full.iloc[:51])
    # Every prefix: its last row's targets are not in it, and its features do not move.
    # The frame holds rows on NYSE holidays (2023-05-29, 07-04, ...), where the data's
    # next row is not the next session.
    for end in range(1, len(frame) + 1):
        last = features(frame.iloc[end - 1 : end], horizon=3)
        pd.testing.assert_frame_equal(last, full.iloc[end - 1 : end])


def test_a_folds_features_do_not_depend_on_the_folds_end(frame):
    X, y = make_supervised(frame, horizon=2)
    full = features(X, horizon=2).to_numpy()
    for train, test in TimeSeriesSplit(3).split(X):
        calendar = CalendarTransformer(features=ALL).fit(X.iloc[train], y.iloc[train])
        np.testing.assert_array_equal(calendar.transform(X.iloc[test]), full[test])
        for end in (len(test) // 2, 1):
            short = calendar.transform(X.iloc[test[:end]])
            np.testing.assert_array_equal(short, full[test[:end]])


def test_the_horizon_is_found_from_y_or_given(frame):
    X, y = make_supervised(frame, horizon=3)
    assert CalendarTransformer().fit(X, y).horizon_ == 3
    assert CalendarTransformer().fit(X, y["vix_h1"]).horizon_ == 1
    assert CalendarTransformer().fit(X).horizon_ == 1
    assert CalendarTransformer(horizon=2).fit(X, y).horizon_ == 2


def test_names_follow_the_step_pattern_and_are_recognised():
    X = load_vix().iloc[:30]
    names = (
        CalendarTransformer(features=("gap", "weekday"), horizon=2).fit(X).get_feature_names_out()
    )
    assert names[:2].tolist() == ["gap_step1", "weekday_mon_step1"]
    assert [calendar_step(name) for name in names] == [1] * 6 + [2] * 6
    assert calendar_step("vix_lag0") is None and calendar_step("vix_step1") is None


def test_feature_groups_are_switched_by_name_in_a_grid_search(frame):
    X, y = make_supervised(frame)
    from sklearn.linear_model import LinearRegression

    union = FeatureUnion([("level", "passthrough"), ("calendar", CalendarTransformer())])
    pipe = Pipeline([("features", union), ("model", LinearRegression())])
    grid = {"features__calendar__features": [("days",), ("days", "weekday")]}
    search = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(2)).fit(X, y)
    widths = [
        len(CalendarTransformer(features=f).fit(X).get_feature_names_out())
        for f in grid["features__calendar__features"]
    ]
    assert widths == [1, 6]
    assert (
        search.best_params_["features__calendar__features"] in grid["features__calendar__features"]
    )


def test_numpy_input_without_dates_is_an_error_naming_the_fix():
    with pytest.raises(TypeError, match=r"DataFrame indexed by date.*got ndarray"):
        CalendarTransformer().fit(np.ones((5, 1)))
    X = pd.DataFrame({"vix": [1.0, 2.0]})
    with pytest.raises(TypeError, match="got RangeIndex"):
        CalendarTransformer().fit(X)


def test_unknown_or_repeated_features_are_errors_naming_the_allowed_ones():
    X = load_vix().iloc[:5]
    with pytest.raises(ValueError, match=r"unknown: \['weekdays'\]"):
        CalendarTransformer(features=("weekdays",)).fit(X)
    with pytest.raises(ValueError, match="distinct names among"):
        CalendarTransformer(features=("gap", "gap")).fit(X)


def _closures() -> pd.DatetimeIndex:
    import warnings

    import exchange_calendars

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        closures = exchange_calendars.get_calendar("XNYS").adhoc_holidays
    closures = pd.DatetimeIndex(closures)
    return closures[(closures >= "1990-01-01") & (closures <= "2025-12-31")]


def test_origins_before_unscheduled_closures_see_the_published_schedule():
    # 9/11 and Hurricane Sandy were not known the evening before.
    X = pd.DataFrame({"vix": [25.0, 18.6]}, index=pd.to_datetime(["2001-09-10", "2012-10-26"]))
    out = features(X, horizon=2)
    assert out["days_step1"].tolist() == [1, 3]
    assert out["gap_step1"].tolist() == [1, 3] and out["next_gap_step1"].tolist() == [1, 1]


def test_no_unscheduled_closure_changes_a_feature():
    from sklearn_vix.calendar import closed_days, sessions

    closures = _closures()
    assert len(closures) == 11
    # Every origin within two weeks before a closure, and the closure days themselves.
    days = pd.DatetimeIndex(
        sorted({d for c in closures for d in pd.date_range(c - pd.Timedelta(days=14), c)})
    )
    out = features(pd.DataFrame({"vix": 1.0}, index=days), horizon=5)
    targets = days.to_numpy()[:, None] + out.filter(regex=r"^days_step").to_numpy().astype(
        "timedelta64[D]"
    )
    # Each target is a session of the schedule with the closures counted as sessions ...
    published = sessions("1990-01-01", "2026-01-31").union(closures).to_numpy()
    assert np.isin(targets, published).all()
    # ... and every closure is the step-1 target of the session before it.
    assert set(closures.to_numpy()) <= set(targets[:, 0])
    # The features and the interval groups count closed days with one helper.
    np.testing.assert_array_equal(
        out.filter(regex=r"^days_step").to_numpy() - np.arange(1, 6), closed_days(days, 5)
    )


def test_time_zone_aware_dates_give_the_features_of_naive_ones(frame):
    aware = frame.tz_localize("America/New_York")
    np.testing.assert_array_equal(features(aware, horizon=3), features(frame, horizon=3))
