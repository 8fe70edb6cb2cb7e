"""The command line, run as users run it: the installed `sklearn-vix` in a subprocess.

Every run here is small (`--no-nets` or `--quick`, short simulated files) to keep CI fast.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sklearn_vix.calendar import next_sessions
from sklearn_vix.datasets import load_vix_csv, make_vix_sim
from sklearn_vix.serialization import load_model

ROOT = Path(__file__).resolve().parents[1]


def _command() -> list[str]:
    script = shutil.which("sklearn-vix")
    assert script, "the sklearn-vix entry point is not installed: pip install -e ."
    return [script]


def _env() -> dict:
    # The installed entry point must import this checkout's package.
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "PYTHONWARNINGS": "ignore"}


def sklearn_vix(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_command(), *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sim_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "sim.csv"
    result = sklearn_vix("simulate", "--out", path, "--days", 1300, "--seed", 3)
    assert result.returncode == 0, result.stderr
    return path


def test_simulate_writes_what_load_vix_csv_reads(sim_csv):
    frame = load_vix_csv(sim_csv)
    expected = make_vix_sim(1300, random_state=3)
    assert list(frame.columns) == ["vix", "sp500_return", "interest_rate"]
    pd.testing.assert_index_equal(
        frame.index.as_unit("ns"), expected.index.rename("date").as_unit("ns"), check_freq=False
    )
    assert frame["vix"].to_numpy() == pytest.approx(expected["vix"].to_numpy(), abs=1e-6)


def _one_answer(out: Path, html: str) -> str:
    """The model the report recommends, checked to be the one everything else uses."""
    name = pd.read_csv(out / "recommendation.csv")["model"].item()
    top = html[: html.index("Which model forecasts best?")]
    assert f"Use {name}." in top  # the verdict
    assert f"{name}, the recommended model, fitted on every session" in top  # the forecast
    assert f"the forecast of {name}" in top  # the fan chart
    assert f"Walk-forward forecasts of {name}" in html
    forecast = pd.read_csv(out / "forecast.csv", index_col=0)
    assert len(forecast) == 5  # the fan opens over five sessions
    assert f"forecasts {forecast['forecast'].iloc[0]:.2f} for {forecast.index[0]}" in top
    return name


def test_report_writes_html_and_tables(sim_csv, tmp_path):
    out = tmp_path / "report"
    result = sklearn_vix(
        "report", "--data", sim_csv, "--no-nets", "--splits", 3, "--out", out,
        "--save", tmp_path / "best.joblib",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "random walk" in result.stdout and "HAR (log)" in result.stdout
    # Not a terminal: no progress bar on stderr.
    assert result.stderr == ""
    html = (out / "report.html").read_text()
    name = _one_answer(out, html)
    # Fan chart, EDA, forecasts, folds, and the walk-forward's forecasts, rolling coverage
    # and (when the recommended model is not persistence itself) rolling RMSE.
    assert html.count("data:image/png;base64,") == (6 if name == "persistence" else 7)
    assert "Walk-forward forecasts" in html
    assert 'src="http' not in html  # self-contained
    # The three questions are answered at the top, before the detailed sections.
    top = html[: html.index("Which model forecasts best?")]
    for question in (
        "Is the VIX predictable?",
        "Which model should I use, and is it better than the simple ones?",
        "What is the forecast for the next sessions?",
        "The last months of the VIX and the forecast",
    ):
        assert question in top
    assert "sklearn-vix 0.1.0" in top and "generated" in top
    assert "DM p vs persistence" in html and "DM p vs HAR" in html
    # Folds are named by their test dates, not numbered.
    ratios = pd.read_csv(out / "fold_ratios.csv", index_col=0)
    assert len(ratios) == 3 and all(" to " in label for label in ratios.index)
    for table in ("summary", "folds", "random_walk", "data_summary", "forecast", "recommendation"):
        assert (out / f"{table}.csv").is_file() and (out / f"{table}.md").is_file()
    summary = pd.read_csv(out / "summary.csv", index_col="model")
    # From the simplest to the most complex: the order the rule prefers on a tie.
    assert list(summary.index) == [
        "persistence", "HAR", "HAR (log)", "linear (lookback 10)", "linear (log, calendar)"
    ]  # fmt: skip
    assert summary.loc["persistence", "rmse_ratio"] == pytest.approx(1.0)
    assert summary["dm_pvalue"].drop("persistence").between(0, 1).all()
    # Log-HAR carries the conformal intervals: its pooled coverage is near the nominal 90 %.
    assert 0.8 < summary.loc["HAR (log)", "coverage"] < 0.97
    assert pd.read_csv(out / "folds.csv")["fold"].nunique() == 3
    assert (out / "summary.md").read_text().startswith("| model | rmse_ratio |")
    model, metadata = load_model(tmp_path / "best.joblib", return_metadata=True)
    assert metadata["model"] == name and metadata["horizon"] == 5
    assert hasattr(model, "predict_interval")


def test_the_report_on_the_shipped_data_gives_one_answer(tmp_path):
    out = tmp_path / "report"
    result = sklearn_vix("report", "--no-nets", "--splits", 3, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    name = _one_answer(out, (out / "report.html").read_text())
    assert name != "persistence"  # on the real VIX a model measurably beats it


def test_report_with_the_net_shows_its_loss_curve(sim_csv, tmp_path):
    out = tmp_path / "report"
    result = sklearn_vix(
        "report", "--data", sim_csv, "--quick", "--splits", 2, "--horizon", 2,
        "--device", "cpu", "--n-jobs", 1, "--out", out, "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    html = (out / "report.html").read_text()
    # The four of the study, the loss curve and the walk-forward's (two or three).
    assert html.count("data:image/png;base64,") in (7, 8) and "LSTM (log)" in html
    assert "The network: LSTM (log)" in html
    # The walk-forward section forecasts at the report's horizon.
    assert "forecasts 1 to 2 sessions ahead" in html
    forecast = pd.read_csv(out / "forecast.csv")
    assert len(forecast) == 5
    assert (forecast["lower"] < forecast["forecast"]).all()
    assert (forecast["forecast"] < forecast["upper"]).all()


@pytest.mark.parametrize(
    ("options", "name", "why"),
    [
        ([], "linear (log, calendar)", "the model `sklearn-vix report` recommends"),
        (["--net", "--quick"], "LSTM (log)", "--net: the report's net, not its recommended"),
    ],
)
def test_predict_prints_the_next_trading_sessions_and_reloads(
    sim_csv, tmp_path, options, name, why
):
    saved = tmp_path / "model.joblib"
    result = sklearn_vix(
        "predict", "--data", sim_csv, *options, "--horizon", 3, "--device", "cpu",
        "--save", saved,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = load_vix_csv(sim_csv).index[-1]
    for day in next_sessions(last, 3):
        assert str(day.date()) in result.stdout
    assert "lower" in result.stdout and "upper" in result.stdout
    again = sklearn_vix("predict", "--data", sim_csv, "--model", saved, "--horizon", 3)
    assert again.returncode == 0, again.stderr
    # The fit says which model and why in one line; the reloaded model gives the same
    # forecast, by the same model file, from the same day.
    fitted, *printed = result.stdout.splitlines()
    assert fitted.startswith(f"fitted now: {name} on ") and why in fitted
    assert again.stdout.splitlines() == printed
    assert printed[0].startswith(f"forecast by {name} ({saved}) from the data to {last.date()}")


def test_predict_forecasts_what_the_report_forecasts(tmp_path):
    # One answer: on the shipped data, predict's default model is the report's choice,
    # with the same band, so its numbers are the report's (benchmarks/results/report).
    result = sklearn_vix("predict")
    assert result.returncode == 0, result.stderr
    report = pd.read_csv(ROOT / "benchmarks" / "results" / "report" / "forecast.csv", index_col=0)
    lines = result.stdout.splitlines()
    for day, row in report.round(2).iterrows():
        line = next(line for line in lines if line.startswith(day))
        assert line.split()[1:] == [f"{row[c]:.2f}" for c in ("forecast", "lower", "upper")]


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_vix", "--help"], capture_output=True, text=True, env=_env()
    )
    assert result.returncode == 0
    assert all(name in result.stdout for name in ("report", "predict", "tune", "simulate"))


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    (folder / "no_close.csv").write_text("DATE,OPEN\n2020-01-02,13.0\n")
    short = make_vix_sim(120, random_state=0)["vix"].rename("CLOSE").rename_axis("DATE")
    short.to_csv(folder / "short.csv")
    (folder / "not_a_model.joblib").write_text("hello")
    return folder


ERRORS = {
    "missing file": (
        ["report", "--data", "{bad}/absent.csv"],
        "sklearn-vix report: error: --data {bad}/absent.csv: no such file",
    ),
    "no close column": (
        ["predict", "--data", "{bad}/no_close.csv"],
        "sklearn-vix predict: error: --data {bad}/no_close.csv: The file has no CLOSE (or vix) "
        "column for the VIX level; its columns are ['date', 'open'].",
    ),
    "too few rows": (
        ["report", "--data", "{bad}/short.csv", "--no-nets"],
        "sklearn-vix report: error: {bad}/short.csv has 120 rows; --lookback 10, --splits 5 "
        "and --horizon 1 need at least 602",
    ),
    "bad option value": (
        ["report", "--horizon", "0"],
        "sklearn-vix report: error: argument --horizon: expected a number of at least 1, got 0",
    ),
    "unknown option": (["simulate", "--out", "x.csv", "--dayz", "3"], "unrecognized arguments"),
    "missing subcommand": ([], "the following arguments are required"),
    "not a model": (
        ["predict", "--data", "{bad}/short.csv", "--model", "{bad}/not_a_model.joblib"],
        "is not a sklearn-vix model file",
    ),
    "missing model": (["predict", "--model", "{bad}/absent.joblib"], "No model file at"),
    "unreachable scheduler": (
        ["tune", "--scheduler", "tcp://127.0.0.1:1", "--quick"],
        "sklearn-vix tune: error: --scheduler tcp://127.0.0.1:1: cannot connect",
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_every_error_is_one_line_on_stderr(case, bad_files, tmp_path):
    args, expected = ERRORS[case]
    result = sklearn_vix(*(a.format(bad=bad_files) for a in args), cwd=tmp_path)
    assert result.returncode in (1, 2)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected.format(bad=bad_files) in lines[0]
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_cleanly(tmp_path):
    out = tmp_path / "report"
    process = subprocess.Popen(
        [*_command(), "report", "--no-nets", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    # The folder appears once the command runs (past the imports), well before it ends.
    deadline = time.monotonic() + 120
    while not out.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip() == "sklearn-vix report: interrupted"


def test_tune_ranks_candidates_and_saves_the_best(sim_csv, tmp_path):
    saved = tmp_path / "best.joblib"
    result = sklearn_vix(
        "tune", "--data", sim_csv, "--quick", "--splits", 2, "--device", "cpu", "--save", saved
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "4 candidates" in lines[0]
    ranks = [line.split()[0] for line in lines[1:-1] if line[:1].isdigit()]
    assert ranks == ["1", "2", "3", "4"]
    model, metadata = load_model(saved, return_metadata=True)
    assert metadata["model"].startswith("tuned net")
    # The winner is saved with its intervals, around the tuned pipeline.
    assert model.estimator_.regressor_["model"].cell in ("lstm", "gru")


def test_tune_then_predict_with_defaults_share_one_model_file(sim_csv, tmp_path):
    saved = tmp_path / "best.joblib"
    tuned = sklearn_vix(
        "tune", "--data", sim_csv, "--quick", "--splits", 2, "--device", "cpu", "--save", saved
    )
    assert tuned.returncode == 0, tuned.stderr
    assert f"predict --model {saved}" in tuned.stdout
    _, metadata = load_model(saved, return_metadata=True)
    assert metadata["horizon"] == 1 and metadata["intervals"] is True
    # No --horizon: predict uses the file's, and the tuned model gives its interval.
    result = sklearn_vix("predict", "--data", sim_csv, "--model", saved)
    assert result.returncode == 0, result.stderr
    assert "lower" in result.stdout and "upper" in result.stdout
    asked = sklearn_vix("predict", "--data", sim_csv, "--model", saved, "--horizon", 5)
    assert asked.returncode == 1
    assert "forecasts 1 session(s) ahead, --horizon 5 was asked" in asked.stderr


def test_version():
    result = sklearn_vix("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "sklearn-vix 0.1.0"


@pytest.mark.parametrize(
    "args, suggestion",
    [
        (["reprot"], "did you mean 'report'?"),
        (["predict", "--horizn", "3"], "did you mean '--horizon'?"),
        (["simulate", "--out", "x.csv", "--dayz", "3"], "did you mean '--days'?"),
    ],
)
def test_typos_get_a_suggestion(args, suggestion, tmp_path):
    result = sklearn_vix(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert suggestion in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_folder_as_data_says_so(tmp_path):
    (tmp_path / "VIX_History.csv").write_text("DATE,CLOSE\n")
    result = sklearn_vix("predict", "--data", tmp_path)
    assert result.returncode == 1
    assert f"--data {tmp_path} is a folder, not a file" in result.stderr
    assert f"--data {tmp_path / 'VIX_History.csv'}" in result.stderr


def test_device_is_defined_once_for_every_subcommand():
    from sklearn_vix.cli import _main

    parser = _main._parser()
    for name in ("report", "predict", "tune"):
        sub = parser.parse_args([name]).parser
        (device,) = [a for a in sub._actions if "--device" in a.option_strings]
        assert device.choices == ["auto", "cpu", "cuda", "mps"] and device.default == "auto"


@pytest.mark.parametrize(
    "command", [[], ["report"], ["predict"], ["tune"], ["simulate"], ["backtest"]]
)
def test_every_help_text_renders(command, capsys):
    # argparse formats help strings with %: a stray "%" followed by a letter crashes --help.
    from sklearn_vix.cli import main

    with pytest.raises(SystemExit) as stop:
        main([*command, "--help"])
    assert stop.value.code == 0
    assert "usage: sklearn-vix" in capsys.readouterr().out


def test_predict_quantiles_prints_one_distribution_and_the_ledger_keeps_it(sim_csv, tmp_path):
    from sklearn_vix.ledger import read_forecasts

    ledger = tmp_path / "ledger.db"
    result = sklearn_vix(
        "predict", "--data", sim_csv, "--horizon", 3, "--quantiles", "--ledger", ledger
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.split()[:3] == ["forecast", "lower", "upper"])
    assert header.split()[3:] == ["q05", "q25", "q50", "q75", "q95"]
    last = load_vix_csv(sim_csv).index[-1]
    for day in next_sessions(last, 3):
        row = next(line for line in lines if line.startswith(str(day.date())))
        _, lower, upper, q05, q25, q50, q75, q95 = map(float, row.split()[1:])
        assert (q05, q95) == (lower, upper)  # the 90 % interval is two of its quantiles
        assert q05 <= q25 <= q50 <= q75 <= q95
    stored = read_forecasts(ledger)
    assert len(stored) == 3 and stored[["q05", "q50", "q95"]].notna().all().all()
    assert (stored["q05"] == stored["lower"]).all() and (stored["q95"] == stored["upper"]).all()
