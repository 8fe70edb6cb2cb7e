"""
Search over architectures with GridSearchCV
===========================================

Cell type, size and lookback are ordinary parameters: sklearn's own GridSearchCV with
TimeSeriesSplit searches them, and the best net's training curve is one call away.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_vix import RecurrentRegressor, WindowTransformer
from sklearn_vix.datasets import load_vix_sim, make_supervised
from sklearn_vix.metrics import make_persistence_scorer
from sklearn_vix.plotting import LossCurveDisplay

X, y = make_supervised(load_vix_sim())
pipe = Pipeline(
    [
        ("window", WindowTransformer()),
        ("scale", StandardScaler()),
        ("model", RecurrentRegressor(max_epochs=30, random_state=0)),
    ]
).set_output(transform="pandas")
grid = {
    "window__lookback": [5, 10, 22],
    "model__cell": ["lstm", "gru"],
    "model__hidden_size": [16, 64],
}
search = GridSearchCV(
    pipe, grid, cv=TimeSeriesSplit(3), scoring=make_persistence_scorer(), n_jobs=2
).fit(X, y)
print(search.best_params_, f"skill vs persistence {search.best_score_:+.4f}")
LossCurveDisplay.from_estimator(search)
plt.show()
