"""The command line composes the library on the embedded data or a CBOE file."""

from pathlib import Path

import pytest

from sklearn_vix.cli import _models, main
from sklearn_vix.datasets import make_vix_sim

REAL_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"


def test_main_job_prints_the_comparison(capsys):
    assert main(["--no-nets", "--splits", "3"]) == 0
    out = capsys.readouterr().out
    assert "load_vix_sim()" in out
    assert "random walk rejected" in out
    for name in ("persistence", "linear (lookback 10)", "HAR", "dm_pvalue"):
        assert name in out


def test_main_job_reads_a_csv_and_a_horizon(tmp_path, capsys):
    path = tmp_path / "vix.csv"
    make_vix_sim(1500, random_state=0).rename_axis("DATE").rename(columns={"vix": "CLOSE"})[
        ["CLOSE"]
    ].to_csv(path)
    assert main(["--data", str(path), "--horizon", "5", "--no-nets", "--splits", "3"]) == 0
    out = capsys.readouterr().out
    assert "horizon 5" in out and "gap=4" in out and "rmse_step5" in out


def test_networks_are_in_the_default_study():
    models = _models(10, nets=True, seed=3)
    assert {"LSTM", "GRU"} <= set(models)
    assert models["GRU"][-1].random_state == 3


def test_bad_arguments_exit_with_a_message():
    with pytest.raises(SystemExit):
        main(["--horizon", "x"])
    with pytest.raises(FileNotFoundError):
        main(["--data", "/nonexistent/VIX_History.csv", "--no-nets"])
