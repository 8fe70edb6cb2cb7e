"""LSTMRegressor, GRURegressor and FeedForwardRegressor: layout, leakage, learning, I/O."""

import copy
import os
import pickle
import subprocess
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from scipy.stats import norm
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_pinball_loss
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from skorch.callbacks import Callback, Checkpoint

from sklearn_vix import (
    FeedForwardRegressor,
    GRURegressor,
    LSTMRegressor,
    RecurrentRegressor,
    WindowTransformer,
    make_forecaster,
)
from sklearn_vix._compat import InvalidParameterError
from sklearn_vix.base import is_quantile_forecaster
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.neural import RecurrentForecaster, resolve_device
from sklearn_vix.neural._losses import GaussianNLLLoss, PinballLoss

TINY = dict(hidden_size=8, max_epochs=3, random_state=0)
NETS = [
    LSTMRegressor(**TINY),
    GRURegressor(**TINY),
    FeedForwardRegressor(hidden_layer_sizes=(8,), max_epochs=3, random_state=0),
]


def windows_pipeline(model, lookback=5, scaler=None):
    """The documented pipeline, NumPy between the steps."""
    scaler = StandardScaler() if scaler is None else scaler
    return Pipeline([("window", WindowTransformer(lookback)), ("scale", scaler), ("model", model)])


@pytest.fixture(scope="module")
def sim_data():
    return make_supervised(load_vix_sim().iloc[:800])


def capture_module_input(net):
    seen = []
    net.module_.register_forward_pre_hook(lambda module, args: seen.append(args[0].clone()))
    return seen


# One row of the fit data alone does not continue it: its window is padded, as warned.
@pytest.mark.filterwarnings("ignore:.*every row is padded:UserWarning")
def test_multivariate_windows_reach_the_rnn_as_steps_of_all_columns(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(**TINY), lookback=4).fit(X, y)
    net = pipe[-1]
    assert (net.lookback_, net.n_columns_) == (4, 3)
    seen = capture_module_input(net)
    pipe.predict(X.iloc[-1:])
    scaled = pipe[:-1].transform(X.iloc[-1:])[0]
    sequence = seen[0][0].numpy()
    assert sequence.shape == (4, 3)
    # Step-major windows, newest first: lag0 of the three series, then lag1, ...
    np.testing.assert_allclose(sequence[-1], scaled[0:3], rtol=1e-6)
    np.testing.assert_allclose(sequence[0], scaled[9:12], rtol=1e-6)


def test_column_names_state_the_layout_when_they_are_kept(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(**TINY), lookback=4).set_output(transform="pandas")
    net = pipe.fit(X, y)[-1]
    assert (net.lookback_, net.n_columns_) == (4, 3)
    assert net.feature_names_in_[:3].tolist() == [
        "vix_lag0",
        "sp500_return_lag0",
        "interest_rate_lag0",
    ]


@pytest.mark.filterwarnings("error")
def test_numpy_windows_prove_their_layout(sim_data):
    X, y = sim_data
    windows = WindowTransformer(4).fit_transform(X)
    net = LSTMRegressor(**TINY).fit(windows, y)
    assert (net.lookback_, net.n_columns_) == (4, 3)
    univariate = LSTMRegressor(**TINY).fit(WindowTransformer(6).fit_transform(X[["vix"]]), y)
    assert (univariate.lookback_, univariate.n_columns_) == (6, 1)
    stated = LSTMRegressor(n_columns=1, **TINY).fit(windows, y)
    assert (stated.lookback_, stated.n_columns_) == (12, 1)
    single = LSTMRegressor(**TINY).fit(windows[:, :1], y)
    assert (single.lookback_, single.n_columns_) == (1, 1)
    sequences = windows.reshape(len(windows), 4, 3)[:, ::-1]
    from_3d = LSTMRegressor(**TINY).fit(sequences, y)
    assert (from_3d.lookback_, from_3d.n_columns_) == (4, 3)
    np.testing.assert_allclose(from_3d.predict(sequences), net.predict(windows), rtol=1e-5)


@pytest.mark.parametrize(
    "scramble",
    [
        pytest.param(lambda w: np.random.default_rng(0).permutation(w), id="shuffled rows"),
        pytest.param(lambda w: PCA(6).fit_transform(w), id="PCA"),
        pytest.param(lambda w: np.random.default_rng(0).normal(size=w.shape), id="random"),
    ],
)
def test_unprovable_layouts_read_one_series_and_warn_once_naming_n_columns(sim_data, scramble):
    X, y = sim_data
    features = scramble(WindowTransformer(4).fit_transform(StandardScaler().fit_transform(X)))
    net = LSTMRegressor(**TINY)
    with pytest.warns(UserWarning, match="pass n_columns=") as record:
        net.fit(features, y)
    assert len(record) == 1
    assert (net.lookback_, net.n_columns_) == (features.shape[1], 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.predict(features)
        FeedForwardRegressor(hidden_layer_sizes=(4,), max_epochs=1).fit(features, y)


def documented_pipeline(model, scaler=None):
    """The pipeline of the project's description, verbatim but for the model's size."""
    return Pipeline(
        [
            ("window", WindowTransformer(lookback=10)),
            ("scale", StandardScaler() if scaler is None else scaler),
            ("model", model),
        ]
    )


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler()], ids=["standard", "minmax"])
def test_the_documented_pipeline_finds_the_layout_of_three_series_at_horizon_five(scaler):
    X, y = make_supervised(load_vix_sim().iloc[:300], target="vix", horizon=5)
    pipe = documented_pipeline(LSTMRegressor(**TINY), scaler).fit(X, y)
    assert (pipe[-1].lookback_, pipe[-1].n_columns_) == (10, 3)
    assert pipe.predict(X).shape == (len(X), 5)


@pytest.mark.filterwarnings("error")
def test_the_documented_pipeline_cross_validates_as_written():
    X, y = make_supervised(load_vix_sim().iloc[:400])
    pipe = documented_pipeline(LSTMRegressor(hidden_size=2, max_epochs=1, random_state=0))
    scores = cross_val_score(pipe, X, y, cv=TimeSeriesSplit(5))
    assert scores.shape == (5,) and np.isfinite(scores).all()


