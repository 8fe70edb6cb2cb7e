"""Feature transformers (windows, HAR means, logs, daily range): causality, continuation."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit

from sklearn_vix import DailyRangeTransformer, HARTransformer, LogTransformer, WindowTransformer


def brute_force_windows(X, lookback):
    """Row t: rows t, t-1, ..., t-lookback+1, each index clipped at row 0."""
    rows = []
    for t in range(len(X)):
        rows.append(np.concatenate([X[max(t - k, 0)] for k in range(lookback)]))
    return np.array(rows)


def frame(n, columns=("vix", "sp500_return"), start="2020-01-01", seed=0):
    rng = np.random.default_rng(seed)
    index = pd.bdate_range(start, periods=n, name="date")
    return pd.DataFrame(rng.uniform(10, 30, (n, len(columns))), index=index, columns=columns)


# At least `lookback` rows: fitting on fewer is an error (tests/test_bad_input.py).
window_inputs = (
    st.integers(1, 12)
    .flatmap(
        lambda lookback: st.tuples(
            st.integers(lookback, 30),
            st.integers(1, 4),
            st.just(lookback),
            st.sampled_from(["f4", "f8"]),
        )
    )
    .flatmap(
        lambda shape: st.tuples(
            arrays(
                shape[3],
                (shape[0], shape[1]),
                elements=st.floats(-1e6, 1e6, width=32, allow_nan=False),
            ),
            st.just(shape[2]),
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(window_inputs)
def test_windows_equal_brute_force_shifted_values(data):
    X, lookback = data
    out = WindowTransformer(lookback).fit_transform(X)
    assert out.dtype == X.dtype
    np.testing.assert_array_equal(out, brute_force_windows(X, lookback))


@settings(max_examples=60, deadline=None)
@given(window_inputs, st.integers(0, 29), st.integers(0, 2**32 - 1))
def test_window_never_sees_future_rows(data, t, seed):
    X, lookback = data
    t = max(lookback - 1, min(t, len(X) - 1))
    # One row more than drawn, so that every draw has a future row to change.
    X = np.concatenate([X, X[-1:]])
    changed = X.copy()
    changed[t + 1 :] = np.random.default_rng(seed).normal(size=changed[t + 1 :].shape)
    assert not np.array_equal(changed[t + 1 :], X[t + 1 :])
    window = WindowTransformer(lookback).fit(X[: t + 1])
    before = window.transform(X)[: t + 1]
    after = window.transform(changed)[: t + 1]
    np.testing.assert_array_equal(before, after)


def test_layout_is_step_major_newest_first():
    X = frame(12)
    window = WindowTransformer(lookback=3).fit(X)
    names = window.get_feature_names_out().tolist()
    assert names == [
        "vix_lag0",
        "sp500_return_lag0",
        "vix_lag1",
        "sp500_return_lag1",
        "vix_lag2",
        "sp500_return_lag2",
    ]
    out = window.transform(X)
    as_sequence = out.reshape(len(X), 3, 2)
    np.testing.assert_array_equal(as_sequence[5, 0], X.iloc[5])
    np.testing.assert_array_equal(as_sequence[5, 2], X.iloc[3])


def test_pandas_output_keeps_index_and_names():
    X = frame(15)
    out = WindowTransformer(lookback=4).set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(X.index)
    assert out.columns[0] == "vix_lag0"
    assert out["vix_lag3"].iloc[10] == X["vix"].iloc[7]


def test_input_is_not_mutated():
    X = frame(20)
    copy = X.copy()
    WindowTransformer(5).fit(X).transform(X)
    pd.testing.assert_frame_equal(X, copy)


@pytest.mark.parametrize("transformer", [WindowTransformer(10), HARTransformer()])
def test_test_fold_is_completed_from_the_end_of_the_fit_data(transformer):
    X = frame(300)
    full = clone(transformer).fit_transform(X)
    for train, test in TimeSeriesSplit(5).split(X):
        fitted = clone(transformer).fit(X.iloc[train])
        np.testing.assert_allclose(fitted.transform(X.iloc[test]), full[test])


@pytest.mark.parametrize("transformer", [WindowTransformer(10), HARTransformer()])
def test_gap_is_never_stitched(transformer):
    X = frame(300)
    for train, test in TimeSeriesSplit(5, gap=3).split(X):
        fitted = clone(transformer).fit(X.iloc[train])
        alone = clone(transformer).fit(X.iloc[test]).transform(X.iloc[test])
        np.testing.assert_allclose(fitted.transform(X.iloc[test]), alone)


@pytest.mark.parametrize("transformer", [WindowTransformer(10), HARTransformer()])
def test_numpy_input_is_never_stitched(transformer):
    X = frame(300).to_numpy()
    train, test = X[:200], X[200:]
    fitted = clone(transformer).fit(train)
    alone = clone(transformer).fit(test).transform(test)
    np.testing.assert_allclose(fitted.transform(test), alone)


def test_fit_data_and_overlapping_data_are_not_stitched():
    X = frame(60)
    window = WindowTransformer(10).fit(X.iloc[:40])
    np.testing.assert_array_equal(
        window.transform(X.iloc[:40]), WindowTransformer(10).fit_transform(X.iloc[:40])
    )
    overlap = X.iloc[30:]
    np.testing.assert_array_equal(
        window.transform(overlap), WindowTransformer(10).fit_transform(overlap)
    )


def test_integer_index_continues_by_one():
    X = frame(50).reset_index(drop=True)
    full = WindowTransformer(5).fit_transform(X)
    window = WindowTransformer(5).fit(X.iloc[:30])
    np.testing.assert_array_equal(window.transform(X.iloc[30:]), full[30:])
    skipped = window.transform(X.iloc[31:])
    np.testing.assert_array_equal(skipped, WindowTransformer(5).fit_transform(X.iloc[31:]))


def test_trading_calendar_stitches_the_next_session_even_across_a_holiday():
    dates = pd.DatetimeIndex(
        ["2023-12-20", "2023-12-21", "2023-12-22", "2023-12-26", "2023-12-27", "2023-12-28"]
    )
    X = pd.DataFrame({"vix": [12.0, 13.0, 14.0, 15.0, 16.0, 17.0]}, index=dates)
    window = WindowTransformer(2).fit(X.iloc[:2])
    assert window.transform(X.iloc[2:3])[0].tolist() == [14.0, 13.0]
    # Three rows one day apart are sessions, not a daily series: Christmas Day was a
    # published holiday, so 12-26 is the next session.
    after_holiday = WindowTransformer(2).fit(X.iloc[:3]).transform(X.iloc[3:4])
    assert after_holiday[0].tolist() == [15.0, 14.0]


def test_a_week_of_sessions_continues_on_monday_not_saturday():
    week = pd.bdate_range("2024-01-08", periods=5)  # Monday to Friday, one day apart
    monday = pd.DatetimeIndex(["2024-01-16"])  # 2024-01-15 was Martin Luther King Day
    X = pd.DataFrame({"vix": [12.0, 13.0, 14.0, 15.0, 16.0, 17.0]}, index=week.append(monday))
    window = WindowTransformer(2).fit(X.iloc[:5])
    assert window.transform(X.iloc[5:])[0].tolist() == [17.0, 16.0]
    saturday = pd.DataFrame({"vix": [1.0]}, index=pd.DatetimeIndex(["2024-01-13"]))
    with pytest.warns(UserWarning, match="every row is padded"):
        window.transform(saturday)


def test_continuation_does_not_let_future_test_rows_leak_backwards():
    X = frame(100)
    window = WindowTransformer(10).fit(X.iloc[:60])
    test = X.iloc[60:].copy()
    before = window.transform(test)[:20]
    test.iloc[20:] = 0.0
    np.testing.assert_array_equal(window.transform(test)[:20], before)


def test_har_features_match_pandas_rolling_means():
    X = frame(80, columns=("vix",))
    out = HARTransformer(log=True).fit_transform(X)
    log_vix = np.log(X["vix"])
    for column, k in enumerate((1, 5, 22)):
        expected = log_vix.rolling(k, min_periods=1).mean().to_numpy()
        np.testing.assert_allclose(out[:, column], expected)


def test_har_feature_names_and_target_by_name():
    X = frame(30)
    har = HARTransformer(target_column="sp500_return").fit(X)
    assert har.get_feature_names_out().tolist() == [
        "sp500_return_mean1",
        "sp500_return_mean5",
        "sp500_return_mean22",
    ]
    np.testing.assert_allclose(har.transform(X)[:, 0], X["sp500_return"])


@pytest.mark.parametrize(
    "transformer, message",
    [
        (WindowTransformer(lookback=0), "lookback"),
        (WindowTransformer(lookback=2.5), "lookback"),
        (HARTransformer(windows=(1, 0)), "windows"),
        (HARTransformer(target_column="nope"), "nope"),
        (HARTransformer(target_column=5), "out of range"),
    ],
)
def test_bad_parameters_are_named(transformer, message):
    with pytest.raises((ValueError, TypeError), match=message):
        transformer.fit(frame(30))


def test_missing_values_are_rejected():
    X = frame(30)
    X.iloc[4, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        WindowTransformer(3).fit(X)


def test_log_har_names_the_non_positive_row():
    X = frame(30, columns=("vix",))
    X.iloc[7, 0] = -1.0
    with pytest.raises(ValueError, match="row 7"):
        HARTransformer(log=True).fit(X)


def test_changed_columns_are_rejected_at_transform():
    window = WindowTransformer(3).fit(frame(30))
    with pytest.raises(ValueError, match="feature names"):
        window.transform(frame(30, columns=("vix", "other")))


# --- LogTransformer and DailyRangeTransformer ----------------------------------------------


def range_frame(n=60, recorded_from=30, seed=0):
    rng = np.random.default_rng(seed)
    close = rng.uniform(12, 40, n)
    spread = np.exp(rng.uniform(0.01, 0.1, n))
    high, low = close * spread, close / spread
    high[:recorded_from] = low[:recorded_from] = close[:recorded_from]
    index = pd.bdate_range("2004-01-01", periods=n, name="date")
    return pd.DataFrame({"high": high, "low": low}, index=index)


def test_log_transformer_logs_chosen_columns_and_names_them():
    X = frame(20)
    log = LogTransformer(columns=["vix"]).set_output(transform="pandas").fit(X)
    out = log.transform(X)
    assert out.columns.tolist() == ["log_vix", "sp500_return"]
    np.testing.assert_allclose(out["log_vix"], np.log(X["vix"]))
    np.testing.assert_array_equal(out["sp500_return"], X["sp500_return"])
    pd.testing.assert_index_equal(out.index, X.index)
    assert LogTransformer().fit(X).get_feature_names_out().tolist() == [
        "log_vix",
        "log_sp500_return",
    ]


def test_log_transformer_names_the_bad_column_and_row():
    X = frame(20)
    X.iloc[3, 1] = 0.0
    LogTransformer(columns=["vix"]).fit_transform(X)  # the zero is in a column not logged
    with pytest.raises(ValueError, match=r"'sp500_return'.*row 3"):
        LogTransformer().fit(X)
    fitted = LogTransformer(columns=[0]).fit(frame(20))
    bad = frame(20)
    bad.iloc[5, 0] = -2.0
    with pytest.raises(ValueError, match=r"'vix'.*row 5"):
        fitted.transform(bad)
    with pytest.raises(ValueError, match="'close' is not a column"):
        LogTransformer(columns=["close"]).fit(X)


def test_range_is_log_high_over_low_and_zero_means_unrecorded():
    X = range_frame()
    raw = np.log(X["high"] / X["low"]).to_numpy()
    zero = DailyRangeTransformer(missing="zero").fit_transform(X)
    np.testing.assert_allclose(zero[:, 0], raw)
    indicator = DailyRangeTransformer(missing="indicator").fit(X)
    out = indicator.transform(X)
    np.testing.assert_array_equal(out[:, 1], (np.arange(60) >= 30).astype(float))
    assert indicator.get_feature_names_out().tolist() == ["log_range", "range_recorded"]
    standardized = DailyRangeTransformer().fit(X)
    out = standardized.transform(X)[:, 0]
    np.testing.assert_array_equal(out[:30], 0.0)
    assert out[30:].mean() == pytest.approx(0.0, abs=1e-12)
    assert out[30:].std() == pytest.approx(1.0)
    assert standardized.n_recorded_ == 30


def test_range_never_recorded_in_fit_data_stays_out():
    X = range_frame()
    early = DailyRangeTransformer().fit(X.iloc[:30])
    assert early.n_recorded_ == 0
    np.testing.assert_array_equal(early.transform(X), 0.0)


def test_range_scaling_uses_the_fit_rows_only():
    # The future's ranges are half as wide again as the fit rows': statistics taken from
    # any rows but the fit rows would move every standardized value by a visible amount.
    X = range_frame()
    X.iloc[45:, 0] *= 1.5
    short = DailyRangeTransformer().fit(X.iloc[:45])
    fit_ranges = np.log(X["high"] / X["low"]).to_numpy()[30:45]
    future_ranges = np.log(X["high"] / X["low"]).to_numpy()[45:]
    expected = (future_ranges - fit_ranges.mean()) / fit_ranges.std()
    np.testing.assert_allclose(short.transform(X.iloc[45:])[:, 0], expected, rtol=1e-12)
    # A fit that also saw the future would standardize it differently: the check has power.
    long = DailyRangeTransformer().fit(X)
    assert np.abs(long.transform(X.iloc[45:])[:, 0] - expected).min() > 0.5


@pytest.mark.parametrize(
    "transformer",
    [
        LogTransformer(),
        DailyRangeTransformer(),
        DailyRangeTransformer(missing="indicator"),
        DailyRangeTransformer(missing="zero"),
    ],
)
def test_feature_transformers_never_see_future_rows(transformer):
    X = range_frame()
    fitted = clone(transformer).fit(X.iloc[:40])
    test = X.iloc[40:].copy()
    before = fitted.transform(test)[:8]
    # The high alone moves: scaling high and low together would leave log(high/low) as is.
    test.iloc[8:, 0] *= 3.0
    np.testing.assert_array_equal(fitted.transform(test)[:8], before)
    assert not np.array_equal(fitted.transform(test)[8:], fitted.transform(X.iloc[40:])[8:])


def test_range_finds_high_and_low_by_name_and_rejects_bad_input():
    X = range_frame()
    swapped = X[["low", "high"]]
    np.testing.assert_array_equal(
        DailyRangeTransformer(missing="zero").fit_transform(swapped),
        DailyRangeTransformer(missing="zero").fit_transform(X),
    )
    with pytest.raises(ValueError, match="high is below the low at row 0"):
        DailyRangeTransformer().fit(X.to_numpy()[:, ::-1][30:])
    with pytest.raises(ValueError, match="two columns"):
        DailyRangeTransformer().fit(X.assign(close=1.0))
    with pytest.raises(ValueError, match="missing"):
        DailyRangeTransformer(missing="impute").fit(X)


FEATURE_NAME_CASES = [
    (WindowTransformer(lookback=2), ["vix", "rate"], ["vix_lag0", "rate_lag0", "vix_lag1"]),
    (HARTransformer(windows=(1, 2)), ["vix", "rate"], ["vix_mean1", "vix_mean2"]),
    (LogTransformer(columns=[0]), ["vix", "rate"], ["log_vix", "rate"]),
    (DailyRangeTransformer(), ["high", "low"], ["log_range"]),
]


@pytest.mark.parametrize("transformer, names, expected", FEATURE_NAME_CASES)
def test_get_feature_names_out_validates_input_features_like_standard_scaler(
    transformer, names, expected
):
    X = pd.DataFrame({names[0]: [21.0, 22.0, 23.0, 24.0], names[1]: [20.0, 20.5, 21.0, 22.0]})
    fitted = clone(transformer).fit(X)
    assert fitted.get_feature_names_out(names).tolist()[: len(expected)] == expected
    with pytest.raises(ValueError, match="input_features is not equal to feature_names_in_"):
        fitted.get_feature_names_out(["other", names[1]])
    # Fitted on NumPy: any names of the right count are used; a wrong count is refused.
    on_arrays = clone(transformer).fit(X.to_numpy())
    assert on_arrays.get_feature_names_out(names).tolist()[: len(expected)] == expected
    with pytest.raises(ValueError, match="input_features should have length equal to"):
        on_arrays.get_feature_names_out(["only_one"])


def test_a_fold_after_an_nyse_holiday_continues_but_one_after_a_missing_session_does_not():
    # Fri 2023-12-15 .. Fri 2023-12-22, then Christmas: the next NYSE session is Tue 26th.
    dates = pd.bdate_range("2023-12-15", "2023-12-29").drop(pd.Timestamp("2023-12-25"))
    X = pd.DataFrame({"vix": np.arange(len(dates), dtype=float) + 12.0}, index=dates)
    fit_rows = X.loc[:"2023-12-22"]
    window = WindowTransformer(2).fit(fit_rows)
    after_holiday = window.transform(X.loc["2023-12-26":])
    np.testing.assert_array_equal(
        after_holiday, WindowTransformer(2).fit_transform(X)[len(fit_rows) :]
    )
    # Wed 27th is a session the table lacks: a gap, so the fold is not stitched.
    with pytest.warns(UserWarning, match="every row is padded"):
        gap = window.transform(X.loc["2023-12-27":"2023-12-27"])
    assert gap[0].tolist() == [X.loc["2023-12-27", "vix"]] * 2
