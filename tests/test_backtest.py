"""backtest: walk-forward forecasts, refits on a schedule, online intervals, warm nets."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, HARRegressor, make_forecaster
from sklearn_vix.calendar import is_session, next_sessions
from sklearn_vix.datasets import load_vix, load_vix_sim, make_supervised
from sklearn_vix.metrics import crps_from_quantiles
from sklearn_vix.model_selection import backtest, compare_backtests
from sklearn_vix.model_selection._compare import _fold_metrics

FRAME = load_vix_sim().iloc[:420]
START = 300


def _data(frame=FRAME, horizon=3):
    return make_supervised(frame, horizon=horizon)


def _changed_after(position: int) -> pd.DataFrame:
    """The frame with every value after row ``position`` replaced."""
    frame = FRAME.copy()
    rng = np.random.default_rng(position)
    later = frame.index[position + 1 :]
    frame.loc[later, "vix"] = rng.uniform(10, 80, size=len(later))
    return frame


MODELS = {
    "har": lambda: HARRegressor(),
    "linear": lambda: make_forecaster(LinearRegression()),
    "conformal": lambda: ConformalForecaster(HARRegressor(log=True), coverage=0.8),
    "conformal-pid": lambda: ConformalForecaster(
        HARRegressor(log=True), coverage=0.8, online="pid"
    ),
}


def test_forecast_frame_has_one_row_per_origin_and_step():
    X, y = _data()
    result = backtest(HARRegressor(), X, y, start=START, refit_every=22, progress=False)
    forecasts = result.forecasts
    n_origins = len(X) - START
    assert list(forecasts.columns) == [
        "origin", "step", "target_date", "forecast", "lower", "upper", "actual", "refit"
    ]  # fmt: skip
    assert len(forecasts) == 3 * n_origins
    assert forecasts["origin"].iloc[0] == X.index[START]
    assert forecasts[["lower", "upper"]].isna().all().all()
    np.testing.assert_array_equal(result.wide("actual").to_numpy(), y.iloc[START:].to_numpy())
    assert result.fits["refit"].tolist() == list(range(-(-n_origins // 22)))
    assert (np.diff(result.fits["n_train"]) == 22).all()
    # Training ends h rows before the first origin: later targets are unknown then.
    first_origin = X.index.get_loc(result.fits["origin"].iloc[0])
    assert X.index.get_loc(result.fits["train_end"].iloc[0]) == first_origin - 3


def test_target_dates_are_the_next_sessions_inside_and_past_the_data():
    X, y = _data()
    forecasts = backtest(HARRegressor(), X, y, start=START, progress=False).forecasts
    inside = forecasts[forecasts["origin"] == X.index[START]]
    assert list(inside["target_date"]) == list(X.index[START + 1 : START + 4])
    last = forecasts[forecasts["origin"] == X.index[-1]]
    assert list(last["target_date"]) == list(next_sessions(X.index[-1], 3))


def test_target_dates_are_sessions_and_actuals_their_closes_on_the_shipped_file():
    # Cboe's file has rows on holidays (2023-06-19, Juneteenth) and, in the 1990s,
    # misses sessions: a target is a session and its actual is that session's close.
    for frame in (load_vix().loc["2022-06-01":], load_vix().loc["1996-06-01":"1998-06-30"]):
        X, y = make_supervised(frame[["vix"]], horizon=2)
        result = backtest(HARRegressor(), X, y, start=len(X) // 2, progress=False)
        forecasts = result.forecasts.dropna(subset=["actual"])
        assert is_session(forecasts["target_date"]).all()
        closes = frame["vix"].reindex(pd.DatetimeIndex(forecasts["target_date"]))
        np.testing.assert_array_equal(forecasts["actual"].to_numpy(), closes.to_numpy())


@pytest.mark.parametrize("name", list(MODELS))
def test_forecast_at_origin_never_changes_when_later_rows_change(name):
    X, y = _data()
    base = backtest(MODELS[name](), X, y, start=START, refit_every=22, progress=False)
    # A refit origin, and an origin in the middle of a block.
    for origin in (START + 22, START + 33):
        X_new, y_new = _data(_changed_after(origin))
        changed = backtest(
            MODELS[name](), X_new, y_new, start=START, refit_every=22, progress=False
        )
        mask = base.forecasts["origin"] <= X.index[origin]
        columns = ["forecast", "lower", "upper"]
        pd.testing.assert_frame_equal(
            base.forecasts.loc[mask, columns], changed.forecasts.loc[mask, columns]
        )
        later = base.forecasts["origin"] > X.index[origin]
        assert not np.allclose(
            base.forecasts.loc[later, "forecast"], changed.forecasts.loc[later, "forecast"]
        )


def test_one_predict_per_block_equals_forecasting_row_by_row():
    # An NYSE holiday between the last training row and the block (the simulator is
    # dated by NYSE sessions, as the CBOE file is): the block's first windows must still
    # be completed from the training rows, as production has them.
    weekdays_between = np.busday_count(
        FRAME.index[:-1].to_numpy().astype("datetime64[D]"),
        FRAME.index[1:].to_numpy().astype("datetime64[D]"),
    )
    holiday = int(np.flatnonzero(weekdays_between[START:] > 1)[0]) + START + 1
    assert not is_session([FRAME.index[holiday] - pd.offsets.BDay()])[0]
    start = holiday + 2
    X, y = _data()
    model = make_forecaster(LinearRegression())
    result = backtest(model, X, y, start=start, refit_every=22, progress=False)
    fitted = make_forecaster(LinearRegression()).fit(X.iloc[: start - 2], y.iloc[: start - 2])
    for origin in (start, start + 7, start + 21):
        alone = fitted.predict(X.iloc[: origin + 1])[-1]
        np.testing.assert_allclose(result.wide().loc[X.index[origin]].to_numpy(), alone)


def test_conformal_intervals_absorb_each_outcome_when_it_is_known():
    X, y = _data(horizon=2)
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8, gamma=0.05)
    result = backtest(model, X, y, start=START, refit_every=40, progress=False)
    # Replayed by hand: fit at the block's origin, then one update per origin with the
    # rows whose outcomes have all arrived; the interval of origin t is issued from the
    # state holding step k of origin j exactly when j + k <= t.
    fitted = ConformalForecaster(HARRegressor(log=True), coverage=0.8, gamma=0.05)
    fitted.fit(X.iloc[: START - 1], y.iloc[: START - 1])
    block = fitted.update(X.iloc[START - 1 : START + 40], y.iloc[START - 1 : START + 40])
    bounds = block.update_intervals_[1:]
    wide_lower, wide_upper = result.wide("lower"), result.wide("upper")
    np.testing.assert_allclose(wide_lower.iloc[:40].to_numpy(), bounds[..., 0])
    np.testing.assert_allclose(wide_upper.iloc[:40].to_numpy(), bounds[..., 1])
    assert np.isfinite(result.forecasts[["lower", "upper"]]).all().all()
    assert result.coverage == 0.8
    assert "coverage" in result.metrics.columns


def test_metrics_are_compare_models_metrics_of_the_forecast_rows():
    X, y = _data()
    result = backtest(HARRegressor(), X, y, start=START, progress=False)
    wide = result.wide().to_numpy()
    truth = y.iloc[START:].to_numpy()
    naive = np.repeat(X["vix"].iloc[START:].to_numpy()[:, None], 3, axis=1)
    expected = _fold_metrics(truth, wide, naive)
    for name, value in expected.items():
        assert result.metrics.loc["all", name] == pytest.approx(value)
    assert len(result.table) == len(result.fits)


def test_rolling_window_trains_on_the_last_rows_only():
    X, y = _data()
    result = backtest(HARRegressor(), X, y, start=START, window=100, progress=False)
    assert (result.fits["n_train"] == 100).all()


def test_numpy_input_matches_pandas_input():
    X, y = _data()
    frame = backtest(HARRegressor(), X, y, start=START, progress=False)
    array = backtest(HARRegressor(), X.to_numpy(), y.to_numpy(), start=START, progress=False)
    np.testing.assert_allclose(frame.wide().to_numpy(), array.wide().to_numpy())


def test_start_can_be_a_date():
    X, y = _data()
    by_date = backtest(HARRegressor(), X, y, start=str(X.index[START].date()), progress=False)
    assert by_date.forecasts["origin"].iloc[0] == X.index[START]


class _CountingRegressor(RegressorMixin, BaseEstimator):
    fits = 0

    def __init__(self, lookback=10):
        self.lookback = lookback

    def fit(self, X, y):
        type(self).fits += 1
        return self

    def predict(self, X):
        return np.zeros(len(X))


class _NoPredict(BaseEstimator):
    def fit(self, X, y):
        return self


@pytest.mark.parametrize(
    ("estimator", "kwargs", "error", "match"),
    [
        (_CountingRegressor(lookback=10), {"start": 5}, ValueError, "lookback of 10"),
        (_CountingRegressor(), {"start": 10_000}, ValueError, "after the data"),
        (_CountingRegressor(), {"start": "2090-01-01"}, ValueError, "after the data"),
        (_CountingRegressor(), {"start": START, "refit_every": 0}, ValueError, "refit_every"),
        (_CountingRegressor(lookback=30), {"start": START, "window": 20}, ValueError, "window=20"),
        (_NoPredict(), {"start": START}, TypeError, "no predict"),
    ],
)
def test_bad_input_is_refused_before_any_fit(estimator, kwargs, error, match):
    X, y = _data()
    _CountingRegressor.fits = 0
    with pytest.raises(error, match=match):
        backtest(estimator, X, y, progress=False, **kwargs)
    assert _CountingRegressor.fits == 0


def test_lookback_is_found_inside_make_forecaster():
    X, y = _data()
    with pytest.raises(ValueError, match="lookback of 30"):
        backtest(make_forecaster(LinearRegression(), lookback=30), X, y, start=START, window=25)


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys):
    X, y = _data()
    backtest(HARRegressor(), X, y, start=START)
    assert "backtest" not in capsys.readouterr().err
    backtest(HARRegressor(), X, y, start=START, progress=True)
    assert "backtest" in capsys.readouterr().err


@pytest.fixture(scope="module")
def tiny_net():
    from sklearn_vix import LSTMRegressor

    return make_forecaster(
        LSTMRegressor(hidden_size=4, max_epochs=2, patience=None, random_state=0), lookback=5
    )


def test_warm_refits_continue_the_previous_weights(tiny_net):
    X, y = _data()
    warm = backtest(tiny_net, X, y, start=START, refit_every=40, progress=False)
    cold = backtest(tiny_net, X, y, start=START, refit_every=40, warm_start=False, progress=False)
    assert warm.fits["warm"].tolist() == [False, True, True]
    assert not cold.fits["warm"].any()
    first = warm.forecasts["refit"] == 0
    np.testing.assert_allclose(
        warm.forecasts.loc[first, "forecast"], cold.forecasts.loc[first, "forecast"]
    )
    assert not np.allclose(
        warm.forecasts.loc[~first, "forecast"], cold.forecasts.loc[~first, "forecast"]
    )


def test_warm_refits_never_see_later_rows(tiny_net):
    X, y = _data()
    base = backtest(tiny_net, X, y, start=START, refit_every=40, progress=False)
    origin = START + 40  # the first warm refit
    X_new, y_new = _data(_changed_after(origin))
    changed = backtest(tiny_net, X_new, y_new, start=START, refit_every=40, progress=False)
    mask = base.forecasts["origin"] <= X.index[origin]
    np.testing.assert_array_equal(
        base.forecasts.loc[mask, "forecast"], changed.forecasts.loc[mask, "forecast"]
    )


def test_a_net_inside_conformal_is_refitted_cold(tiny_net):
    X, y = _data()
    model = ConformalForecaster(tiny_net, method="split", coverage=0.8)
    result = backtest(model, X, y, start=START, refit_every=60, progress=False)
    assert not result.fits["warm"].any()


def test_compare_backtests_ranks_models_with_mcs_and_dm():
    from sklearn_vix import PersistenceRegressor
    from sklearn_vix.stats import diebold_mariano, model_confidence_set

    X, y = _data(horizon=1)
    runs = {
        name: backtest(model, X, y, start=START, progress=False)
        for name, model in {"har": HARRegressor(), "naive": PersistenceRegressor()}.items()
    }
    table = compare_backtests(runs, block_size=5)
    losses = pd.DataFrame({name: run.losses() for name, run in runs.items()})
    np.testing.assert_allclose(table["mean_loss"], losses.mean())
    expected = model_confidence_set(losses, block_size=5)
    assert table["in_mcs"].tolist() == [name in expected.included for name in runs]
    errors = {name: run.wide("forecast")[1] - run.wide("actual")[1] for name, run in runs.items()}
    dm = diebold_mariano(errors["har"].to_numpy(), errors["naive"].to_numpy())
    assert table.loc["har", "dm_vs_naive"] == pytest.approx(dm.pvalue)
    assert table.attrs["block_size"] == 5


def test_parallel_cold_refits_give_the_same_forecasts():
    X, y = _data()
    serial = backtest(HARRegressor(), X, y, start=START, progress=False)
    parallel = backtest(HARRegressor(), X, y, start=START, n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(serial.forecasts, parallel.forecasts)


def test_target_dates_are_sessions_on_cboes_current_layout(tmp_path):
    # Cboe's file since 2022: US dates, and rows on exchange holidays (extended hours).
    from sklearn_vix.calendar import sessions
    from sklearn_vix.datasets import load_vix_csv

    days = sessions("2024-01-02", "2026-06-30")
    holidays = pd.to_datetime(["2024-01-15", "2024-06-19", "2024-11-28", "2025-07-04"])
    dates = days.union(holidays)
    close = np.round(15 + 5 * np.sin(np.arange(len(dates)) / 9.0), 2)
    table = pd.DataFrame(
        {
            "DATE": dates.strftime("%m/%d/%Y"),
            "OPEN": close,
            "HIGH": close,
            "LOW": close,
            "CLOSE": close,
        }
    )
    table.to_csv(tmp_path / "VIX_History.csv", index=False)
    with pytest.warns(UserWarning, match="4 row"):
        frame = load_vix_csv(tmp_path / "VIX_History.csv")
    X, y = make_supervised(frame[["vix"]], horizon=3)
    forecasts = backtest(HARRegressor(), X, y, start="2024-06-03", progress=False).forecasts
    known = forecasts.dropna(subset=["actual"])
    assert is_session(forecasts["target_date"]).all()
    closes = frame["vix"].reindex(pd.DatetimeIndex(known["target_date"])).to_numpy()
    np.testing.assert_array_equal(known["actual"].to_numpy(), closes)
    # 2024-06-18's first target is 06-20: the Juneteenth row is no session.
    first = forecasts[(forecasts["origin"] == "2024-06-18") & (forecasts["step"] == 1)]
    assert first["target_date"].tolist() == [pd.Timestamp("2024-06-20")]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda X, y: (X.iloc[::-1], y.iloc[::-1]), r"X's index must be .* increasing.*row 1"),
        (
            lambda X, y: (
                pd.concat([X.iloc[:50], X.iloc[49:]]),
                pd.concat([y.iloc[:50], y.iloc[49:]]),
            ),
            r"row 50 .* repeats row 49",
        ),
        (lambda X, y: (X, y.set_axis(y.index + pd.Timedelta(days=1))), "y's index is not X's"),
    ],
)
def test_bad_rows_are_errors_naming_the_row_before_any_fit(change, message):
    X, y = change(*_data())
    with pytest.raises(ValueError, match=message):
        backtest(_NeverFitted(), X, y, start=START, progress=False)


@pytest.mark.parametrize("start", ["yesterday", "2023-13-45"])
def test_a_start_that_is_not_a_date_names_start(start):
    X, y = _data()
    with pytest.raises(ValueError, match=rf"start='{start}' is neither a row position"):
        backtest(_NeverFitted(), X, y, start=start, progress=False)


class _NeverFitted(RegressorMixin, BaseEstimator):
    """Fails the test if the backtest fits it: input errors must come first."""

    def fit(self, X, y):
        raise AssertionError("fitted before the input was checked")

    def predict(self, X):
        raise AssertionError("predicted before the input was checked")


# -- compare_backtests: DM on the chosen loss, Clark-West for nested pairs, MCS options --


@pytest.fixture(scope="module")
def three_step_runs():
    """HAR, the linear model and persistence twice: by name, and as "naive"."""
    from sklearn_vix import PersistenceRegressor

    X, y = _data(horizon=3)
    models = {
        "har": HARRegressor(),
        "linear": make_forecaster(LinearRegression()),
        "persistence": PersistenceRegressor(),
        "naive": PersistenceRegressor(),
    }
    return {
        name: backtest(model, X, y, start=START, refit_every=60, progress=False)
        for name, model in models.items()
    }


def _last_step(run, column):
    return run.wide(column)[3].to_numpy()


@pytest.mark.parametrize("loss", ["squared", "absolute", "qlike"])
def test_compare_backtests_diebold_mariano_is_on_the_chosen_loss(three_step_runs, loss):
    from sklearn_vix.stats import diebold_mariano

    runs = {name: three_step_runs[name] for name in ("har", "linear", "naive")}
    table = compare_backtests(runs, loss=loss, reps=50)
    truth = _last_step(runs["har"], "actual")
    errors = {name: _last_step(run, "forecast") - truth for name, run in runs.items()}
    for name, other in [("har", "naive"), ("linear", "har"), ("naive", "linear")]:
        expected = diebold_mariano(errors[name], errors[other], h=3, loss=loss, y_true=truth)
        assert table.loc[name, f"dm_vs_{other}"] == pytest.approx(expected.pvalue, rel=1e-12)
    losses = pd.DataFrame({name: run.losses(loss=loss) for name, run in runs.items()})
    np.testing.assert_allclose(table["mean_loss"], losses.mean())
    assert table.attrs["loss"] == loss and table.attrs["step"] == 3


def test_compare_backtests_dm_pvalues_change_with_the_loss(three_step_runs):
    runs = {name: three_step_runs[name] for name in ("har", "naive")}
    pvalues = {
        loss: compare_backtests(runs, loss=loss, reps=50).loc["har", "dm_vs_naive"]
        for loss in ("squared", "absolute", "qlike")
    }
    assert len(set(pvalues.values())) == 3


def test_compare_backtests_finds_persistence_by_name_and_by_forecasts(three_step_runs):
    from sklearn_vix.stats import clark_west

    table = compare_backtests(three_step_runs, reps=50)
    assert table.attrs["nested"] == [
        ("persistence", "har"),
        ("persistence", "linear"),
        ("naive", "har"),
        ("naive", "linear"),
    ]
    truth = _last_step(three_step_runs["har"], "actual")
    small = _last_step(three_step_runs["persistence"], "forecast")
    for large in ("har", "linear"):
        expected = clark_west(truth, small, _last_step(three_step_runs[large], "forecast"), h=3)
        assert table.loc[large, "cw_vs_persistence"] == pytest.approx(expected.pvalue)
        assert table.loc[large, "cw_vs_naive"] == table.loc[large, "cw_vs_persistence"]
    assert (
        table.loc[["persistence", "naive"], ["cw_vs_persistence", "cw_vs_naive"]]
        .isna()
        .all(axis=None)
    )


def test_compare_backtests_tests_the_declared_nested_pairs_only(three_step_runs):
    from sklearn_vix.stats import clark_west

    runs = {name: three_step_runs[name] for name in ("har", "linear", "naive")}
    table = compare_backtests(runs, nested=[("har", "linear")], reps=50)
    assert [c for c in table.columns if c.startswith("cw_")] == ["cw_vs_har"]
    truth = _last_step(runs["har"], "actual")
    expected = clark_west(
        truth, _last_step(runs["har"], "forecast"), _last_step(runs["linear"], "forecast"), h=3
    )
    assert table.loc["linear", "cw_vs_har"] == pytest.approx(expected.pvalue)
    assert table["cw_vs_har"].drop("linear").isna().all()
    assert not any(c.startswith("cw_") for c in compare_backtests(runs, nested=[], reps=50))


@pytest.mark.parametrize(
    ("nested", "error", "match"),
    [
        ([("persistence", "har")], ValueError, "names 'persistence', which is not a model"),
        ([("har", "har")], ValueError, "two different models"),
        (["har"], TypeError, r"\(small, large\) pairs"),
        ("all", ValueError, "'nested' parameter"),
    ],
)
def test_compare_backtests_refuses_nested_pairs_it_cannot_test(
    three_step_runs, nested, error, match
):
    runs = {name: three_step_runs[name] for name in ("har", "naive")}
    with pytest.raises(error, match=match):
        compare_backtests(runs, nested=nested)


@pytest.mark.parametrize(
    ("method", "bootstrap"), [("max", "circular"), ("R", "moving block"), ("R", "stationary")]
)
def test_compare_backtests_passes_the_mcs_options_to_arch(three_step_runs, method, bootstrap):
    from arch.bootstrap import MCS

    runs = {name: three_step_runs[name] for name in ("har", "linear", "naive")}
    options = dict(method=method, bootstrap=bootstrap, reps=120, block_size=6)
    table = compare_backtests(runs, size=0.2, loss="absolute", random_state=7, **options)
    losses = pd.DataFrame({name: run.losses(loss="absolute") for name, run in runs.items()})
    direct = MCS(losses, 0.2, seed=7, **options)
    direct.compute()
    pvalues = direct.pvalues["Pvalue"]
    pd.testing.assert_series_equal(
        table["mcs_pvalue"], pvalues.reindex(table.index), check_names=False
    )
    assert table["in_mcs"].tolist() == [name in direct.included for name in runs]
    assert {k: table.attrs[k] for k in options} == options


def _hand_made(errors: np.ndarray, step: int = 2):
    """A BacktestResult of one step whose errors are ``errors`` on a flat truth of 20."""
    from sklearn_vix.model_selection import BacktestResult

    n = len(errors)
    forecasts = pd.DataFrame(
        {
            "origin": np.arange(n),
            "step": step,
            "target_date": np.arange(n) + step,
            "forecast": 20.0 + errors,
            "lower": np.nan,
            "upper": np.nan,
            "actual": 20.0,
            "refit": 0,
        }
    )
    return BacktestResult(forecasts, pd.DataFrame())


def test_compare_backtests_survives_a_negative_dm_variance_as_dm_test_does():
    # dm.test(E1, E2, h=2) of R's forecast 8.20: the variance at h=2 is negative, it warns
    # "Proceeding with horizon h=1" and gives p = 0.82447156441468228 (tests/test_stats.py).
    e1 = np.array([0.8, -1.2, 0.3, 1.9, -0.4, 0.7, -1.5, 0.2, 1.1, -0.6, 0.9, -0.1])
    e2 = np.array([0.5, -0.9, 1.4, 0.6, -1.1, 0.2, -0.3, 1.6, 0.4, -0.8, 0.1, -1.3])
    runs = {"one": _hand_made(e1), "two": _hand_made(e2)}
    with pytest.warns(UserWarning, match="not positive at h=2"):
        table = compare_backtests(runs, reps=50, block_size=3)
    assert table.loc["one", "dm_vs_two"] == pytest.approx(0.82447156441468228, rel=1e-12)
    assert table.attrs["nested"] == []


def test_metrics_by_name_and_callable_per_block_and_overall():
    from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error

    X, y = _data()
    result = backtest(
        HARRegressor(),
        X,
        y,
        start=START,
        metrics={"mae": "mae", "mape": mean_absolute_percentage_error},
        progress=False,
    )
    assert list(result.metrics.columns) == ["mae", "mape"]
    wide, actual = result.wide("forecast"), result.wide("actual")
    assert result.metrics.loc["all", "mape"] == pytest.approx(
        mean_absolute_percentage_error(actual, wide)
    )
    assert result.metrics.loc["all", "mae"] == pytest.approx(mean_absolute_error(actual, wide))
    assert list(result.table.columns) == ["refit", "mae", "mape"]


def test_an_unknown_metric_is_an_error_before_any_fit():
    X, y = _data()
    with pytest.raises(ValueError, match="'coverage' is not a metric of this backtest"):
        backtest(_NeverFitted(), X, y, start=START, metrics=["rmse", "coverage"], progress=False)


def test_return_estimator_gives_every_refit_model():
    X, y = _data()
    result = backtest(
        HARRegressor(), X, y, start=START, refit_every=40, return_estimator=True, progress=False
    )
    assert len(result.estimators) == len(result.fits)
    last = result.estimators[-1]
    origin = X.index.get_loc(result.fits["origin"].iloc[-1])
    np.testing.assert_allclose(
        last.predict(X.iloc[: origin + 1])[-1], result.wide().iloc[-len(X) + origin]
    )
    assert backtest(HARRegressor(), X, y, start=START, progress=False).estimators is None


class _Peeking(RegressorMixin, BaseEstimator):
    """Forecasts each row with the next row's value: not causal."""

    def fit(self, X, y):
        self.n_outputs_ = np.shape(y)[1] if np.ndim(y) > 1 else 1
        return self

    def predict(self, X):
        values = np.asarray(X)[:, 0]
        ahead = np.append(values[1:], values[-1])
        return np.repeat(ahead[:, None], self.n_outputs_, axis=1)