def test_an_mlp_finds_the_window_layout_from_the_rows_too(sim_data):
    X, y = sim_data
    windows = WindowTransformer(4).fit_transform(X)
    net = FeedForwardRegressor(hidden_layer_sizes=(8,), max_epochs=1).fit(windows, y)
    assert net.predict(windows).shape == (len(windows),)
    assert (net.lookback_, net.n_columns_) == (4, 3)


@pytest.mark.parametrize(
    "X, kwargs, message",
    [
        (np.zeros((50, 10)), {"n_columns": 3}, "n_columns=3 does not divide"),
        (np.zeros((50, 2, 2, 2)), {}, "got 4-D X"),
        (
            pd.DataFrame(np.zeros((50, 2)), columns=["vix_lag1", "vix_lag0"]),
            {},
            "not in WindowTransformer's order",
        ),
    ],
)
def test_unreadable_shapes_are_clear_errors(X, kwargs, message):
    with pytest.raises(ValueError, match=message):
        LSTMRegressor(**TINY, **kwargs).fit(X, np.zeros(50))


def test_predict_rejects_a_different_layout():
    net = LSTMRegressor(n_columns=1, **TINY).fit(np.zeros((60, 5)), np.zeros(60))
    with pytest.raises(ValueError, match="5 features"):
        net.predict(np.zeros((3, 6)))


def test_predict_rejects_windows_of_another_dimension():
    sequences = np.zeros((40, 4, 1))
    net = LSTMRegressor(**TINY).fit(sequences, np.zeros(40))
    with pytest.raises(ValueError, match="fitted on 3-D X, got 2-D X"):
        net.predict(np.zeros((3, 4)))


def test_named_cells_cannot_be_turned_into_the_other():
    with pytest.raises(TypeError, match=r"no 'cell' parameter.*RecurrentRegressor"):
        LSTMRegressor(cell="gru")
    with pytest.raises(TypeError, match="no 'cell' parameter"):
        GRURegressor(cell="lstm")
    assert "cell" not in LSTMRegressor().get_params()
    with pytest.raises(ValueError, match="cell"):
        LSTMRegressor().set_params(cell="gru")
    net = RecurrentRegressor(cell="gru", n_columns=1, **TINY).fit(np.zeros((40, 3)), np.zeros(40))
    assert isinstance(net.module_.rnn, torch.nn.GRU)
    lstm = LSTMRegressor(n_columns=1, **TINY).fit(np.zeros((40, 3)), np.zeros(40))
    assert isinstance(lstm.module_.rnn, torch.nn.LSTM)


def test_parameters_are_validated_at_every_fit():
    X, y = np.zeros((40, 3)), np.zeros(40)
    net = LSTMRegressor(n_columns=1, **TINY).fit(X, y)
    net.set_params(hidden_size=0)
    with pytest.raises(InvalidParameterError, match="'hidden_size' parameter of LSTMRegressor"):
        net.fit(X, y)
    net.set_params(hidden_size=8, max_epochs=1.5)
    with pytest.raises(InvalidParameterError, match="'max_epochs'"):
        net.fit(X, y)


def test_repr_shows_changed_parameters_only():
    assert repr(LSTMRegressor()) == "LSTMRegressor()"
    assert (
        repr(RecurrentRegressor(cell="gru", lr=0.01)) == "RecurrentRegressor(cell='gru', lr=0.01)"
    )
    assert repr(GRURegressor(optimizer__momentum=0.5)) == "GRURegressor(optimizer__momentum=0.5)"


def test_grid_search_over_lookback_and_cell_needs_no_model_change(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(RecurrentRegressor(hidden_size=4, max_epochs=1, random_state=0))
    grid = {
        "window__lookback": [3, 6],
        "model__cell": ["lstm", "gru"],
        "model__hidden_size": [4, 6],
    }
    search = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(2)).fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    swap = GridSearchCV(
        pipe, {"model": [LSTMRegressor(**TINY), FeedForwardRegressor(max_epochs=1)]}, cv=2
    )
    assert len(swap.fit(X, y).cv_results_["params"]) == 2


def test_horizon_five_gives_one_output_per_step():
    X, y = make_supervised(load_vix_sim().iloc[:500], horizon=5)
    pipe = windows_pipeline(GRURegressor(**TINY)).fit(X, y)
    prediction = pipe.predict(X)
    assert prediction.shape == (len(X), 5)
    assert pipe[-1].n_outputs_ == 5 and pipe[-1].target_mean_.shape == (5,)


def test_one_dimensional_y_predicts_one_dimension(sim_data):
    X, y = sim_data
    assert windows_pipeline(LSTMRegressor(**TINY)).fit(X, y).predict(X).ndim == 1


@pytest.mark.parametrize("net", NETS, ids=lambda n: type(n).__name__)
def test_same_seed_same_predictions(net, sim_data):
    X, y = sim_data
    first = windows_pipeline(clone(net)).fit(X, y).predict(X)
    second = windows_pipeline(clone(net)).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)
    other = windows_pipeline(clone(net).set_params(random_state=1)).fit(X, y).predict(X)
    assert not np.array_equal(first, other)


def test_seeding_leaves_the_global_torch_generator_alone(sim_data):
    X, y = sim_data
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    windows_pipeline(LSTMRegressor(**TINY)).fit(X, y)
    assert torch.rand(1) == expected


@pytest.mark.filterwarnings("error")
def test_grid_search_is_reproducible_in_parallel(sim_data):
    X, y = (part.iloc[:400] for part in sim_data)
    pipe = documented_pipeline(LSTMRegressor(hidden_size=4, max_epochs=1, random_state=0))
    grid = {"window__lookback": [3, 10], "model__hidden_size": [4, 6]}
    serial = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(2), n_jobs=1).fit(X, y)
    parallel = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(2), n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(
        serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"]
    )
    best = parallel.best_estimator_
    assert (best[-1].lookback_, best[-1].n_columns_) == (best[0].lookback, 3)


