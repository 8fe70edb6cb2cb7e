"""Bad input across the public surface: each entry gets an error of the right type that
names the problem, raised before anything is trained, and the caller's data is unchanged.

One table, one row per (surface, bad input). The nets, the intervals and the command line
add their rows in their own test files.
"""

import copy
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklearn_vix import (
    HARRegressor,
    HARTransformer,
    PersistenceRegressor,
    WindowTransformer,
)
from sklearn_vix._compat import InvalidParameterError
from sklearn_vix.datasets import load_vix_csv, make_supervised, make_vix_sim
from sklearn_vix.metrics import (
    make_persistence_scorer,
    persistence_forecast,
    rmse_ratio,
    skill_score,
)
from sklearn_vix.model_selection import (
    compare_models,
    default_cv,
    out_of_fold_predict,
)
from sklearn_vix.preprocessing._history import _CausalTransformer
from sklearn_vix.stats import diebold_mariano


def rows(n=30, columns=("vix", "sp500_return"), seed=0):
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=n, name="date")
    return pd.DataFrame(rng.uniform(10, 30, (n, len(columns))), index=index, columns=columns)


def target(X):
    return pd.Series(X["vix"].to_numpy() + 1.0, index=X.index, name="vix_h1")


def with_value(X, row, column, value):
    X = X.copy()
    X.iloc[row, column] = value
    return X


def with_text(X, row=3):
    X = X.astype({"sp500_return": object})
    X.iloc[row, 1] = "n/a"
    return X


class NeverFit(RegressorMixin, BaseEstimator):
    """Fails the test if compare_models gets as far as training it."""

    def fit(self, X, y):
        raise AssertionError("training started before the bad input was caught")

    def predict(self, X):
        raise AssertionError("predict reached")


CSV_HEADER = "DATE,OPEN,HIGH,LOW,CLOSE\n"


def csv(text, header=CSV_HEADER):
    return io.StringIO(header + text)


def fit_on(estimator, X, y=None):
    return lambda: estimator.fit(X) if y is None else estimator.fit(X, y)


def transform_after_fit(transformer, X_fit, X):
    return lambda: transformer.fit(X_fit).transform(X)


def predict_after_fit(estimator, X_fit, y_fit, X):
    return lambda: estimator.fit(X_fit, y_fit).predict(X)


def compare(X, y, **kwargs):
    return lambda: compare_models({"never": NeverFit()}, X, y, **kwargs)


def case(surface, bad_input, call, error, message, *, data=()):
    """One row of the table: `call()` must raise `error` matching `message`; `data` are the
    caller's objects that must be unchanged afterwards."""
    return pytest.param(call, error, message, data, id=f"{surface}: {bad_input}")


