"""How the known-future calendar should enter the recurrent nets, measured.

``make_forecaster(LSTMRegressor(random_state=s, num_threads=1), calendar=...)`` with the
default calendar (``days``) entering the net in each design below, and without it:

- simulator (``load_vix_sim(return_optimal=True)``, on NYSE sessions, no calendar effect):
  trained on the first 80 % of the rows (the last h-1 of them purged), RMSE of day t+h
  on the last 20 % over the Bayes-optimal forecast's;
- real VIX (``load_vix()``, 1990-2023): ``TimeSeriesSplit(5, gap=h-1)``, the mean over the
  folds of the RMSE of day t+h over persistence's.

Designs (``--designs``):

- ``none``: ``calendar=None``;
- ``per-step``: the nets as shipped: step k's calendar reaches output k only, through a
  linear term beside the network (a weight vector per output), set by least squares
  jointly with the highway;
- ``per-step, from zero``: the same term, left out of the least squares: it starts at
  zero and only training moves it;
- ``per-step, frozen``: the same term kept at its least-squares value (not trained);
- ``per-step, head too``: ``per-step`` plus a second per-step term beside the head,
  trained from zero;
- ``every step``: the design before, every step's calendar beside the last hidden state
  and in the highway, to every output;
- ``linear, none`` and ``linear``: ``make_forecaster(LinearRegression())`` without and
  with the calendar (every step's features to every output), for scale.

The designs from ``per-step, from zero`` to ``every step`` are custom modules
(``module=``, the documented contract), defined here.
Each measurement is appended to ``--log`` (JSON lines) as it finishes; the table of the
latest measurement per cell is printed and written to ``--table``.

    OMP_NUM_THREADS=1 nice -n 5 python benchmarks/bench_net_calendar.py \
        [--designs none per-step ...] [--data sim real] [--horizons 1 5] [--seeds 0]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from torch import nn

from sklearn_vix import LSTMRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, load_vix_sim, make_supervised
from sklearn_vix.forecasters import _DEFAULT_CALENDAR
from sklearn_vix.neural import RecurrentForecaster
from sklearn_vix.neural._modules import least_squares, per_step

RESULTS = Path(__file__).resolve().parent / "results"


class FromZero(RecurrentForecaster):
    """Per-step calendar terms that the least squares leaves at zero."""

    def fit_highway(self, window, known, targets):
        super().fit_highway(window, None, targets)


class Frozen(RecurrentForecaster):
    """Per-step calendar terms kept at their least-squares values."""

    def __init__(self, lookback, n_columns, n_outputs, known_shape):
        super().__init__(lookback, n_columns, n_outputs, known_shape=known_shape)
        self.known_weight.requires_grad_(False)


class HeadToo(RecurrentForecaster):
    """Per-step calendar terms in the highway and, trained from zero, beside the head."""

    def __init__(self, lookback, n_columns, n_outputs, known_shape):
        super().__init__(lookback, n_columns, n_outputs, known_shape=known_shape)
        self.head_known = nn.Parameter(torch.zeros(n_outputs, known_shape[1]))

    def forward(self, window, known):
        return super().forward(window, known) + per_step(known, self.head_known)


class EveryStep(RecurrentForecaster):
    """Every step's calendar beside the last hidden state and in the highway."""

    def __init__(self, lookback, n_columns, n_outputs, known_shape):
        super().__init__(lookback, n_columns, n_outputs)
        n_known = known_shape[0] * known_shape[1]
        self.output = nn.Linear(self.hidden_size + n_known, n_outputs)
        self.highway = nn.Linear(lookback * n_columns + n_known, n_outputs)
        nn.init.zeros_(self.output.weight)
        nn.init.zeros_(self.output.bias)

    def forward(self, window, known):
        self.rnn.flatten_parameters()
        steps, _ = self.rnn(window)
        state = torch.cat([steps[:, -1], known.flatten(1)], dim=1)
        flat = torch.cat([window.flatten(1), known.flatten(1)], dim=1)
        return self.output(state) + self.highway(flat)

    def fit_highway(self, window, known, targets):
        flat = torch.cat([window.flatten(1), known.flatten(1)], dim=1)
        solution = least_squares(flat, targets).float()
        with torch.no_grad():
            self.highway.weight.copy_(solution[:-1].T)
            self.highway.bias.copy_(solution[-1])


MODULES = {
    "per-step": None,
    "per-step, from zero": FromZero,
    "per-step, frozen": Frozen,
    "per-step, head too": HeadToo,
    "every step": EveryStep,
}
# The linear model beside the nets, with and without the same calendar (it has no seed).
LINEAR = {"linear, none": None, "linear": _DEFAULT_CALENDAR}
DESIGNS = ("none", *MODULES, *LINEAR)


def reference(design: str) -> str:
    """The design without the calendar that ``design`` is compared with."""
    return "linear, none" if design in LINEAR else "none"


def forecaster(design: str, seed: int):
    if design in LINEAR:
        return make_forecaster(LinearRegression(), calendar=LINEAR[design])
    if design == "none":
        return make_forecaster(LSTMRegressor(random_state=seed, num_threads=1), calendar=None)
    net = LSTMRegressor(module=MODULES[design], random_state=seed, num_threads=1)
    return make_forecaster(net)