class ThreadRecorder(LSTMRegressor):
    """Records PyTorch's thread count while it trains (module level: it goes to workers)."""

    def train_step(self, batch, **fit_params):
        self.threads_in_training_ = torch.get_num_threads()
        return super().train_step(batch, **fit_params)


def test_parallel_jobs_do_not_oversubscribe_the_cores(sim_data):
    X, y = sim_data
    result = cross_validate(
        windows_pipeline(ThreadRecorder(**TINY)),
        X,
        y,
        cv=TimeSeriesSplit(2),
        n_jobs=2,
        return_estimator=True,
    )
    budget = max(1, joblib.cpu_count() // 2)
    assert all(pipe[-1].threads_in_training_ <= budget for pipe in result["estimator"])


def test_num_threads_is_applied_and_restored(sim_data):
    X, y = sim_data
    before = torch.get_num_threads()
    seen = []

    class Recording(LSTMRegressor):
        def train_step(self, batch, **fit_params):
            seen.append(torch.get_num_threads())
            return super().train_step(batch, **fit_params)

    # A count other than the ambient one (conftest.py sets OMP_NUM_THREADS=1), so that a
    # net ignoring num_threads would train with the wrong one.
    wanted = before + 1
    windows_pipeline(Recording(num_threads=wanted, **TINY)).fit(X, y)
    assert set(seen) == {wanted}
    assert torch.get_num_threads() == before


def test_the_default_trains_on_one_thread_whatever_pytorch_is_set_to(sim_data):
    X, y = sim_data
    seen = []

    class Recording(LSTMRegressor):
        def train_step(self, batch, **fit_params):
            seen.append(torch.get_num_threads())
            return super().train_step(batch, **fit_params)

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        windows_pipeline(Recording(**TINY)).fit(X, y)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    assert set(seen) == {1}
    seen.clear()
    windows_pipeline(Recording(num_threads=None, **TINY)).fit(X, y)
    assert set(seen) == {before}


def test_validation_block_is_the_latest_training_rows_after_a_purge():
    net = LSTMRegressor(validation_fraction=0.2, **TINY)
    net.n_outputs_ = 3
    X = torch.arange(20.0).reshape(20, 1, 1)
    train, valid = net.get_split_datasets(X, X[:, 0])
    assert train.X.flatten().tolist() == list(range(14))
    assert valid.X.flatten().tolist() == list(range(16, 20))


def test_validation_and_purged_targets_never_train_the_weights():
    X, y = make_supervised(load_vix_sim().iloc[:400], horizon=3)
    net = GRURegressor(hidden_size=8, max_epochs=3, patience=None, random_state=0)
    pipe = windows_pipeline(net)
    reference = pipe.fit(X, y).predict(X)
    n_valid = int(np.ceil(0.1 * len(X)))
    changed = y.copy()
    changed.iloc[-(n_valid + 2) :] = 1000.0
    np.testing.assert_array_equal(clone(pipe).fit(X, changed).predict(X), reference)


class Snapshots(Callback):
    """Copies of the weights before training and after every epoch."""

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.weights_ = [copy.deepcopy(net.module_.state_dict())]
        _, valid = net.get_split_datasets(X, y)
        self.initial_valid_loss_ = None if valid is None else net.dataset_loss(valid)

    def on_epoch_end(self, net, **kwargs):
        self.weights_.append(copy.deepcopy(net.module_.state_dict()))


def assert_same_weights(module, weights):
    for name, value in module.state_dict().items():
        torch.testing.assert_close(value, weights[name], rtol=0, atol=0)


def test_early_stopping_restores_the_best_epochs_weights(sim_data):
    X, y = sim_data
    snapshots = Snapshots()
    net = LSTMRegressor(
        hidden_size=8,
        max_epochs=30,
        patience=2,
        lr=0.05,
        highway=False,
        random_state=0,
        callbacks=[snapshots],
    )
    pipe = windows_pipeline(net).fit(X, y)
    early_stopping = dict(net.callbacks_)["early_stopping"]
    valid = net.history[:, "valid_loss"]
    assert len(valid) < 30
    best = early_stopping.best_epoch_
    # Without the highway the untrained net is a random one: training beats it.
    assert best >= 1
    assert valid[best - 1] == min(valid)
    assert_same_weights(net.module_, snapshots.weights_[best])
    refit = pipe.fit(X.iloc[:400], y.iloc[:400])[-1]
    assert len(refit.history) <= 30
    assert dict(refit.callbacks_)["early_stopping"].best_epoch_ <= len(refit.history)


class InterruptAt(Callback):
    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


def test_an_interrupted_fit_keeps_the_best_weights_so_far(sim_data):
    X, y = sim_data
    snapshots = Snapshots()
    net = LSTMRegressor(
        hidden_size=8,
        max_epochs=30,
        patience=30,
        lr=0.05,
        random_state=0,
        callbacks=[snapshots, InterruptAt(3)],
    )
    pipe = windows_pipeline(net).fit(X, y)
    assert len(net.history) == 3
    best = dict(net.callbacks_)["early_stopping"].best_epoch_
    valid = net.history[:, "valid_loss"]
    # The untrained net (epoch 0) is a candidate too: the best is the lowest of all.
    candidates = [snapshots.initial_valid_loss_, *valid]
    assert best == int(np.argmin(candidates))
    assert_same_weights(net.module_, snapshots.weights_[best])
    assert np.isfinite(pipe.predict(X)).all()


def test_a_users_callback_fires_at_every_batch_and_epoch(sim_data):
    X, y = sim_data

    class Counter(Callback):
        def initialize(self):
            self.batches_, self.grads_, self.epochs_ = 0, 0, 0
            return self

        def on_batch_end(self, net, training=False, **kwargs):
            self.batches_ += training

        def on_grad_computed(self, net, named_parameters, **kwargs):
            self.grads_ += 1

        def on_epoch_end(self, net, **kwargs):
            self.epochs_ += 1

    counter = Counter()
    net = LSTMRegressor(callbacks=[counter], patience=None, **TINY)
    windows_pipeline(net).fit(X, y)
    batches = sum(net.history[:, "train_batch_count"])
    assert counter.epochs_ == 3
    assert counter.batches_ == batches == counter.grads_ > 0


def test_future_test_rows_never_change_a_prediction(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(**TINY), lookback=10).fit(X.iloc[:600], y.iloc[:600])
    test = X.iloc[600:].copy()
    before = pipe.predict(test)[:50]
    test.iloc[50:] = 99.0
    np.testing.assert_array_equal(pipe.predict(test)[:50], before)


def ar1_log_series(n=2500, phi=0.97, seed=0):
    rng = np.random.default_rng(seed)
    x = np.empty(n)
    x[0] = 3.0
    for t in range(1, n):
        x[t] = 3.0 * (1 - phi) + phi * x[t - 1] + 0.07 * rng.standard_normal()
    index = pd.bdate_range("2000-01-03", periods=n)
    return pd.DataFrame({"vix": np.exp(x)}, index=index)


@pytest.mark.parametrize("highway", [True, False])
def test_nets_learn_an_ar1_as_well_as_the_best_linear_forecast(highway):
    X, y = make_supervised(ar1_log_series())
    train, test = slice(0, 2000), slice(2000, None)

    def rmse(model):
        fitted = windows_pipeline(model, lookback=3).fit(X.iloc[train], y.iloc[train])
        return np.sqrt(np.mean((fitted.predict(X.iloc[test]) - y.iloc[test]) ** 2))

    linear = rmse(LinearRegression())
    # Adam's usual 1e-3: without the highway the net learns the whole map from scratch.
    net = rmse(
        GRURegressor(hidden_size=16, max_epochs=40, lr=1e-3, highway=highway, random_state=0)
    )
    assert net < 1.03 * linear


def test_fitted_pipeline_pickles_and_predicts_the_same(sim_data, tmp_path):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(**TINY)).fit(X, y)
    path = tmp_path / "pipe.joblib"
    joblib.dump(pipe, path)
    np.testing.assert_array_equal(joblib.load(path).predict(X), pipe.predict(X))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(pipe)).predict(X), pipe.predict(X))