def build_table():
    X = rows()
    y = target(X)
    X_nan = with_value(X, 4, 0, np.nan)
    X_inf = with_value(X, 6, 1, np.inf)
    X_text = with_text(X)
    y_nan = with_value(y.to_frame(), 5, 0, np.nan).iloc[:, 0]
    short = rows(7)
    empty = rows(0)
    one_d = X["vix"].to_numpy()
    three_d = X.to_numpy().reshape(30, 2, 1)
    frame = make_vix_sim(30, random_state=0)
    unsorted = frame.iloc[[0, 2, 1, *range(3, 30)]]
    repeated = frame.iloc[[0, 1, 1, *range(2, 30)]]
    target_nan = with_value(frame, 4, 0, np.nan)
    target_inf = with_value(frame, 4, 0, np.inf)
    target_text = frame.astype({"vix": object})
    target_text.iloc[2, 0] = "high"
    window_msg = (
        r"WindowTransformer\(lookback=10\) needs at least 10 rows, got n_samples=7: "
        r"lower lookback or pass more history"
    )
    har_msg = r"HARTransformer\(windows=\(1, 5, 22\)\) needs at least 22 rows, got n_samples=7"
    return [
        # --- load_vix_csv -----------------------------------------------------------------
        case(
            "load_vix_csv",
            "header-only CSV",
            lambda: load_vix_csv(csv("")),
            ValueError,
            r"The file has a header \(DATE, OPEN, HIGH, LOW, CLOSE\) but no rows of data",
        ),
        case(
            "load_vix_csv",
            "empty file",
            lambda: load_vix_csv(io.StringIO("")),
            ValueError,
            "is empty",
        ),
        case(
            "load_vix_csv",
            "missing file",
            lambda: load_vix_csv("no/such/VIX_History.csv"),
            FileNotFoundError,
            "VIX_History.csv",
        ),
        case(
            "load_vix_csv",
            "UTF-16 file",
            lambda: load_vix_csv(io.BytesIO("DATE,CLOSE\n1990-01-02,17\n".encode("utf-16"))),
            ValueError,
            "The file is not UTF-8 text",
        ),
        case(
            "load_vix_csv",
            "path is a number",
            lambda: load_vix_csv(3),
            InvalidParameterError,
            "'path' parameter",
        ),
        case(
            "load_vix_csv",
            "missing close column",
            lambda: load_vix_csv(io.StringIO("DATE,OPEN\n1990-01-02,17.2\n")),
            ValueError,
            "no CLOSE",
        ),
        case(
            "load_vix_csv",
            "missing date column",
            lambda: load_vix_csv(io.StringIO("DAY,CLOSE\n1990-01-02,17.2\n")),
            ValueError,
            "no DATE",
        ),
        case(
            "load_vix_csv",
            "decimal comma (not a thousands separator)",
            lambda: load_vix_csv(csv('1990-01-02,1,1,1,"17,24"\n')),
            ValueError,
            r"'close', line 2: value '17,24' is not a finite number",
        ),
        case(
            "load_vix_csv",
            "unparseable date",
            lambda: load_vix_csv(csv("1990-01-02,1,1,1,17\n1990-13-45,1,1,1,18\n")),
            ValueError,
            r"'date', line 3: cannot read '1990-13-45' as a date",
        ),
        case(
            "load_vix_csv",
            "duplicated date, different values",
            lambda: load_vix_csv(csv("1990-01-02,1,1,1,17\n1990-01-02,1,1,1,18\n")),
            ValueError,
            r"1990-01-02 appears on lines \[2, 3\] with different values",
        ),
        case(
            "load_vix_csv",
            "zero VIX",
            lambda: load_vix_csv(csv("1990-01-02,1,1,1,17\n1990-01-03,1,1,1,0\n")),
            ValueError,
            r"'close', line 3: the VIX must be positive, got 0.0",
        ),
        case(
            "load_vix_csv",
            "negative VIX",
            lambda: load_vix_csv(csv("1990-01-02,1,1,1,-17\n")),
            ValueError,
            r"line 2: the VIX must be positive, got -17.0",
        ),
        case(
            "load_vix_csv",
            "infinite value",
            lambda: load_vix_csv(csv("1990-01-02,1,1,1,inf\n")),
            ValueError,
            r"'close', line 2: value 'inf' is not a finite number",
        ),
        case(
            "load_vix_csv",
            "missing value",
            lambda: load_vix_csv(csv("1990-01-02,1,1,1,17\n1990-01-03,1,1,1,\n")),
            ValueError,
            r"'close', line 3: value '' is not a finite number",
        ),
        # --- make_supervised -------------------------------------------------------------
        case(
            "make_supervised",
            "NaN target",
            lambda: make_supervised(target_nan),
            ValueError,
            r"Column 'vix' is missing at row Timestamp\('1990-01-08",
            data=(target_nan,),
        ),
        case(
            "make_supervised",
            "infinite target",
            lambda: make_supervised(target_inf),
            ValueError,
            r"column 'vix' contains infinity at row Timestamp\('1990-01-08",
            data=(target_inf,),
        ),
        case(
            "make_supervised",
            "text in the target column",
            lambda: make_supervised(target_text),
            ValueError,
            r"Column 'vix' of frame is not numeric: row Timestamp\('1990-01-04.*'high'",
            data=(target_text,),
        ),
        case(
            "make_supervised",
            "empty frame",
            lambda: make_supervised(frame.iloc[:0]),
            ValueError,
            "horizon=1 needs more than 1 rows, got 0",
        ),
        case(
            "make_supervised",
            "horizon far larger than the data",
            lambda: make_supervised(frame, horizon=100),
            ValueError,
            "horizon=100 needs more than 100 rows, got 30",
            data=(frame,),
        ),
        case(
            "make_supervised",
            "horizon zero",
            lambda: make_supervised(frame, horizon=0),
            InvalidParameterError,
            "'horizon' parameter of make_supervised must be an int in the range",
        ),
        case(
            "make_supervised",
            "horizon negative",
            lambda: make_supervised(frame, horizon=-2),
            InvalidParameterError,
            "'horizon' parameter",
        ),
        case(
            "make_supervised",
            "horizon a float",
            lambda: make_supervised(frame, horizon=1.5),
            InvalidParameterError,
            "'horizon' parameter",
        ),
        case(
            "make_supervised",
            "unsorted dates",
            lambda: make_supervised(unsorted),
            ValueError,
            r"row 2 \(Timestamp\('1990-01-03.*comes before row 1",
            data=(unsorted,),
        ),
        case(
            "make_supervised",
            "duplicated dates",
            lambda: make_supervised(repeated),
            ValueError,
            r"row 2 \(Timestamp\('1990-01-03.*repeats row 1",
            data=(repeated,),
        ),
        case(
            "make_supervised",
            "unknown target",
            lambda: make_supervised(frame, target="close"),
            ValueError,
            "target='close' is not a column",
        ),
        case(
            "make_supervised",
            "NumPy array instead of a DataFrame",
            lambda: make_supervised(frame.to_numpy()),
            InvalidParameterError,
            "'frame' parameter of make_supervised must be an instance of",
        ),
        # --- WindowTransformer and HARTransformer -----------------------------------------
        *[
            row
            for make, name in [(WindowTransformer, "WindowTransformer"), (HARTransformer, "HAR")]
            for row in [
                case(
                    name,
                    "NaN in X",
                    fit_on(make(), X_nan),
                    ValueError,
                    r"X contains NaN at row Timestamp\('2020-01-07.*column 'vix'",
                    data=(X_nan,),
                ),
                case(
                    name,
                    "infinity in X",
                    fit_on(make(), X_inf),
                    ValueError,
                    r"X contains infinity at row Timestamp\('2020-01-09.*column 'sp500_return'",
                    data=(X_inf,),
                ),
                case(
                    name,
                    "NaN in X at transform",
                    transform_after_fit(make(), X, X_nan),
                    ValueError,
                    "X contains NaN at row",
                    data=(X, X_nan),
                ),
                case(
                    name,
                    "empty X",
                    fit_on(make(), empty),
                    ValueError,
                    "0 sample",
                ),
                case(name, "1-D X", fit_on(make(), one_d), ValueError, "Expected 2D array"),
                case(name, "3-D X", fit_on(make(), three_d), ValueError, "dim 3"),
                case(
                    name,
                    "text column",
                    fit_on(make(), X_text),
                    ValueError,
                    r"Column 'sp500_return' of X is not numeric: row Timestamp\('2020-01-06.*n/a",
                    data=(X_text,),
                ),
            ]
        ],
        case(
            "WindowTransformer",
            "fewer rows than lookback",
            fit_on(WindowTransformer(10), short),
            ValueError,
            window_msg,
            data=(short,),
        ),
        case(
            "WindowTransformer",
            "lookback far larger than the data",
            fit_on(WindowTransformer(10_000), X),
            ValueError,
            "lookback=10000\\) needs at least 10000 rows, got n_samples=30",
            data=(X,),
        ),
        case(
            "WindowTransformer",
            "lookback zero",
            fit_on(WindowTransformer(0), X),
            InvalidParameterError,
            "'lookback' parameter of WindowTransformer must be an int in the range",
        ),
        case(
            "WindowTransformer",
            "lookback negative",
            fit_on(WindowTransformer(-3), X),
            InvalidParameterError,
            "'lookback' parameter",
        ),
        case(
            "WindowTransformer",
            "lookback a float",
            fit_on(WindowTransformer(2.5), X),
            InvalidParameterError,
            "'lookback' parameter",
        ),
        case(
            "HAR",
            "fewer rows than the longest window",
            fit_on(HARTransformer(), short),
            ValueError,
            har_msg,
            data=(short,),
        ),
        case(
            "HAR",
            "a window of zero",
            fit_on(HARTransformer(windows=(1, 0)), X),
            InvalidParameterError,
            "'windows' parameter of HARTransformer must be a non-empty tuple or list of "
            "distinct positive integers",
        ),
        case(
            "HAR",
            "repeated windows",
            fit_on(HARTransformer(windows=(5, 5)), X),
            InvalidParameterError,
            "'windows' parameter",
        ),
        case(
            "HAR",
            "no windows",
            fit_on(HARTransformer(windows=()), X),
            InvalidParameterError,
            "'windows' parameter",
        ),
        case(
            "HAR",
            "unknown target column",
            fit_on(HARTransformer(target_column="close"), X),
            ValueError,
            "target_column='close' is not among X's columns",
        ),
        case(
            "HAR",
            "log of a non-positive column",
            fit_on(HARTransformer(log=True), with_value(X, 7, 0, -1.0)),
            ValueError,
            "must be positive to take logs, got -1.0 at row 7",
        ),
        # --- PersistenceRegressor and HARRegressor --------------------------------------
        *[
            row
            for make, name in [(PersistenceRegressor, "Persistence"), (HARRegressor, "HARReg")]
            for row in [
                case(
                    name,
                    "NaN in X",
                    fit_on(make(), X_nan, y),
                    ValueError,
                    r"X contains NaN at row Timestamp\('2020-01-07.*column 'vix'",
                    data=(X_nan, y),
                ),
                case(
                    name,
                    "NaN in y",
                    fit_on(make(), X, y_nan),
                    ValueError,
                    r"y contains NaN at row Timestamp\('2020-01-08",
                    data=(X, y_nan),
                ),
                case(
                    name,
                    "NaN in X at predict",
                    predict_after_fit(make(), X, y, X_nan),
                    ValueError,
                    "X contains NaN at row",
                    data=(X, X_nan),
                ),
                case(
                    name,
                    "X and y of different lengths",
                    fit_on(make(), X, y.iloc[:-1]),
                    ValueError,
                    r"inconsistent numbers of samples: \[30, 29\]",
                ),
                case(name, "empty X", fit_on(make(), empty, y.iloc[:0]), ValueError, "0 sample"),
                case(name, "1-D X", fit_on(make(), one_d, y), ValueError, "Expected 2D array"),
                case(name, "3-D X", fit_on(make(), three_d, y), ValueError, "dim 3"),
                case(
                    name,
                    "text column",
                    fit_on(make(), X_text, y),
                    ValueError,
                    "Column 'sp500_return' of X is not numeric",
                    data=(X_text,),
                ),
                case(
                    name,
                    "no y",
                    lambda make=make: make().fit(X, None),
                    ValueError,
                    "requires y to be passed",
                ),
                case(
                    name,
                    "target_column a float",
                    fit_on(make(target_column=1.5), X, y),
                    InvalidParameterError,
                    "'target_column' parameter",
                ),
            ]
        ],
        case(
            "HARReg",
            "fewer rows than the longest window",
            fit_on(HARRegressor(), short, target(short)),
            ValueError,
            har_msg,
            data=(short,),
        ),
        case(
            "HARReg",
            "windows not a sequence",
            fit_on(HARRegressor(windows=22), X, y),
            InvalidParameterError,
            "'windows' parameter of HARRegressor",
        ),
        # --- compare_models and out_of_fold_predict ---------------------------------------
        case(
            "compare_models",
            "too few rows for the folds",
            compare(X.iloc[:4], y.iloc[:4]),
            ValueError,
            r"4 rows are too few for the folds of TimeSeriesSplit.*n_splits=5",
            data=(X, y),
        ),
        case(
            "compare_models",
            "X and y of different lengths",
            compare(X, y.iloc[:-2]),
            ValueError,
            "X has 30 rows but y has 28",
            data=(X, y),
        ),
        case(
            "compare_models",
            "a training fold shorter than the model's history",
            lambda: compare_models({"har": HARRegressor()}, X, y),
            ValueError,
            r"HARTransformer\(windows=\(1, 5, 22\)\) needs at least 22 rows, got n_samples=5",
            data=(X, y),
        ),
        case(
            "compare_models",
            "models not a mapping",
            lambda: compare_models([NeverFit()], X, y),
            InvalidParameterError,
            "'models' parameter",
        ),
        case(
            "compare_models",
            "cv a float",
            compare(X, y, cv=2.5),
            InvalidParameterError,
            "'cv' parameter",
        ),
        case(
            "out_of_fold_predict",
            "too few rows for the folds",
            lambda: out_of_fold_predict(NeverFit(), X.iloc[:3], y.iloc[:3], cv=TimeSeriesSplit(5)),
            ValueError,
            "3 rows are too few for the folds",
        ),
        case(
            "out_of_fold_predict",
            "X and y of different lengths",
            lambda: out_of_fold_predict(NeverFit(), X.iloc[:-1], y),
            ValueError,
            "X has 29 rows but y has 30",
        ),
        # --- metrics -----------------------------------------------------------------------
        case(
            "skill_score",
            "predictions of another length",
            lambda: skill_score(y, y.iloc[:-1], y),
            ValueError,
            "inconsistent numbers of samples",
            data=(y,),
        ),
        case(
            "rmse_ratio",
            "unknown multioutput",
            lambda: rmse_ratio(y, y, y + 1, multioutput="mean"),
            InvalidParameterError,
            "'multioutput' parameter",
        ),
        case(
            "diebold_mariano",
            "errors of different lengths",
            lambda: diebold_mariano(np.ones(10), np.ones(9)),
            ValueError,
            "1-D of the same length",
        ),
        case(
            "diebold_mariano",
            "h larger than the data",
            lambda: diebold_mariano(np.arange(5.0), np.arange(5.0)[::-1], h=50),
            ValueError,
            "h must be between 1 and n_samples - 1, got h=50 for n=5",
        ),
    ]


