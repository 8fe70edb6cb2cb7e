"""fetch_cboe against a local server that plays Cboe: the cache, the refresh rule, the faults.

No test reaches the internet: an autouse fixture points ``SKLEARN_VIX_CBOE_URL`` at a closed
local port, and the ``cboe`` fixture at a server on 127.0.0.1.
"""

import gc
import socket
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklearn_vix.calendar import sessions
from sklearn_vix.cli import _common, main
from sklearn_vix.datasets import _cboe, fetch_cboe, get_data_home, load_vix, load_vix_csv
from sklearn_vix.ledger import read_forecasts

NEW_YORK = "America/New_York"
# The fixture file ends on Friday 2023-12-29; the next session is Tuesday 2024-01-02.
BEFORE_CLOSE = pd.Timestamp("2024-01-02 16:30", tz=NEW_YORK)
AFTER_CLOSE = pd.Timestamp("2024-01-02 17:30", tz=NEW_YORK)
WEEKEND = pd.Timestamp("2023-12-31 12:00", tz=NEW_YORK)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    """No network, a private data home and a fixed clock, unless a test says otherwise."""
    monkeypatch.setenv("SKLEARN_VIX_CBOE_URL", f"http://127.0.0.1:{_closed_port()}/")
    monkeypatch.setenv("SKLEARN_VIX_DATA", str(tmp_path / "home"))
    monkeypatch.setattr(_cboe, "_now", lambda: WEEKEND)


def _cboe_csv(frame: pd.DataFrame, columns: list[str]) -> bytes:
    """``frame`` in Cboe's layout: DATE as MM/DD/YYYY, then ``columns`` upper-cased."""
    table = frame[columns].rename(columns=str.upper)
    table.insert(0, "DATE", frame.index.strftime("%m/%d/%Y"))
    return table.to_csv(index=False, float_format="%.2f").encode()


def _vix_tail(rows: int = 40, *, drop_last: int = 0) -> bytes:
    """The last ``rows`` rows of the shipped file (to 2023-12-29), less ``drop_last``."""
    frame = load_vix(sessions_only=False).tail(rows).rename(columns={"vix": "close"})
    return _cboe_csv(frame.iloc[: rows - drop_last], ["open", "high", "low", "close"])


