"""
Grid search on a Dask cluster
=============================

A grid over cells, sizes and lookbacks, times the folds of a time-series split, quickly
runs into hundreds of fits. The estimators pickle and are deterministic for a seed, so
scikit-learn's own ``GridSearchCV`` can send its fits to a Dask cluster through joblib:
the scores are the same as in one process.

Here the cluster is two local worker processes with one thread each. For a cluster on
other machines, connect to its scheduler instead, ``Client("tcp://scheduler:8786")``
(``sklearn-vix tune --scheduler ADDRESS`` does the same); nothing else changes. Dask
starts each worker with one PyTorch thread per Dask thread. Needs the ``distributed``
extra: ``pip install -e ".[distributed]"`` from the repository.
"""

import joblib
import matplotlib.pyplot as plt
import pandas as pd
from distributed import Client, LocalCluster
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import RecurrentRegressor, WindowTransformer
from sklearn_vix.datasets import make_supervised, make_vix_sim
from sklearn_vix.metrics import make_persistence_scorer

# Small settings so that the example runs in seconds; a real search uses load_vix_sim()
# or the CBOE history, more epochs and a larger grid.
X, y = make_supervised(make_vix_sim(800, random_state=0))
pipe = Pipeline(
    [
        ("window", WindowTransformer()),
        ("scale", StandardScaler()),
        ("model", RecurrentRegressor(max_epochs=3, random_state=0)),
    ]
).set_output(transform="pandas")
grid = {"model__cell": ["lstm", "gru"], "window__lookback": [5, 10]}

# %%
# Worker processes import this script again, so the cluster is started under the usual
# ``__main__`` guard.
if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster) as client, joblib.parallel_backend("dask"):
            print(client)
            search = GridSearchCV(
                pipe, grid, cv=TimeSeriesSplit(3), scoring=make_persistence_scorer(), n_jobs=-1
            ).fit(X, y)

    results = pd.DataFrame(search.cv_results_)
    results["candidate"] = [
        f"{p['model__cell']}, lookback {p['window__lookback']}" for p in results["params"]
    ]
    print(results[["candidate", "mean_test_score", "std_test_score", "mean_fit_time"]])
    print("best:", search.best_params_)

    # %%
    # Skill against persistence per candidate, mean and spread over the folds. With three
    # epochs on 800 days no candidate beats persistence yet: the point here is the
    # machinery, not the forecast.
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.barh(results["candidate"], results["mean_test_score"], xerr=results["std_test_score"])
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel("skill vs persistence (higher is better)")
    fig.tight_layout()
    plt.show()