def test_the_causality_check_catches_a_predict_that_reads_later_rows():
    X, y = _data()
    with pytest.raises(ValueError, match="predict is not causal"):
        backtest(_Peeking(), X, y, start=START, check_causality=True, progress=False)
    backtest(HARRegressor(), X, y, start=START, check_causality=True, progress=False)


@pytest.mark.parametrize("method", ["split", "cross"])
def test_conformal_blocks_continue_the_history_the_model_was_given(method):
    # The split model is fitted on the first 80 % only; a block after the whole fit data
    # must still be forecast from the full history, as the same model would from it.
    X, y = _data(horizon=2)
    model = ConformalForecaster(make_forecaster(LinearRegression()), method=method)
    result = backtest(model, X, y, start=START, refit_every=20, progress=False)
    for refit, block in result.forecasts.groupby("refit"):
        fit_end = X.index.get_loc(result.fits["train_end"].iloc[refit])
        fitted = clone(model).fit(X.iloc[: fit_end + 1], y.iloc[: fit_end + 1])
        origins = [X.index.get_loc(o) for o in block["origin"].unique()]
        full = fitted.predict(X.iloc[: origins[-1] + 1])[origins]
        np.testing.assert_allclose(block["forecast"].to_numpy().reshape(full.shape), full)


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("cut", [350, 362])  # inside a block, and at a block's end
def test_a_continued_backtest_is_the_full_one(name, cut):
    X, y = _data()
    full = backtest(MODELS[name](), X, y, start=START, refit_every=22, progress=False)
    short = backtest(
        MODELS[name](), X.iloc[:cut], y.iloc[:cut], start=START, refit_every=22, progress=False
    )
    before = short.forecasts.copy()
    continued = short.extend(X, y)
    pd.testing.assert_frame_equal(continued.forecasts, full.forecasts)
    pd.testing.assert_frame_equal(continued.metrics, full.metrics)
    assert continued.fits["refit"].tolist() == full.fits["refit"].tolist()
    pd.testing.assert_frame_equal(short.forecasts, before)  # the short run is unchanged


