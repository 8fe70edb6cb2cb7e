"""Neural forecasters: torch modules (``_modules``) behind skorch estimators."""

from ._estimators import (
    FeedForwardRegressor,
    GRURegressor,
    LSTMRegressor,
    RecurrentRegressor,
    resolve_device,
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