def last(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return values[:, -1] if values.ndim == 2 else values


def rmse(error) -> float:
    return float(np.sqrt(np.mean(np.square(error))))


def simulator(model, horizon: int) -> float:
    """RMSE of day t+h on the last 20 % over the Bayes-optimal forecast's."""
    frame, optimal = load_vix_sim(return_optimal=True)
    X, y = make_supervised(frame, horizon=horizon)
    start = int(0.8 * len(X))
    fitted = clone(model).fit(X.iloc[: start - (horizon - 1)], y.iloc[: start - (horizon - 1)])
    truth = last(y.iloc[start:])
    best = optimal[f"vix_h{horizon}"].loc[X.index[start:]].to_numpy()
    return rmse(truth - last(fitted.predict(X.iloc[start:]))) / rmse(truth - best)


def real(model, horizon: int) -> float:
    """Mean over the folds of ``TimeSeriesSplit(5, gap=h-1)`` of RMSE(t+h) / persistence's."""
    X, y = make_supervised(load_vix()[["vix"]], horizon=horizon)
    ratios = []
    for train, test in TimeSeriesSplit(5, gap=horizon - 1).split(X):
        fitted = clone(model).fit(X.iloc[train], y.iloc[train])
        truth = last(y.iloc[test])
        error = truth - last(fitted.predict(X.iloc[test]))
        ratios.append(rmse(error) / rmse(truth - X["vix"].to_numpy()[test]))
    return float(np.mean(ratios))


COLUMNS = (("sim", 1), ("sim", 5), ("real", 1), ("real", 5))


def _mean(cells: dict, design: str, seeds, column) -> float | None:
    values = [cells.get((design, seed, *column)) for seed in seeds]
    return None if None in values else float(np.mean([v["ratio"] for v in values]))


def _text(value: float | None, sign: str = "") -> str:
    return "" if value is None else f"{value:{sign}.4f}"


def table(records: list[dict]) -> str:
    """Markdown, from the latest measurement of each cell: one row per design and seed
    (the seconds of its fits), the mean of the seeds where there are several, then what
    the calendar gains on the real VIX and costs on the simulator in each design (the
    mean over the seeds measured with and without it)."""
    cells = {(r["design"], r["seed"], r["data"], r["horizon"]): r for r in records}
    seeds = {design: sorted({key[1] for key in cells if key[0] == design}) for design in DESIGNS}
    lines = [
        "| design | seed | sim h=1 | sim h=5 | real h=1 | real h=5 | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for design in (d for d in DESIGNS if seeds[d]):
        for seed in seeds[design]:
            values = [cells.get((design, seed, *column)) for column in COLUMNS]
            seconds = sum(v["seconds"] for v in values if v)
            text = [_text(v and v["ratio"]) for v in values]
            lines.append(f"| {design} | {seed} | " + " | ".join(text) + f" | {seconds:.0f} |")
        if len(seeds[design]) > 1:
            means = [_text(_mean(cells, design, seeds[design], c)) for c in COLUMNS]
            label = ", ".join(map(str, seeds[design]))
            lines.append(f"| {design} | mean of {label} | " + " | ".join(means) + " | |")
    lines += [
        "",
        "| design | seeds | cost on sim h=1 | cost on sim h=5 | gain on real h=1 | "
        "gain on real h=5 |",
        "|---|---|---|---|---|---|",
    ]
    for design in (d for d in DESIGNS if seeds[d] and reference(d) != d):
        both = [seed for seed in seeds[design] if seed in seeds[reference(design)]]
        change = []
        for column in COLUMNS:
            with_it = _mean(cells, design, both, column)
            without = _mean(cells, reference(design), both, column)
            sign = 1 if column[0] == "sim" else -1
            change.append(None if None in (with_it, without) else sign * (with_it - without))
        label = ", ".join(map(str, both))
        lines.append(f"| {design} | {label} | " + " | ".join(_text(c, "+") for c in change) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", nargs="+", default=list(DESIGNS), choices=DESIGNS)
    parser.add_argument("--data", nargs="+", default=["sim", "real"], choices=["sim", "real"])
    parser.add_argument("--horizons", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--log", type=Path, default=RESULTS / "net_calendar.jsonl")
    parser.add_argument("--table", type=Path, default=RESULTS / "net_calendar.md")
    args = parser.parse_args()
    torch.set_num_threads(1)
    args.log.parent.mkdir(parents=True, exist_ok=True)
    for data in args.data:
        for horizon in args.horizons:
            for design in args.designs:
                for seed in args.seeds:
                    start = time.perf_counter()
                    measure = simulator if data == "sim" else real
                    ratio = measure(forecaster(design, seed), horizon)
                    record = {
                        "design": design,
                        "seed": seed,
                        "data": data,
                        "horizon": horizon,
                        "ratio": ratio,
                        "seconds": round(time.perf_counter() - start, 1),
                    }
                    print(json.dumps(record), flush=True)
                    with args.log.open("a") as f:
                        f.write(json.dumps(record) + "\n")
    records = [json.loads(line) for line in args.log.read_text().splitlines()]
    text = table(records)
    args.table.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