def test_a_continued_backtest_of_a_warm_net_is_the_full_one():
    pytest.importorskip("torch")
    from sklearn_vix import LSTMRegressor

    X, y = _data(horizon=1)
    net = make_forecaster(
        LSTMRegressor(hidden_size=4, max_epochs=2, batch_size=64, random_state=0),
        calendar=None,
    )
    args = {"start": START, "refit_every": 40, "warm_epochs": 1, "progress": False}
    full = backtest(net, X, y, **args)
    continued = backtest(net, X.iloc[:370], y.iloc[:370], **args).extend(X, y)
    assert full.fits["warm"].iloc[1:].all()
    np.testing.assert_allclose(continued.forecasts["forecast"], full.forecasts["forecast"])


def test_a_continuation_refuses_a_changed_past():
    X, y = _data()
    short = backtest(HARRegressor(), X.iloc[:350], y.iloc[:350], start=START, progress=False)
    changed = X.copy()
    changed.iloc[320, 0] += 1.0
    with pytest.raises(ValueError, match=r"changes row 320"):
        short.extend(changed, y)
    with pytest.raises(ValueError, match="must start with the 350 rows"):
        short.extend(X.iloc[10:], y.iloc[10:])


def test_carry_online_state_starts_each_refit_where_the_last_one_ended():
    X, y = _data(horizon=1)
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8, gamma=0.05)
    args = {"start": START, "refit_every": 30, "progress": False, "return_estimator": True}
    carried = backtest(model, X, y, carry_online_state=True, **args)
    fresh = backtest(model, X, y, **args)
    # The first block is the same; later ones start from the learnt levels, not 0.8's.
    first = carried.forecasts["refit"] == 0
    pd.testing.assert_frame_equal(carried.forecasts[first], fresh.forecasts[first])
    assert not np.allclose(
        carried.forecasts.loc[~first, "lower"], fresh.forecasts.loc[~first, "lower"]
    )
    states = [m.online_state_.states for m in carried.estimators]
    assert all(states[i].keys() <= states[i + 1].keys() for i in range(len(states) - 1))


