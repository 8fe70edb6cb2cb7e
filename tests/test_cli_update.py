"""`sklearn-vix update`, `score` and `predict --ledger`: the evening's run, replayed evening
by evening, killed half way, and scored.

The model is log-HAR with conformal intervals (deterministic, a second per fit), fitted
on the shipped VIX cut at 2023-11-30, the data written in Cboe's layout and extended by
one session each evening, as Cboe's file grows.
"""

import functools
import http.server
import itertools
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from sklearn_vix import ConformalForecaster, HARRegressor
from sklearn_vix.cli._common import write_model
from sklearn_vix.cli._main import main
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.ledger import read_forecasts, score_forecasts, sha256_of
from sklearn_vix.model_selection import backtest
from sklearn_vix.serialization import load_model

ROOT = Path(__file__).resolve().parents[1]
HORIZON, REFIT_EVERY, EVENINGS = 3, 4, 10
FIRST_DAY = pd.Timestamp("2023-11-30")
MODEL = ConformalForecaster(HARRegressor(log=True))


@pytest.fixture(scope="module")
def vix() -> pd.DataFrame:
    return load_vix()[["vix", "open", "high", "low"]]


def _days(vix, evening: int) -> pd.DataFrame:
    """The data as Cboe's file has it on ``evening`` (0: the day the model was fitted)."""
    return vix.iloc[: vix.index.get_loc(FIRST_DAY) + 1 + evening]


def write_cboe_csv(frame: pd.DataFrame, path: Path) -> None:
    table = frame.rename(columns={"vix": "CLOSE", "open": "OPEN", "high": "HIGH", "low": "LOW"})
    table.index = table.index.strftime("%m/%d/%Y").rename("DATE")
    table[["OPEN", "HIGH", "LOW", "CLOSE"]].to_csv(path)


def _fit_model_file(vix, path: Path) -> None:
    rows = _days(vix, 0)[["vix"]]
    X, y = make_supervised(rows, horizon=HORIZON)
    write_model(clone(MODEL).fit(X, y), path, name="HAR (log)", horizon=HORIZON, rows=rows,
                source="vix.csv")  # fmt: skip


@pytest.fixture
def evening_folder(vix, tmp_path, monkeypatch):
    """A folder with the model fitted on evening 0 and the data of evening 0 (vix.csv),
    as the working folder, so that paths (saved in the model file) are the same in every
    test."""
    monkeypatch.chdir(tmp_path)
    _fit_model_file(vix, Path("model.joblib"))
    write_cboe_csv(_days(vix, 0), Path("vix.csv"))
    return tmp_path


UPDATE = ["update", "--model", "model.joblib", "--data", "vix.csv", "--ledger", "ledger.db",
          "--refit-every", str(REFIT_EVERY)]  # fmt: skip


def _run(capsys, *args) -> str:
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _rows(ledger="ledger.db") -> pd.DataFrame:
    return read_forecasts(ledger).drop(columns="issued_at")


def test_a_second_update_on_the_same_data_does_nothing(evening_folder, capsys):
    _run(capsys, *UPDATE)
    model, ledger = Path("model.joblib").read_bytes(), read_forecasts("ledger.db")
    assert len(ledger) == HORIZON
    assert "up to date" in _run(capsys, *UPDATE)
    assert Path("model.joblib").read_bytes() == model
    pd.testing.assert_frame_equal(read_forecasts("ledger.db"), ledger)


def _serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(params=["file", "cboe"])
def source(request, evening_folder, monkeypatch, vix):
    """Writes each evening's data; returns the --data of update and score."""
    if request.param == "file":
        return lambda evening: write_cboe_csv(_days(vix, evening), Path("vix.csv")) or "vix.csv"
    served = evening_folder / "cboe_server"
    served.mkdir()
    server = _serve(served)
    request.addfinalizer(server.server_close)
    request.addfinalizer(server.shutdown)  # finalizers run last in, first out
    monkeypatch.setenv("SKLEARN_VIX_CBOE_URL", f"http://127.0.0.1:{server.server_port}/")
    monkeypatch.setenv("SKLEARN_VIX_DATA", str(evening_folder / "data_home"))

    def publish(evening: int) -> str:
        write_cboe_csv(_days(vix, evening), served / "VIX_History.csv")
        return "cboe"

    return publish