@pytest.mark.parametrize("use_safetensors", [False, True])
def test_skorchs_initialize_then_load_params_idiom_works(sim_data, tmp_path, use_safetensors):
    X, y = sim_data
    pipe = windows_pipeline(GRURegressor(**TINY)).set_output(transform="pandas").fit(X, y)
    windows = pipe[:-1].transform(X)
    weights = tmp_path / "weights"
    pipe[-1].save_params(f_params=weights, use_safetensors=use_safetensors)
    fresh = GRURegressor(hidden_size=8)
    fresh.initialize()
    fresh.load_params(f_params=weights, use_safetensors=use_safetensors)
    np.testing.assert_array_equal(fresh.predict(windows), pipe[-1].predict(windows))
    assert fresh.n_features_in_ == pipe[-1].n_features_in_
    np.testing.assert_array_equal(fresh.feature_names_in_, pipe[-1].feature_names_in_)
    without_initialize = GRURegressor(hidden_size=8).load_params(
        f_params=weights, use_safetensors=use_safetensors
    )
    np.testing.assert_array_equal(without_initialize.predict(windows), fresh.predict(windows))


def test_a_skorch_checkpoint_restores_weights_optimizer_and_history(sim_data, tmp_path):
    X, y = sim_data
    checkpoint = Checkpoint(dirname=tmp_path, monitor=None)
    net = GRURegressor(callbacks=[checkpoint], patience=None, **TINY)
    pipe = windows_pipeline(net).fit(X, y)
    windows = pipe[:-1].transform(X)
    fresh = GRURegressor(hidden_size=8).load_params(checkpoint=checkpoint)
    np.testing.assert_array_equal(fresh.predict(windows), net.predict(windows))
    assert len(fresh.history) == len(net.history) == 3
    assert (
        fresh.optimizer_.state_dict()["state"][0]["step"]
        == (net.optimizer_.state_dict()["state"][0]["step"])
    )


def test_loading_weights_into_a_different_architecture_is_explained(sim_data, tmp_path):
    X, y = sim_data
    net = windows_pipeline(GRURegressor(**TINY)).fit(X, y)[-1]
    net.save_params(f_params=tmp_path / "w.pt")
    with pytest.raises(ValueError, match="parameters it was trained with"):
        GRURegressor(hidden_size=16).load_params(f_params=tmp_path / "w.pt")


class NotATensor:
    pass


def test_loading_is_safe_by_default(tmp_path):
    torch.save({"fitted_layout": NotATensor()}, tmp_path / "evil.pt")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        LSTMRegressor().load_params(f_params=tmp_path / "evil.pt")
    torch.save({"weight": torch.zeros(2)}, tmp_path / "foreign.pt")
    with pytest.raises(ValueError, match="hold no window layout"):
        LSTMRegressor().load_params(f_params=tmp_path / "foreign.pt")


def test_device_auto_resolves_at_fit_and_is_kept_as_given(sim_data):
    X, y = sim_data
    net = LSTMRegressor(device="auto", **TINY)
    assert net.device == "auto"
    windows_pipeline(net).fit(X, y)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    if not torch.cuda.is_available() and torch.backends.mps.is_available():
        expected = "mps"
    assert net.device_ == expected == resolve_device("auto")
    assert net.get_params()["device"] == "auto"


DEVICE_WRITES, DEVICES_SEEN = [], set()


