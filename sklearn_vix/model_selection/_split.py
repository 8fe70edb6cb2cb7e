"""The walk-forward schedule as a scikit-learn splitter: which rows train each refit, which
origins it forecasts, with the horizon purged."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator

__all__ = ["WalkForwardSplit", "row_position", "training_rows"]


def _horizon_of(y, horizon: int | None) -> int:
    if horizon is not None:
        return horizon
    shape = () if y is None else np.shape(np.asarray(y))
    return shape[1] if len(shape) >= 2 else 1


def _index_of(X) -> pd.Index:
    index = getattr(X, "index", None)
    return index if isinstance(index, pd.Index) else pd.RangeIndex(len(X))


def training_rows(first_origin: int, horizon: int, window) -> slice:
    """The rows a refit before origin ``first_origin`` trains on: those whose ``horizon``
    targets are all known by then (the last ``horizon - 1`` rows are purged), every one of
    them (``window="expanding"``) or the last ``window``.

    Examples
    --------
    >>> from sklearn_vix.model_selection._split import training_rows
    >>> training_rows(100, 3, "expanding"), training_rows(100, 3, 50)
    (slice(0, 98, None), slice(48, 98, None))
    """
    stop = first_origin - horizon + 1  # exclusive: rows whose targets are known
    return slice(0 if window == "expanding" else max(0, stop - window), stop)


def row_position(index: pd.Index, value, name: str) -> int:
    """The row of ``value``: a row position (negative counts from the end), or the first row
    whose label is on or after ``value`` (a date for a ``DatetimeIndex``)."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value) if value >= 0 else len(index) + int(value)
    if isinstance(index, pd.DatetimeIndex):
        try:
            value = pd.Timestamp(value)
        except (TypeError, ValueError) as error:
            example = str(index[len(index) // 2].date()) if len(index) else "2020-01-02"
            raise ValueError(
                f"{name}={value!r} is neither a row position (int) nor a date: pass a date "
                f"such as {example!r} or a row position."
            ) from error
        if value.tz is None and index.tz is not None:
            value = value.tz_localize(index.tz)
    try:
        return int(index.searchsorted(value, side="left"))
    except TypeError as error:
        raise ValueError(
            f"{name}={value!r} cannot be compared with the index of X ({index.dtype}): "
            "pass a row position (int) or a label of the index."
        ) from error


class WalkForwardSplit(BaseCrossValidator):
    """Walk-forward refits in scikit-learn's cross-validation protocol.

    The forecast origins run from ``start`` to ``end``, one every ``stride`` rows. Every
    ``refit_every`` rows the model is refitted on the rows whose ``horizon`` targets are
    all known by the refit's first origin ``t`` (rows ``j <= t - horizon``: the last
    ``horizon - 1`` rows before the origin are purged), from the first row
    (``window="expanding"``) or the last ``window`` of them. Each split is one refit:
    its training rows and the origins it forecasts.

    :func:`~sklearn_vix.model_selection.backtest` walks this schedule; ``cross_validate``
    and ``GridSearchCV`` accept it as ``cv=`` (they predict each split's origins in one
    table, whose first windows are padded unless the horizon is 1: the backtest completes
    them from the rows before). :meth:`schedule` previews it as a table before anything
    runs, as skforecast's ``TimeSeriesFold.split(as_pandas=True)`` does.

    Parameters
    ----------
    start : int or index label
        First origin: a row position (negative counts from the end) or a label of the
        index, such as a date; the first row on or after it.
    end : int, index label or None, default=None
        Last origin, included; the last row when None.
    stride : int, default=1
        Forecast every ``stride``-th origin (Darts' ``stride``).
    refit_every : int, default=22
        Rows between two refits (22 sessions: about a month).
    window : "expanding" or int, default="expanding"
        Train on every known row, or on the last ``window`` of them.
    horizon : int or None, default=None
        Steps of each forecast, whose targets are purged from training; None takes the
        number of columns of ``y`` (1 for a 1-D ``y`` or none).

    See Also
    --------
    sklearn_vix.model_selection.backtest : Runs the schedule.
    sklearn.model_selection.TimeSeriesSplit : Folds of equal size.

    Examples
    --------
    >>> from sklearn_vix.datasets import load_vix, make_supervised
    >>> from sklearn_vix.model_selection import WalkForwardSplit
    >>> X, y = make_supervised(load_vix()[["vix"]].loc["2023"], horizon=2)
    >>> cv = WalkForwardSplit(start="2023-11-01", refit_every=22)
    >>> cv.schedule(X, y)[["train_end", "first_origin", "last_origin", "n_origins"]]
           train_end first_origin last_origin  n_origins
    refit
    0     2023-10-30   2023-11-01  2023-12-01         22
    1     2023-11-30   2023-12-04  2023-12-27         17
    >>> train, test = next(cv.split(X, y))
    >>> int(train[-1]), int(test[0])
    (207, 209)
    """

    def __init__(
        self,
        start,
        *,
        end=None,
        stride: int = 1,
        refit_every: int = 22,
        window: str | int = "expanding",
        horizon: int | None = None,
    ):
        self.start = start
        self.end = end
        self.stride = stride
        self.refit_every = refit_every
        self.window = window
        self.horizon = horizon

    def _check_parameters(self) -> None:
        for name in ("stride", "refit_every"):
            value = getattr(self, name)
            if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a whole number of rows >= 1, got {value!r}.")
        window = self.window
        if window != "expanding" and (
            not isinstance(window, Integral) or isinstance(window, bool) or window < 1
        ):
            raise ValueError(
                f"window must be 'expanding' or a number of rows >= 1, got {window!r}."
            )
        horizon = self.horizon
        if horizon is not None and (not isinstance(horizon, Integral) or horizon < 1):
            raise ValueError(f"horizon must be a whole number >= 1 or None, got {horizon!r}.")

    def blocks(self, X, y=None) -> list[tuple[int, slice, np.ndarray]]:
        """The refits: ``(number, training rows, origin positions)`` for each.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The rows; only their number and index are read.
        y : array-like, default=None
            The targets; only their number of columns is read, when ``horizon=None``.

        Returns
        -------
        blocks : list of tuple
            The refit's number, its training rows (a slice) and the origins it forecasts
            (positions, increasing).
        """
        self._check_parameters()
        index = _index_of(X)
        n, horizon = len(index), _horizon_of(y, self.horizon)
        first = row_position(index, self.start, "start")
        last = n - 1 if self.end is None else row_position(index, self.end, "end")
        if self.end is not None and not isinstance(self.end, Integral):
            # A label: the last row on or before it (the last row for a later date).
            last = (
                n - 1
                if last >= n
                else last - int(not bool(index[last] == self._as_label(index, self.end)))
            )
        if not 0 <= first < n:
            raise ValueError(
                f"start={self.start!r} is "
                + (
                    f"after the data, whose last origin is {index[-1]!r} (row {n - 1}): "
                    "pass an earlier start."
                    if first >= n
                    else "before the first row of X."
                )
            )
        if not first <= last < n:
            raise ValueError(
                f"end={self.end!r} (row {last}) is not between start (row {first}) and the "
                f"last row of X (row {n - 1})."
            )
        if training_rows(first, horizon, self.window).stop < 1:
            raise ValueError(
                f"start={self.start!r} (row {first}) leaves no training row whose "
                f"{horizon}-step targets are known: start at row {horizon} or later."
            )
        blocks = []
        for block_start in range(first, last + 1, self.refit_every):
            rows = np.arange(block_start, min(block_start + self.refit_every, last + 1))
            origins = rows[(rows - first) % self.stride == 0]
            if len(origins):
                blocks.append((training_rows(block_start, horizon, self.window), origins))
        return [(number, train, origins) for number, (train, origins) in enumerate(blocks)]

    @staticmethod
    def _as_label(index: pd.Index, value):
        if isinstance(index, pd.DatetimeIndex):
            value = pd.Timestamp(value)
            return value.tz_localize(index.tz) if value.tz is None and index.tz else value
        return value

    def split(self, X, y=None, groups=None):
        """Training rows and forecast origins of each refit, as position arrays.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like, default=None
            Its number of columns is the horizon when ``horizon=None``.
        groups : None
            Ignored.

        Yields
        ------
        train : ndarray
            Positions of the training rows.
        test : ndarray
            Positions of the origins this refit forecasts.
        """
        for _, train, origins in self.blocks(X, y):
            yield np.arange(train.start, train.stop), origins

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """Number of refits.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Needed: the schedule depends on the rows.
        y : array-like, default=None
        groups : None
            Ignored.

        Returns
        -------
        n_splits : int
        """
        if X is None:
            raise ValueError("WalkForwardSplit.get_n_splits needs X: the refits depend on it.")
        return len(self.blocks(X, y))

    def schedule(self, X, y=None) -> pd.DataFrame:
        """The schedule as a table, one row per refit, before anything is fitted.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like, default=None

        Returns
        -------
        table : DataFrame
            Indexed by ``refit``: ``train_start`` and ``train_end`` (labels of the first and
            last training rows), ``n_train``, ``first_origin``, ``last_origin`` and
            ``n_origins``.
        """
        index = _index_of(X)
        rows = [
            {
                "train_start": index[train.start],
                "train_end": index[train.stop - 1],
                "n_train": train.stop - train.start,
                "first_origin": index[origins[0]],
                "last_origin": index[origins[-1]],
                "n_origins": len(origins),
            }
            for _, train, origins in self.blocks(X, y)
        ]
        return pd.DataFrame(rows, index=pd.RangeIndex(len(rows), name="refit"))
