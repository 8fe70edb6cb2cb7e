"""Distribution forecasts of the VIX: conformal bands, the conformal predictive
distribution, linear quantile regression, the LSTM's quantile and Gaussian heads, and CQR.

The shipped VIX (``load_vix``), horizons 1 and 5, scored on the last step, in two
evaluations:

- **CV 1990-2023**: :func:`~sklearn_vix.model_selection.compare_models` with
  ``default_cv`` (``TimeSeriesSplit(5, gap=h-1)``), its out-of-fold intervals and
  quantiles;
- **walk-forward 2016-2023**: :func:`~sklearn_vix.model_selection.backtest` from
  2016-01-04, refit every 22 sessions, the intervals issued online (``update``), the
  quantiles read once per refit block (``BacktestResult.quantiles``).

Rows (the linear ones built on the recommended model ``make_forecaster(...)``):

- ``conformal bands``: ``ConformalForecaster(make_forecaster(LinearRegression()))``'s
  90 % interval (online in the walk);
- ``conformal distribution``: the same model's ``predict_quantiles`` (its 90 % band is
  its 5 % and 95 % points);
- ``linear quantile``: ``make_forecaster(LinearQuantileRegressor(quantiles=grid,
  solver="statsmodels"))`` (IRLS: about 7 s a fit on the full data, where the exact
  linear programme of ``solver="highs"`` had not finished one in 4 minutes);
- ``linear quantile + CQR``: it inside ``ConformalForecaster(conformity_score="cqr")``
  (cross-fitted: six fits per fit, too slow for the walk here);
- ``LSTM quantile head, seed s`` and ``LSTM gaussian head, seed s`` (s = 0, 1):
  ``make_forecaster(LSTMRegressor(criterion="quantile", quantiles=grid))`` (pinball loss
  on the 19 levels) and ``criterion="gaussian"`` (a mean and a log-scale per step, in
  log space), with the report's budget ``max_epochs=20, patience=5``;
- ``... + CQR``: each net inside ``ConformalForecaster(conformity_score="cqr",
  method="split")`` (one fit, calibrated on the latest 20 % of the training rows).

The grid is 0.05, 0.10, ..., 0.95 (19 levels). Columns: coverage of the 90 % band
overall, when the VIX is above 25 and per weekday of the origin; the interval score
divided by the naive band's; the CRPS (``crps_from_quantiles`` on the grid) divided by
the naive distribution's; and the Diebold-Mariano p-value of the per-row CRPS against
the conformal distribution's, and ("DM p vs LQR") against linear quantile regression's
(``diebold_mariano(loss="absolute")`` of the non-negative CRPS values is the test on
their difference; two-sided, so read it with the CRPS ratios' order). The naive
distribution is persistence times ``exp`` of the empirical quantiles of the training
rows' h-day log changes (per fold in CV; the rows before 2016 in the walk, as in
``bench_online_intervals.py``); its 5 % and 95 % points are the naive band.

``--rows`` picks the CV rows and ``--walk-rows`` the walk's (default: ``--rows``); the
nets and the CQR of linear quantiles refit too often in the walk for two CPU cores, so
``benchmarks/regenerate.sh`` walks the first three rows only. ``--out PATH`` also writes
the tables as Markdown (the user guide includes ``benchmarks/results/distribution.md``).
Run with one BLAS thread: statsmodels' many small least-squares solves are about ten
times slower with a multi-threaded BLAS on a busy machine.

    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/bench_distribution.py \
        [--rows ...] [--walk-rows ...] [--out PATH]
"""

from __future__ import annotations

import argparse
import functools
import time
import warnings

import numpy as np
import pandas as pd
from _markdown import markdown, titled, write
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, LinearQuantileRegressor, make_forecaster
from sklearn_vix.base import is_interval_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.metrics import crps_from_quantiles, interval_score
from sklearn_vix.model_selection import backtest, compare_models, default_cv
from sklearn_vix.stats import diebold_mariano

COVERAGE = 0.9
GRID = np.arange(1, 20) / 20
BAND = [0, len(GRID) - 1]  # the 5 % and 95 % points: the 90 % band
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
REFERENCE = "conformal distribution"
LINEAR = "linear quantile"  # the second reference: a net head must beat it


