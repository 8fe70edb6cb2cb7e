"""The simulator, its Bayes-optimal forecast, the CSV loader and make_supervised."""

import gzip
import hashlib
import io
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from sklearn_vix._compat import InvalidParameterError
from sklearn_vix.datasets import (
    _simulator,
    load_vix,
    load_vix_csv,
    load_vix_sim,
    make_supervised,
    make_vix_sim,
)


@pytest.fixture(scope="module")
def sim():
    return load_vix_sim(return_optimal=True)


def test_default_data_is_deterministic_and_shaped():
    a, b = load_vix_sim(), load_vix_sim()
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (9000, 3)
    assert list(a.columns) == ["vix", "sp500_return", "interest_rate"]
    assert isinstance(a.index, pd.DatetimeIndex) and a.index.is_monotonic_increasing
    assert (a.index.day_of_week < 5).all()


# sha256 of the default path's values printed to 9 significant digits. Every number the
# project quotes on simulated data comes from this path: a change to the simulator must
# change this pin on purpose, never silently.
DEFAULT_SIM_SHA256 = "8f0dc359f2b59c23de4ff755460ae7bdcee25b8b6535fd305714848330d71d04"


def test_default_data_is_pinned_by_checksum():
    values = load_vix_sim().to_numpy().ravel()
    text = ",".join(f"{v:.9g}" for v in values)
    assert hashlib.sha256(text.encode()).hexdigest() == DEFAULT_SIM_SHA256


def test_optimal_forecast_computes_only_the_steps_asked_for():
    frame, optimal = load_vix_sim(return_optimal=True, horizon=1)
    assert list(optimal.columns) == ["vix_h1"]
    pd.testing.assert_frame_equal(frame, load_vix_sim())


def test_load_vix_sim_returns_copies():
    a = load_vix_sim()
    a.iloc[0, 0] = -1.0
    assert load_vix_sim().iloc[0, 0] > 0


def test_seeds_reproduce_and_differ():
    a = make_vix_sim(300, random_state=1)
    pd.testing.assert_frame_equal(a, make_vix_sim(300, random_state=1))
    assert not np.allclose(a["vix"], make_vix_sim(300, random_state=2)["vix"])


def test_simulated_vix_has_the_real_stylized_facts(sim):
    frame, _ = sim
    vix = frame["vix"]
    log_vix = np.log(vix)
    change = log_vix.diff().dropna()
    assert 17 < vix.mean() < 22
    assert 8 < vix.min() and vix.quantile(0.01) < 12
    assert 0.03 < (vix > 30).mean() < 0.15
    assert 0.06 < change.std() < 0.08
    assert change.skew() > 0.3
    assert 0.96 < log_vix.autocorr(1) < 0.99
    assert 0.6 < log_vix.autocorr(22) < 0.9
    variance_ratio = log_vix.diff(22).var() / (22 * change.var())
    assert variance_ratio < 0.7
    leverage = np.corrcoef(frame["sp500_return"].iloc[1:], change)[0, 1]
    assert -0.8 < leverage < -0.6
    assert (frame["interest_rate"] > 0).all()


def test_optimal_forecast_beats_persistence_by_the_expected_margin(sim):
    frame, optimal = sim
    vix = frame["vix"]
    for h, (low, high) in {1: (0.975, 0.992), 5: (0.93, 0.975)}.items():
        future = vix.shift(-h).iloc[:-h]
        persistence = np.sqrt(((future - vix.iloc[:-h]) ** 2).mean())
        best = np.sqrt(((future - optimal[f"vix_h{h}"].iloc[:-h]) ** 2).mean())
        assert low < best / persistence < high


def test_closed_form_step_matches_monte_carlo():
    rng = np.random.default_rng(0)
    m, s, x = np.log(20.0), 0.09, np.log(14.0)
    p = _simulator._spike_probability(x)
    draws = np.exp(m + s * _simulator._draw_shock(rng, p, 2_000_000))
    closed = _simulator._expected_exp(m, s, p)
    assert closed == pytest.approx(draws.mean(), rel=2e-3)


