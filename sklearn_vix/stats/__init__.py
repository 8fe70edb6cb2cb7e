"""Statistical tests of forecasts: which model is more accurate, and is the gap real."""

from ._clark_west import ClarkWestResult, clark_west
from ._diebold_mariano import DieboldMarianoResult, diebold_mariano
from ._mcs import ModelConfidenceSetResult, model_confidence_set

__all__ = [
    "ClarkWestResult",
    "DieboldMarianoResult",
    "ModelConfidenceSetResult",
    "clark_west",
    "diebold_mariano",
    "model_confidence_set",
]
