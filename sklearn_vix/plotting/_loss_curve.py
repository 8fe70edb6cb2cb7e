"""LossCurveDisplay: a fitted net's training and validation loss per epoch."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..model_selection._warm import find_net
from ._base import _axes

__all__ = ["LossCurveDisplay"]


def _find_net(estimator):
    """The fitted skorch net inside an estimator, a Pipeline, a fitted search or wrapper
    (:func:`~sklearn_vix.model_selection._warm.find_net`), or a TypeError. An unfitted
    estimator is a ``NotFittedError``, as for every Display's ``from_estimator``."""
    check_is_fitted(estimator)
    estimator = find_net(estimator) or estimator
    if not hasattr(estimator, "history_") or estimator.history_ is None:
        raise TypeError(
            f"{type(estimator).__name__} has no training history: pass a fitted network "
            "(LSTMRegressor, GRURegressor, FeedForwardRegressor), a Pipeline ending in one, "
            "or a fitted search or wrapper (make_forecaster, ConformalForecaster) holding one."
        )
    return estimator


class LossCurveDisplay:
    """Training and validation loss per epoch of a fitted network, best epoch marked.

    Parameters
    ----------
    train_loss, valid_loss : array-like
        Loss per epoch (``valid_loss`` may be None).
    best_epoch : int or None
        The epoch whose weights early stopping kept (0: the untrained net).

    Attributes
    ----------
    train_line_, valid_line_ : Line2D
    best_line_ : Line2D or None
        Vertical line at the best epoch.
    ax_ : Axes
    figure_ : Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_vix import GRURegressor
    >>> from sklearn_vix.plotting import LossCurveDisplay
    >>> X = np.random.default_rng(0).normal(size=(300, 5))
    >>> net = GRURegressor(n_columns=1, hidden_size=4, max_epochs=3, random_state=0)
    >>> net = net.fit(X, X[:, 0])
    >>> len(LossCurveDisplay.from_estimator(net).train_line_.get_ydata())
    3
    """

    def __init__(self, *, train_loss, valid_loss=None, best_epoch=None):
        self.train_loss = train_loss
        self.valid_loss = valid_loss
        self.best_epoch = best_epoch

    def plot(self, ax=None, *, name=None, **kwargs) -> LossCurveDisplay:
        """Draw the curves and the kept epoch.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Name of the network, put in the title.
        **kwargs : dict
            Keywords for both curves' ``Axes.plot``.

        Returns
        -------
        display : LossCurveDisplay
            With ``train_line_``, ``valid_line_``, ``best_line_``, ``ax_``, ``figure_``.
        """
        ax = _axes(ax, "LossCurveDisplay.plot")
        train = np.asarray(self.train_loss, dtype=float)
        epochs = np.arange(1, len(train) + 1)
        style = {"marker": ".", **kwargs}
        self.train_line_ = ax.plot(epochs, train, label="train", **style)[0]
        self.valid_line_ = None
        if self.valid_loss is not None:
            valid = np.asarray(self.valid_loss, dtype=float)
            self.valid_line_ = ax.plot(epochs, valid, label="validation", **style)[0]
        self.best_line_ = None
        if self.best_epoch is not None:
            label = "kept: untrained start" if self.best_epoch == 0 else "kept (early stopping)"
            self.best_line_ = ax.axvline(self.best_epoch, color="grey", ls="--", label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss (standardized target)")
        ax.set_title(f"Loss per epoch{f' of {name}' if name else ''}")
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, name=None, ax=None, **kwargs) -> LossCurveDisplay:
        """Plot the history of a fitted net, a Pipeline ending in one, or a fitted search.

        Parameters
        ----------
        estimator : fitted estimator
            A fitted LSTMRegressor, GRURegressor or FeedForwardRegressor, a Pipeline
            ending in one, or a fitted search whose best estimator is one.
        name : str, default=None
            Name of the network, put in the title.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keywords for the curves' ``Axes.plot``.

        Returns
        -------
        display : LossCurveDisplay
        """
        net = _find_net(estimator)
        history = net.history_
        valid = history[:, "valid_loss"] if "valid_loss" in history[-1] else None
        early_stopping = dict(getattr(net, "callbacks_", [])).get("early_stopping")
        best = getattr(early_stopping, "best_epoch_", None)
        display = cls(train_loss=history[:, "train_loss"], valid_loss=valid, best_epoch=best)
        return display.plot(ax=ax, name=name, **kwargs)
