"""Fits per minute of a grid search: one process, two joblib processes, a Dask cluster.

The grid is 12 candidates (cell x hidden size x lookback) x ``TimeSeriesSplit(5)`` = 60
small fits of a windowed recurrent net on ``make_vix_sim`` data. It runs three ways:

- ``n_jobs=1``: every fit in this process (PyTorch limited to 1 thread here);
- ``n_jobs=2``: joblib's default (loky) backend, two worker processes;
- Dask: ``LocalCluster(n_workers=2, threads_per_worker=1)`` under
  ``joblib.parallel_backend("dask")``, the same code path as a remote cluster.

Every fit uses one PyTorch thread (loky and Dask's workers limit it to their share of
the cores), so the ratios measure parallel fits, not threads inside a fit. Each way first
runs an untimed 2-fit warm-up, so that starting workers and importing PyTorch in them is
not counted (a long search pays them once). The three ways must give identical scores.
Prints fits per minute per way and run, the ratio to ``n_jobs=1``, and the 1-minute load
average before each run (the target, >= 1.8x on 2 workers, assumes 2 idle cores).

    nice -n 10 python benchmarks/bench_dask.py [--runs 3] [--rows 1500] [--epochs 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import joblib
import numpy as np
import torch
from distributed import Client, LocalCluster
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import RecurrentRegressor, WindowTransformer
from sklearn_vix.datasets import make_supervised, make_vix_sim

GRID = {
    "model__cell": ["lstm", "gru"],
    "model__hidden_size": [4, 8, 16],
    "window__lookback": [5, 10],
}
N_SPLITS = 5


def pipeline(epochs: int) -> Pipeline:
    return Pipeline(
        [
            ("window", WindowTransformer()),
            ("scale", StandardScaler()),
            ("model", RecurrentRegressor(max_epochs=epochs, batch_size=64, random_state=0)),
        ]
    ).set_output(transform="pandas")


def search(X, y, epochs: int, n_jobs: int, grid=GRID) -> GridSearchCV:
    return GridSearchCV(pipeline(epochs), grid, cv=TimeSeriesSplit(N_SPLITS), n_jobs=n_jobs).fit(
        X, y
    )


def timed(X, y, epochs: int, n_jobs: int) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    result = search(X, y, epochs, n_jobs)
    seconds = time.perf_counter() - start
    n_fits = len(result.cv_results_["params"]) * N_SPLITS
    return n_fits / seconds * 60.0, result.cv_results_["mean_test_score"]


def warm_up(X, y, n_jobs: int) -> None:
    search(X, y, 1, n_jobs, grid={"model__hidden_size": [4, 8]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    X, y = make_supervised(make_vix_sim(args.rows, random_state=0))
    n_fits = len(GRID["model__cell"]) * len(GRID["model__hidden_size"]) * 2 * N_SPLITS
    print(f"{n_fits} fits per search, {len(X)} rows, {args.epochs} epochs, cpus={os.cpu_count()}")

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    ways = {
        "n_jobs=1": lambda: timed(X, y, args.epochs, 1),
        "n_jobs=2 (loky)": lambda: timed(X, y, args.epochs, 2),
        "dask 2x1": lambda: _on_dask(lambda: timed(X, y, args.epochs, -1)),
    }
    warm_up(X, y, 1)
    warm_up(X, y, 2)
    _on_dask(lambda: warm_up(X, y, -1))
    rates = {name: [] for name in ways}
    reference = None
    for run in range(args.runs):
        for name, way in ways.items():
            load = os.getloadavg()[0]
            rate, scores = way()
            if reference is None:
                reference = scores
            np.testing.assert_array_equal(scores, reference, err_msg=f"{name} scores differ")
            rates[name].append(rate)
            print(f"run {run + 1} {name:16s} {rate:7.1f} fits/min  (load before {load:.2f})")
    client.close()
    cluster.close()

    print("\nway               fits/min median [min-max]   ratio to n_jobs=1, median [min-max]")
    base = rates["n_jobs=1"]
    for name, values in rates.items():
        ratios = [value / b for value, b in zip(values, base, strict=True)]
        print(
            f"{name:16s}  {statistics.median(values):7.1f} [{min(values):.1f}-{max(values):.1f}]"
            f"      {statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]"
        )


def _on_dask(call):
    with joblib.parallel_backend("dask"):
        return call()


if __name__ == "__main__":
    main()
