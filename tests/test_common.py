"""scikit-learn's estimator checks over every public estimator and transformer.

Each expected failure is listed by name with the reason it cannot hold.
"""

import zlib

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.utils import estimator_checks, get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import validate_data

from sklearn_vix import (
    CalendarTransformer,
    ConformalForecaster,
    DailyRangeTransformer,
    FeedForwardRegressor,
    GRURegressor,
    HARRegressor,
    HARTransformer,
    LinearQuantileRegressor,
    LogTargetRegressor,
    LogTransformer,
    LSTMRegressor,
    PersistenceRegressor,
    RecurrentRegressor,
    WindowTransformer,
)
from sklearn_vix.neural._base import _WindowNet
from sklearn_vix.preprocessing import CALENDAR_FEATURES

# What sklearn's checks provoke on purpose, and nothing else:
pytestmark = [
    # check_set_params sets every parameter to odd types; skorch re-initialises the net
    # on set_params and refuses some (sklearn then warns and checks nothing changed).
    pytest.mark.filterwarnings("ignore:TypeError occurred during set_params:UserWarning"),
    pytest.mark.filterwarnings("ignore:Estimator's parameters changed after set_params"),
    # The checks fit nets on random columns, which are no windows of a series.
    pytest.mark.filterwarnings("ignore:.*found no window layout in X:UserWarning"),
    # They predict on a few rows that do not continue the fit data: padded, as warned.
    pytest.mark.filterwarnings("ignore:.*rows that do not continue the fit data:UserWarning"),
]


class RangeOfRowExtremes(DailyRangeTransformer):
    """DailyRangeTransformer reading each row's largest and smallest value as its high and low.

    An adapter for sklearn's checks only: they draw X of any width (1, 3, 10 columns) in
    any order, where the range takes exactly the high then the low, and refuses anything
    else by design (tests/test_preprocessing.py). Only the column selection differs; the
    validation, positivity checks, standardisation, dtypes and fitted state are the
    transformer's own.
    """

    def _validate(self, X, reset):
        X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
        return np.column_stack([X.max(axis=1), X.min(axis=1)])

    def _columns(self):
        # One input column is its own high and low: an unrecorded range.
        return (0, 1) if self.n_features_in_ > 1 else (0, 0)


class CalendarOfRowValues(CalendarTransformer):
    """CalendarTransformer dating each NumPy row by its own values.

    An adapter for sklearn's checks only: they hand NumPy arrays, lists and frames without
    dates, which the transformer refuses by design (tests/test_calendar_features.py). Here
    such a row's date is a day of 1990-2025 read from a checksum of its own values (their
    text, so any dtype is read and none is checked), so a row keeps its date when the rows
    are subset, reordered, copied or pickled, and the checks of row independence and
    determinism mean what they say. Rows with a DatetimeIndex keep it. Only where the
    dates come from differs; the validation, the calendar, the horizon, the output and
    the fitted state are the transformer's own.
    """

    def _dates(self, X):
        if isinstance(getattr(X, "index", None), pd.DatetimeIndex):
            return super()._dates(X)
        days = [zlib.crc32(repr(row.tolist()).encode()) % 13_000 for row in np.asarray(X)]
        return pd.Timestamp("1990-01-01") + pd.to_timedelta(days, unit="D")


# sklearn's checks fit on 10 to 21 rows, and a fit shorter than the longest HAR window is
# an error (tests/test_bad_input.py), so HAR runs them with windows of at most 5 rows:
# the same code as the default (1, 5, 22).
SHORT_HAR = (1, 2, 5)

ESTIMATORS = [
    WindowTransformer(),
    WindowTransformer(lookback=3),
    HARTransformer(windows=SHORT_HAR),
    HARTransformer(log=True, windows=SHORT_HAR),
    PersistenceRegressor(),
    HARRegressor(windows=SHORT_HAR),
    HARRegressor(log=True, windows=SHORT_HAR),
    # The nets as constructed by default but small and short, so that the checks run fast.
    LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0),
    GRURegressor(hidden_size=4, max_epochs=2, random_state=0),
    RecurrentRegressor(cell="gru", hidden_size=4, max_epochs=2, random_state=0),
    FeedForwardRegressor(hidden_layer_sizes=(4,), max_epochs=2, random_state=0),
    # The quantile and distribution heads, whose outputs per step differ.
    LSTMRegressor(criterion="quantile", hidden_size=4, max_epochs=2, random_state=0),
    FeedForwardRegressor(
        criterion="gaussian", hidden_layer_sizes=(4,), max_epochs=2, random_state=0
    ),
    LogTransformer(),
    RangeOfRowExtremes(),
    CalendarOfRowValues(),
    # Every feature group and several steps, so that the checks reach all of the calendar.
    CalendarOfRowValues(features=tuple(CALENDAR_FEATURES), horizon=3),
    LogTargetRegressor(LinearRegression()),
    # sklearn's check data has negative columns, which the volatility scale cannot log;
    # with log=True the wrapped forecast must be positive, as LogTargetRegressor's is.
    ConformalForecaster(LinearRegression(), log=False, scale=None, coverage=0.5),
    ConformalForecaster(LogTargetRegressor(LinearRegression()), scale=None, coverage=0.5),
    LinearQuantileRegressor(quantiles=(0.25, 0.75)),
    LinearQuantileRegressor(quantiles=(0.25, 0.75), solver="statsmodels"),
    LogTargetRegressor(LinearQuantileRegressor(quantiles=(0.25, 0.75))),
    ConformalForecaster(
        LinearQuantileRegressor(quantiles=(0.25, 0.75)),
        conformity_score="cqr",
        log=False,
        scale=None,
        coverage=0.5,
    ),
]

