"""Prediction intervals: conformal calibration without look-ahead, updated online."""

from ._conformal import ConformalForecaster

__all__ = ["ConformalForecaster"]
