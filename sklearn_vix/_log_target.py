"""Bringing a forecast of ``log(y)`` back to ``y``: the retransformation correction.

``exp`` of a forecast of ``log(y)`` is ``y``'s conditional median; multiplied by a factor
estimated from the log residuals on the fit rows it estimates the mean. One
implementation, shared by :class:`~sklearn_vix.compose.LogTargetRegressor` and
``HARRegressor(log=True)``.
"""

from __future__ import annotations

import numpy as np


def retransformation_factor(log_residuals: np.ndarray, method: str | None) -> np.ndarray:
    """The factor, per output, that brings ``exp`` of a log forecast back to a mean.

    Parameters
    ----------
    log_residuals : ndarray of shape (n_samples, n_outputs)
        ``log(y) - prediction`` on the fit rows.
    method : {"smearing", "variance"} or None
        Duan's smearing ``mean(exp(r))``, the Gaussian ``exp(var(r) / 2)``, or no
        correction (ones: the median).

    Returns
    -------
    factor : ndarray of shape (n_outputs,)
    """
    if method == "smearing":
        return np.exp(log_residuals).mean(axis=0)
    if method == "variance":
        return np.exp(log_residuals.var(axis=0) / 2)
    return np.ones(log_residuals.shape[1])