DEPENDS_ON_EARLIER_ROWS = (
    "row t's output is computed from rows t-k..t, so predicting a subset or a shuffled "
    "copy of the rows changes it: time order is the point of the estimator"
)
ROW_ORDER_CHECKS = {
    "check_methods_subset_invariance": DEPENDS_ON_EARLIER_ROWS,
    "check_methods_sample_order_invariance": DEPENDS_ON_EARLIER_ROWS,
}

NEGATIVE_TARGET = (
    "the target is logged and must be positive; this check draws a negative y without "
    "honouring target_tags.positive_only"
)
LOG_CHECKS = {
    "check_positive_only_tag_during_fit": (
        "logs are taken of the target column only; this check makes the other columns "
        "negative and leaves the target column positive, so no error is due"
    ),
}
LOG_REGRESSOR_CHECKS = LOG_CHECKS | {"check_regressor_multioutput": NEGATIVE_TARGET}

CALENDAR_CHECKS = {
    "check_dtype_object": (
        "the calendar never reads X's values (only their shape), so an object column "
        "holding a dict is not an error for it; the check expects the TypeError of a "
        "transformer that converts X to numbers"
    ),
}

_PENALTY = (
    "the check sets alpha=0.01 (an L1 penalty), which the statsmodels solver cannot fit "
    "and refuses with a ValueError"
)
STATSMODELS_QUANTILE_CHECKS = {
    "check_regressors_train": _PENALTY,
    "check_regressor_data_not_an_array": (
        "statsmodels' IRLS reaches its iteration limit on this check's data and says so "
        "(IterationLimitWarning), which the test suite turns into an error"
    ),
    "check_fit_idempotent": (
        "statsmodels' IRLS reaches its iteration limit on this check's data and says so "
        "(IterationLimitWarning), which the test suite turns into an error"
    ),
}


def expected_failed_checks(estimator):
    if isinstance(estimator, ConformalForecaster):
        # Wrapping LinearRegression, row order does not matter: those checks must pass.
        return {"check_regressor_multioutput": NEGATIVE_TARGET} if estimator.log else {}
    if isinstance(estimator, _WindowNet):
        # Each row's forecast comes from the window inside that row, so row order and
        # subsets change nothing: every check must pass.
        return {}
    if isinstance(estimator, (LogTransformer, DailyRangeTransformer)):
        # Row by row, and handed strictly positive data (see the fixture): all checks hold.
        return {}
    if isinstance(estimator, LinearQuantileRegressor):
        # A linear model of each row: rows are independent, every check must pass, but for
        # what the statsmodels solver refuses or warns about.
        return STATSMODELS_QUANTILE_CHECKS if estimator.solver == "statsmodels" else {}
    if isinstance(estimator, LogTargetRegressor):
        return {"check_regressor_multioutput": NEGATIVE_TARGET}
    if isinstance(estimator, CalendarTransformer):
        # Dated by each row's own values (the adapter), rows are independent of each other.
        return CALENDAR_CHECKS
    failures = {}
    if not isinstance(estimator, PersistenceRegressor):
        failures.update(ROW_ORDER_CHECKS)
    if getattr(estimator, "log", False):
        failures.update(LOG_REGRESSOR_CHECKS if isinstance(estimator, HARRegressor) else LOG_CHECKS)
    return failures


@pytest.fixture
def strictly_positive_check_data(monkeypatch):
    """sklearn's 'positive-only' check data, moved up by 1 so that it is strictly positive.

    For an estimator tagged ``input_tags.positive_only``, sklearn's checks make X as
    ``X - X.min()``, which holds an exact 0 (its own comment says such estimators "only
    accept strictly positive data"). Logs are undefined at 0, so every check would stop
    at that 0 before reaching what it checks. The estimators themselves are unchanged;
    only the data they are handed is ``X - X.min() + 1``. The helper is private to
    scikit-learn: it is patched by name, so that a rename fails here, loudly.
    """
    make_X = estimator_checks._enforce_estimator_tags_X

    def shifted(estimator, X, X_test=None, **kwargs):
        out = make_X(estimator, X, X_test, **kwargs)
        if not get_tags(estimator).input_tags.positive_only:
            return out
        return out + 1 if X_test is None else (out[0] + 1, out[1] + 1)

    monkeypatch.setattr(estimator_checks, "_enforce_estimator_tags_X", shifted)


@parametrize_with_checks(
    ESTIMATORS, expected_failed_checks=expected_failed_checks, xfail_strict=True
)
def test_sklearn_compatible(estimator, check, strictly_positive_check_data):
    check(estimator)