def test_shock_has_mean_zero_and_unit_variance():
    rng = np.random.default_rng(1)
    e = _simulator._draw_shock(rng, 0.12, 2_000_000)
    assert abs(e.mean()) < 3e-3 and e.var() == pytest.approx(1.0, rel=5e-3)


def test_optimal_forecast_uses_only_the_past():
    short, opt_short = make_vix_sim(300, random_state=3, return_optimal=True, n_paths=4000)
    long, opt_long = make_vix_sim(400, random_state=3, return_optimal=True, n_paths=4000)
    pd.testing.assert_frame_equal(short, long.iloc[:300], check_freq=False)
    np.testing.assert_allclose(opt_short["vix_h1"], opt_long["vix_h1"].iloc[:300])
    # Later steps are Monte Carlo estimates from independent draws: equal up to noise.
    np.testing.assert_allclose(opt_short, opt_long.iloc[:300], rtol=0.01)


def test_exogenous_signal_reaches_the_mean():
    def lead_correlation(data):
        next_change = np.log(data["vix"]).diff().iloc[1:]
        return np.corrcoef(data["sp500_return"].iloc[:-1], next_change)[0, 1]

    flat = lead_correlation(make_vix_sim(3000, random_state=4))
    tied = lead_correlation(make_vix_sim(3000, random_state=4, exog_beta=-0.01))
    assert tied < flat - 0.1