def test_an_online_block_is_predicted_once():
    X, y = _data(horizon=2)

    class Counting(HARRegressor):
        calls = 0

        def predict(self, X):
            type(self).calls += 1
            return super().predict(X)

    model = ConformalForecaster(Counting(log=True), coverage=0.8, n_splits=2)
    result = backtest(model, X, y, start=START, refit_every=40, progress=False)
    # Per refit: two calibration folds, then one prediction of the block.
    assert Counting.calls == len(result.fits) * (2 + 1)


def test_a_refit_policy_sees_only_what_is_known_and_decides_the_refits():
    X, y = _data()
    seen = []

    def every_30_sessions(forecasts, origin):
        position = X.index.get_loc(origin)
        known = forecasts.dropna(subset=["actual"])
        # Nothing from after the origin: no known outcome is later than it.
        assert (X.index.get_indexer(known["target_date"]) <= position).all()
        assert (forecasts["origin"] < origin).all()
        seen.append(origin)
        last_refit = X.index.get_loc(
            forecasts["origin"][forecasts["refit"] == forecasts["refit"].max()].iloc[0]
        )
        return position - last_refit >= 30

    by_policy = backtest(
        HARRegressor(), X, y, start=START, refit_every=every_30_sessions, progress=False
    )
    fixed = backtest(HARRegressor(), X, y, start=START, refit_every=30, progress=False)
    pd.testing.assert_frame_equal(by_policy.forecasts, fixed.forecasts)
    pd.testing.assert_frame_equal(
        by_policy.fits.drop(columns=["fit_time", "predict_time"]),
        fixed.fits.drop(columns=["fit_time", "predict_time"]),
    )
    assert seen


