"""The forecast ledger: its schema, rows issued once and never changed, two writers at
once, and files that are not ledgers left untouched."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklearn_vix.ledger import (
    SCHEMA_VERSION,
    join_outcomes,
    open_ledger,
    read_forecasts,
    record_forecasts,
    score_forecasts,
    sha256_of,
)

ROOT = Path(__file__).resolve().parents[1]


def _table(origin="2023-12-28", values=(13.0, 13.5), bounds=True) -> pd.DataFrame:
    targets = pd.bdate_range(pd.Timestamp(origin) + pd.Timedelta(days=1), periods=len(values))
    table = pd.DataFrame(
        {"origin": origin, "step": range(1, len(values) + 1), "target": targets,
         "forecast": values}
    )  # fmt: skip
    if bounds:
        table["lower"], table["upper"] = table["forecast"] - 2, table["forecast"] + 2
    return table


def _issue(path, table, model_hash="m1", **kwargs) -> int:
    settings = dict(model="HAR (log)", model_hash=model_hash, data_hash="d1",
                    data_last_date=table["origin"].iloc[0], coverage=0.9)  # fmt: skip
    return record_forecasts(path, table, **{**settings, **kwargs})


def test_schema_is_created_on_first_use_with_its_version(tmp_path):
    path = tmp_path / "ledger.db"
    open_ledger(path).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        info = connection.execute("PRAGMA table_info(forecasts)").fetchall()
    columns = [row[1] for row in info]
    assert columns == [
        "model_hash", "origin", "step", "target", "issued_at", "model", "model_file",
        "forecast", "lower", "upper", "coverage", "data_last_date", "data_hash",
        "q05", "q25", "q50", "q75", "q95",
    ]  # fmt: skip
    primary_key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    assert primary_key == ["model_hash", "origin", "step"]


def test_a_second_issue_of_the_same_forecasts_adds_nothing(tmp_path):
    path = tmp_path / "ledger.db"
    assert _issue(path, _table(), issued_at="2023-12-28T22:00:00+00:00") == 2
    first = read_forecasts(path)
    assert _issue(path, _table()) == 0
    pd.testing.assert_frame_equal(read_forecasts(path), first)


def test_an_issued_forecast_is_never_changed(tmp_path):
    path = tmp_path / "ledger.db"
    _issue(path, _table(values=(13.0, 13.5)))
    assert _issue(path, _table(values=(20.0, 21.0))) == 0
    assert read_forecasts(path)["forecast"].tolist() == [13.0, 13.5]
    # Another model file issuing the same origin is another row.
    assert _issue(path, _table(values=(20.0, 21.0)), model_hash="m2") == 2


def test_read_forecasts_gives_dates_and_null_bounds(tmp_path):
    path = tmp_path / "ledger.db"
    _issue(path, _table(bounds=False))
    frame = read_forecasts(path)
    assert frame["origin"].dtype.kind == "M" and frame["target"].dtype.kind == "M"
    assert frame[["lower", "upper", "coverage"]].isna().all().all()


_WRITER = """
import sys, pandas as pd
from sklearn_vix.ledger import record_forecasts
path, name = sys.argv[1], sys.argv[2]
for day in pd.bdate_range("2020-01-01", periods=60):
    table = pd.DataFrame({"origin": day, "step": [1, 2], "target": day, "forecast": [1.0, 2.0]})
    record_forecasts(path, table, model=name, model_hash=name, data_hash="d",
                     data_last_date=day)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "ledger.db"  # not created yet: both processes may create it
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name], env=env,
                         stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]  # fmt: skip
    for writer in writers:
        _, errors = writer.communicate(timeout=120)  # closes the pipe
        assert writer.returncode == 0, errors
    counts = read_forecasts(path).groupby("model").size()
    assert counts.to_dict() == {"a": 120, "b": 120}


def _sqlite_of_another_program(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.close()


def _ledger_of_another_version(path: Path) -> None:
    open_ledger(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_bytes(np.random.default_rng(0).bytes(4096)), "not a sklearn-vix"),
        (_sqlite_of_another_program, "another program, tables: notes"),
        (_ledger_of_another_version, "schema version 99"),
    ],
    ids=["random bytes", "another program's SQLite", "another schema version"],
)
def test_a_file_that_is_not_a_ledger_is_an_error_and_left_untouched(tmp_path, make, message):
    path = tmp_path / "ledger.db"
    make(path)
    before = path.read_bytes()
    for attempt in (lambda: _issue(path, _table()), lambda: read_forecasts(path)):
        with pytest.raises(ValueError, match=message) as error:
            attempt()
        assert str(path) in str(error.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]


