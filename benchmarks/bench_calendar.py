"""What the known-future calendar of the target session adds, measured on the shipped VIX.

``TimeSeriesSplit(5, gap=h-1)`` on ``load_vix()`` (1990-2023), RMSE of day t+h divided by
persistence's, per fold and the mean of the fold ratios, for:

- log-HAR written as a linear regression on log VIX and its 5- and 22-day means
  (``make_forecaster(LinearRegression(), lookback=1, har_windows=(5, 22))``), Duan-smeared;
- ``make_forecaster(LinearRegression())`` (lookback 10);
- with ``--nets``: ``make_forecaster(LSTMRegressor(random_state=s))`` for ``--seeds``, with
  a Diebold-Mariano p-value (squared error, day t+h, pooled over folds) against the linear
  model with the same calendar features;

each with no calendar (``calendar=None``), each feature group alone, the default set and
every group (``--groups days+weekday ...`` names other sets). ``--data sim`` runs the same
on ``load_vix_sim()`` (business days, no calendar effect: the features must not hurt).

With ``--intervals``: ``ConformalForecaster`` at 90 % around the linear model (default
calendar features) and log-HAR, fitted on 1990-2015 and scored on 2016-2023 as
``benchmarks/bench_intervals.py`` does, with the volatility scale and with and without
the calendar groups (``calendar="auto"`` / None): coverage of day t+h by the target's
weekday and by the closed days before it, and the interval score over the naive
interval's (persistence times the 5 %/95 % quantiles of training h-day log changes).

    nice -n 5 python benchmarks/bench_calendar.py --horizons 1 5 [--data real sim]
        [--nets --seeds 0 1 2 --net-variants none default] [--intervals]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit

from sklearn_vix import ConformalForecaster, HARRegressor, make_forecaster
from sklearn_vix.calendar import sessions_after
from sklearn_vix.datasets import load_vix, load_vix_sim, make_supervised
from sklearn_vix.forecasters import _DEFAULT_CALENDAR
from sklearn_vix.intervals._groups import calendar_groups
from sklearn_vix.metrics import interval_coverage, interval_score
from sklearn_vix.preprocessing import CALENDAR_FEATURES
from sklearn_vix.stats import diebold_mariano

GROUPS = {
    "none": None,
    **{name: (name,) for name in CALENDAR_FEATURES},
    "default": _DEFAULT_CALENDAR,
    "all": tuple(CALENDAR_FEATURES),
}


def calendar_of(group: str):
    """A name of GROUPS, or feature groups joined by ``+`` (``days+weekday``)."""
    return GROUPS[group] if group in GROUPS else tuple(group.split("+"))


def models(calendar, nets: bool, seeds) -> dict:
    out = {
        "log-HAR": make_forecaster(
            LinearRegression(), lookback=1, har_windows=(5, 22), calendar=calendar
        ),
        "linear": make_forecaster(LinearRegression(), calendar=calendar),
    }
    if nets:
        from sklearn_vix import LSTMRegressor

        for seed in seeds:
            net = LSTMRegressor(random_state=seed, num_threads=1)
            out[f"LSTM seed {seed}"] = make_forecaster(net, calendar=calendar)
    return out


def last(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return values[:, -1] if values.ndim == 2 else values


def evaluate(model, X, y, folds):
    """Per-fold RMSE ratios to persistence of day t+h, the pooled errors of day t+h, and
    the ratios of every step averaged (each fold's mean over steps 1..h)."""
    ratios, errors, every_step = [], [], []
    for train, test in folds:
        fitted = clone(model).fit(X.iloc[train], y.iloc[train])
        truth = np.asarray(y.iloc[test], dtype=np.float64).reshape(len(test), -1)
        prediction = np.asarray(fitted.predict(X.iloc[test])).reshape(truth.shape)
        naive = truth - X["vix"].to_numpy()[test, None]
        per_step = np.sqrt(((truth - prediction) ** 2).mean(0) / (naive**2).mean(0))
        ratios.append(per_step[-1])
        every_step.append(per_step.mean())
        errors.append(truth[:, -1] - prediction[:, -1])
    return np.asarray(ratios), np.concatenate(errors), float(np.mean(every_step))


def naive_bounds(X_train, y_train, X_test, coverage: float) -> np.ndarray:
    """Persistence times the quantiles of the training h-day log changes."""
    changes = np.log(last(y_train) / X_train["vix"].to_numpy())
    alpha = 1 - coverage
    q = np.quantile(changes, [alpha / 2, 1 - alpha / 2])
    return X_test["vix"].to_numpy()[:, None] * np.exp(q)[None, :]


def intervals(horizons) -> None:
    """Coverage by weekday and closed days, and interval score, with and without groups."""
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    for horizon in horizons:
        X, y = make_supervised(load_vix()[["vix"]], horizon=horizon)
        train, test = X.index <= "2015-12-31", X.index >= "2016-01-01"
        X_test, truth = X[test], last(y[test])
        target = sessions_after(X_test.index, horizon)[:, -1]
        weekday = np.asarray([d.weekday() for d in target.astype("datetime64[D]").tolist()])
        closed = calendar_groups(X_test, horizon)[:, -1]
        naive = naive_bounds(X[train], y[train], X_test, 0.9)
        naive_is = interval_score(truth, naive, coverage=0.9)
        emit(f"\n## intervals, h={horizon}, 90 %, fit 1990-2015, score 2016-2023 (day t+h)")
        emit(
            "| model | calendar groups | coverage | "
            + " | ".join(weekdays)
            + " | closed 0 | 1 | 2 | 3 | IS / naive |"
        )
        emit("|---|---|---|" + "---|" * 10)
        models_ = {
            "linear": make_forecaster(LinearRegression()),
            "log-HAR": HARRegressor(log=True),
        }
        counts = [int((weekday == d).sum()) for d in range(5)]
        counts += [int((closed == g).sum()) for g in range(4)]
        emit("| rows | | " + str(len(truth)) + " | " + " | ".join(map(str, counts)) + " | |")
        for name, model in models_.items():
            for groups in (None, "auto"):
                fitted = ConformalForecaster(model, coverage=0.9, calendar=groups)
                fitted.fit(X[train], y[train])
                bounds = fitted.predict_interval(X_test)
                bounds = bounds[:, -1, :] if bounds.ndim == 3 else bounds
                by_day = [
                    interval_coverage(truth[weekday == d], bounds[weekday == d]) for d in range(5)
                ]
                by_gap = [
                    interval_coverage(truth[closed == g], bounds[closed == g])
                    if (closed == g).any()
                    else np.nan
                    for g in range(4)
                ]
                ratio = interval_score(truth, bounds, coverage=0.9) / naive_is
                emit(
                    f"| {name} | {groups or 'none'} | {interval_coverage(truth, bounds):.3f} | "
                    + " | ".join(f"{c:.3f}" for c in [*by_day, *by_gap])
                    + f" | {ratio:.4f} |"
                )


_LINES: list[str] = []


def emit(line: str = "") -> None:
    """Print a line of the report, and keep it for ``--out``."""
    print(line, flush=True)
    _LINES.append(line)


def rule_table(means: dict) -> None:
    """The feature-group rule: gain on the real VIX against the cost on the simulator, for
    the linear model, on day t+h and on the mean of every step's ratio."""
    horizons = sorted({h for (_, h, _, _) in means})
    emit("\n## The rule: gain on the real VIX, cost on the simulator (linear, mean ratio)")
    cells = [f"real h={h}{s} | sim h={h}{s}" for h in horizons for s in ("", ", steps")]
    emit("| calendar | " + " | ".join(cells) + " |")
    emit("|---|" + "---|---|" * 2 * len(horizons))
    groups = [g for (d, h, m, g) in means if d == "real" and h == horizons[0] and m == "linear"]
    for group in groups:
        if group == "none":
            continue
        row = []
        for h in horizons:
            for model in ("linear", "linear, every step"):

                def ratio(data, g, h=h, model=model):
                    return means.get((data, h, model, g), np.nan)

                row += [
                    f"{ratio('real', 'none') - ratio('real', group):+.4f}",
                    f"{ratio('sim', group) - ratio('sim', 'none'):+.4f}",
                ]
        emit(f"| {group} | " + " | ".join(row) + " |")
    emit("")
    emit(
        "Gain: ratio without the calendar minus with it, on the real VIX; cost: with it minus "
        "without, on the simulator. 'steps': the mean of the five steps' ratios."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", default=["real"], choices=["real", "sim"])
    parser.add_argument("--horizons", type=int, nargs="+", default=[1, 5])
    parser.add_argument(
        "--groups", nargs="+", default=list(GROUPS), help="names above, or a+b for several"
    )
    parser.add_argument("--nets", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--net-variants", nargs="+", default=["none", "default"], help="as --groups"
    )
    parser.add_argument("--intervals", action="store_true")
    parser.add_argument("--out", default=None, help="also write the tables to this file")
    args = parser.parse_args()
    if args.intervals:
        intervals(args.horizons)
    else:
        ratios_tables(args)
    if args.out:
        with open(args.out, "w") as out:
            out.write("\n".join(_LINES).strip() + "\n")


def ratios_tables(args) -> None:
    means = {}
    for data in args.data:
        frame = load_vix()[["vix"]] if data == "real" else load_vix_sim()[["vix"]]
        for horizon in args.horizons:
            X, y = make_supervised(frame, horizon=horizon)
            folds = list(TimeSeriesSplit(5, gap=horizon - 1).split(X))
            emit(f"\n## {data}, h={horizon}: RMSE of day t+{horizon} / persistence")
            folds_header = " | ".join(f"fold {i}" for i in range(1, 6))
            emit(
                f"| model | calendar | {folds_header} | mean | mean of steps 1-{horizon} "
                "| DM p vs linear |"
            )
            emit("|---|---|---|---|---|---|---|---|---|---|")
            linear_errors = {}
            for group in args.groups:
                nets = args.nets and group in args.net_variants
                for name, model in models(calendar_of(group), nets, args.seeds).items():
                    start = time.perf_counter()
                    ratios, errors, every_step = evaluate(model, X, y, folds)
                    folds_text = " | ".join(f"{r:.4f}" for r in ratios)
                    means[(data, horizon, name, group)] = ratios.mean()
                    means[(data, horizon, f"{name}, every step", group)] = every_step
                    note = ""
                    if name == "linear":
                        linear_errors[group] = errors
                    elif name.startswith("LSTM"):
                        dm = diebold_mariano(errors, linear_errors[group], h=horizon)
                        note = f"{dm.pvalue:.3f}"
                    print(f"  ({name}, {group}: {time.perf_counter() - start:.0f} s)")
                    emit(
                        f"| {name} | {group} | {folds_text} | {ratios.mean():.4f} "
                        f"| {every_step:.4f} | {note} |"
                    )
    if set(args.data) == {"real", "sim"}:
        rule_table(means)


if __name__ == "__main__":
    main()