def test_evenings_replayed_are_the_backtest_of_the_same_days(vix, source, capsys):
    snapshots = []
    for evening in range(EVENINGS + 1):
        data = source(evening)
        _run(capsys, *UPDATE[:4], data, *UPDATE[5:])
        snapshots.append(read_forecasts("ledger.db"))
    # Issued once, never changed: every evening's ledger holds the earlier ones' rows as
    # they were.
    for earlier, later in itertools.pairwise(snapshots):
        pd.testing.assert_frame_equal(later.iloc[: len(earlier)], earlier)
    ledger = snapshots[-1]
    evenings = _days(vix, EVENINGS).index[-EVENINGS - 1 :]
    assert ledger.groupby("origin")["step"].apply(list).to_dict() == {
        day: list(range(1, HORIZON + 1)) for day in evenings
    }
    assert ledger["model_hash"].nunique() == EVENINGS + 1  # one model file state an evening

    # The backtest of the same model and schedule over the same origins; its data reach
    # HORIZON sessions further, so that every origin's targets are in it.
    X, y = make_supervised(_days(vix, EVENINGS + HORIZON)[["vix"]], horizon=HORIZON)
    walk = backtest(clone(MODEL), X, y, start=evenings[0], end=evenings[-1],
                    refit_every=REFIT_EVERY, carry_online_state=True, progress=False)  # fmt: skip
    expected = walk.forecasts.rename(columns={"target_date": "target"})
    joined = ledger.merge(expected, on=["origin", "step"], suffixes=("", "_backtest"))
    assert len(joined) == len(ledger) == len(expected)
    assert (joined["target"] == joined["target_backtest"]).all()
    for column in ("forecast", "lower", "upper"):
        np.testing.assert_allclose(joined[column], joined[f"{column}_backtest"], atol=1e-9)

    out = _run(capsys, "score", "--ledger", "ledger.db", "--data", data, "--out", "page")
    assert "n/a (needs 30)" in out and "HAR (log) (model.joblib)" in out
    scores = score_forecasts(ledger, _days(vix, EVENINGS))
    known = joined[joined["target"] <= evenings[-1]]
    for step, rows in known.groupby("step"):
        rmse = np.sqrt(np.mean((rows["forecast_backtest"] - rows["actual"]) ** 2))
        assert scores.loc[("HAR (log)", "model.joblib", step), "n"] == len(rows)
        np.testing.assert_allclose(scores.loc[("HAR (log)", "model.joblib", step), "rmse"], rmse)
        assert f"{rmse:.3f}" in out
    assert "<img" in Path("page/score.html").read_text()


def test_skipped_evenings_keep_the_backtest_state_and_forecast_tonight_only(
    evening_folder, vix, capsys
):
    ran = [0, 1, 6, 7, 10]  # refits every 4 sessions: on evenings 4 and 8, both skipped
    for evening in ran:
        write_cboe_csv(_days(vix, evening), Path("vix.csv"))
        _run(capsys, *UPDATE)
    ledger = read_forecasts("ledger.db")
    days = _days(vix, EVENINGS).index[-EVENINGS - 1 :]
    assert sorted(ledger["origin"].unique()) == list(days[ran])
    X, y = make_supervised(_days(vix, EVENINGS + HORIZON)[["vix"]], horizon=HORIZON)
    walk = backtest(clone(MODEL), X, y, start=days[0], end=days[-1], refit_every=REFIT_EVERY,
                    carry_online_state=True, progress=False)  # fmt: skip
    joined = ledger.merge(walk.forecasts, on=["origin", "step"], suffixes=("", "_backtest"))
    assert len(joined) == len(ran) * HORIZON
    for column in ("forecast", "lower", "upper"):
        np.testing.assert_allclose(joined[column], joined[f"{column}_backtest"], atol=1e-9)


