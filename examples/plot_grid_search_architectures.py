"""
Search over architectures with GridSearchCV
===========================================

Cell type, hidden size and lookback are ordinary parameters: scikit-learn's own
``GridSearchCV`` with ``TimeSeriesSplit`` searches them, scored by skill against
persistence, and the best net's training curve is one call away.

``sklearn-vix tune`` runs a larger grid from the command line (``--n-jobs``, or
``--scheduler`` for a Dask cluster).
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import RecurrentRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.metrics import make_persistence_scorer
from sklearn_vix.plotting import LossCurveDisplay

# The sessions since 2016 and 5 epochs keep the documentation build short; a real
# search uses every session and lets early stopping decide (max_epochs=100, the default).
X, y = make_supervised(load_vix().loc["2016":, ["vix"]])
pipe = Pipeline(
    [
        ("window", WindowTransformer()),
        ("scale", StandardScaler()),
        ("model", RecurrentRegressor(max_epochs=5, random_state=0)),
    ]
).set_output(transform="pandas")
grid = {
    "window__lookback": [5, 22],
    "model__cell": ["lstm", "gru"],
}
search = GridSearchCV(pipe, grid, cv=TimeSeriesSplit(3), scoring=make_persistence_scorer())
search.fit(X, y)
print(search.best_params_, f"skill vs persistence {search.best_score_:+.4f}")

# %%
# The ranking, best first; skill is ``1 - MSE / MSE(persistence)``.
import pandas as pd

results = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
print(results[["param_model__cell", "param_window__lookback", "mean_test_score"]])

# %%
# The refitted best net's loss per epoch, with the epoch early stopping kept.
LossCurveDisplay.from_estimator(search)
plt.show()
