"""Statistical tests of forecasts: which model is more accurate, and is the gap real."""

from ._diebold_mariano import DieboldMarianoResult, diebold_mariano

__all__ = ["DieboldMarianoResult", "diebold_mariano"]
