"""sklearn-vix: forecast the VIX with recurrent neural networks, the scikit-learn way."""

from .baselines import HARRegressor, PersistenceRegressor
from .intervals import ConformalForecaster
from .neural import FeedForwardRegressor, GRURegressor, LSTMRegressor, RecurrentRegressor
from .preprocessing import HARTransformer, WindowTransformer

__version__ = "0.1.0"

__all__ = [
    "ConformalForecaster",
    "FeedForwardRegressor",
    "GRURegressor",
    "HARRegressor",
    "HARTransformer",
    "LSTMRegressor",
    "PersistenceRegressor",
    "RecurrentRegressor",
    "WindowTransformer",
    "__version__",
]