class DeviceSpy(LSTMRegressor):
    """Records each write of ``device`` after construction, and the value skorch's steps
    (building, each batch, each loss) find in the instance (module level: it pickles)."""

    def __setattr__(self, name, value):
        if name == "device" and "device" in vars(self):
            DEVICE_WRITES.append(value)
        super().__setattr__(name, value)

    def initialize_module(self):
        DEVICES_SEEN.add(vars(self)["device"])
        return super().initialize_module()

    def initialize_criterion(self):
        DEVICES_SEEN.add(vars(self)["device"])
        return super().initialize_criterion()

    def infer(self, x, **fit_params):
        DEVICES_SEEN.add(vars(self)["device"])
        return super().infer(x, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        DEVICES_SEEN.add(vars(self)["device"])
        return super().get_loss(y_pred, y_true, X=X, training=training)


def test_device_is_never_rewritten_in_fit_predict_unpickling_or_loading(sim_data, tmp_path):
    X, y = sim_data
    DEVICE_WRITES.clear()
    DEVICES_SEEN.clear()
    pipe = windows_pipeline(DeviceSpy(device="auto", **TINY)).fit(X, y)
    pipe.predict(X)
    restored = pickle.loads(pickle.dumps(pipe))
    assert vars(restored[-1])["device"] == "auto"
    assert restored[-1].device_ == resolve_device("auto")
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))
    net = pipe[-1]
    net.set_params(lr=0.01, module__init="xavier")  # skorch re-initialises the module
    net.save_params(f_params=tmp_path / "w.pt", f_optimizer=tmp_path / "o.pt")
    DeviceSpy(device="auto", **TINY).load_params(
        f_params=tmp_path / "w.pt", f_optimizer=tmp_path / "o.pt"
    ).predict(pipe[:-1].transform(X))
    assert DEVICE_WRITES == []
    assert DEVICES_SEEN == {"auto"}


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_a_net_that_ran_on_a_gpu_opens_on_the_cpu_and_keeps_its_device(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(device="auto", **TINY)).fit(X, y)
    # The state a net trained on a GPU pickles (its tensors happen to be on the CPU).
    state = {**pipe[-1].__getstate__(), "device_": "cuda:0"}
    net = LSTMRegressor.__new__(LSTMRegressor)
    with pytest.warns(UserWarning, match="no CUDA devices"):
        net.__setstate__(state)
    assert (vars(net)["device"], net.device_) == ("auto", "cpu")
    windows = pipe[:-1].transform(X)
    np.testing.assert_array_equal(net.predict(windows), pipe[-1].predict(windows))


MODES = []


class WithExtraModule(LSTMRegressor):
    """Registers a second module as skorch's guide shows (set in ``initialize_module``)."""

    def initialize_module(self):
        super().initialize_module()
        if self.module_ is not None:
            self.extra_ = torch.nn.Dropout(0.5)
        return self

    def train_step_single(self, batch, **fit_params):
        step = super().train_step_single(batch, **fit_params)
        MODES.append(("train", self.module_.training, self.extra_.training))
        return step

    def validation_step(self, batch, **fit_params):
        step = super().validation_step(batch, **fit_params)
        MODES.append(("valid", self.module_.training, self.extra_.training))
        return step


def test_every_registered_module_switches_between_train_and_eval(sim_data):
    X, y = sim_data
    MODES.clear()
    net = windows_pipeline(WithExtraModule(**TINY)).fit(X, y)[-1]
    assert "extra" in net._modules
    assert {mode for mode in MODES if mode[0] == "train"} == {("train", True, True)}
    assert {mode for mode in MODES if mode[0] == "valid"} == {("valid", False, False)}


CHECKS = []


class CountingChecks(LSTMRegressor):
    def _check_params(self):
        CHECKS.append("scikit-learn")
        super()._check_params()

    def _validate_params(self):
        CHECKS.append("skorch")
        super()._validate_params()


def test_parameters_are_checked_once_per_fit_each_where_its_library_expects(sim_data):
    X, y = sim_data
    net = CountingChecks(optimizer__momentum=0.5, optimizer="sgd", **TINY)
    windows = WindowTransformer(3).fit_transform(X)
    for _ in range(2):
        CHECKS.clear()
        net.fit(windows, y)
        assert CHECKS == ["scikit-learn", "skorch"]


def test_a_constant_series_does_not_hide_the_layout():
    rng = np.random.default_rng(0)
    series = np.column_stack([rng.normal(size=200).cumsum(), np.full(200, 2.0)])
    windows = WindowTransformer(5).fit_transform(series)
    net = LSTMRegressor(**TINY).fit(windows, series[:, 0])
    assert (net.lookback_, net.n_columns_) == (5, 2)


@pytest.mark.parametrize(
    "param, value, error, message",
    [
        ("device", "gpu", ValueError, "device='gpu'"),
        ("criterion", "rmse", InvalidParameterError, "'criterion' parameter"),
        ("optimizer", "lbfgs", InvalidParameterError, "'optimizer' parameter"),
        ("head_activation", "swish", InvalidParameterError, "'head_activation' parameter"),
        ("hidden_size", 0, InvalidParameterError, "'hidden_size' parameter"),
        ("validation_fraction", 1.0, InvalidParameterError, "'validation_fraction'"),
        ("lr_schedule", "linear", InvalidParameterError, "'lr_schedule' parameter"),
        ("init", "glorot", InvalidParameterError, "'init' parameter"),
        ("head_sizes", (8, 0), ValueError, "head_sizes must be a sequence of positive"),
        ("quantiles", (0.1, 0.9), ValueError, "include 0.5"),
    ],
)
def test_bad_parameters_are_named_before_training(param, value, error, message):
    extra = {"criterion": "quantile"} if param == "quantiles" else {}
    net = LSTMRegressor(n_columns=1, **{**TINY, **extra, param: value})
    with pytest.raises(error, match=message):
        net.fit(np.zeros((40, 5)), np.zeros(40))


