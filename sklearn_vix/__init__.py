"""sklearn-vix: forecast the VIX with recurrent neural networks, the scikit-learn way.

``import sklearn_vix`` stays light: the torch-backed estimators are imported on first use
(PEP 562 module ``__getattr__``), so the datasets, baselines and evaluation work without
paying for PyTorch's import.
"""

from importlib import import_module

from .baselines import HARRegressor, LinearQuantileRegressor, PersistenceRegressor
from .compose import LogTargetRegressor
from .forecasters import make_forecaster
from .intervals import ConformalForecaster
from .preprocessing import (
    CalendarTransformer,
    DailyRangeTransformer,
    HARTransformer,
    LogTransformer,
    WindowTransformer,
)

__version__ = "0.1.0"

# Public name -> submodule that defines it, imported when the name is first used.
_LAZY = {
    "FeedForwardRegressor": ".neural",
    "GRURegressor": ".neural",
    "LSTMRegressor": ".neural",
    "RecurrentRegressor": ".neural",
}

__all__ = [
    "CalendarTransformer",
    "ConformalForecaster",
    "DailyRangeTransformer",
    "FeedForwardRegressor",
    "GRURegressor",
    "HARRegressor",
    "HARTransformer",
    "LSTMRegressor",
    "LinearQuantileRegressor",
    "LogTargetRegressor",
    "LogTransformer",
    "PersistenceRegressor",
    "RecurrentRegressor",
    "WindowTransformer",
    "__version__",
    "make_forecaster",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
