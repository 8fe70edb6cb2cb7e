"""Conformal prediction intervals on the real VIX and on the simulator, in stress too.

Real VIX (``../shared/data/vix-daily-1990-2023.csv``): fit on 1990-2015, score 2016-2023.
Simulator (the default 9,000-day path): fit on the first 6,000 days, score the last 3,000,
against the true conditional quantiles simulated from the true state. For h = 1 and 5
(scored on day t+h), nominal 90 % and 80 %, and the log-space LSTM, log-HAR and linear
(lookback 10) forecasters, each wrapped in ``ConformalForecaster`` with and without the
volatility scale, the script prints:

- coverage overall, on days whose VIX is above 25, and (real data) on the top decile of
  the daily range ``log(high / low)``;
- mean width and interval score; the ratio of the interval score to the naive interval's
  (real: persistence times the 5 %/95 % (or 10 %/90 %) quantiles of training h-day log
  changes) or to the true conditional quantiles' (simulator);
- "online": the same at 90 % when ``update`` replays the scored days (adaptive conformal
  inference, gamma=0.005, each outcome used only once it is known).

- with ``--quantile-net``: an LSTM trained with the pinball loss on the 5 %, 50 % and 95 %
  quantiles of log(y) (``criterion="quantile"``), real data at 90 %, for comparison.

``--out PATH`` also writes the tables as Markdown, one per data set and nominal level (the
user guide includes ``benchmarks/results/intervals.md``).

    nice -n 10 python benchmarks/bench_intervals.py [--real PATH] [--data real sim] [--no-net]
        [--quantile-net] [--out PATH]
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _markdown import markdown, titled, write
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklearn_vix import (
    ConformalForecaster,
    HARRegressor,
    LSTMRegressor,
    WindowTransformer,
    make_forecaster,
)
from sklearn_vix.datasets import load_vix_csv, load_vix_sim, make_supervised
from sklearn_vix.datasets._simulator import _conditional_quantiles
from sklearn_vix.diagnostics import stress_regimes
from sklearn_vix.metrics import (
    interval_coverage,
    interval_score,
    mean_interval_width,
)

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"
COVERAGES = (0.9, 0.8)
HORIZONS = (1, 5)
SIM_SEED, SIM_DAYS, SIM_TRAIN = 11, 9000, 6000
TITLES = {
    "real": "real VIX, fitted on 1990-2015, scored on 2016-2023 (IS ratio: to the naive interval)",
    "sim": f"simulator, fitted on the first {SIM_TRAIN:,} days, scored on the last "
    f"{SIM_DAYS - SIM_TRAIN:,} (IS ratio: to the true conditional quantiles)",
}


def log_lstm():
    """The log-space LSTM: ``make_forecaster(LSTMRegressor(random_state=0))``."""
    return make_forecaster(LSTMRegressor(random_state=0))


def quantile_lstm_bounds(X_train, y_train, X_test, coverage: float) -> np.ndarray:
    """Bounds from an LSTM trained with the pinball loss on log(y), for comparison.

    Quantiles commute with exp, so the net's quantiles of log(y) are those of y.
    """
    alpha = 1 - coverage
    net = LSTMRegressor(criterion="quantile", quantiles=(alpha / 2, 0.5, 1 - alpha / 2))
    features = Pipeline(
        [
            ("log", FunctionTransformer(np.log, feature_names_out="one-to-one")),
            ("window", WindowTransformer(10)),
            ("scale", StandardScaler()),
        ]
    ).set_output(transform="pandas")
    net.set_params(random_state=0)
    net.fit(features.fit_transform(X_train), np.log(y_train))
    quantiles = np.exp(net.predict_quantiles(features.transform(X_test)))
    return last_step(quantiles[..., [0, 2]])


def models(with_net: bool) -> dict:
    out = {
        "log-HAR": HARRegressor(log=True),
        "linear": Pipeline([("window", WindowTransformer(10)), ("model", LinearRegression())]),
    }
    if with_net:
        out = {"LSTM (log)": log_lstm(), **out}
    return out


def naive_bounds(X_train, y_train, X_test, coverage: float) -> np.ndarray:
    """Persistence times the quantiles of the training h-day log changes."""
    last = np.asarray(y_train).reshape(len(y_train), -1)[:, -1]
    changes = np.log(last / X_train["vix"].to_numpy())
    alpha = 1 - coverage
    q = np.quantile(changes, [alpha / 2, 1 - alpha / 2])
    return X_test["vix"].to_numpy()[:, None] * np.exp(q)[None, :]


def last_step(bounds: np.ndarray) -> np.ndarray:
    return bounds[:, -1, :] if bounds.ndim == 3 else bounds


def scores(truth, bounds, coverage, regimes, reference) -> dict:
    row = {
        "coverage": interval_coverage(truth, bounds),
        "width": mean_interval_width(bounds),
        "IS": interval_score(truth, bounds, coverage=coverage),
    }
    for column in regimes.columns:
        mask = regimes[column].to_numpy()
        row[f"cov {column}"] = interval_coverage(truth[mask], bounds[mask])
    row["IS ratio"] = row["IS"] / interval_score(truth, reference, coverage=coverage)
    return row


def run(
    data: str, frame: pd.DataFrame, split, with_net: bool, truth_quantiles=None, quantile_net=False
) -> list:
    rows = []
    for h in HORIZONS:
        X_all, y_all = make_supervised(frame, horizon=h)
        regimes_all = stress_regimes(X_all, target_column="vix")
        X_all = X_all[["vix"]]
        X_train, y_train = X_all[split(X_all, "train")], y_all[split(X_all, "train")]
        test = split(X_all, "test")
        X_test, y_test = X_all[test], y_all[test]
        truth = np.asarray(y_test).reshape(len(y_test), -1)[:, -1]
        regimes = regimes_all[test]
        references = {}
        for coverage in COVERAGES:
            if truth_quantiles is None:
                references[coverage] = naive_bounds(X_train, y_train, X_test, coverage)
            else:
                references[coverage] = truth_quantiles(h, coverage)[-len(X_test) :]
            rows.append(
                {
                    "data": data,
                    "h": h,
                    "nominal": coverage,
                    "model": "naive" if truth_quantiles is None else "true quantiles",
                    "scale": "",
                    **scores(truth, references[coverage], coverage, regimes, references[coverage]),
                }
            )
        if quantile_net:
            start = time.perf_counter()
            bounds = quantile_lstm_bounds(X_train, y_train, X_test, 0.9)
            rows.append(
                {
                    "data": data,
                    "h": h,
                    "nominal": 0.9,
                    "model": "LSTM quantile loss",
                    "scale": "",
                    **scores(truth, bounds, 0.9, regimes, references[0.9]),
                    "fit s": time.perf_counter() - start,
                }
            )
        for name, model in models(with_net).items():
            for scale in (None, "volatility"):
                start = time.perf_counter()
                fitted = ConformalForecaster(model, coverage=0.9, scale=scale).fit(X_train, y_train)
                fit_time = time.perf_counter() - start
                label = dict(data=data, h=h, model=name, scale=scale or "none")
                for coverage in COVERAGES:
                    bounds = last_step(fitted.predict_interval(X_test, coverage))
                    rows.append(
                        {
                            **label,
                            "nominal": coverage,
                            **scores(truth, bounds, coverage, regimes, references[coverage]),
                            "fit s": fit_time,
                        }
                    )
                online = pickle.loads(pickle.dumps(fitted)).update(X_test, y_test)
                bounds = last_step(online.update_intervals_)
                rows.append(
                    {
                        **label,
                        "model": f"{name} online",
                        "nominal": 0.9,
                        **scores(truth, bounds, 0.9, regimes, references[0.9]),
                    }
                )
                print(f"  {data} h={h} {name} scale={scale}: {fit_time:.0f} s", flush=True)
    return rows


def real(path: Path, with_net: bool, quantile_net: bool) -> list:
    frame = load_vix_csv(path)

    def split(X, part):
        return X.index <= "2015-12-31" if part == "train" else X.index >= "2016-01-01"

    return run("real", frame, split, with_net, quantile_net=quantile_net)


def simulated(with_net: bool) -> list:
    frame = load_vix_sim()
    levels = sorted({q for c in COVERAGES for q in ((1 - c) / 2, (1 + c) / 2)})
    start = time.perf_counter()
    quantiles = _conditional_quantiles(
        SIM_DAYS, random_state=SIM_SEED, steps=HORIZONS, levels=levels, first=SIM_TRAIN
    )
    print(f"  true quantiles: {time.perf_counter() - start:.0f} s", flush=True)

    def truth_quantiles(h, coverage):
        columns = [levels.index((1 - coverage) / 2), levels.index((1 + coverage) / 2)]
        # Origins with a full h-day future, as make_supervised keeps them.
        return quantiles[: len(quantiles) - h, HORIZONS.index(h)][:, columns]

    def split(X, part):
        position = np.arange(len(X))
        return position < SIM_TRAIN if part == "train" else position >= SIM_TRAIN

    return run("sim", frame, split, with_net, truth_quantiles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--data", nargs="+", default=["real", "sim"], choices=["real", "sim"])
    parser.add_argument("--no-net", action="store_true")
    parser.add_argument(
        "--quantile-net",
        action="store_true",
        help="also an LSTM trained with the pinball loss (real data, 90 %%)",
    )
    parser.add_argument("--out", default=None, help="also write the tables here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    if "real" in args.data:
        rows += real(args.real, not args.no_net, args.quantile_net)
    if "sim" in args.data:
        rows += simulated(not args.no_net)
    table = pd.DataFrame(rows).set_index(["data", "h", "nominal", "model", "scale"])
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    if args.out:
        write(args.out, sections(table))


def sections(table: pd.DataFrame) -> list[str]:
    """One Markdown table per data set and nominal level; seconds are left out."""
    out = []
    for (data, nominal), part in table.groupby(level=["data", "nominal"], sort=False):
        part = part.droplevel(["data", "nominal"]).drop(columns=["IS", "fit s"], errors="ignore")
        part = part.dropna(axis=1, how="all")
        out.append(
            titled(f"{nominal:.0%} nominal, {TITLES[data]}", markdown(part, default="{:.3f}"))
        )
    return out


if __name__ == "__main__":
    main()