@pytest.mark.parametrize("call, error, message, data", build_table())
def test_bad_input_is_named_and_nothing_is_mutated(call, error, message, data):
    before = copy.deepcopy(data)
    with pytest.raises(error, match=message) as caught:
        call()
    if error is ValueError:
        # Bad data is a ValueError; only a bad parameter is sklearn's InvalidParameterError.
        assert not isinstance(caught.value, InvalidParameterError)
    for original, copied in zip(data, before, strict=True):
        if isinstance(original, pd.DataFrame):
            pd.testing.assert_frame_equal(original, copied)
        else:
            pd.testing.assert_series_equal(original, copied)


def float_for_int_cases():
    """Every public estimator and function with an integer parameter, given a float."""
    X, y = rows(), target(rows())
    frame = make_vix_sim(30, random_state=0)
    errors = np.arange(10.0)
    calls = {
        "lookback": fit_on(WindowTransformer(lookback=1.5), X),
        "windows": fit_on(HARTransformer(windows=(1, 2.5)), X),
        "target_column": fit_on(HARTransformer(target_column=0.0), X),
        "PersistenceRegressor target_column": fit_on(PersistenceRegressor(1.5), X, y),
        "HARRegressor windows": fit_on(HARRegressor(windows=(1.0, 5)), X, y),
        "make_supervised horizon": lambda: make_supervised(frame, horizon=1.5),
        "make_vix_sim n_days": lambda: make_vix_sim(n_days=10.0),
        "make_vix_sim horizon": lambda: make_vix_sim(10, return_optimal=True, horizon=2.5),
        "make_vix_sim n_paths": lambda: make_vix_sim(10, return_optimal=True, n_paths=9.5),
        "diebold_mariano h": lambda: diebold_mariano(errors, errors[::-1], h=1.5),
        "default_cv n_splits": lambda: default_cv(y, n_splits=3.0),
        "compare_models n_jobs": lambda: compare_models({"n": NeverFit()}, X, y, n_jobs=1.5),
        "compare_models target_column": lambda: compare_models(
            {"n": NeverFit()}, X, y, target_column=0.0
        ),
        "out_of_fold_predict cv": lambda: out_of_fold_predict(NeverFit(), X, y, cv=2.5),
        "persistence_forecast target_column": lambda: persistence_forecast(X, y, 0.5),
        "make_persistence_scorer target_column": lambda: make_persistence_scorer(target_column=0.5),
    }
    cases = [pytest.param(call, name.split()[-1], id=name) for name, call in calls.items()]
    try:
        from sklearn_vix import FeedForwardRegressor, GRURegressor, LSTMRegressor

        nets = {
            "LSTMRegressor hidden_size": LSTMRegressor(hidden_size=1.5, max_epochs=1),
            "GRURegressor max_epochs": GRURegressor(hidden_size=2, max_epochs=1.5),
            "FeedForwardRegressor batch_size": FeedForwardRegressor(batch_size=2.5),
        }
    except ImportError:  # torch is an optional extra
        nets = {}
    cases += [
        pytest.param(fit_on(net, X, y), name.split()[-1], id=name) for name, net in nets.items()
    ]
    return cases


