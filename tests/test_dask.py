"""Grid searches on a Dask cluster: same scores as one process, one torch thread per Dask thread."""

import os

import joblib
import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import LSTMRegressor, WindowTransformer
from sklearn_vix.datasets import make_supervised, make_vix_sim

distributed = pytest.importorskip("distributed")


class WhereItTrained(LSTMRegressor):
    """Records the process and PyTorch's thread count while it trains (module level, so
    that it travels to the workers)."""

    def train_step(self, batch, **fit_params):
        self.trained_in_ = os.getpid(), torch.get_num_threads()
        return super().train_step(batch, **fit_params)


def tiny_pipeline(model):
    """The documented pipeline, NumPy between the steps."""
    return Pipeline(
        [("window", WindowTransformer(3)), ("scale", StandardScaler()), ("model", model)]
    )


@pytest.fixture(scope="module")
def data():
    return make_supervised(make_vix_sim(200, random_state=0))


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.mark.filterwarnings("error")
def test_grid_search_on_a_dask_cluster_scores_like_one_process(client, data):
    X, y = data
    pipe = tiny_pipeline(LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0))
    grid = {"window__lookback": [3, 10], "model__hidden_size": [2, 4]}  # 4 x 2 folds
    search = {"cv": TimeSeriesSplit(2), "refit": False}
    serial = GridSearchCV(pipe, grid, n_jobs=1, **search).fit(X, y)
    with joblib.parallel_backend("dask"):
        on_dask = GridSearchCV(pipe, grid, n_jobs=-1, **search).fit(X, y)
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(serial.cv_results_[key], on_dask.cv_results_[key])


def test_torch_uses_the_threads_dask_gives_each_worker(client, data):
    X, y = data
    with joblib.parallel_backend("dask"):
        result = cross_validate(
            tiny_pipeline(WhereItTrained(hidden_size=2, max_epochs=1, random_state=0)),
            X,
            y,
            cv=TimeSeriesSplit(4),
            return_estimator=True,
        )
    worker_pids = client.run(os.getpid)
    threads_given = client.nthreads()
    for pipe in result["estimator"]:
        pid, torch_threads = pipe[-1].trained_in_
        worker = next(address for address, wpid in worker_pids.items() if wpid == pid)
        assert torch_threads == threads_given[worker] == 1
    # Without Dask's worker setup, PyTorch would take every core of the machine.
    assert set(client.run(torch.get_num_threads).values()) == {1}
