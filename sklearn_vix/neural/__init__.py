"""Neural forecasters: torch modules (``_modules``) behind skorch estimators.

``_modules`` holds plain PyTorch; ``_data``, ``_callbacks`` and ``_devices`` the pieces the
shared skorch net (``_base``) is built from; ``_estimators`` the public forecasters.
"""

from ._devices import resolve_device
from ._estimators import (
    FeedForwardRegressor,
    GRURegressor,
    LSTMRegressor,
    RecurrentRegressor,
)
from ._modules import FeedForwardForecaster, RecurrentForecaster

__all__ = [
    "FeedForwardForecaster",
    "FeedForwardRegressor",
    "GRURegressor",
    "LSTMRegressor",
    "RecurrentForecaster",
    "RecurrentRegressor",
    "resolve_device",
]
