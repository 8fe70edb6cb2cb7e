"""ConformalForecaster's calendar groups: Mondays and post-holiday days get their own width."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster
from sklearn_vix.intervals._conformal import calendar_groups
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


def fit(X, y, calendar):
    model = ConformalForecaster(LinearRegression(), log=False, scale=None, calendar=calendar)
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
    grouped = fit(X, y, "auto")
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
