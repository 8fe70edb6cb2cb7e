"""The shared protocols: window column names and the interval forecaster."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV

from sklearn_vix import ConformalForecaster, HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.base import (
    is_interval_forecaster,
    parse_window_column,
    window_column_name,
    window_column_names,
)
from sklearn_vix.metrics import make_interval_scorer


@given(st.text(min_size=1, max_size=12), st.integers(0, 500))
def test_parse_inverts_the_window_column_name(column, lag):
    assert parse_window_column(window_column_name(column, lag)) == (column, lag)


@pytest.mark.parametrize("name", ["vix", "vix_lag", "vix_lagged", "_lag", "lag0", 3])
def test_names_that_are_not_window_columns_parse_to_none(name):
    assert parse_window_column(name) is None


def test_window_transformer_names_its_columns_by_the_protocol():
    X = pd.DataFrame({"vix": np.arange(5.0) + 10, "rate": np.zeros(5)})
    names = WindowTransformer(lookback=3).fit(X).get_feature_names_out().tolist()
    assert names == window_column_names(["vix", "rate"], 3)
    assert [parse_window_column(name) for name in names[:3]] == [
        ("vix", 0),
        ("rate", 0),
        ("vix", 1),
    ]


def test_a_target_name_matches_its_window_column_by_the_protocol():
    X = pd.DataFrame({"rate": np.zeros(5), "vix": np.arange(5.0) + 10})
    windows = WindowTransformer(lookback=2).set_output(transform="pandas").fit_transform(X)
    model = PersistenceRegressor(target_column="vix").fit(windows, X["vix"])
    assert windows.columns[model.target_index_] == window_column_name("vix", 0)


class _Bounds:
    """Duck-typed interval forecaster: no base class, just the protocol."""

    coverage = 0.8

    def predict_interval(self, X, coverage=None):
        return np.zeros((len(X), 2))


class _BoundsWithoutCoverage:
    def predict_interval(self, X, coverage=None):
        return np.zeros((len(X), 2))


def test_interval_forecasters_are_recognised_by_the_protocol_not_the_class():
    assert is_interval_forecaster(ConformalForecaster(HARRegressor()))
    assert is_interval_forecaster(_Bounds())
    assert not is_interval_forecaster(_BoundsWithoutCoverage())
    assert not is_interval_forecaster(HARRegressor())
    # A search does not pass predict_interval on.
    search = GridSearchCV(ConformalForecaster(LinearRegression()), {"coverage": [0.8]})
    assert not is_interval_forecaster(search)


def test_the_interval_scorer_names_an_estimator_that_is_not_an_interval_forecaster():
    X, y = np.zeros((4, 1)), np.ones(4)
    model = LinearRegression().fit(X, y)
    with pytest.raises(TypeError, match="LinearRegression is not one: wrap it in Conformal"):
        make_interval_scorer()(model, X, y)
    assert make_interval_scorer("width")(_Bounds(), X, y) == 0.0