def test_an_online_model_under_a_policy_equals_the_fixed_schedule():
    X, y = _data()
    model = MODELS["conformal-pid"]()

    def every_25(forecasts, origin):
        first = forecasts["origin"][forecasts["refit"] == forecasts["refit"].max()].iloc[0]
        return X.index.get_loc(origin) - X.index.get_loc(first) >= 25

    by_policy = backtest(model, X, y, start=START, refit_every=every_25, progress=False)
    fixed = backtest(model, X, y, start=START, refit_every=25, progress=False)
    pd.testing.assert_frame_equal(by_policy.forecasts, fixed.forecasts)
    with pytest.raises(ValueError, match="policy decides cannot be continued"):
        by_policy.extend(X, y)


def test_a_carried_online_state_never_brings_the_future_in():
    X, y = _data()
    model = MODELS["conformal"]()
    args = {"start": START, "refit_every": 22, "carry_online_state": True, "progress": False}
    base = backtest(model, X, y, **args)
    origin = START + 33  # inside the second block, after a carried refit
    X_new, y_new = _data(_changed_after(origin))
    changed = backtest(model, X_new, y_new, **args)
    mask = base.forecasts["origin"] <= X.index[origin]
    columns = ["forecast", "lower", "upper"]
    pd.testing.assert_frame_equal(
        base.forecasts.loc[mask, columns], changed.forecasts.loc[mask, columns]
    )