@pytest.mark.parametrize("kwargs", [{"n_days": 0}, {"horizon": 0}, {"n_paths": -1}])
def test_simulator_names_bad_arguments(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        make_vix_sim(**{"n_days": 10, **kwargs})


def test_real_cboe_file_loads(real_vix_csv):
    with pytest.warns(UserWarning, match=r"13 row\(s\) are dated on days the NYSE was closed"):
        frame = load_vix_csv(real_vix_csv)
    assert len(frame) == 8561
    assert len(load_vix_csv(real_vix_csv, sessions_only=False)) == 8574
    assert list(frame.columns) == ["vix", "open", "high", "low"]
    assert frame.index.is_unique and frame.index.is_monotonic_increasing
    assert frame.index[0] == pd.Timestamp("1990-01-02")
    assert frame["vix"].iloc[0] == pytest.approx(17.24)
    assert frame["vix"].max() == pytest.approx(82.69)


def test_shipped_vix_is_the_real_history():
    frame = load_vix()
    assert frame.shape == (8561, 4)
    assert list(frame.columns) == ["vix", "open", "high", "low"]
    assert frame.index.is_unique and frame.index.is_monotonic_increasing
    assert (frame.index[0], frame.index[-1]) == (
        pd.Timestamp("1990-01-02"),
        pd.Timestamp("2023-12-29"),
    )
    assert frame["vix"].max() == pytest.approx(82.69)
    # The file holds only the close in 1990-1991; real ranges from 1992 on.
    early, later = frame.loc[:"1991-12-31"], frame.loc["1992-01-01":]
    assert (early["high"] == early["vix"]).all() and (early["low"] == early["vix"]).all()
    assert (later["high"] > later["low"]).mean() > 0.999


def test_shipped_vix_equals_the_source_file(real_vix_csv):
    raw = load_vix_csv(real_vix_csv, sessions_only=False)
    pd.testing.assert_frame_equal(load_vix(sessions_only=False), raw)
    with pytest.warns(UserWarning, match="NYSE was closed"):
        pd.testing.assert_frame_equal(load_vix(), load_vix_csv(real_vix_csv))


def test_shipped_vix_and_its_licence_are_package_resources():
    data = resources.files("sklearn_vix.datasets").joinpath("data")
    with data.joinpath("vix-daily-1990-2023.csv.gz").open("rb") as raw:
        assert gzip.decompress(raw.read()).startswith(b"DATE,OPEN,HIGH,LOW,CLOSE")
    assert "ODC-PDDL-1.0" in data.joinpath("README.md").read_text()
    assert "Public Domain Dedication" in data.joinpath("LICENSE-ODC-PDDL-1.0.txt").read_text()


def test_load_vix_returns_copies():
    a = load_vix()
    a.iloc[0, 0] = -1.0
    assert load_vix().iloc[0, 0] == pytest.approx(17.24)


def test_simulated_csv_round_trips(tmp_path):
    frame = make_vix_sim(50, random_state=0)
    path = tmp_path / "sim.csv"
    frame.to_csv(path)
    loaded = load_vix_csv(path)
    pd.testing.assert_frame_equal(loaded, frame, check_freq=False, check_index_type=False)


def csv(text):
    return io.StringIO("DATE,OPEN,HIGH,LOW,CLOSE\n" + text)


def test_loader_sorts_drops_exact_repeats_and_reads_us_dates():
    text = "01/03/1990,1,1,1,18\n01/02/1990,1,1,1,17\n01/02/1990,1,1,1,17\n"
    with pytest.warns(UserWarning) as caught:
        frame = load_vix_csv(csv(text))
    messages = [str(w.message) for w in caught]
    assert any("not in date order (line 3" in m for m in messages)
    assert any("Lines [4] repeat an earlier row" in m for m in messages)
    assert frame["vix"].tolist() == [17.0, 18.0]
    assert frame.index.is_monotonic_increasing


@pytest.mark.parametrize(
    "text, message",
    [
        ("1990-01-02,1,1,1,17\n1990-01-02,1,1,1,18\n", r"1990-01-02 appears on lines \[2, 3\]"),
        ("1990-01-02,1,1,1,17\n1990-01-03,1,1,1,abc\n", r"'close', line 3: value 'abc'"),
        ("1990-01-02,1,1,1,17\n1990-01-03,1,1,1,\n", r"'close', line 3"),
        ("1990-01-02,1,1,1,17\n1990-01-03,1,1,1,0\n", r"line 3: the VIX must be positive"),
        ("1990-01-02,1,1,1,17\nnot a date,1,1,1,18\n", r"'date', line 3"),
    ],
)
def test_loader_errors_name_row_and_column(text, message):
    with pytest.raises(ValueError, match=message):
        load_vix_csv(csv(text))


def test_loader_requires_date_and_close():
    with pytest.raises(ValueError, match="no CLOSE"):
        load_vix_csv(io.StringIO("DATE,OPEN\n1990-01-02,1\n"))
    with pytest.raises(ValueError, match="no DATE"):
        load_vix_csv(io.StringIO("DAY,CLOSE\n1990-01-02,1\n"))


def test_make_supervised_aligns_targets_with_the_future():
    data = make_vix_sim(30, random_state=0)
    X, y = make_supervised(data, horizon=3)
    assert len(X) == len(y) == 27
    assert X.index.equals(y.index)
    assert list(y.columns) == ["vix_h1", "vix_h2", "vix_h3"]
    for h in (1, 2, 3):
        np.testing.assert_array_equal(y[f"vix_h{h}"], data["vix"].iloc[h : 27 + h])
    X1, y1 = make_supervised(data)
    assert isinstance(y1, pd.Series) and y1.name == "vix_h1"
    pd.testing.assert_frame_equal(X1, data.iloc[:-1])


def test_make_supervised_does_not_mutate_its_input():
    data = make_vix_sim(30, random_state=0)
    copy = data.copy()
    X, _ = make_supervised(data)
    X.iloc[0, 0] = -5
    pd.testing.assert_frame_equal(data, copy)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"target": "nope"}, ValueError, "target='nope'"),
        ({"horizon": 0}, ValueError, "horizon"),
        ({"horizon": 1.5}, InvalidParameterError, "horizon"),
    ],
)
def test_make_supervised_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_supervised(make_vix_sim(30, random_state=0), **kwargs)