def test_reading_a_missing_ledger_does_not_create_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="no forecast ledger"):
        read_forecasts(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_sha256_of_a_file_is_that_of_its_bytes(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"DATE,CLOSE\n")
    assert sha256_of(path) == sha256_of(b"DATE,CLOSE\n")
    frame = pd.DataFrame({"vix": [12.0, 13.0]})
    assert sha256_of(frame) == sha256_of(frame.copy()) != sha256_of(frame + 1)


def _track(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2023-01-02", periods=n + 1)
    closes = pd.Series(15 + rng.normal(size=n + 1).cumsum() * 0.3, index=days)
    forecasts = pd.DataFrame(
        {"model": "m", "model_file": None, "origin": days[:-1], "step": 1, "target": days[1:],
         "issued_at": [str(d) for d in days[:-1]],
         "forecast": closes.to_numpy()[:-1] + rng.normal(size=n) * 0.1}
    )  # fmt: skip
    forecasts["lower"], forecasts["upper"] = forecasts["forecast"] - 1, forecasts["forecast"] + 1
    return forecasts, closes


def test_scores_are_those_of_the_joined_errors():
    forecasts, closes = _track(40)
    joined = join_outcomes(forecasts, closes)
    scores = score_forecasts(forecasts, closes).loc[("m", "", 1)]
    assert scores["n"] == 40
    np.testing.assert_allclose(scores["rmse"], np.sqrt(np.mean(joined["error"] ** 2)))
    naive = closes.to_numpy()[:-1] - closes.to_numpy()[1:]
    np.testing.assert_allclose(scores["persistence_rmse"], np.sqrt(np.mean(naive**2)))
    np.testing.assert_allclose(scores["coverage"], joined["covered"].mean())
    assert 0 <= scores["dm_pvalue"] <= 1


def test_the_dm_test_waits_for_enough_days_and_outcomes_not_yet_known():
    forecasts, closes = _track(20)
    scores = score_forecasts(forecasts, closes.iloc[:-5], min_days=30).loc[("m", "", 1)]
    assert scores["n"] == 15 and np.isnan(scores["dm_pvalue"])


def test_a_forecast_issued_twice_is_scored_once_by_its_first_issue():
    forecasts, closes = _track(5)
    late = forecasts.assign(forecast=100.0, issued_at="2099-01-01")
    joined = join_outcomes(pd.concat([late, forecasts]), closes)
    assert len(joined) == 5 and (joined["forecast"] < 100).all()


_VERSION_1 = """
CREATE TABLE forecasts (
    model_hash TEXT NOT NULL, origin TEXT NOT NULL, step INTEGER NOT NULL CHECK (step >= 1),
    target TEXT NOT NULL, issued_at TEXT NOT NULL, model TEXT NOT NULL, model_file TEXT,
    forecast REAL NOT NULL, lower REAL, upper REAL, coverage REAL,
    data_last_date TEXT NOT NULL, data_hash TEXT NOT NULL,
    PRIMARY KEY (model_hash, origin, step)
)
"""


def _ledger_of_version_1(path: Path, extra: str = "") -> None:
    """A ledger as sklearn-vix wrote it before the quantile columns, with one row."""
    with sqlite3.connect(path) as connection:
        connection.execute(_VERSION_1.replace("PRIMARY KEY", f"{extra} PRIMARY KEY"))
        connection.execute(
            "INSERT INTO forecasts (model_hash, origin, step, target, issued_at, model, "
            "model_file, forecast, lower, upper, coverage, data_last_date, data_hash) "
            "VALUES ('m0', '2023-12-27', 1, '2023-12-28', "
            "'2023-12-27T22:00:00', 'HAR (log)', NULL, 12.5, 11.0, 14.0, 0.9, '2023-12-27', 'd0')"
        )
        connection.execute("PRAGMA application_id = 1447647281")  # 0x56495831, "VIX1"
        connection.execute("PRAGMA user_version = 1")
    connection.close()


def _quantile_table(origin="2023-12-28") -> pd.DataFrame:
    table = _table(origin)
    for offset, column in zip((-2, -1, 0, 1, 2), ("q05", "q25", "q50", "q75", "q95"), strict=True):
        table[column] = table["forecast"] + offset
    return table


def test_a_version_1_ledger_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "ledger.db"
    _ledger_of_version_1(path)
    old = read_forecasts(path)
    assert len(old) == 1 and old["forecast"].iloc[0] == 12.5
    assert old[["q05", "q95"]].isna().all().all()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    connection.close()
    assert _issue(path, _quantile_table()) == 2
    frame = read_forecasts(path)
    assert len(frame) == 3
    assert frame.loc[frame["model_hash"] == "m1", "q95"].tolist() == [15.0, 15.5]


def test_a_failed_upgrade_leaves_the_version_1_file_as_it_was(tmp_path):
    path = tmp_path / "ledger.db"
    _ledger_of_version_1(path, extra="q50 REAL,")  # the upgrade's third ALTER fails
    before = path.read_bytes()
    with pytest.raises(sqlite3.OperationalError, match="duplicate column"):
        read_forecasts(path)
    assert path.read_bytes() == before


def test_quantiles_are_stored_when_given_and_null_otherwise(tmp_path):
    path = tmp_path / "ledger.db"
    _issue(path, _quantile_table(), model_hash="with")
    _issue(path, _table(), model_hash="without")
    frame = read_forecasts(path).set_index(["model_hash", "step"])
    assert frame.loc[("with", 1), ["q05", "q25", "q50", "q75", "q95"]].tolist() == [
        11.0, 12.0, 13.0, 14.0, 15.0,
    ]  # fmt: skip
    assert frame.loc["without", "q50"].isna().all()
