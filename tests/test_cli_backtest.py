"""`sklearn-vix backtest` and the walk-forward section offered to the report."""

import pandas as pd
import pytest

from sklearn_vix.cli._main import main
from sklearn_vix.cli.backtest import report_section
from sklearn_vix.datasets import load_vix_csv


@pytest.fixture(scope="module")
def sim_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "sim.csv"
    assert main(["simulate", "--out", str(path), "--days", "700", "--seed", "3"]) == 0
    return path


def test_backtest_writes_the_forecasts_and_a_page(sim_csv, tmp_path, capsys):
    frame = load_vix_csv(sim_csv)
    start = str(frame.index[560].date())
    prefix = tmp_path / "walk"
    code = main(
        ["backtest", "--data", str(sim_csv), "--start", start, "--refit-every", "50",
         "--model", "har", "--output", str(prefix)]
    )  # fmt: skip
    assert code == 0
    forecasts = pd.read_csv(prefix.with_suffix(".csv"), parse_dates=["origin", "target_date"])
    # Models are named as the page names them, not by their option.
    assert set(forecasts["model"]) == {"log-HAR", "persistence"}
    assert forecasts["origin"].min() == pd.Timestamp(start)
    har = forecasts[forecasts["model"] == "log-HAR"]
    assert har[["lower", "upper"]].notna().all().all()
    page = prefix.with_suffix(".html").read_text()
    assert page.count("<img") == 3
    assert "Model Confidence Set" in page and "MCS p-value" in page
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window", "5"], "lookback"),
    ],
)
def test_backtest_errors_are_one_line(sim_csv, tmp_path, capsys, args, message):
    code = main(["backtest", "--data", str(sim_csv), "--output", str(tmp_path / "x"), *args])
    assert code in (1, 2)
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_report_section_holds_the_walk_forward_and_the_mcs(sim_csv):
    from sklearn.linear_model import LinearRegression

    from sklearn_vix import ConformalForecaster, make_forecaster

    model = ConformalForecaster(make_forecaster(LinearRegression()))
    text = report_section(load_vix_csv(sim_csv), {"linear (log, calendar)": model}, years=1)
    assert "Walk-forward forecasts of linear (log, calendar), the last year" in text
    assert "in the MCS" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window", "many"], "expected 'expanding' or a number of rows"),
        (["--start", "someday"], "argument --start: expected a date such as 2023-01-03"),
        (["--start", "2100-01-01"], "argument --start: start=Timestamp('2100-01-01"),
    ],
)
def test_backtest_usage_error_is_one_line(sim_csv, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["backtest", "--data", str(sim_csv), "--output", str(tmp_path / "x"), *args])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
