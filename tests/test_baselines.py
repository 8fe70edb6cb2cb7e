"""PersistenceRegressor and HARRegressor, alone and under TimeSeriesSplit."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline

from sklearn_vix import HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised


@pytest.fixture(scope="module")
def sim_h1():
    frame, optimal = load_vix_sim(return_optimal=True, horizon=1)
    X, y = make_supervised(frame)
    return X, y, optimal.loc[X.index, "vix_h1"]


def test_persistence_predicts_the_latest_value_from_rows_and_windows():
    X, y = make_supervised(load_vix_sim().iloc[:50])
    raw = PersistenceRegressor().fit(X, y).predict(X)
    np.testing.assert_array_equal(raw, X["vix"])
    windows = WindowTransformer(5).set_output(transform="pandas").fit_transform(X)
    for target_column in (0, "vix"):
        persistence = PersistenceRegressor(target_column=target_column).fit(windows, y)
        np.testing.assert_array_equal(persistence.predict(windows), X["vix"])
        with pytest.warns(UserWarning, match="valid feature names"):
            from_numpy = persistence.predict(windows.to_numpy())
        np.testing.assert_array_equal(from_numpy, X["vix"])


def test_persistence_repeats_for_every_step():
    X, y = make_supervised(load_vix_sim().iloc[:50], horizon=5)
    prediction = PersistenceRegressor().fit(X, y).predict(X)
    assert prediction.shape == (len(X), 5)
    np.testing.assert_array_equal(prediction, np.repeat(X[["vix"]].to_numpy(), 5, axis=1))


def test_persistence_reports_features_like_any_estimator():
    X, y = make_supervised(load_vix_sim().iloc[:50])
    persistence = PersistenceRegressor(target_column="interest_rate").fit(X, y)
    assert persistence.n_features_in_ == 3
    assert persistence.feature_names_in_.tolist() == list(X.columns)
    assert persistence.target_index_ == 2


@pytest.mark.parametrize("estimator", [PersistenceRegressor, HARRegressor])
def test_target_column_errors_name_the_parameter(estimator):
    X, y = make_supervised(load_vix_sim().iloc[:50])
    with pytest.raises(ValueError, match="target_column='close'"):
        estimator(target_column="close").fit(X, y)
    with pytest.raises(ValueError, match="target_column='vix' is a name"):
        estimator(target_column="vix").fit(X.to_numpy(), y)


def test_har_equals_least_squares_on_rolling_means():
    X, y = make_supervised(load_vix_sim().iloc[:400])
    har = HARRegressor().fit(X, y)
    vix = X["vix"]
    design = np.column_stack(
        [np.ones(len(X))] + [vix.rolling(k, min_periods=1).mean() for k in (1, 5, 22)]
    )
    coefficients, *_ = np.linalg.lstsq(design, y.to_numpy(), rcond=None)
    np.testing.assert_allclose(har.predict(X), design @ coefficients, rtol=1e-9)


def test_log_har_smearing_is_the_mean_of_exponentiated_residuals():
    X, y = make_supervised(load_vix_sim().iloc[:400], horizon=2)
    har = HARRegressor(log=True).fit(X, y)
    features = har.features_.transform(X)
    residuals = np.log(y.to_numpy()) - har.regression_.predict(features)
    np.testing.assert_allclose(har.smearing_, np.exp(residuals).mean(axis=0))
    assert har.predict(X).shape == (len(X), 2)


def test_har_predictions_do_not_move_when_the_future_changes():
    X, y = make_supervised(load_vix_sim().iloc[:300])
    har = HARRegressor().fit(X.iloc[:200], y.iloc[:200])
    test = X.iloc[200:].copy()
    before = har.predict(test)[:40]
    test.iloc[40:, 0] = 500.0
    np.testing.assert_array_equal(har.predict(test)[:40], before)


def test_har_test_fold_sees_the_history_of_the_training_fold():
    X, y = make_supervised(load_vix_sim().iloc[:300])
    full = HARRegressor().fit(X.iloc[:200], y.iloc[:200])
    whole_table = full.features_.transform(X)[200:]
    np.testing.assert_allclose(full.features_.transform(X.iloc[200:]), whole_table)


def test_har_rejects_non_positive_targets_in_logs():
    X, y = make_supervised(load_vix_sim().iloc[:60])
    y = y.copy()
    y.iloc[3] = 0.0
    with pytest.raises(ValueError, match="y must be positive"):
        HARRegressor(log=True).fit(X, y)


def fold_scores(model, X, y):
    return -cross_val_score(
        model, X, y, cv=TimeSeriesSplit(5), scoring="neg_root_mean_squared_error"
    )


def test_cross_validated_baselines_rank_as_theory_says(sim_h1):
    X, y, optimal = sim_h1
    models = {
        "persistence": PersistenceRegressor(),
        "har": HARRegressor(),
        "linear": make_pipeline(WindowTransformer(10), LinearRegression()),
    }
    rmse = {name: fold_scores(model, X, y) for name, model in models.items()}
    best = np.array(
        [
            np.sqrt(np.mean((y.iloc[test] - optimal.iloc[test]) ** 2))
            for _, test in TimeSeriesSplit(5).split(X)
        ]
    )
    for name, scores in rmse.items():
        assert np.isfinite(scores).all(), name
    assert rmse["har"].mean() < rmse["persistence"].mean()
    assert rmse["linear"].mean() < rmse["persistence"].mean()
    for name, scores in rmse.items():
        # Estimated models can match the optimum, not beat it by more than noise.
        assert scores.mean() > 0.995 * best.mean(), name


@pytest.mark.parametrize(
    "model, param, value",
    [
        (PersistenceRegressor(target_column="vix"), "target_column", 0),
        (HARRegressor(log=True), "windows", (1, 3)),
    ],
    ids=["persistence", "har"],
)
def test_baselines_are_clonable_and_picklable(model, param, value):
    import pickle

    X, y = make_supervised(load_vix_sim().iloc[:100])
    fitted = clone(model).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))
    # A clone of a fitted model carries its parameters and none of its fitted state, and
    # changing the clone's parameters leaves the original alone.
    cloned = clone(fitted)
    assert cloned.get_params() == model.get_params()
    assert not hasattr(cloned, "n_features_in_")
    cloned.set_params(**{param: value})
    assert cloned.get_params()[param] == value != fitted.get_params()[param]


def test_baselines_do_not_mutate_inputs():
    X, y = make_supervised(load_vix_sim().iloc[:100], horizon=3)
    X_copy, y_copy = X.copy(), y.copy()
    for model in (PersistenceRegressor(), HARRegressor(log=True)):
        model.fit(X, y).predict(X)
    pd.testing.assert_frame_equal(X, X_copy)
    pd.testing.assert_frame_equal(y, y_copy)
