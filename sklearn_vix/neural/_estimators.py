"""The forecasters: recurrent (LSTM, GRU) and feed-forward nets on the shared base."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import torch

from .._compat import Interval, StrOptions
from ._base import _POSITIVE_INT, _WindowNet
from ._docs import _ATTRIBUTES_DOC, _MODULE_DOC, _SHARED_DOC
from ._modules import ACTIVATIONS, CELLS, FeedForwardForecaster, RecurrentForecaster

__all__ = ["FeedForwardRegressor", "GRURegressor", "LSTMRegressor", "RecurrentRegressor"]


def _check_sizes(name: str, sizes) -> None:
    # sklearn's constraints say "array-like"; the elements are checked here, as
    # MLPRegressor checks hidden_layer_sizes.
    if not all(isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in sizes):
        raise ValueError(f"{name} must be a sequence of positive integers, got {sizes!r}.")


_RECURRENT_DOC = """
    hidden_size : int, default=64
        Units of the recurrent state.
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=False
        Read the window both ways (it holds past data only, so this is no look-ahead).
    dropout : float, default=0.0
        Between recurrent layers and after each head layer.
    head_sizes : tuple of int, default=()
        Hidden layers of a dense head on the last state (empty: one linear layer).
    head_activation : {"relu", "tanh", "gelu", "elu", "leaky_relu"}, default="relu"
        Activation of the head's hidden layers.
"""

_CELL_DOC = """
    cell : {"lstm", "gru"}, default="lstm"
        The recurrent cell; a parameter, so a grid search can compare them.
"""


class _RecurrentNet(_WindowNet):
    """A recurrent net over the window's steps; the cell is fixed by the subclass."""

    _parameter_constraints: dict = {
        **_WindowNet._parameter_constraints,
        "hidden_size": [_POSITIVE_INT],
        "num_layers": [_POSITIVE_INT],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "head_sizes": ["array-like"],
        "head_activation": [StrOptions(set(ACTIVATIONS))],
    }
    _cell = "lstm"

    def __init__(
        self,
        module=None,
        *,
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        head_sizes=(),
        head_activation="relu",
        **kwargs,
    ):
        if "cell" in kwargs:
            # skorch would store an unknown keyword as a parameter; a named class must
            # not be turned into the other.
            raise TypeError(
                f"{type(self).__name__} has no 'cell' parameter: it is the "
                f"{self._cell.upper()} net. Use RecurrentRegressor(cell=...) to choose the "
                "cell."
            )
        super().__init__(module, **kwargs)
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.head_sizes = head_sizes
        self.head_activation = head_activation

    def _check_param_values(self) -> None:
        super()._check_param_values()
        _check_sizes("head_sizes", np.ravel(self.head_sizes).tolist())

    def _build_module(self, n_outputs: int) -> torch.nn.Module:
        return RecurrentForecaster(
            self.lookback_,
            self.n_columns_,
            n_outputs,
            cell=self._cell,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            head_sizes=tuple(self.head_sizes),
            head_activation=self.head_activation,
            highway=self.highway,
            init=self.init,
            known_shape=self._known_shape(),
        )


class RecurrentRegressor(_RecurrentNet):
    __doc__ = (
        """Recurrent network (LSTM or GRU) forecaster, a skorch ``NeuralNetRegressor``.

    Reads each window as a sequence of ``lookback`` steps with all its columns per step,
    and forecasts one value or one per step of a multi-day horizon. The cell type is a
    parameter, so a grid search can compare LSTM and GRU.

    Parameters
    ----------"""
        + _MODULE_DOC
        + _CELL_DOC
        + _RECURRENT_DOC
        + _SHARED_DOC
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    LSTMRegressor, GRURegressor : The same with the cell fixed by name.
    FeedForwardRegressor : A multilayer perceptron on the same base.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_vix import RecurrentRegressor, WindowTransformer
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim()[["vix"]].iloc[:600])
    >>> net = RecurrentRegressor(cell="gru", hidden_size=8, max_epochs=2, random_state=0)
    >>> pipe = make_pipeline(WindowTransformer(5), StandardScaler(), net)
    >>> pipe.fit(X, y).predict(X).shape
    (599,)
    >>> net.lookback_, net.n_columns_
    (5, 1)
    """
    )

    _parameter_constraints: dict = {
        **_RecurrentNet._parameter_constraints,
        "cell": [StrOptions(set(CELLS))],
    }

    def __init__(self, module=None, *, cell="lstm", **kwargs):
        super().__init__(module, **kwargs)
        self.cell = cell

    @property
    def _cell(self) -> str:
        return self.cell


class LSTMRegressor(_RecurrentNet):
    __doc__ = (
        """LSTM forecaster, a skorch ``NeuralNetRegressor``.

    :class:`RecurrentRegressor` with the LSTM cell: reads each window as a sequence of
    ``lookback`` steps with all its columns per step, and forecasts one value or one per
    step of a multi-day horizon.

    Parameters
    ----------"""
        + _MODULE_DOC
        + _RECURRENT_DOC
        + _SHARED_DOC
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    GRURegressor : The same with a GRU cell.
    RecurrentRegressor : The cell as a parameter, for grid searches.

    Examples
    --------
    >>> from sklearn.pipeline import Pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_vix import LSTMRegressor, WindowTransformer
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim().iloc[:600], horizon=5)
    >>> pipe = Pipeline([("window", WindowTransformer(lookback=10)),
    ...                  ("scale", StandardScaler()),
    ...                  ("model", LSTMRegressor(hidden_size=8, max_epochs=2,
    ...                                          random_state=0))])
    >>> pipe.fit(X, y).predict(X).shape
    (595, 5)

    The StandardScaler hands the net plain NumPy windows; the net finds their layout,
    10 steps of the simulator's 3 series, from the rows themselves:

    >>> pipe[-1].lookback_, pipe[-1].n_columns_
    (10, 3)
    """
    )
    _cell = "lstm"