def bad_inputs():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)), rng.normal(size=40)

    def with_value(array, value):
        array = array.copy()
        array[7] = value
        return array

    strings = pd.DataFrame(X, columns=[f"c{i}" for i in range(5)]).astype(object)
    strings.iloc[3, 2] = "high"
    return {
        "NaN in X": (with_value(X, np.nan), y, ValueError, "Input X contains NaN"),
        "inf in X": (with_value(X, np.inf), y, ValueError, "Input X contains infinity"),
        "NaN in y": (X, with_value(y, np.nan), ValueError, "Input y contains NaN"),
        "inf in y": (X, with_value(y, np.inf), ValueError, "Input y contains infinity"),
        "empty X": (X[:0], y[:0], ValueError, "0 sample"),
        "1-D X": (X[:, 0], y, ValueError, "Expected 2D array, got 1D array"),
        "4-D X": (X.reshape(40, 5, 1, 1), y, ValueError, "got 4-D X"),
        "string column": (
            strings,
            y,
            ValueError,
            "Column 'c2' of X is not numeric: row 3 holds 'high'",
        ),
        "X and y lengths differ": (X, y[:30], ValueError, "X has 40 rows but y has 30"),
        "y missing": (X, None, ValueError, "requires y"),
        "3-D y": (X, y.reshape(40, 1, 1), ValueError, r"y must have shape"),
        "too few rows to validate": (X[:1], y[:1], ValueError, "leaves no training rows"),
    }


class TrainingStarts(Callback):
    def initialize(self):
        self.started_ = False
        return self

    def on_train_begin(self, net, **kwargs):
        self.started_ = True


@pytest.mark.parametrize("case", list(bad_inputs()))
def test_bad_input_is_a_clear_error_before_any_training(case):
    X, y, error, message = bad_inputs()[case]
    X_before = X.copy()
    watch = TrainingStarts().initialize()
    net = LSTMRegressor(n_columns=1, callbacks=[watch], **TINY)
    with pytest.raises(error, match=message):
        net.fit(X, y)
    assert not watch.started_
    if isinstance(X, pd.DataFrame):
        pd.testing.assert_frame_equal(X, X_before)
    else:
        np.testing.assert_array_equal(X, X_before)


def test_training_options_are_applied(sim_data):
    X, y = sim_data

    def fitted(**options):
        return windows_pipeline(LSTMRegressor(**{**TINY, **options})).fit(X, y)[-1]

    net = fitted(criterion="huber", optimizer="adamw", weight_decay=0.01, init="orthogonal")
    assert isinstance(net.criterion_, torch.nn.HuberLoss)
    assert isinstance(net.optimizer_, torch.optim.AdamW)
    assert net.optimizer_.param_groups[0]["weight_decay"] == 0.01
    net = fitted(criterion=torch.nn.HuberLoss, criterion__delta=0.25)
    assert net.criterion_.delta == 0.25
    net = fitted(optimizer="sgd", optimizer__momentum=0.9, bidirectional=True)
    assert isinstance(net.optimizer_, torch.optim.SGD)
    assert net.optimizer_.param_groups[0]["momentum"] == 0.9
    assert net.module_.rnn.bidirectional
    net = fitted(num_layers=2, dropout=0.1, head_sizes=(8,), head_activation="gelu")
    assert (net.module_.rnn.num_layers, net.module_.rnn.dropout) == (2, 0.1)
    assert [type(layer) for layer in net.module_.head] == [
        torch.nn.Linear,
        torch.nn.GELU,
        torch.nn.Dropout,
    ]
    net = fitted(lr_schedule="cosine", patience=None, lr=0.01)
    # Cosine annealing over max_epochs ends at a rate of 0.
    assert net.optimizer_.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-12)
    net = fitted(lr_schedule="plateau")
    assert "lr_scheduler" in dict(net.callbacks_)
    net = fitted(validation_fraction=0, gradient_clip=None, standardize_target=False)
    assert "valid_loss" not in net.history[-1] and "gradient_clip" not in dict(net.callbacks_)
    assert (net.target_mean_, net.target_scale_) == ([0.0], [1.0])
    assert "early_stopping" not in dict(net.callbacks_)


def test_adam_is_fused_where_the_device_supports_it(sim_data):
    X, y = sim_data
    fused = windows_pipeline(LSTMRegressor(**TINY)).fit(X, y)[-1]
    assert fused.optimizer_.defaults["fused"] is True
    plain = windows_pipeline(LSTMRegressor(optimizer__fused=False, **TINY)).fit(X, y)[-1]
    assert not plain.optimizer_.defaults["fused"]


def test_gradient_clipping_bounds_the_gradient_norm(sim_data):
    X, y = sim_data
    norms = []

    class Norm(Callback):
        def on_batch_end(self, net, training=False, **kwargs):
            if training:
                grads = [p.grad for p in net.module_.parameters() if p.grad is not None]
                norms.append(
                    float(torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads])))
                )

    options = {**TINY, "max_epochs": 1}
    net = LSTMRegressor(gradient_clip=1e-3, callbacks=[Norm()], lr=0.1, **options)
    windows_pipeline(net).fit(X, y * 100)
    assert max(norms) <= 1e-3 * (1 + 1e-4)


def test_feed_forward_options_are_applied(sim_data):
    X, y = sim_data
    net = FeedForwardRegressor(
        hidden_layer_sizes=(16, 8),
        activation="elu",
        dropout=0.1,
        batch_norm=True,
        init="he",
        max_epochs=3,
        random_state=0,
    )
    body = windows_pipeline(net).fit(X, y)[-1].module_.body
    kinds = [type(layer) for layer in body]
    assert kinds == [torch.nn.Linear, torch.nn.BatchNorm1d, torch.nn.ELU, torch.nn.Dropout] * 2
    assert [layer.out_features for layer in body if isinstance(layer, torch.nn.Linear)] == [16, 8]


@pytest.mark.parametrize("scheme", ["orthogonal", "xavier", "he"])
def test_init_schemes_set_the_weights_they_name(scheme):
    torch.manual_seed(0)
    module = RecurrentForecaster(3, 2, 1, hidden_size=16, init=scheme, highway=False)
    weight = module.rnn.weight_hh_l0.detach()
    fan_out, fan_in = weight.shape
    if scheme == "orthogonal":
        torch.testing.assert_close(weight.T @ weight, torch.eye(fan_in), atol=1e-5, rtol=0)
    else:
        gain = 1.0 if scheme == "xavier" else np.sqrt(2.0)
        fan = (fan_in + fan_out) / 2 if scheme == "xavier" else fan_in
        bound = gain * np.sqrt(3.0 / fan)
        assert weight.abs().max() <= bound and weight.abs().max() > 0.9 * bound
    assert torch.count_nonzero(module.rnn.bias_ih_l0) == 0


