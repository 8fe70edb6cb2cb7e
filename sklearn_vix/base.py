"""The protocols that several modules of the package rely on, written once.

- The window column names: :class:`~sklearn_vix.WindowTransformer` names the column of
  series ``column`` at ``k`` rows back ``{column}_lag{k}``, step-major with ``lag0``
  first. The networks read the window layout from these names, and a ``target_column``
  name ``"vix"`` also matches the window column ``"vix_lag0"``.
- The interval forecaster: an estimator with ``predict_interval(X, coverage=None)`` and
  a ``coverage`` attribute (see the glossary in the documentation). Metrics, model
  comparison, plots and the command line recognise one with
  :func:`is_interval_forecaster`.
- The quantile forecaster: an estimator with ``predict_quantiles(X, quantiles)``, which
  returns the forecast's quantiles at increasing levels, non-decreasing along its last
  axis (see the glossary). Scorers recognise one with :func:`is_quantile_forecaster`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from numbers import Integral

__all__ = [
    "is_interval_forecaster",
    "is_quantile_forecaster",
    "model_lookback",
    "parse_window_column",
    "window_column_name",
    "window_column_names",
]

_WINDOW_COLUMN = re.compile(r"(?P<column>.+)_lag(?P<lag>[0-9]+)", re.DOTALL)


def window_column_name(column, lag: int) -> str:
    """The name of series ``column`` ``lag`` rows back in a window: ``{column}_lag{lag}``.

    Parameters
    ----------
    column : str or object
        The input column's name (converted with ``str``).
    lag : int
        Rows back from the current one (0: the current row).

    Returns
    -------
    name : str

    Examples
    --------
    >>> from sklearn_vix.base import window_column_name
    >>> window_column_name("vix", 0)
    'vix_lag0'
    """
    return f"{column}_lag{lag}"


def window_column_names(columns: Iterable, lookback: int) -> list[str]:
    """Every column name of windows of ``lookback`` rows, in the window's order.

    Step-major, newest step first: all of ``columns`` at ``lag0``, then at ``lag1``, ...

    Parameters
    ----------
    columns : iterable of str
        The input column names.
    lookback : int
        Rows in each window.

    Returns
    -------
    names : list of str
        ``lookback * len(columns)`` names.

    Examples
    --------
    >>> from sklearn_vix.base import window_column_names
    >>> window_column_names(["vix", "rate"], 2)
    ['vix_lag0', 'rate_lag0', 'vix_lag1', 'rate_lag1']
    """
    columns = list(columns)
    return [window_column_name(column, k) for k in range(lookback) for column in columns]


def parse_window_column(name) -> tuple[str, int] | None:
    """The series and lag of a window column name, or None when it is not one.

    The inverse of :func:`window_column_name`.

    Parameters
    ----------
    name : str or object
        A column name (converted with ``str``).

    Returns
    -------
    parsed : tuple of (str, int) or None
        ``(column, lag)``.

    Examples
    --------
    >>> from sklearn_vix.base import parse_window_column
    >>> parse_window_column("log_vix_lag12")
    ('log_vix', 12)
    >>> parse_window_column("vix") is None
    True
    """
    match = _WINDOW_COLUMN.fullmatch(str(name))
    return None if match is None else (match["column"], int(match["lag"]))


def is_interval_forecaster(estimator) -> bool:
    """Whether ``estimator`` follows the interval-forecaster protocol.

    An interval forecaster has a method ``predict_interval(X, coverage=None)`` that
    returns the lower (``[..., 0]``) and upper (``[..., 1]``) bounds, of shape
    ``(n_samples, 2)`` for a one-step target and ``(n_samples, horizon, 2)`` otherwise,
    and an attribute ``coverage``, the nominal coverage used when ``coverage`` is None.
    :class:`~sklearn_vix.ConformalForecaster` is one. The glossary entry *interval
    forecaster* of the documentation describes the protocol in full.

    Parameters
    ----------
    estimator : object
        The estimator to inspect (fitted or not).

    Returns
    -------
    result : bool

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_vix import ConformalForecaster
    >>> from sklearn_vix.base import is_interval_forecaster
    >>> is_interval_forecaster(ConformalForecaster(LinearRegression()))
    True
    >>> is_interval_forecaster(LinearRegression())
    False
    """
    return callable(getattr(estimator, "predict_interval", None)) and hasattr(estimator, "coverage")


def is_quantile_forecaster(estimator) -> bool:
    """Whether ``estimator`` follows the quantile-forecaster protocol.

    A quantile forecaster has a method ``predict_quantiles(X, quantiles)`` that takes
    increasing levels in (0, 1) and returns the forecast's quantiles at those levels, in
    the target's units and non-decreasing along the last axis: of shape
    ``(n_samples, n_quantiles)`` for a one-step target and ``(n_samples, horizon,
    n_quantiles)`` otherwise, as :func:`is_interval_forecaster`'s bounds. An estimator
    fitted at fixed levels (:class:`~sklearn_vix.LinearQuantileRegressor`)
    holds them in an attribute ``quantiles``, the levels used when ``quantiles`` is None,
    and accepts only those; so do the nets with ``criterion="quantile"``.
    :class:`~sklearn_vix.ConformalForecaster` and the nets with ``criterion="gaussian"``
    are ones for any level, and :class:`~sklearn_vix.LogTargetRegressor` (so
    :func:`~sklearn_vix.make_forecaster`) is one around a quantile forecaster. The
    glossary entry *quantile forecaster* of the documentation describes the protocol in
    full.

    Parameters
    ----------
    estimator : object
        The estimator to inspect (fitted or not).

    Returns
    -------
    result : bool

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_vix import ConformalForecaster
    >>> from sklearn_vix.base import is_quantile_forecaster
    >>> is_quantile_forecaster(ConformalForecaster(LinearRegression()))
    True
    >>> is_quantile_forecaster(LinearRegression())
    False
    """
    return callable(getattr(estimator, "predict_quantiles", None))


def model_lookback(estimator) -> int:
    """Rows of history one forecast needs, read from the estimator's parameters.

    The largest ``lookback`` (windows, nets) or HAR ``windows`` anywhere inside it; 1 for
    a model that reads one row.

    Examples
    --------
    >>> from sklearn_vix import HARRegressor, make_forecaster
    >>> from sklearn_vix.base import model_lookback
    >>> from sklearn.linear_model import LinearRegression
    >>> model_lookback(HARRegressor()), model_lookback(make_forecaster(LinearRegression()))
    (22, 10)
    """
    params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    needed = 1
    for name, value in params.items():
        leaf = name.rsplit("__", 1)[-1]
        if leaf == "lookback" and isinstance(value, Integral):
            needed = max(needed, int(value))
        elif leaf in ("windows", "har_windows") and value:
            needed = max(needed, *(int(w) for w in value))
    return needed
