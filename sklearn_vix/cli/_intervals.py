"""Prediction intervals when the library has them (``sklearn_vix.intervals``)."""

from __future__ import annotations


def with_intervals(model, coverage: float):
    """``ConformalForecaster(model)`` when ``sklearn_vix.intervals`` exists, else None."""
    try:
        from ..intervals import ConformalForecaster
    except ImportError:
        return None
    return ConformalForecaster(model, coverage=coverage)