def _with_session(body: bytes, day: str, value: float) -> bytes:
    date = pd.Timestamp(day).strftime("%m/%d/%Y")
    return body + f"{date},{value},{value},{value},{value}\n".encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        server.hits.append(self.path)
        mode = server.mode
        if mode == "500":
            self.send_error(500, "Internal Server Error")
            return
        if mode == "slow":
            time.sleep(server.sleep)
        name = self.path.rsplit("/", 1)[-1]
        file = server.folder / name
        if not file.is_file():
            self.send_error(404)
            return
        body, kind = file.read_bytes(), "text/csv"
        if mode == "html":
            body, kind = b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"
        if mode == "invalid":
            body = body[: body.rindex(b",")]  # the last row loses its CLOSE
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # "truncated": the connection closes before the length announced.
        self.wfile.write(body[: len(body) // 2] if mode == "truncated" else body)

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    # server_close waits for every request's thread, so that no test's connection is
    # left to the garbage collector of a later one.
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is not a failure of the server


@pytest.fixture
def cboe(tmp_path, monkeypatch):
    """A local server serving ``server.folder``; ``server.mode`` picks how it misbehaves."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.folder = tmp_path / "served"
    server.folder.mkdir()
    server.mode, server.hits, server.sleep = "ok", [], 0.5
    server.serve = lambda name, body: (server.folder / name).write_bytes(body)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    monkeypatch.setenv("SKLEARN_VIX_CBOE_URL", f"http://127.0.0.1:{server.server_port}/files/")
    yield server
    server.shutdown()
    server.server_close()
    if server.mode == "slow":
        # urllib closes the socket of a request that timed out waiting for the answer
        # only through the garbage collector (its do_open closes it on errors while
        # sending, not while reading); collect it here, where it is expected.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


def _cache(name: str = "VIX_History.csv") -> Path:
    return get_data_home() / "cboe" / name


def test_first_fetch_downloads_caches_and_reads_like_load_vix_csv(cboe, tmp_path):
    body = _vix_tail()
    cboe.serve("VIX_History.csv", body)
    frame = fetch_cboe()
    assert cboe.hits == ["/files/VIX_History.csv"]
    assert _cache().read_bytes() == body
    (tmp_path / "expected.csv").write_bytes(body)
    with pytest.warns(UserWarning, match="NYSE was closed"):
        expected = load_vix_csv(tmp_path / "expected.csv")
    pd.testing.assert_frame_equal(frame, expected)
    assert list(frame.columns) == ["vix", "open", "high", "low"]
    assert frame.attrs["path"] == str(_cache())
    assert frame.attrs["url"].endswith("/files/VIX_History.csv")
    assert frame.attrs["fetched"] <= pd.Timestamp.now(tz="UTC")
    assert [p.name for p in _cache().parent.iterdir()] == ["VIX_History.csv"]


def test_sessions_only_false_keeps_cboes_holiday_rows(cboe):
    cboe.serve("VIX_History.csv", _vix_tail())
    kept = fetch_cboe(sessions_only=False)
    assert len(kept) == len(fetch_cboe()) + 1  # Thanksgiving, 2023-11-23, in Cboe's file


@pytest.mark.parametrize("now", [WEEKEND, BEFORE_CLOSE], ids=["weekend", "before-17h"])
def test_auto_reads_the_cache_while_no_newer_session_is_published(cboe, monkeypatch, now):
    cboe.serve("VIX_History.csv", _vix_tail())
    first = fetch_cboe()
    monkeypatch.setattr(_cboe, "_now", lambda: now)
    again = fetch_cboe()
    assert len(cboe.hits) == 1
    pd.testing.assert_frame_equal(again, first)


def test_auto_downloads_once_a_newer_session_should_be_published(cboe, monkeypatch):
    body = _vix_tail()
    cboe.serve("VIX_History.csv", body)
    fetch_cboe()
    cboe.serve("VIX_History.csv", _with_session(body, "2024-01-02", 13.2))
    monkeypatch.setattr(_cboe, "_now", lambda: AFTER_CLOSE)
    frame = fetch_cboe()
    assert len(cboe.hits) == 2
    assert frame.index[-1] == pd.Timestamp("2024-01-02") and frame["vix"].iloc[-1] == 13.2
    # Now up to date: the next call reads the cache.
    fetch_cboe()
    assert len(cboe.hits) == 2


def test_the_cut_off_is_17h_new_york_on_the_nyse_calendar():
    last = pd.Timestamp("2023-12-29")
    assert _cboe._missing_sessions(last, BEFORE_CLOSE) == 0
    assert _cboe._missing_sessions(last, AFTER_CLOSE) == 1
    # 2024-01-01 is a holiday; Wednesday evening two sessions are due, in UTC as well.
    assert _cboe._missing_sessions(last, pd.Timestamp("2024-01-03 23:00", tz="UTC")) == 2
    assert _cboe._missing_sessions(last, pd.Timestamp("2024-01-03 21:00", tz="UTC")) == 1


def test_refresh_true_always_downloads_and_false_never(cboe):
    cboe.serve("VIX_History.csv", _vix_tail())
    fetch_cboe(refresh=True)
    fetch_cboe(refresh=True)
    fetch_cboe(refresh=False)
    assert len(cboe.hits) == 2


def test_refresh_false_without_a_cache_says_how_to_download():
    with pytest.raises(FileNotFoundError, match=r"No cached VIX_History.csv in .*refresh="):
        fetch_cboe(refresh=False)


FAULTS = {
    "offline": "Cannot reach http://127.0.0.1:.*VIX_History.csv .*check the network",
    "500": r"VIX_History.csv answered HTTP 500 .*try again later",
    "html": "VIX_History.csv returned a web page, not a CSV file",
    "truncated": "The download of .*VIX_History.csv broke off",
    "invalid": r"VIX_History.csv gave a file that is not a valid VIX_History.csv \(Column",
    "slow": r"VIX_History.csv did not answer within 0.1 s: .*longer timeout",
}


def _break(cboe, monkeypatch, fault: str) -> None:
    if fault == "offline":
        monkeypatch.setenv("SKLEARN_VIX_CBOE_URL", f"http://127.0.0.1:{_closed_port()}")
    cboe.mode = fault


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_without_a_cache_is_one_clear_error(cboe, monkeypatch, fault):
    cboe.serve("VIX_History.csv", _vix_tail())
    _break(cboe, monkeypatch, fault)
    with pytest.raises(OSError, match=FAULTS[fault]) as error:
        fetch_cboe(timeout=0.1)
    assert "\n" not in str(error.value)
    assert not _cache().exists() and list(_cache().parent.iterdir()) == []


@pytest.mark.parametrize("fault", [*FAULTS, "shorter"])
def test_each_fault_with_a_cache_warns_and_keeps_the_cache(cboe, monkeypatch, fault):
    cboe.serve("VIX_History.csv", _vix_tail())
    cached = fetch_cboe()
    before = _cache().read_bytes()
    if fault == "shorter":
        cboe.serve("VIX_History.csv", _vix_tail(drop_last=5))
    else:
        _break(cboe, monkeypatch, fault)
    monkeypatch.setattr(_cboe, "_now", lambda: pd.Timestamp("2024-01-04 18:00", tz=NEW_YORK))
    expected = FAULTS.get(fault, "ends on 2023-12-2., before the cached copy")
    with pytest.warns(UserWarning, match=expected) as record:
        frame = fetch_cboe(timeout=0.1)
    message = str(record[-1].message)
    assert "cached" in message and "ends on 2023-12-29 (3 session(s) missing)" in message
    assert _cache().read_bytes() == before
    assert [p.name for p in _cache().parent.iterdir()] == ["VIX_History.csv"]
    pd.testing.assert_frame_equal(frame, cached)


@pytest.mark.parametrize(
    ("symbol", "columns", "expected"),
    [
        ("VIX", ["open", "high", "low", "close"], ["vix", "open", "high", "low"]),
        ("VIX9D", ["open", "high", "low", "close"], ["vix9d", "open", "high", "low"]),
        ("VIX3M", ["open", "high", "low", "close"], ["vix3m", "open", "high", "low"]),
        ("VVIX", ["vvix"], ["vvix"]),
        ("SKEW", ["skew"], ["skew"]),
    ],
)
def test_each_symbol_in_its_cboe_layout(cboe, symbol, columns, expected):
    frame = load_vix().tail(5).rename(columns={"vix": "close"})
    frame = frame.assign(vvix=frame["close"] * 5, skew=frame["close"] + 120)
    cboe.serve(f"{symbol}_History.csv", _cboe_csv(frame, columns))
    fetched = fetch_cboe(symbol)
    assert cboe.hits == [f"/files/{symbol}_History.csv"]
    assert list(fetched.columns) == expected
    assert fetched.index.equals(frame.index)
    assert _cache(f"{symbol}_History.csv").is_file()


def test_an_edited_cache_that_no_longer_validates_names_the_file(cboe):
    cboe.serve("VIX_History.csv", _vix_tail())
    fetch_cboe()
    _cache().write_text("DATE,CLOSE\n01/02/2024,abc\n")
    with pytest.raises(ValueError, match=r"The cached .*VIX_History.csv .*refresh=True"):
        fetch_cboe()
    assert fetch_cboe(refresh=True).index[-1] == pd.Timestamp("2023-12-29")


@pytest.mark.parametrize("base", ["http://mirror/vix", "http://mirror/vix/"])
def test_the_url_is_the_environment_folder_plus_the_file_name(monkeypatch, base):
    monkeypatch.setenv("SKLEARN_VIX_CBOE_URL", base)
    assert _cboe._history_url("VIX3M") == "http://mirror/vix/VIX3M_History.csv"
    monkeypatch.delenv("SKLEARN_VIX_CBOE_URL")
    assert _cboe._history_url("VIX") == (
        "https://cdn.cboe.com/api/global/us_indices/daily_prices/VIX_History.csv"
    )


def test_get_data_home_follows_sklearn(monkeypatch, tmp_path):
    assert get_data_home() == tmp_path / "home" and (tmp_path / "home").is_dir()
    assert get_data_home(tmp_path / "elsewhere").is_dir()
    monkeypatch.delenv("SKLEARN_VIX_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert get_data_home() == tmp_path / "user" / "sklearn_vix_data"


def test_data_cboe_is_a_word_and_anything_else_a_path():
    assert _common.data_source("cboe") == _common.CBOE
    assert _common.data_source("./cboe") == Path("cboe")
    assert isinstance(_common.data_source("VIX_History.csv"), Path)


def test_read_data_cboe_describes_the_cache_and_prints_fetch_notes(cboe, monkeypatch, capsys):
    cboe.serve("VIX_History.csv", _vix_tail())
    frame, source = _common.read_data("cboe")
    assert source.startswith(f"Cboe VIX_History.csv (cached {_cache()}, fetched 20")
    cboe.mode = "500"
    monkeypatch.setattr(_cboe, "_now", lambda: AFTER_CLOSE)
    again, _ = _common.read_data("cboe")
    pd.testing.assert_frame_equal(again, frame)
    (note,) = capsys.readouterr().err.splitlines()
    assert note.startswith("note: --data cboe: http://127.0.0.1:")
    assert "HTTP 500" in note and "1 session(s) missing" in note


def test_cli_data_cboe_without_network_or_cache_is_one_line(capsys):
    assert main(["backtest", "--data", "cboe"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("sklearn-vix backtest: error: --data cboe: Cannot reach")


def test_cli_backtest_runs_on_data_cboe(cboe, tmp_path, capsys):
    cboe.serve("VIX_History.csv", _vix_tail(400))
    out = tmp_path / "walk"
    args = ["backtest", "--data", "cboe", "--model", "har", "--start", "2023-11-01"]
    assert main([*args, "--output", str(out)]) == 0
    assert "Cboe VIX_History.csv (cached" in out.with_suffix(".html").read_text()
    assert "persistence: " in capsys.readouterr().out


def _file_cut_at_2025_12_31() -> bytes:
    """The shipped VIX continued to 2025-12-31 on NYSE sessions: the real closes to
    2023-12-29, then a seeded random walk in logs (Cboe's own file is never shipped)."""
    real = load_vix()[["vix"]].rename(columns={"vix": "close"})
    days = sessions("2024-01-02", "2025-12-31")
    steps = np.random.default_rng(0).normal(0, 0.05, len(days)).cumsum()
    later = pd.DataFrame({"close": real["close"].iloc[-1] * np.exp(steps)}, index=days)
    frame = pd.concat([real, later])
    for column in ("open", "high", "low"):
        frame[column] = frame["close"]
    return _cboe_csv(frame, ["open", "high", "low", "close"])


def test_predict_data_cboe_forecasts_the_new_year_into_the_ledger(cboe, tmp_path, capsys):
    cboe.serve("VIX_History.csv", _file_cut_at_2025_12_31())
    ledger = tmp_path / "forecasts.sqlite"
    assert main(["predict", "--data", "cboe", "--ledger", str(ledger)]) == 0
    printed = capsys.readouterr().out
    # 2026-01-01 is New Year's Day: the five sessions after 2025-12-31.
    expected = ["2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"]
    for day in expected:
        assert f"\n{day} " in printed
    rows = read_forecasts(ledger)
    assert len(rows) == 5 and rows["origin"].astype(str).str[:10].unique().tolist() == [
        "2025-12-31"
    ]
    assert rows["target"].astype(str).str[:10].tolist() == expected
    assert "5 of 5 forecasts written" in printed
