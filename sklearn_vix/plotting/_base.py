"""What every Display shares: matplotlib as an optional import, axes, and frames of forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["check_matplotlib_support"]


def check_matplotlib_support(caller: str) -> None:
    """Raise an ImportError naming the ``plot`` extra when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"{caller} requires matplotlib: pip install 'sklearn-vix[plot]'"
        ) from error


def _axes(ax, caller: str):
    check_matplotlib_support(caller)
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    return ax


def _column(frame_or_series, step) -> pd.Series:
    if isinstance(frame_or_series, pd.DataFrame):
        values = frame_or_series.drop(columns="fold", errors="ignore")
        return values.iloc[:, step]
    return pd.Series(frame_or_series)


def _step_bounds(bounds, step) -> np.ndarray:
    bounds = np.asarray(bounds, dtype=np.float64)
    return bounds[:, step, :] if bounds.ndim == 3 else bounds