def _conformal():
    return ConformalForecaster(make_forecaster(LinearRegression()), coverage=COVERAGE)


def _quantile():
    return make_forecaster(LinearQuantileRegressor(quantiles=GRID, solver="statsmodels"))


def _cqr():
    return ConformalForecaster(_quantile(), coverage=COVERAGE, conformity_score="cqr")


def _net(criterion: str, seed: int):
    from sklearn_vix.neural import LSTMRegressor

    extra = {"quantiles": tuple(GRID)} if criterion == "quantile" else {}
    return make_forecaster(
        LSTMRegressor(
            criterion=criterion,
            max_epochs=MAX_EPOCHS,
            patience=PATIENCE,
            random_state=seed,
            **extra,
        )
    )


def _net_cqr(criterion: str, seed: int):
    return ConformalForecaster(
        _net(criterion, seed), coverage=COVERAGE, conformity_score="cqr", method="split"
    )


MAX_EPOCHS, PATIENCE = 20, 5  # the report's budget for the nets
# name -> (model factory, the row reads the model's interval or its quantiles' band)
ROWS = {
    "conformal bands": (_conformal, "interval"),
    REFERENCE: (_conformal, "quantiles"),
    "linear quantile": (_quantile, "quantiles"),
    "linear quantile + CQR": (_cqr, "quantiles"),
}
for _seed in (0, 1):
    for _criterion in ("quantile", "gaussian"):
        _name = f"LSTM {_criterion} head, seed {_seed}"
        ROWS[_name] = (functools.partial(_net, _criterion, _seed), "quantiles")
        ROWS[f"{_name} + CQR"] = (functools.partial(_net_cqr, _criterion, _seed), "quantiles")


def naive_quantiles(X_train, y_train, X_test, horizon: int) -> np.ndarray:
    """Persistence times exp of the grid's quantiles of the training h-day log changes."""
    last = np.asarray(y_train).reshape(len(y_train), -1)[:, horizon - 1]
    changes = np.log(last / X_train["vix"].to_numpy())
    return X_test["vix"].to_numpy()[:, None] * np.exp(np.quantile(changes, GRID))[None, :]


