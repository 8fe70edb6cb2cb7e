"""Causal feature transformers: windows of past rows, HAR averages, logs and the daily range.

Row t of every output is computed from rows t-k..t only; a table that directly continues
the fit data takes its first rows' history from the end of the fit data
(:mod:`sklearn_vix.preprocessing._history`).
"""

from ._features import DailyRangeTransformer, LogTransformer
from ._har import HARTransformer
from ._windows import WindowTransformer

__all__ = ["DailyRangeTransformer", "HARTransformer", "LogTransformer", "WindowTransformer"]
