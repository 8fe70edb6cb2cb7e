"""Neural forecasters: torch modules (``_modules``) behind skorch estimators.

``_modules`` holds plain PyTorch; ``_data``, ``_callbacks``, ``_devices``, ``_layout`` and
``_losses`` the pieces the shared skorch net (``_base``) is built from; ``_estimators`` the
public forecasters, whose shared parameter documentation lives in ``_docs``.
PyTorch and skorch are the optional ``nets`` extra: the rest of the package works without.
"""

try:
    import skorch  # noqa: F401
    import torch  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "The neural forecasters need PyTorch and skorch, which are not installed: "
        "pip install 'sklearn-vix[nets]' (or install the torch build you want first)."
    ) from error

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