def test_make_supervised_names_missing_target_row():
    data = make_vix_sim(30, random_state=0)
    data.iloc[4, 0] = np.nan
    with pytest.raises(ValueError, match="missing at row"):
        make_supervised(data)


def test_make_supervised_targets_are_the_sessions_the_calendar_features_describe():
    from sklearn_vix.calendar import sessions_after
    from sklearn_vix.preprocessing import CalendarTransformer

    frame = load_vix().loc["2023-06-01":"2023-07-31"]
    X, y = make_supervised(frame, horizon=5)
    # Row 2023-07-03: step 1 is Wednesday 07-05 (07-04 is a holiday), as days_step1 = 2 says.
    assert y.loc["2023-07-03", "vix_h1"] == frame.loc["2023-07-05", "vix"]
    days = CalendarTransformer(horizon=5).fit(X).transform(X)
    targets = X.index.to_numpy()[:, None] + days.astype("timedelta64[D]")
    expected = frame["vix"].reindex(targets.ravel()).to_numpy().reshape(targets.shape)
    np.testing.assert_array_equal(y.to_numpy(), expected)
    np.testing.assert_array_equal(targets, sessions_after(X.index, 5))


def test_a_missing_session_is_a_gap_not_a_shift():
    frame = load_vix().loc["1997-11-20":"1997-12-05"]  # 1997-11-26 has no row
    X, y = make_supervised(frame, horizon=2)
    # The rows whose targets fall on the missing session are dropped ...
    assert "1997-11-25" not in X.index and "1997-11-24" not in X.index
    # ... and no target is the value of a later session.
    assert y.loc["1997-11-21", "vix_h1"] == frame.loc["1997-11-24", "vix"]
    assert y.loc["1997-11-28", "vix_h1"] == frame.loc["1997-12-01", "vix"]
    assert len(X) == len(frame) - 2 - 2


def test_make_supervised_drops_rows_on_closed_days_with_a_warning_naming_them():
    raw = load_vix(sessions_only=False).loc["2023-06-12":"2023-06-30"]
    # "auto": a frame with a holiday row is not a session index; its targets go by rows.
    _, by_rows = make_supervised(raw, calendar=None)
    assert by_rows.loc["2023-06-16"] == raw.loc["2023-06-19", "vix"]
    with pytest.warns(UserWarning, match=r"1 row\(s\) .* NYSE was closed .*2023-06-19"):
        X, y = make_supervised(raw, calendar="XNYS")
    assert "2023-06-19" not in X.index
    assert y.loc["2023-06-16"] == raw.loc["2023-06-20", "vix"]


def test_make_supervised_by_sessions_ignores_the_time_zone():
    frame = load_vix().loc["2023-06-01":"2023-07-31"]
    X, y = make_supervised(frame.tz_localize("America/New_York"), horizon=3)
    naive_X, naive_y = make_supervised(frame, horizon=3)
    np.testing.assert_array_equal(y.to_numpy(), naive_y.to_numpy())
    assert X.index.tz is not None and len(X) == len(naive_X)


def test_make_supervised_names_the_fix_for_data_that_skips_sessions():
    weekly = load_vix().loc["2023"].resample("W-FRI").last().dropna()
    weekly = weekly[weekly.index.isin(load_vix().index)]
    with pytest.raises(ValueError, match="calendar=None"):
        make_supervised(weekly, horizon=1)
    assert len(make_supervised(weekly, horizon=1, calendar=None)[0]) == len(weekly) - 1


def test_the_simulator_is_dated_by_nyse_sessions():
    from sklearn_vix.calendar import is_session

    frame = make_vix_sim(600, random_state=0, start="2001-09-01")
    assert is_session(frame.index).all() and len(frame) == 600
    assert frame.index[0] == pd.Timestamp("2001-09-04")
    assert "2001-09-11" not in frame.index