class GRURegressor(_RecurrentNet):
    __doc__ = (
        """GRU forecaster, a skorch ``NeuralNetRegressor``.

    :class:`RecurrentRegressor` with the GRU cell: reads each window as a sequence of
    ``lookback`` steps with all its columns per step, and forecasts one value or one per
    step of a multi-day horizon.

    Parameters
    ----------"""
        + _MODULE_DOC
        + _RECURRENT_DOC
        + _SHARED_DOC
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    LSTMRegressor : The same with an LSTM cell.
    RecurrentRegressor : The cell as a parameter, for grid searches.

    Examples
    --------
    Windows that are not in a table's row order say how many series each step holds
    with ``n_columns`` (here one: ten days of one series, rows shuffled):

    >>> import numpy as np
    >>> from sklearn_vix import GRURegressor, WindowTransformer
    >>> series = np.random.default_rng(0).normal(size=(200, 1)).cumsum(axis=0)
    >>> X = np.random.default_rng(1).permutation(WindowTransformer(10).fit_transform(series))
    >>> net = GRURegressor(n_columns=1, hidden_size=4, max_epochs=2, random_state=0)
    >>> net.fit(X, X[:, 0]).predict(X).shape
    (200,)
    >>> net.lookback_, net.n_columns_
    (10, 1)
    """
    )
    _cell = "gru"


class FeedForwardRegressor(_WindowNet):
    __doc__ = (
        """Multilayer perceptron forecaster over the flattened window, a skorch net.

    The same base as the recurrent nets (devices, early stopping, seeds, speed), so a grid
    search compares feed-forward and recurrent architectures on equal terms. The split
    of a window into steps does not change an MLP, so 2-D NumPy windows need no
    ``n_columns``.

    Parameters
    ----------"""
        + _MODULE_DOC
        + """
    hidden_layer_sizes : tuple of int, default=(64, 32)
        Units of each hidden layer.
    activation : {"relu", "tanh", "gelu", "elu", "leaky_relu"}, default="relu"
        Activation of the hidden layers.
    dropout : float, default=0.0
        After each hidden layer.
    batch_norm : bool, default=False
        Batch normalisation after each hidden linear layer.
"""
        + _SHARED_DOC
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    RecurrentRegressor : LSTM or GRU over the window's steps.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix import FeedForwardRegressor
    >>> X = np.random.default_rng(0).normal(size=(200, 6))
    >>> net = FeedForwardRegressor(hidden_layer_sizes=(8,), init="he", max_epochs=2,
    ...                            random_state=0)
    >>> net.fit(X, X[:, :2]).predict(X).shape
    (200, 2)
    """
    )

    _parameter_constraints: dict = {
        **_WindowNet._parameter_constraints,
        "hidden_layer_sizes": ["array-like"],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
    }
    _layout_matters = False

    def __init__(
        self,
        module=None,
        *,
        hidden_layer_sizes=(64, 32),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        **kwargs,
    ):
        super().__init__(module, **kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm

    def _check_param_values(self) -> None:
        super()._check_param_values()
        _check_sizes("hidden_layer_sizes", np.ravel(self.hidden_layer_sizes).tolist())

    def _build_module(self, n_outputs: int) -> torch.nn.Module:
        return FeedForwardForecaster(
            self.lookback_,
            self.n_columns_,
            n_outputs,
            hidden_layer_sizes=tuple(self.hidden_layer_sizes),
            activation=self.activation,
            dropout=self.dropout,
            batch_norm=self.batch_norm,
            highway=self.highway,
            init=self.init,
            known_shape=self._known_shape(),
        )
