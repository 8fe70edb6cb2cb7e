"""Online conformal intervals: adaptive conformal inference against conformal PID.

The shipped VIX (``load_vix``). ``ConformalForecaster(model, coverage=0.9, online=...)``
is fitted once on the days before ``--start`` and then walks forward to ``--end`` with
:func:`~sklearn_vix.model_selection.backtest` (no refit), each outcome fed through
``update`` when it is known. Models: log-HAR (``make_forecaster(HARRegressor())``) and
linear (``make_forecaster(LinearRegression())``, lookback 10); horizons 1 and 5, scored on
the last step. For each, the script prints coverage overall, on days whose VIX is above
25 and by weekday of the origin; the interval score and its ratio to the naive
interval's (persistence times the 5 % / 95 % quantiles of the training h-day log
changes, as in ``bench_intervals.py``); the longest run of consecutive misses; and
whether any interval was infinite or empty.

``--tune`` instead scores a small grid of PID constants (``pid_learning_rate`` and
``pid_integrator_gain``, set as parameters) on the years before the scored ones (fit
before 2010, walk 2010-2015), which is how their defaults were chosen.

``--out PATH`` also writes the table as Markdown (the user guide includes
``benchmarks/results/online_intervals.md``).

    nice -n 5 python benchmarks/bench_online_intervals.py [--start 2016-01-01] \\
        [--end 2023-12-31] [--tune] [--out PATH]
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np
import pandas as pd
from _markdown import markdown, titled, write
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, HARRegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.metrics import interval_score
from sklearn_vix.model_selection import backtest

COVERAGE = 0.9
MODELS = {
    "log-HAR": lambda: make_forecaster(HARRegressor()),
    "linear": lambda: make_forecaster(LinearRegression()),
}


def naive_bounds(X_train, y_train, X_test, horizon: int) -> np.ndarray:
    """Persistence times the quantiles of the training h-day log changes."""
    last = np.asarray(y_train).reshape(len(y_train), -1)[:, horizon - 1]
    changes = np.log(last / X_train["vix"].to_numpy())
    alpha = 1 - COVERAGE
    q = np.quantile(changes, [alpha / 2, 1 - alpha / 2])
    return X_test["vix"].to_numpy()[:, None] * np.exp(q)[None, :]


def longest_run(misses: np.ndarray) -> int:
    best = run = 0
    for miss in misses:
        run = run + 1 if miss else 0
        best = max(best, run)
    return best


def evaluate(model_name, horizon, online, start, end, **params) -> dict:
    X, y = make_supervised(load_vix().loc[:end], horizon=horizon)
    position = int(X.index.searchsorted(pd.Timestamp(start)))
    model = ConformalForecaster(MODELS[model_name](), coverage=COVERAGE, online=online, **params)
    result = backtest(model, X, y, start=start, refit_every=len(X), progress=False)
    rows = result.forecasts[result.forecasts["step"] == horizon]
    truth = rows["actual"].to_numpy()
    bounds = rows[["lower", "upper"]].to_numpy()
    train = slice(0, position - horizon + 1)
    naive = naive_bounds(X.iloc[train], y.iloc[train], X.iloc[position:], horizon)
    inside = (bounds[:, 0] <= truth) & (truth <= bounds[:, 1])
    level = X["vix"].iloc[position:].to_numpy()
    weekday = X.index[position:].day_name().str[:3]
    score = interval_score(truth, bounds, coverage=COVERAGE)
    row = {
        "model": model_name,
        "h": horizon,
        "online": online,
        "coverage": inside.mean(),
        "cov VIX>25": inside[level > 25].mean(),
        **{f"cov {day}": inside[weekday == day].mean() for day in ("Mon", "Wed", "Fri")},
        "IS ratio": score / interval_score(truth, naive, coverage=COVERAGE),
        "longest miss run": longest_run(~inside),
        "infinite or empty": int((~np.isfinite(bounds)).any(axis=1).sum())
        + int((bounds[:, 0] > bounds[:, 1]).sum()),
    }
    row.update({f"cov {d}": inside[weekday == d].mean() for d in ("Tue", "Thu")})
    return row


def tune(rates, gains) -> None:
    rows = []
    for lr, gain in itertools.product(rates, gains):
        params = {"pid_learning_rate": lr, "pid_integrator_gain": gain}
        for horizon in (1, 5):
            row = evaluate("log-HAR", horizon, "pid", "2010-01-01", "2015-12-31", **params)
            rows.append({"lr": lr, "K_I": gain, **row})
    table = pd.DataFrame(rows)
    print(table[["lr", "K_I", "h", "coverage", "cov VIX>25", "IS ratio"]].to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--end", default="2023-12-31")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--rates", type=float, nargs="+", default=[0.002, 0.005, 0.01, 0.03])
    parser.add_argument("--gains", type=float, nargs="+", default=[0.0, 0.5, 2.0])
    parser.add_argument("--out", default=None, help="also write the table here")
    args = parser.parse_args()
    if args.tune:
        tune(args.rates, args.gains)
        return
    rows = [
        evaluate(name, horizon, online, args.start, args.end)
        for name in MODELS
        for horizon in (1, 5)
        for online in ("aci", "pid")
    ]
    columns = [
        "model", "h", "online", "coverage", "cov VIX>25", "IS ratio", "longest miss run",
        "infinite or empty", "cov Mon", "cov Tue", "cov Wed", "cov Thu", "cov Fri",
    ]  # fmt: skip
    table = pd.DataFrame(rows)[columns]
    print(table.to_string(index=False, float_format="{:.3f}".format))
    if args.out:
        title = f"90 % intervals, fitted before {args.start}, walked to {args.end}"
        write(args.out, [titled(title, markdown(table.set_index("model"), default="{:.3f}"))])


if __name__ == "__main__":
    main()