def test_quantile_forecasters_are_scored_by_crps_from_each_blocks_first_origin():
    X, y = _data()
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8)
    asked = ["coverage", "crps", "quantile_pinball"]
    result = backtest(model, X, y, start=START, refit_every=40, metrics=asked)
    assert list(result.metrics.columns) == asked
    levels = result.quantiles.columns.to_numpy()
    np.testing.assert_allclose(levels, np.arange(1, 20) / 20)
    assert result.quantiles.index.equals(result.forecasts.index)
    truth = result.wide("actual").to_numpy()
    values = result.quantiles.to_numpy().reshape(*truth.shape, len(levels))
    assert result.metrics.loc["all", "crps"] == pytest.approx(
        crps_from_quantiles(truth, values, levels)
    )
    # The first block's quantiles are those of its refit, before any update.
    first = result.fits.iloc[0]
    fitted = clone(model).fit(X.loc[: first["train_end"]], y.loc[: first["train_end"]])
    after_fit = X.iloc[X.index.get_loc(first["train_end"]) + 1 : START + 40]
    np.testing.assert_allclose(values[:40], fitted.predict_quantiles(after_fit, levels)[-40:])
    assert result.losses(loss="crps").mean() == pytest.approx(
        crps_from_quantiles(truth[:, -1], values[:, -1], levels)
    )
    assert backtest(model, X, y, start=START, refit_every=40).quantiles is None


