"""Causal feature transformers: windows of past rows, HAR averages, logs, the daily range,
and the known-future calendar of the target sessions.

Row t of every output is computed from rows t-k..t only; a table that directly continues
the fit data takes its first rows' history from the end of the fit data
(:mod:`sklearn_vix.preprocessing._history`).
"""

from ._calendar import CALENDAR_FEATURES, CalendarTransformer, calendar_step
from ._features import DailyRangeTransformer, LogTransformer
from ._har import HARTransformer
from ._windows import WindowTransformer

__all__ = [
    "CALENDAR_FEATURES",
    "CalendarTransformer",
    "DailyRangeTransformer",
    "HARTransformer",
    "LogTransformer",
    "WindowTransformer",
    "calendar_step",
]