@pytest.mark.parametrize("call, parameter", float_for_int_cases())
def test_a_float_where_an_int_is_required_is_the_same_error_everywhere(call, parameter):
    with pytest.raises(InvalidParameterError, match=f"'{parameter}' parameter"):
        call()


# --- inputs that look odd but are valid: read as the user means, and said so -----------


def test_loader_reads_thousands_separators_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "VIX_History.csv"
    text = 'DATE,CLOSE,SPX\n1990-01-02,17.24,"1,234.5"\n1990-01-03,18.19,"12,345"\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    frame = load_vix_csv(path)
    assert list(frame.columns) == ["vix", "spx"]
    assert frame["spx"].tolist() == [1234.5, 12345.0]


def test_loader_sorts_unsorted_dates_and_says_so():
    with pytest.warns(UserWarning, match=r"not in date order \(line 3, 1990-01-02"):
        frame = load_vix_csv(csv("1990-01-03,1,1,1,18\n1990-01-02,1,1,1,17\n"))
    assert frame["vix"].tolist() == [17.0, 18.0]


@pytest.mark.parametrize("transformer", [WindowTransformer(10), HARTransformer()])
def test_a_short_fold_that_continues_the_fit_data_is_complete(transformer):
    X = rows(60)
    fitted = transformer.fit(X.iloc[:50])
    short = fitted.transform(X.iloc[50:53])
    np.testing.assert_allclose(short, transformer.fit(X).transform(X)[50:53], rtol=1e-12)


