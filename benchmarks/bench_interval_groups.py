"""Calendar groups of the conformal intervals: how a small group borrows from the pool.

The shipped VIX (``load_vix``, 1990-2023). For each year from ``--first`` to 2023,
``ConformalForecaster(make_forecaster(LinearRegression()), coverage=0.9)`` (cross-fitted,
volatility scale) is fitted on the 2,500 rows before the year whose targets are known, and
its static intervals (``predict_interval``, no update) are scored on the year's origins,
every step. The same calibration scores are read through each rule for the groups:

- ``pooled``: one pool per step (``calendar=None``);
- ``own``: each group's own split-conformal quantile as soon as it has the 19 scores a
  finite 90 % quantile needs, the pool's otherwise (the library before issue 21);
- ``shrink n0``: the group's quantile and the pool's averaged with weight
  ``n_g / (n_g + n0)`` on the group's (``group_shrinkage=n0``, the library's rule);
- ``ratio n0``: the pool's quantiles times the ratio of the group's median absolute
  score to the pool's, shrunk to 1 with the same weight;
- ``min m``: the group's own quantile only when it has at least ``m`` scores.

For each it prints, per horizon (all steps pooled): coverage overall, by weekday of the
target session, by closed days before the target (group 1, a one-day holiday; group 3, a
long weekend); the interval score over the pooled rule's; the share of origins whose
band narrows from one step to the next (h=5), and for origins in groups 1 and 3 the
median and largest ratio of the width to the pooled rule's.

With ``--cases``: the done-criterion of issue 21 on origins before a one-day mid-week
holiday (the analog of Cboe's file cut at 2025-12-31). The library's model (default
``group_shrinkage``) is fitted at h=5 on the last 2,500 rows whose targets are known at
the cut, and the band issued at the cut is printed per step, with the median step-1
width of the year before the cut (the same model's ``predict_interval``); the band must
widen with the step and its step 1 stay within 1.5 times that median. ``--lstm`` adds
``make_forecaster(LSTMRegressor(max_epochs=15))`` on the first case.

    nice -n 5 python benchmarks/bench_interval_groups.py [--first 2000] [--horizons 1 5]
        [--cases [--lstm]]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression

from sklearn_vix import ConformalForecaster, make_forecaster
from sklearn_vix.calendar import sessions_after
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.intervals._quantiles import ScorePool, min_calibration_rows, ranked_bounds
from sklearn_vix.metrics import interval_coverage, interval_score

COVERAGE = 0.9
ALPHA = 1 - COVERAGE
N_TRAIN = 2500
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]


def pooled(scores, groups, group):
    return ranked_bounds(np.sort(scores), ALPHA)


def own(scores, groups, group):
    mine = np.sort(scores[groups == group])
    if len(mine) >= min_calibration_rows(COVERAGE):
        return ranked_bounds(mine, ALPHA)
    return pooled(scores, groups, group)


def shrink(n0):
    def rule(scores, groups, group):
        return ScorePool(scores, groups, n0).bounds(group, ALPHA)

    return rule


def ratio(n0):
    def rule(scores, groups, group):
        centre = np.median(scores)
        mine = scores[groups == group]
        spread = np.median(np.abs(scores - centre))
        r = np.median(np.abs(mine - centre)) / spread if len(mine) else 1.0
        weight = len(mine) / (len(mine) + n0)
        low, high = pooled(scores, groups, group)
        factor = weight * r + 1 - weight
        return centre + factor * (low - centre), centre + factor * (high - centre)

    return rule


def min_size(m):
    def rule(scores, groups, group):
        if (groups == group).sum() >= m:
            return ranked_bounds(np.sort(scores[groups == group]), ALPHA)
        return pooled(scores, groups, group)

    return rule


RULES = {
    "pooled": pooled,
    "own": own,
    **{f"shrink {n0}": shrink(n0) for n0 in (25, 50, 100, 200, 400)},
    **{f"ratio {n0}": ratio(n0) for n0 in (25, 100)},
    **{f"min {m}": min_size(m) for m in (100, 200, 400)},
}


def year_intervals(X, y, year: int, horizon: int):
    """Fit before ``year``; the bounds of its origins under every rule, and their groups."""
    position = int(X.index.searchsorted(pd.Timestamp(f"{year}-01-01")))
    stop = int(X.index.searchsorted(pd.Timestamp(f"{year + 1}-01-01")))
    train = slice(max(0, position - horizon + 1 - N_TRAIN), position - horizon + 1)
    model = ConformalForecaster(make_forecaster(LinearRegression()), coverage=COVERAGE)
    model.fit(X.iloc[train], y.iloc[train])
    # The fit data's continuation: the scale and the windows read the rows before.
    X_test = X.iloc[train.stop : stop]
    skip = position - train.stop
    centre = np.log(model._as_2d(model.predict(X_test)))[skip:]
    scale = model._scale_at(X_test)[skip:]
    groups = model._groups_of(X_test)[skip:]
    bounds = {}
    for name, rule in RULES.items():
        q = np.empty((*groups.shape, 2))
        for k in range(horizon):
            scores, calibration = model.calibration_scores_[:, k], model.calibration_groups_[:, k]
            for group in np.unique(groups[:, k]):
                q[groups[:, k] == group, k] = rule(scores, calibration, group)
        bounds[name] = np.exp(centre[..., None] + scale[:, None, None] * q)
    return bounds, groups, np.asarray(y.iloc[position:stop]).reshape(stop - position, -1)


def measure(horizon: int, first: int) -> pd.DataFrame:
    X, y = make_supervised(load_vix()[["vix"]], horizon=horizon)
    parts = [year_intervals(X, y, year, horizon) for year in range(first, 2024)]
    groups = np.concatenate([p[1] for p in parts])
    truth = np.concatenate([p[2] for p in parts])
    origins = X.index[X.index.year >= first]
    targets = sessions_after(origins, horizon).astype("datetime64[D]")
    weekday = ((targets.astype(np.int64) + 3) % 7).ravel()  # 1970-01-01 was a Thursday
    flat_truth, flat_groups = truth.ravel(), groups.ravel()
    rows = []
    reference = None
    for name in RULES:
        bounds = np.concatenate([p[0][name] for p in parts])
        flat = bounds.reshape(-1, 2)
        width = bounds[..., 1] - bounds[..., 0]
        score = interval_score(flat_truth, flat, coverage=COVERAGE)
        if reference is None:
            reference, reference_width = score, width
        row = {
            "h": horizon,
            "rule": name,
            "coverage": interval_coverage(flat_truth, flat),
            **{
                day: interval_coverage(flat_truth[weekday == d], flat[weekday == d])
                for d, day in enumerate(WEEKDAYS)
            },
            **{
                f"group {g}": interval_coverage(
                    flat_truth[flat_groups == g], flat[flat_groups == g]
                )
                for g in range(4)
            },
            "IS / pooled": score / reference,
        }
        if horizon > 1:
            row["narrowing"] = float((np.diff(width, axis=1) < 0).any(axis=1).mean())
        holiday = np.isin(groups, (1, 3))
        relative = width[holiday] / reference_width[holiday]
        row["width / pooled, groups 1, 3: median"] = float(np.median(relative))
        row["max"] = float(relative.max())
        rows.append(row)
    counts = {day: int((weekday == d).sum()) for d, day in enumerate(WEEKDAYS)}
    counts.update({f"group {g}": int((flat_groups == g).sum()) for g in range(4)})
    print(f"h={horizon}: {len(flat_truth)} (origin, step) pairs, {counts}")
    return pd.DataFrame(rows)


CASES = ("2018-12-31", "2019-12-31", "2023-07-03", "2019-07-03", "2014-12-31", "2013-12-31")


def case(cut: str, forecaster, params: dict) -> dict:
    """The band issued at ``cut`` by a model fitted on the 2,500 rows known by then."""
    frame = load_vix().loc[:cut]
    X, y = make_supervised(frame, horizon=5)
    model = ConformalForecaster(forecaster, coverage=COVERAGE, **params)
    model.fit(X.iloc[-N_TRAIN:], y.iloc[-N_TRAIN:])
    # The rows from the end of the fit data to the cut: the windows continue the fit data.
    bounds = model.predict_interval(frame.loc[X.index[-1] :].iloc[1:])[-1]
    year_before = X.index > pd.Timestamp(cut) - pd.DateOffset(years=1)
    before = model.predict_interval(X.iloc[-N_TRAIN:][year_before[-N_TRAIN:]])
    width = bounds[:, 1] - bounds[:, 0]
    median = float(np.median(before[:, 0, 1] - before[:, 0, 0]))
    return {
        "cut": cut,
        **{f"width {k + 1}": w for k, w in enumerate(width)},
        "median t+1 width, year before": median,
        "t+1 / median": width[0] / median,
        "widens with k": bool((np.diff(width) >= 0).all()),
    }


def cases(lstm: bool) -> pd.DataFrame:
    rows = []
    variants = {
        "pooled": {"calendar": None},
        "own (0)": {"group_shrinkage": 0.0},
        "default": {},
    }
    for label, params in variants.items():
        for cut in CASES:
            forecaster = make_forecaster(LinearRegression())
            rows.append({"model": "linear", "groups": label, **case(cut, forecaster, params)})
        if lstm:
            from sklearn_vix import LSTMRegressor

            net = make_forecaster(LSTMRegressor(max_epochs=15, random_state=0, num_threads=2))
            rows.append({"model": "LSTM", "groups": label, **case(CASES[1], net, params)})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return table


def markdown(table: pd.DataFrame, digits: int) -> str:
    """The table as Markdown, numbers rounded to ``digits``."""

    def cell(value) -> str:
        return f"{value:.{digits}f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(map(str, table.columns)) + " |"]
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(False)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=2000)
    parser.add_argument("--horizons", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--cases", action="store_true")
    parser.add_argument("--lstm", action="store_true")
    parser.add_argument("--out", default=None, help="also write the table as Markdown here")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.cases:
        table, digits = cases(args.lstm), 2
    else:
        table, digits = pd.concat([measure(h, args.first) for h in args.horizons]), 3
        with pd.option_context("display.width", 250, "display.max_columns", 30):
            print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"{time.perf_counter() - start:.0f} s")
    if args.out:
        with open(args.out, "w") as out:
            out.write(markdown(table, digits))


if __name__ == "__main__":
    main()