def row_crps(truth: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """CRPS of each row on the grid (each row as one step of one sample)."""
    return crps_from_quantiles(truth[None, :], quantiles[None], GRID, multioutput="raw_values")


def scores(truth, band, quantiles, naive, index, level) -> dict:
    inside = (band[:, 0] <= truth) & (truth <= band[:, 1])
    weekday = index.day_name().str[:3]
    naive_score = interval_score(truth, naive[:, BAND], coverage=COVERAGE)
    row = {
        "coverage": inside.mean(),
        "cov VIX>25": inside[level > 25].mean(),
        **{f"cov {day}": inside[weekday == day].mean() for day in WEEKDAYS},
        "IS ratio": interval_score(truth, band, coverage=COVERAGE) / naive_score,
        "CRPS ratio": np.nan,
    }
    if quantiles is not None:
        row["CRPS ratio"] = row_crps(truth, quantiles).mean() / row_crps(truth, naive).mean()
    return row


def cross_validated(names, horizon: int) -> tuple[list, dict]:
    X, y = make_supervised(load_vix(), horizon=horizon)
    models = {name: ROWS[name][0]() for name in dict.fromkeys(names) if name != "conformal bands"}
    if "conformal bands" in names and REFERENCE not in models:
        models[REFERENCE] = _conformal()
    result = compare_models(models, X, y)
    tested = result.y_true.index
    truth = result.y_true.to_numpy()[:, -1]
    positions = X.index.get_indexer(tested)
    naive = np.empty((len(tested), len(GRID)))
    for train, test in default_cv(y).split(X):
        rows = np.isin(positions, test)
        naive[rows] = naive_quantiles(X.iloc[train], y.iloc[train], X.loc[tested[rows]], horizon)
    level = X.loc[tested, "vix"].to_numpy()
    out, losses = [], {}
    for name in names:
        fitted = REFERENCE if name == "conformal bands" else name
        if ROWS[name][1] == "interval":
            band = result.intervals[fitted].reshape(len(tested), -1, 2)[:, -1]
            quantiles = None
        else:
            quantiles = result.quantiles[fitted].reshape(len(tested), -1, len(GRID))[:, -1]
            band = quantiles[:, BAND]
            losses[name] = row_crps(truth, quantiles)
        out.append({"row": name, "h": horizon,
                    **scores(truth, band, quantiles, naive, tested, level)})  # fmt: skip
    return out, losses


def walked(names, horizon: int, start: str, end: str) -> tuple[list, dict]:
    X, y = make_supervised(load_vix().loc[:end], horizon=horizon)
    position = int(X.index.searchsorted(pd.Timestamp(start)))
    train = slice(0, position - horizon + 1)
    naive = naive_quantiles(X.iloc[train], y.iloc[train], X.iloc[position:], horizon)
    level = X["vix"].iloc[position:].to_numpy()
    index = X.index[position:]
    out, losses, results = [], {}, {}
    for name in names:
        fitted = REFERENCE if name == "conformal bands" else name
        if fitted not in results:
            began = time.perf_counter()
            model = ROWS[fitted][0]()
            # coverage is a metric of interval forecasters only (the conformal rows)
            metrics = ["coverage", "crps"] if is_interval_forecaster(model) else ["crps"]
            results[fitted] = backtest(model, X, y, start=start, refit_every=22,
                                       metrics=metrics, progress=False)  # fmt: skip
            print(f"  walk {fitted}, h={horizon}: {time.perf_counter() - began:.0f} s", flush=True)
        result = results[fitted]
        last = result.forecasts["step"] == horizon
        truth = result.forecasts.loc[last, "actual"].to_numpy()
        if ROWS[name][1] == "interval":
            band, quantiles = result.forecasts.loc[last, ["lower", "upper"]].to_numpy(), None
        else:
            quantiles = result.quantiles.loc[last].to_numpy()
            band = quantiles[:, BAND]
            losses[name] = row_crps(truth, quantiles)
        out.append({"row": name, "h": horizon,
                    **scores(truth, band, quantiles, naive, index, level)})  # fmt: skip
    return out, losses


def with_dm(rows: list, losses: dict, horizon: int) -> list:
    for row in rows:
        name = row["row"]
        for column, reference in (("DM p (CRPS)", REFERENCE), ("DM p vs LQR", LINEAR)):
            row[column] = np.nan
            if name in losses and name != reference and reference in losses:
                test = diebold_mariano(losses[name], losses[reference], h=horizon, loss="absolute")
                row[column] = test.pvalue
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", default=list(ROWS), choices=list(ROWS))
    parser.add_argument("--walk-rows", nargs="+", default=None, choices=list(ROWS),
                        help="rows of the walk-forward (default: --rows)")  # fmt: skip
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--end", default="2023-12-31")
    parser.add_argument("--out", default=None, help="also write the tables here")
    args = parser.parse_args()
    # statsmodels' QuantReg at its iteration limit on some level keeps its last iterate,
    # within 0.1 % of the exact pinball loss (tests/test_quantiles.py): said once here.
    warnings.filterwarnings("ignore", message="Maximum number of iterations")
    walk_rows = args.walk_rows or args.rows
    tables, times = {}, {}
    for title, run, names in (
        ("CV 1990-2023", cross_validated, args.rows),
        (f"Walk-forward {args.start[:4]}-{args.end[:4]}", walked, walk_rows),
    ):
        began = time.perf_counter()
        rows = []
        for horizon in (1, 5):
            extra = (args.start, args.end) if run is walked else ()
            found, losses = run(names, horizon, *extra)
            rows += with_dm(found, losses, horizon)
        tables[title] = table = pd.DataFrame(rows).set_index(["row", "h"])
        times[title] = time.perf_counter() - began
        # printed as soon as measured, so that a failure later keeps it
        print(f"\n{title} ({times[title]:.0f} s)\n{table.to_string(float_format='{:.3f}'.format)}",
              flush=True)  # fmt: skip
    sections = []
    for title, table in tables.items():
        text = markdown(table, {"DM p (CRPS)": "{:.3g}", "DM p vs LQR": "{:.3g}"}, default="{:.3f}")
        sections.append(titled(f"{title}, 90 % band, CRPS on 19 levels", text))
    if args.out:
        write(args.out, sections)


if __name__ == "__main__":
    main()
