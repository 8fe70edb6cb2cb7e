"""Time `sklearn-vix update` on an evening without a refit and on a refit evening, against
a cold fit of the same model, on the shipped VIX (to 2023-11-30, then one session more).

Targets: at most 10 s on an evening without a refit, and at most a cold fit's time on a
refit evening. Three models: the one `predict` fits by default (the recommended
``linear (log, calendar)`` with its cross-fitted band), the LSTM in a split
``ConformalForecaster`` (``predict --net``, refitted cold, as ``backtest`` refits it)
and the bare LSTM (refitted warm, for at most ``warm_epochs=3``). Each update time is the
whole command: reading the data and the model file, the update, the atomic save and the
ledger's transaction. "cold fit" is the model's ``fit`` alone, in this process; "predict"
is the whole ``sklearn-vix predict --save`` command that fits the default model cold
(the same reading and saving as ``update``), for the default model only.

    python benchmarks/bench_update.py [--runs 3]

Writes ``benchmarks/results/update.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from sklearn.base import clone

from sklearn_vix.cli._common import write_model
from sklearn_vix.cli._main import main
from sklearn_vix.cli._models import (
    LINEAR,
    final_forecaster,
    linear_forecaster,
    net_forecaster,
    with_intervals,
)
from sklearn_vix.datasets import load_vix, make_supervised

RESULTS = Path(__file__).parent / "results" / "update.md"
FIRST_DAY, HORIZON = pd.Timestamp("2023-11-30"), 5


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    table = frame.rename(columns={"vix": "CLOSE", "open": "OPEN", "high": "HIGH", "low": "LOW"})
    table.index = table.index.strftime("%m/%d/%Y").rename("DATE")
    table[["OPEN", "HIGH", "LOW", "CLOSE"]].to_csv(path)


def _seconds(function) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        function()
    return time.perf_counter() - start


def _update(folder: Path, data: str, refit_every: int) -> None:
    model, ledger = folder / "model.joblib", folder / "ledger.db"
    args = ["--model", model, "--data", data, "--ledger", ledger, "--refit-every", refit_every]
    code = main(["update", *map(str, args)])
    assert code == 0


def _measure(name: str, template, vix: pd.DataFrame, folder: Path, runs: int) -> dict:
    end = vix.index.get_loc(FIRST_DAY) + 1
    evening0, evening1 = folder / "evening0.csv", folder / "evening1.csv"
    _write_csv(vix.iloc[:end], evening0)
    _write_csv(vix.iloc[: end + 1], evening1)
    rows = vix.iloc[:end][["vix"]]
    X, y = make_supervised(rows, horizon=HORIZON)
    model = clone(template).fit(X, y)
    state = folder / "state"
    state.mkdir()
    write_model(model, state / "model.joblib", name=name, horizon=HORIZON, rows=rows,
                source=str(evening0))  # fmt: skip
    _update(state, str(evening0), 22)  # the first evening: the model file as update leaves it
    X1, y1 = make_supervised(vix.iloc[: end + 1][["vix"]], horizon=HORIZON)
    times = {"cold fit": [], "predict": [], "evening, no refit": [], "evening, refit": []}
    for run in range(runs):
        times["cold fit"].append(_seconds(lambda: clone(template).fit(X1, y1)))
        if name.startswith(LINEAR):
            saved = folder / f"predict{run}.joblib"
            command = ["predict", "--data", str(evening1), "--save", str(saved)]
            times["predict"].append(_seconds(lambda c=command: main(c)))
        for label, every in (("evening, no refit", 22), ("evening, refit", 1)):
            copy = folder / f"{label}{run}"
            shutil.copytree(state, copy)
            times[label].append(_seconds(lambda c=copy, e=every: _update(c, str(evening1), e)))
    return times


def _cell(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def run(runs: int) -> str:
    vix = load_vix()[["vix", "open", "high", "low"]]
    net = net_forecaster(device="cpu", random_state=0)
    linear = {LINEAR: linear_forecaster()}
    models = {
        f"{LINEAR}, cross-fitted band, as predict fits it": final_forecaster(LINEAR, linear),
        "LSTM (log) with split conformal intervals, as predict --net fits it": with_intervals(
            net, method="split"
        ),
        "LSTM (log), bare": net,
    }
    lines = [
        f"## `sklearn-vix update`, horizon {HORIZON}, on the shipped VIX to {FIRST_DAY.date()} "
        "and one session more",
        f"Seconds, median (min-max) of {runs} runs; cold fit: the model fitted from scratch "
        "on the same rows as the refit.",
        "",
        "| model | cold fit | predict | evening, no refit | evening, refit | refit / cold fit "
        "| refit / predict |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, template in models.items():
        with tempfile.TemporaryDirectory() as folder:
            times = _measure(name, template, vix, Path(folder), runs)
        refit = statistics.median(times["evening, refit"])
        ratio = refit / statistics.median(times["cold fit"])
        versus = f"{refit / statistics.median(times['predict']):.2f}" if times["predict"] else "n/a"
        lines.append(
            f"| {name} | {_cell(times['cold fit'])} | {_cell(times['predict'])} "
            f"| {_cell(times['evening, no refit'])} | {_cell(times['evening, refit'])} "
            f"| {ratio:.2f} | {versus} |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    text = run(parser.parse_args().runs)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {RESULTS}")
