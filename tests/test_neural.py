"""LSTMRegressor, GRURegressor and FeedForwardRegressor: layout, leakage, learning, I/O."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import (
    FeedForwardRegressor,
    GRURegressor,
    LSTMRegressor,
    RecurrentRegressor,
    WindowTransformer,
)
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.neural import resolve_device

TINY = dict(hidden_size=8, max_epochs=3, random_state=0)
NETS = [
    LSTMRegressor(**TINY),
    GRURegressor(**TINY),
    FeedForwardRegressor(hidden_layer_sizes=(8,), max_epochs=3, random_state=0),
]


def windows_pipeline(model, lookback=5):
    return Pipeline(
        [("window", WindowTransformer(lookback)), ("scale", StandardScaler()), ("model", model)]
    ).set_output(transform="pandas")


@pytest.fixture(scope="module")
def sim_data():
    return make_supervised(load_vix_sim().iloc[:800])


def capture_module_input(net):
    seen = []
    net.module_.register_forward_pre_hook(lambda module, args: seen.append(args[0].clone()))
    return seen


def test_multivariate_windows_reach_the_rnn_as_steps_of_all_columns(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(**TINY), lookback=4).fit(X, y)
    net = pipe[-1]
    assert (net.lookback_, net.n_columns_) == (4, 3)
    seen = capture_module_input(net)
    pipe.predict(X.iloc[-1:])
    scaled = pipe[:-1].transform(X.iloc[-1:])
    sequence = seen[0][0].numpy()
    assert sequence.shape == (4, 3)
    np.testing.assert_allclose(
        sequence[-1],
        scaled[["vix_lag0", "sp500_return_lag0", "interest_rate_lag0"]].iloc[0],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        sequence[0],
        scaled[["vix_lag3", "sp500_return_lag3", "interest_rate_lag3"]].iloc[0],
        rtol=1e-6,
    )


def test_numpy_windows_use_n_columns_and_3d_input_its_shape(sim_data):
    X, y = sim_data
    windows = WindowTransformer(4).fit_transform(X)
    net = LSTMRegressor(n_columns=3, **TINY).fit(windows, y)
    assert (net.lookback_, net.n_columns_) == (4, 3)
    univariate = LSTMRegressor(**TINY).fit(windows, y)
    assert (univariate.lookback_, univariate.n_columns_) == (12, 1)
    sequences = windows.reshape(len(windows), 4, 3)[:, ::-1]
    from_3d = LSTMRegressor(**TINY).fit(sequences, y)
    assert (from_3d.lookback_, from_3d.n_columns_) == (4, 3)
    np.testing.assert_allclose(from_3d.predict(sequences), net.predict(windows), rtol=1e-5)


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
    net = LSTMRegressor(**TINY).fit(np.zeros((60, 5)), np.zeros(60))
    with pytest.raises(ValueError, match="5 features"):
        net.predict(np.zeros((3, 6)))


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


def test_grid_search_is_reproducible_in_parallel(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(hidden_size=4, max_epochs=2, random_state=0))
    grid = {"model__hidden_size": [4, 6]}
    serial = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(2), n_jobs=1).fit(X, y)
    parallel = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(2), n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(
        serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"]
    )


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

    windows_pipeline(Recording(num_threads=1, **TINY)).fit(X, y)
    assert set(seen) == {1}
    assert torch.get_num_threads() == before


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


def test_early_stopping_restores_the_best_weights_and_starts_fresh(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(hidden_size=8, max_epochs=30, patience=2, lr=0.05))
    pipe.fit(X, y)
    net = pipe[-1]
    early_stopping = dict(net.callbacks_)["early_stopping"]
    valid = net.history[:, "valid_loss"]
    assert len(valid) < 30
    best = early_stopping.best_epoch_
    if best:
        assert valid[best - 1] == min(valid)
    refit = pipe.fit(X.iloc[:400], y.iloc[:400])[-1]
    assert len(refit.history) <= 30
    assert dict(refit.callbacks_)["early_stopping"].best_epoch_ <= len(refit.history)


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
def test_weights_alone_save_and_load_into_a_fresh_net(sim_data, tmp_path, use_safetensors):
    X, y = sim_data
    pipe = windows_pipeline(GRURegressor(**TINY)).fit(X, y)
    windows = pipe[:-1].transform(X)
    weights, fitted = tmp_path / "weights", tmp_path / "fitted.json"
    pipe[-1].save_params(f_params=weights, f_fitted=fitted, use_safetensors=use_safetensors)
    fresh = GRURegressor(**TINY).load_params(
        f_params=weights, f_fitted=fitted, use_safetensors=use_safetensors
    )
    np.testing.assert_array_equal(fresh.predict(windows), pipe[-1].predict(windows))
    assert fresh.n_features_in_ == pipe[-1].n_features_in_


def test_loading_weights_into_an_unfitted_net_without_layout_is_explained(tmp_path):
    with pytest.raises(ValueError, match="f_fitted"):
        LSTMRegressor().load_params(f_params=tmp_path / "missing.pt")


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


@pytest.mark.parametrize(
    "param, value, message",
    [
        ("device", "gpu", "device='gpu'"),
        ("criterion", "rmse", "criterion='rmse'"),
        ("optimizer", "lbfgs", "optimizer='lbfgs'"),
        ("cell", "rnn", "cell='rnn'"),
        ("head_activation", "swish", "head_activation='swish'"),
        ("hidden_size", 0, "hidden_size"),
        ("validation_fraction", 1.0, "validation_fraction"),
        ("lr_schedule", "linear", "lr_schedule"),
        ("init", "glorot", "init='glorot'"),
    ],
)
def test_bad_parameters_are_named_before_training(param, value, message):
    with pytest.raises(ValueError, match=message):
        LSTMRegressor(**{**TINY, param: value}).fit(np.zeros((40, 5)), np.zeros(40))


def test_bad_data_is_a_clear_error():
    X = np.random.default_rng(0).normal(size=(40, 5))
    X[7, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LSTMRegressor(**TINY).fit(X, np.zeros(40))
    with pytest.raises(ValueError, match="requires y"):
        LSTMRegressor(**TINY).fit(np.zeros((40, 5)), None)
    with pytest.raises(ValueError, match="leaves no training rows"):
        LSTMRegressor(**TINY).fit(np.zeros((1, 5)), np.zeros(1))


@pytest.mark.parametrize(
    "options",
    [
        dict(criterion="huber", optimizer="adamw", lr_schedule="plateau", init="orthogonal"),
        dict(criterion="mae", optimizer="rmsprop", lr_schedule="cosine", init="xavier"),
        dict(optimizer="sgd", optimizer__momentum=0.9, init="he", bidirectional=True),
        dict(num_layers=2, dropout=0.1, head_sizes=(8,), head_activation="gelu"),
        dict(validation_fraction=0, gradient_clip=None, standardize_target=False),
    ],
)
def test_training_options_run(options, sim_data):
    X, y = sim_data
    net = LSTMRegressor(**{**TINY, **options})
    prediction = windows_pipeline(net).fit(X, y).predict(X)
    assert np.isfinite(prediction).all()


def test_feed_forward_options_run(sim_data):
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
    assert np.isfinite(windows_pipeline(net).fit(X, y).predict(X)).all()


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
    copy, y_copy = windows.copy(), y.copy()
    LSTMRegressor(n_columns=3, **TINY).fit(windows, y).predict(windows)
    np.testing.assert_array_equal(windows, copy)
    pd.testing.assert_series_equal(y, y_copy)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_training_runs_on_the_gpu_and_predicts_on_cpu(sim_data):
    X, y = sim_data
    pipe = windows_pipeline(LSTMRegressor(device="cuda", **TINY)).fit(X, y)
    net = pipe[-1]
    assert next(net.module_.parameters()).is_cuda
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_allclose(restored.predict(X), pipe.predict(X), rtol=1e-5)


@pytest.mark.parametrize("net", [LSTMRegressor, GRURegressor], ids=["lstm", "gru"])
def test_default_nets_are_at_least_as_good_as_persistence_on_the_default_data(net):
    frame, optimal = load_vix_sim(return_optimal=True, horizon=1)
    X, y = make_supervised(frame[["vix"]])
    train, test = slice(0, 7000), slice(7000, None)
    pipe = windows_pipeline(net(max_epochs=15, random_state=0), lookback=10)
    prediction = pipe.fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
    truth = y.iloc[test].to_numpy()

    def rmse(forecast):
        return np.sqrt(np.mean((truth - np.asarray(forecast)) ** 2))

    persistence = rmse(X["vix"].iloc[test])
    best = rmse(optimal["vix_h1"].loc[X.index[test]])
    assert rmse(prediction) <= persistence
    assert rmse(prediction) >= 0.995 * best
