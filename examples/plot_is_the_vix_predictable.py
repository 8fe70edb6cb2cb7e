"""
Is the VIX predictable at all?
==============================

Test the random-walk hypothesis on log VIX, then compare persistence, HAR and a GRU
under time-series cross-validation, with Diebold-Mariano p-values.
"""

import matplotlib.pyplot as plt
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import GRURegressor, HARRegressor, PersistenceRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.diagnostics import random_walk_tests
from sklearn_vix.model_selection import compare_models
from sklearn_vix.plotting import FoldScoresDisplay, SeriesDisplay

frame = load_vix_sim()
print(random_walk_tests(frame["vix"]))
SeriesDisplay.from_series(frame["vix"])

X, y = make_supervised(frame[["vix"]], horizon=5)
models = {
    "persistence": PersistenceRegressor(),
    "HAR": HARRegressor(),
    "GRU": make_pipeline(
        WindowTransformer(10), StandardScaler(), GRURegressor(random_state=0)
    ).set_output(transform="pandas"),  # the net reads (lookback, columns) from the names
}
result = compare_models(models, X, y)
print(result)
FoldScoresDisplay.from_comparison(result, metric="rmse_ratio")
plt.show()
