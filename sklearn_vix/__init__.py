"""sklearn-vix: forecast the VIX with recurrent neural networks, the scikit-learn way."""

from .baselines import HARRegressor, PersistenceRegressor
from .preprocessing import HARTransformer, WindowTransformer

__version__ = "0.1.0"

__all__ = [
    "HARRegressor",
    "HARTransformer",
    "PersistenceRegressor",
    "WindowTransformer",
    "__version__",
]
