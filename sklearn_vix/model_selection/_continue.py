"""The walk of :func:`backtest` continued by the rows that arrived since: one evening of a
model in production (``sklearn-vix update``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._backtest import _fit, _online, _predict_block, _Settings, _warm
from ._split import training_rows


class ContinuedWalk(NamedTuple):
    """What :func:`continue_walk` returns.

    Attributes
    ----------
    estimator : estimator
        The model at the last row: refitted on the schedule, with every known outcome
        given to its online intervals.
    forecast : ndarray of shape (horizon,)
        The forecast from the last row.
    bounds : ndarray of shape (horizon, 2) or None
        Its interval (None for a model without one).
    refits : list of int
        The rows the model was refitted at.
    last_refit : int
        The row of the latest refit (``last_refit`` given when there was none).
    """

    estimator: object
    forecast: np.ndarray
    bounds: np.ndarray | None
    refits: list
    last_refit: int


def _feed(model, X, y, seen: int, until: int):
    """Give an online model the rows after ``seen`` up to ``until`` one row at a time, each
    with the outcomes known on its day, as production would have; the forecast and bounds
    of ``until``.

    One call per row, not one for the rows together: a table of consecutive weekdays is
    continued by the next session, and one row at a time keeps every evening's state
    exactly the one production had.
    """
    result = None
    if _online(model):
        for row in range(seen + 1, until + 1):
            # The pending rows again, with the outcomes known since.
            first = row - len(model.online_state_.pending)
            result = _predict_block(model, X, y, first, np.array([row]))[:2]
    return result


def continue_walk(
    estimator, X, y, *, last_refit: int, seen: int, refit_every: int = 22, warm_epochs: int = 3
) -> ContinuedWalk:
    """Continue a walk-forward model to the last row of ``X``, as :func:`backtest` would.

    The model was fitted at row ``last_refit`` (on the rows whose targets were known
    there) and has forecast the rows up to ``seen``. Each later row's outcomes reach its
    online intervals on the day they are known (step ``k`` of row ``t`` on row
    ``t + k``), the model is refitted every ``refit_every`` rows after ``last_refit`` on
    every row whose targets are known (warm for a bare net, for at most ``warm_epochs``),
    keeping what its intervals learnt, and the last row is forecast. Continued one row at
    a time, a model issues the forecasts of ``backtest(estimator, X, y, start=...,
    refit_every=refit_every, warm_epochs=warm_epochs, carry_online_state=True)``.

    Parameters
    ----------
    estimator : estimator
        The fitted model; it is changed in place by its updates, and replaced by a
        refitted one at each refit.
    X : DataFrame
        Every row to the last one, which is forecast.
    y : Series or DataFrame
        The targets of the rows of ``X``, NaN where a session has not come yet.
    last_refit : int
        Position of the row the model was last fitted at.
    seen : int
        Position of the last row the model has forecast (``last_refit - horizon`` right
        after a fit: the rows whose targets were known then).
    refit_every : int, default=22
        Rows between refits.
    warm_epochs : int, default=3
        Epochs of a bare net's warm refit.

    Returns
    -------
    walk : ContinuedWalk

    See Also
    --------
    backtest : The whole walk at once.

    Examples
    --------
    >>> from sklearn_vix import ConformalForecaster, HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> from sklearn_vix.model_selection import continue_walk
    >>> X, y = make_supervised(load_vix_sim().iloc[:700][["vix"]])
    >>> model = ConformalForecaster(HARRegressor(log=True)).fit(X.iloc[:600], y.iloc[:600])
    >>> walk = continue_walk(model, X, y, last_refit=600, seen=599, refit_every=50)
    >>> walk.refits, walk.bounds.shape
    ([650], (1, 2))
    """
    if not 0 <= seen < len(X) - 1:
        raise ValueError(
            f"seen={seen} must be a row of X before its last ({len(X) - 1}): the walk "
            "continues by the rows after it"
        )
    horizon = 1 if y.ndim == 1 else y.shape[1]
    settings = _Settings(
        warm=_warm(estimator, True),
        warm_epochs=warm_epochs,
        carry_online_state=hasattr(estimator, "update"),
        check_causality=False,
        return_estimator=False,
    )
    model, now, refits = estimator, len(X) - 1, []
    for refit in range(last_refit + refit_every, now + 1, refit_every):
        # The outcomes known before the refit day, as the old model would have had them.
        _feed(model, X, y, seen, refit - 1)
        model, _, _ = _fit(model, model, X, y, training_rows(refit, horizon, "expanding"), settings)
        refits.append(refit)
        last_refit, seen = refit, refit - horizon
    if _online(model):
        forecast, bounds = _feed(model, X, y, seen, now)
    else:
        first = last_refit - horizon + 1
        forecast, bounds, _ = _predict_block(model, X, y, first, np.array([now]))
    bounds = None if bounds is None else np.asarray(bounds)[-1]
    return ContinuedWalk(model, np.asarray(forecast)[-1], bounds, refits, last_refit)