def test_crps_is_refused_for_a_model_without_quantiles():
    X, y = _data()
    with pytest.raises(ValueError, match="'crps' is not a metric"):
        backtest(HARRegressor(), X, y, start=START, metrics=["crps"])
    result = backtest(HARRegressor(), X, y, start=START)
    assert result.quantiles is None
    with pytest.raises(ValueError, match="loss='crps' needs the quantiles"):
        result.losses(loss="crps")


def test_a_continued_backtest_has_the_full_ones_quantiles():
    X, y = _data()
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8)
    args = {"start": START, "refit_every": 40, "metrics": ["crps"]}
    full = backtest(model, X, y, **args)
    short = backtest(model, X.iloc[:360], y.iloc[:360], **args)
    np.testing.assert_allclose(short.extend(X, y).quantiles, full.quantiles)


def test_a_walk_continued_row_by_row_is_the_backtest():
    from sklearn_vix.model_selection import continue_walk
    from sklearn_vix.model_selection._split import training_rows

    X, y = _data(horizon=2)
    model = ConformalForecaster(HARRegressor(log=True), coverage=0.8, gamma=0.05)
    full = backtest(model, X, y, start=START, refit_every=20, carry_online_state=True,
                    progress=False)  # fmt: skip
    live = clone(model).fit(*(part.iloc[training_rows(START, 2, "expanding")] for part in (X, y)))
    last_refit, seen, refits = START, START - 2, []
    forecasts, bounds = [], []
    for row in range(START, START + 70):
        # The data as it stands on the evening of ``row``: no later row exists yet.
        walk = continue_walk(live, X.iloc[: row + 1], y.iloc[: row + 1], last_refit=last_refit,
                             seen=seen, refit_every=20)  # fmt: skip
        live, last_refit, seen = walk.estimator, walk.last_refit, row
        refits += walk.refits
        forecasts.append(walk.forecast)
        bounds.append(walk.bounds)
    origins = full.wide("forecast").index[:70]
    np.testing.assert_allclose(np.array(forecasts), full.wide("forecast").iloc[:70], rtol=1e-12)
    np.testing.assert_allclose(np.array(bounds)[..., 0], full.wide("lower").iloc[:70], rtol=1e-12)
    np.testing.assert_allclose(np.array(bounds)[..., 1], full.wide("upper").iloc[:70], rtol=1e-12)
    assert [X.index[r] for r in refits] == list(origins[[20, 40, 60]])


def test_continue_walk_needs_a_new_row():
    from sklearn_vix.model_selection import continue_walk

    X, y = _data(horizon=1)
    model = HARRegressor().fit(X.iloc[:300], y.iloc[:300])
    with pytest.raises(ValueError, match="seen=300 must be a row of X before its last"):
        continue_walk(model, X.iloc[:301], y.iloc[:301], last_refit=301, seen=300)