def _killed_update(args, kill_at: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path, "SKLEARN_VIX_TEST_KILL_AT": kill_at}
    command = [sys.executable, "-m", "sklearn_vix", *map(str, args)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _two_evenings(vix, capsys, kill_at=None) -> str:
    """Evening 0, then evening 1 (a refit evening, with --refit-every 1), killed at
    ``kill_at`` in a subprocess and run again."""
    _run(capsys, *UPDATE)
    write_cboe_csv(_days(vix, 1), Path("vix.csv"))
    args = [*UPDATE[:-1], "1"]
    if kill_at is not None:
        model, ledger = Path("model.joblib").read_bytes(), _rows()
        killed = _killed_update(args, kill_at)
        assert killed.returncode == -9, killed.stderr
        if kill_at in ("refit", "save"):
            assert Path("model.joblib").read_bytes() == model
        pd.testing.assert_frame_equal(_rows(), ledger)
    return _run(capsys, *args)


@pytest.mark.parametrize("kill_at", ["refit", "save", "ledger"])
def test_a_run_killed_half_way_is_completed_by_the_next(vix, tmp_path, monkeypatch, capsys,
                                                        kill_at):  # fmt: skip
    outputs = {}
    for kill in (None, kill_at):
        folder = tmp_path / str(kill)
        folder.mkdir()
        monkeypatch.chdir(folder)
        _fit_model_file(vix, Path("model.joblib"))
        write_cboe_csv(_days(vix, 0), Path("vix.csv"))
        outputs[kill] = _two_evenings(vix, capsys, kill)
    assert "refitted on 2023-12-01" in outputs[None]
    assert ("stopped before the ledger" in outputs[kill_at]) == (kill_at == "ledger")
    # The same rows; the model's identity is the hash of the file that issued them, which
    # holds the same model (pickles written by two processes may differ in bytes).
    reference = _rows(tmp_path / "None" / "ledger.db")
    pd.testing.assert_frame_equal(_rows().drop(columns="model_hash"),
                                  reference.drop(columns="model_hash"))  # fmt: skip
    assert _rows()["model_hash"].iloc[-1] == sha256_of(Path("model.joblib"))
    (_, saved), (_, expected) = (load_model(f"{folder}/model.joblib", return_metadata=True)
                                 for folder in (tmp_path / kill_at, tmp_path / "None"))  # fmt: skip
    assert saved == expected
    assert "up to date" in _run(capsys, *UPDATE[:-1], "1")


def test_predict_appends_its_forecast_to_the_ledger_once(evening_folder, capsys):
    args = ["predict", "--model", "model.joblib", "--data", "vix.csv", "--ledger", "ledger.db"]
    out = _run(capsys, *args)
    assert out.startswith("forecast by HAR (log) (model.joblib) from the data to 2023-11-30")
    ledger = read_forecasts("ledger.db")
    assert ledger["origin"].eq(FIRST_DAY).all() and ledger["step"].tolist() == [1, 2, 3]
    assert ledger["coverage"].eq(0.9).all() and ledger["model_file"].eq("model.joblib").all()
    for value in ledger["forecast"]:
        assert f"{value:.2f}" in out
    assert "0 of 3 forecasts written to ledger.db (already there)" in _run(capsys, *args)


def test_update_refuses_data_older_than_the_model(evening_folder, vix, capsys):
    write_cboe_csv(_days(vix, 2), Path("vix.csv"))
    _run(capsys, *UPDATE)
    write_cboe_csv(_days(vix, 1), Path("vix.csv"))
    assert main(UPDATE) == 1
    assert "--data ends on 2023-12-01, before 2023-12-04" in capsys.readouterr().err


def test_a_ledger_of_another_program_is_an_error_and_left_untouched(evening_folder, capsys):
    Path("ledger.db").write_bytes(b"not sqlite at all" * 100)
    assert main(UPDATE) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ledger.db is not a sklearn-vix forecast ledger" in err
    assert Path("ledger.db").read_bytes() == b"not sqlite at all" * 100


def test_the_evenings_quantiles_are_those_of_the_whole_history(vix, tmp_path, monkeypatch):
    # The quantiles of tonight's forecast read the volatility of every session to
    # tonight, as its band does: not of the rows still waiting for outcomes alone.
    monkeypatch.chdir(tmp_path)
    _fit_model_file(vix, Path("model.joblib"))
    write_cboe_csv(_days(vix, 6), Path("vix.csv"))
    update = ["update", "--model", "model.joblib", "--data", "vix.csv", "--ledger", "l.db"]
    assert main(update) == 0
    tonight = read_forecasts("l.db")
    tonight = tonight[tonight["origin"] == tonight["origin"].max()]
    model = load_model("model.joblib")
    expected = model.predict_quantiles(_days(vix, 6)[["vix"]], [0.05, 0.95])[-1]
    np.testing.assert_allclose(tonight[["q05", "q95"]].to_numpy(), expected)
    # Without the online correction, still close to the band it issued.
    np.testing.assert_allclose(tonight["q05"], tonight["lower"], rtol=0.03)
    np.testing.assert_allclose(tonight["q95"], tonight["upper"], rtol=0.03)
