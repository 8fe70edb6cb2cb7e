"""WalkForwardSplit: the backtest's schedule in scikit-learn's cross-validation protocol."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, cross_validate

from sklearn_vix import HARRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.model_selection import WalkForwardSplit, backtest


@pytest.fixture(scope="module")
def data():
    return make_supervised(load_vix()[["vix"]].loc["2021":"2023"], horizon=3)


def test_training_rows_have_known_targets_at_the_first_origin(data):
    X, y = data
    for train, test in WalkForwardSplit(start=400, refit_every=30).split(X, y):
        # Row j's three targets are known once j + 3 <= t: the last 2 rows are purged.
        assert train[-1] + 3 == test[0]
        assert np.array_equal(train, np.arange(train[-1] + 1))


def test_the_schedule_depends_on_the_rows_not_their_values(data):
    X, y = data
    changed = X.copy()
    changed.iloc[500:] = 99.0
    cv = WalkForwardSplit(start="2022-06-01", refit_every=22)
    pd.testing.assert_frame_equal(cv.schedule(X, y), cv.schedule(changed, y))


def test_stride_end_and_a_rolling_window(data):
    X, y = data
    cv = WalkForwardSplit(start=300, end="2023-06-30", stride=5, refit_every=20, window=100)
    splits = list(cv.split(X, y))
    origins = np.concatenate([test for _, test in splits])
    assert (np.diff(origins) == 5).all() and origins[0] == 300
    assert X.index[origins[-1]] <= pd.Timestamp("2023-06-30") < X.index[origins[-1] + 5]
    assert all(len(train) == 100 for train, _ in splits)
    assert cv.get_n_splits(X, y) == len(splits)


def test_the_preview_is_the_backtest_that_runs(data):
    X, y = data
    cv = WalkForwardSplit(start=600, refit_every=22)
    result = backtest(HARRegressor(), X, y, cv=cv, progress=False)
    preview = cv.schedule(X, y)
    np.testing.assert_array_equal(result.fits["train_end"], preview["train_end"])
    np.testing.assert_array_equal(result.fits["origin"], preview["first_origin"])
    assert result.forecasts["origin"].nunique() == preview["n_origins"].sum()
    by_start = backtest(HARRegressor(), X, y, start=600, refit_every=22, progress=False)
    pd.testing.assert_frame_equal(result.forecasts, by_start.forecasts)


def test_cross_validate_and_grid_search_accept_it(data):
    X, y = data
    cv = WalkForwardSplit(start=600, refit_every=60)
    scores = cross_validate(HARRegressor(), X, y, cv=cv, scoring="neg_root_mean_squared_error")
    assert len(scores["test_score"]) == cv.get_n_splits(X, y)
    search = GridSearchCV(
        make_forecaster(LinearRegression()), {"regressor__window__lookback": [5, 10]}, cv=cv
    ).fit(X, y)
    assert search.best_params_["regressor__window__lookback"] in (5, 10)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "yesterday"}, r"start='yesterday' is neither a row position \(int\) nor a date"),
        ({"start": "2030-01-02"}, "is after the data"),
        ({"start": 0}, "no training row"),
        ({"start": 400, "end": 100}, "end=100"),
        ({"start": 400, "stride": 0}, "stride must be"),
        ({"start": 400, "window": "rolling"}, "window must be"),
    ],
)
def test_bad_schedules_name_the_parameter(data, params, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        WalkForwardSplit(**params).schedule(X, y)


def test_it_prints_its_parameters():
    assert "refit_every=5" in repr(WalkForwardSplit(start=10, refit_every=5))


def test_the_user_guides_skforecast_example_runs(capsys):
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "walk_forward.md"
    section = page.read_text().split("coming from skforecast or Darts")[1]
    code = section.split("```python\n")[1].split("```")[0]
    namespace: dict = {}
    exec(compile(code, "walk_forward.md", "exec"), namespace)
    result = namespace["result"]
    assert list(result.metrics.columns) == ["rmse", "mae", "mean_absolute_percentage_error"]
    schedule = namespace["cv"].schedule(namespace["X"], namespace["y"])
    assert len(result.estimators) == len(result.fits) == len(schedule)
    assert "train_end" in capsys.readouterr().out


def test_an_end_label_takes_the_last_row_on_or_before_it(data):
    X, y = data
    weekend = WalkForwardSplit(start=400, end="2023-06-25").schedule(X, y)  # a Sunday
    assert weekend["last_origin"].iloc[-1] == pd.Timestamp("2023-06-23")
    later = WalkForwardSplit(start=400, end="2030-01-01").schedule(X, y)
    assert later["last_origin"].iloc[-1] == X.index[-1]