def test_quantile_loss_forecasts_ordered_quantiles_and_the_median():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1500, 1))
    y = X[:, 0] + rng.normal(size=1500)
    net = FeedForwardRegressor(
        hidden_layer_sizes=(8,),
        criterion="quantile",
        quantiles=(0.1, 0.5, 0.9),
        max_epochs=40,
        lr=1e-2,
        random_state=0,
    ).fit(X, y)
    quantiles = net.predict_quantiles(X)
    assert quantiles.shape == (1500, 3)
    np.testing.assert_array_equal(net.predict(X), quantiles[:, 1])
    coverage = [(y <= quantiles[:, k]).mean() for k in range(3)]
    np.testing.assert_allclose(coverage, [0.1, 0.5, 0.9], atol=0.04)
    # Standard normal noise: the 0.1 and 0.9 quantiles sit 1.28 below and above the mean.
    np.testing.assert_allclose(np.median(quantiles[:, 2] - quantiles[:, 0]), 2.56, rtol=0.1)


def test_quantiles_per_step_and_pinball_loss_against_sklearn():
    X, y = make_supervised(load_vix_sim().iloc[:500], horizon=3)
    pipe = windows_pipeline(GRURegressor(criterion="quantile", **TINY)).fit(X, y)
    windows = pipe[:-1].transform(X)
    quantiles = pipe[-1].predict_quantiles(windows)
    assert quantiles.shape == (len(X), 3, 3)
    np.testing.assert_array_equal(pipe.predict(X), quantiles[:, :, 1])
    assert not hasattr(LSTMRegressor(), "predict_quantiles")
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=(50, 2)), rng.normal(size=(50, 2, 3))
    loss = PinballLoss((0.05, 0.5, 0.95))(
        torch.from_numpy(y_pred.reshape(50, 6)), torch.from_numpy(y_true)
    )
    reference = np.mean(
        [
            mean_pinball_loss(y_true, y_pred[:, :, k], alpha=q)
            for k, q in enumerate((0.05, 0.5, 0.95))
        ]
    )
    assert float(loss) == pytest.approx(reference, rel=1e-6)


def test_quantile_nets_read_the_trained_levels_in_the_order_asked():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 2))
    y = X[:, 0] + rng.normal(size=300)
    levels = (0.1, 0.25, 0.5, 0.75, 0.9)
    net = FeedForwardRegressor(
        hidden_layer_sizes=(4,), criterion="quantile", quantiles=levels, max_epochs=2
    ).fit(X, y)
    every = net.predict_quantiles(X)
    assert every.shape == (300, 5)
    np.testing.assert_array_equal(net.predict_quantiles(X, [0.1, 0.9]), every[:, [0, 4]])
    with pytest.raises(ValueError, match=r"trained at quantiles \[0.1, .*0.9\], not at \[0.05\]"):
        net.predict_quantiles(X, [0.05, 0.5])
    with pytest.raises(ValueError, match="increasing"):
        net.predict_quantiles(X, [0.9, 0.1])


def test_crossing_quantile_outputs_are_sorted_into_a_monotone_forecast():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 2))
    net = FeedForwardRegressor(hidden_layer_sizes=(4,), criterion="quantile", max_epochs=1)
    net.fit(X, X[:, 0] + rng.normal(size=200))
    with torch.no_grad():
        net.module_.output.bias[0] += 50.0  # the 0.05 output far above the 0.95 one
    crossed = net._forecast(X)[:, 0]
    assert (crossed[:, 0] > crossed[:, 2]).all()
    fan = net.predict_quantiles(X)
    np.testing.assert_array_equal(fan, np.sort(crossed, axis=-1))
    np.testing.assert_array_equal(net.predict(X), fan[:, 1])


def heteroscedastic(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    sigma = 0.5 + 0.5 * np.abs(X[:, 1])
    return X, 10.0 + X[:, 0] + sigma * rng.normal(size=n), sigma


def test_gaussian_head_forecasts_the_mean_and_the_noise_scale():
    X, y, sigma = heteroscedastic(2000, 0)
    net = FeedForwardRegressor(
        hidden_layer_sizes=(16,), criterion="gaussian", max_epochs=30, lr=1e-2, random_state=0
    ).fit(X, y)
    fan = net.predict_quantiles(X, [0.1, 0.5, 0.9])
    predicted_sigma = (fan[:, 2] - fan[:, 0]) / (2 * norm.ppf(0.9))
    np.testing.assert_allclose(np.median(predicted_sigma / sigma), 1.0, atol=0.1)
    assert np.corrcoef(predicted_sigma, sigma)[0, 1] > 0.9
    np.testing.assert_array_equal(net.predict(X), fan[:, 1])
    assert np.abs(net.predict(X) - (10.0 + X[:, 0])).mean() < 0.1
    np.testing.assert_allclose((y[:, None] <= fan).mean(axis=0), [0.1, 0.5, 0.9], atol=0.03)


def test_gaussian_head_starts_at_the_linear_gaussian_model():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 2))
    y = 5.0 + X @ [1.0, -2.0] + 0.7 * rng.normal(size=500)
    net = FeedForwardRegressor(
        hidden_layer_sizes=(4,),
        criterion="gaussian",
        max_epochs=1,
        lr=1e-12,
        validation_fraction=0.0,
    ).fit(X, y)
    linear = LinearRegression().fit(X, y)
    np.testing.assert_allclose(net.predict(X), linear.predict(X), atol=1e-3)
    sigma = net.predict_quantiles(X, [norm.cdf(1.0)])[:, 0] - net.predict(X)
    np.testing.assert_allclose(sigma, np.std(y - linear.predict(X)), rtol=1e-3)