@pytest.mark.parametrize("transformer", [WindowTransformer(10), HARTransformer()])
def test_a_short_table_that_does_not_continue_the_fit_data_warns(transformer):
    X = rows(60)
    fitted = transformer.fit(X.iloc[:50])
    with pytest.warns(UserWarning, match="every row is padded"):
        fitted.transform(X.iloc[52:55])
    # NumPy rows after a fit on a frame also draw sklearn's feature-name warning.
    with pytest.warns(UserWarning, match="every row is padded"):
        with pytest.warns(UserWarning, match="does not have valid feature names"):
            fitted.transform(X.iloc[50:53].to_numpy())


def test_time_series_cv_with_short_test_folds_still_runs():
    """Test folds shorter than the lookback are completed from the training fold."""
    X = rows(40)
    y = target(X)
    pipe = make_pipeline(WindowTransformer(10), LinearRegression()).set_output(transform="pandas")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        oof = out_of_fold_predict(pipe, X, y, cv=TimeSeriesSplit(5, test_size=4))
    assert len(oof) == 20 and np.isfinite(oof["vix_h1"]).all()


def test_every_causal_transformer_names_its_history_parameter():
    subclasses = _CausalTransformer.__subclasses__()
    assert {WindowTransformer, HARTransformer} <= set(subclasses)
    for cls in subclasses:
        assert cls._history_parameter in cls().get_params()