def test_gaussian_quantiles_are_the_normal_distributions_per_step():
    X, y = make_supervised(load_vix_sim().iloc[:400], horizon=3)
    net = GRURegressor(criterion="gaussian", quantiles=(0.1, 0.9), **TINY)
    pipe = windows_pipeline(net).fit(X, y)
    windows = pipe[:-1].transform(X)
    assert is_quantile_forecaster(net) and pipe[-1].predict_quantiles(windows).shape[-1] == 2
    levels = [0.01, 0.123, 0.5, 0.9, 0.99]
    fan = pipe[-1].predict_quantiles(windows, levels)
    assert fan.shape == (len(X), 3, 5)
    assert (np.diff(fan, axis=-1) > 0).all()
    mean, sigma = pipe.predict(X), fan[..., 3] - fan[..., 2]
    np.testing.assert_array_equal(fan[..., 2], mean)
    np.testing.assert_allclose(
        fan, mean[..., None] + sigma[..., None] * norm.ppf(levels) / norm.ppf(0.9)
    )
    with pytest.raises(ValueError, match="quantiles must be increasing"):
        clone(net).set_params(quantiles=(0.9, 0.1)).fit(X, y)


def test_gaussian_loss_is_torchs_negative_log_likelihood():
    rng = np.random.default_rng(0)
    mean, log_scale = torch.randn(50, 2), torch.randn(50, 2)
    y_true = torch.from_numpy(rng.normal(size=(50, 2))).float()
    y_pred = torch.stack([mean, log_scale], dim=-1).reshape(50, 4)
    reference = torch.nn.GaussianNLLLoss()(mean, y_true, torch.exp(2 * log_scale))
    torch.testing.assert_close(GaussianNLLLoss()(y_pred, y_true), reference)


@pytest.mark.parametrize("criterion", ["quantile", "gaussian"])
def test_future_test_rows_never_change_the_quantiles(sim_data, criterion):
    X, y = sim_data
    net = LSTMRegressor(criterion=criterion, **TINY)
    pipe = make_forecaster(net, lookback=5).fit(X.iloc[:600], y.iloc[:600])
    test = X.iloc[600:].copy()
    before = pipe.predict_quantiles(test)
    test.iloc[50:, 0] *= 1.5
    after = pipe.predict_quantiles(test)
    np.testing.assert_array_equal(after[:50], before[:50])
    assert not np.array_equal(after[50:], before[50:])


def test_skorch_features_keep_working(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(warm_start=True, **TINY)).fit(X, y)
    net = pipe[-1]
    epochs = len(net.history)
    windows = pipe[:-1].transform(X)
    net.partial_fit(windows, y)
    assert len(net.history) > epochs
    assert {"train_loss", "valid_loss", "dur"} <= set(net.history[-1])
    assert not hasattr(net, "predict_proba")
    assert "_params_to_validate" not in net.get_params()


def test_divergence_is_an_error_not_a_nan_forecast(sim_data):
    X, y = sim_data
    net = FeedForwardRegressor(lr=1e6, gradient_clip=None, max_epochs=5, optimizer="sgd")
    with pytest.raises(FloatingPointError, match="diverged"):
        windows_pipeline(net).fit(X, y * 1e30)


def test_cross_val_score_of_a_net_pipeline(sim_data):
    X, y = sim_data
    scores = cross_val_score(
        windows_pipeline(GRURegressor(**TINY)),
        X,
        y,
        cv=TimeSeriesSplit(3),
        scoring="neg_root_mean_squared_error",
    )
    assert np.isfinite(scores).all()


def test_inputs_are_not_mutated(sim_data):
    X, y = sim_data
    windows = WindowTransformer(4).fit_transform(X).astype(np.float32)
    copy_, y_copy = windows.copy(), y.copy()
    LSTMRegressor(**TINY).fit(windows, y).predict(windows)
    np.testing.assert_array_equal(windows, copy_)
    pd.testing.assert_series_equal(y, y_copy)


CPU_ONLY_PREDICT = """
import pickle, sys
import numpy as np
import torch
assert not torch.cuda.is_available()
pipe, X = pickle.load(open(sys.argv[1], "rb"))
net = pipe[-1]
assert net.device == "cuda" and net.device_ == "cpu", (net.device, net.device_)
assert not next(net.module_.parameters()).is_cuda
np.save(sys.argv[2], pipe.predict(X))
"""


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_training_runs_on_the_gpu_and_predicts_on_a_cpu_only_machine(sim_data, tmp_path):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(device="cuda", **TINY)).fit(X, y)
    net = pipe[-1]
    assert next(net.module_.parameters()).is_cuda
    assert (net.device, net.device_) == ("cuda", "cuda")
    with open(tmp_path / "pipe.pkl", "wb") as f:
        pickle.dump((pipe, X), f)
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run(
        [sys.executable, "-c", CPU_ONLY_PREDICT, tmp_path / "pipe.pkl", tmp_path / "cpu.npy"],
        env=env,
        check=True,
    )
    np.testing.assert_allclose(np.load(tmp_path / "cpu.npy"), pipe.predict(X), rtol=1e-4)


@pytest.mark.parametrize("net", [LSTMRegressor, GRURegressor], ids=["lstm", "gru"])
def test_default_nets_are_at_least_as_good_as_persistence_on_the_default_data(net):
    frame, optimal = load_vix_sim(return_optimal=True, horizon=1)
    X, y = make_supervised(frame[["vix"]])
    train, test = slice(0, 7000), slice(7000, None)
    pipe = windows_pipeline(net(hidden_size=16, max_epochs=8, random_state=0), lookback=10)
    prediction = pipe.fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
    truth = y.iloc[test].to_numpy()

    def rmse(forecast):
        return np.sqrt(np.mean((truth - np.asarray(forecast)) ** 2))

    persistence = rmse(X["vix"].iloc[test])
    best = rmse(optimal["vix_h1"].loc[X.index[test]])
    assert rmse(prediction) <= persistence
    assert rmse(prediction) >= 0.995 * best
