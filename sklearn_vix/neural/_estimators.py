"""The forecasters: recurrent (LSTM, GRU) and feed-forward nets on the shared base."""

from __future__ import annotations

import numbers

import torch

from ._base import _ATTRIBUTES_DOC, _SHARED_DOC, _WindowNet
from ._modules import ACTIVATIONS, CELLS, FeedForwardForecaster, RecurrentForecaster

__all__ = ["FeedForwardRegressor", "GRURegressor", "LSTMRegressor", "RecurrentRegressor"]


class RecurrentRegressor(_WindowNet):
    __doc__ = (
        """Recurrent network (LSTM or GRU) forecaster, a skorch ``NeuralNetRegressor``.

    Reads each window as a sequence of ``lookback`` steps with all its columns per step,
    and forecasts one value or one per step of a multi-day horizon. The cell type is a
    parameter, so a grid search can compare LSTM and GRU.

    Parameters
    ----------
    cell : {"lstm", "gru"}, default="lstm"
    hidden_size : int, default=64
    num_layers : int, default=1
    bidirectional : bool, default=False
        Read the window both ways (it holds past data only, so this is no look-ahead).
    dropout : float, default=0.0
        Between recurrent layers and after each head layer.
    head_sizes : tuple of int, default=()
        Hidden layers of a dense head on the last state (empty: one linear layer).
    head_activation : {"relu", "tanh", "gelu", "elu", "leaky_relu"}, default="relu"
"""
        + _SHARED_DOC
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    LSTMRegressor, GRURegressor : The same with ``cell`` fixed by name.
    FeedForwardRegressor : A multilayer perceptron on the same base.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_vix import RecurrentRegressor, WindowTransformer
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim()[["vix"]].iloc[:600])
    >>> net = RecurrentRegressor(cell="gru", hidden_size=8, max_epochs=2, random_state=0)
    >>> pipe = make_pipeline(WindowTransformer(5), StandardScaler(), net).fit(X, y)
    >>> pipe.predict(X.iloc[-3:]).shape
    (3,)
    """
    )

    def __init__(
        self,
        module=None,
        *,
        cell="lstm",
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        head_sizes=(),
        head_activation="relu",
        **kwargs,
    ):
        super().__init__(module, **kwargs)
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.head_sizes = head_sizes
        self.head_activation = head_activation

    def _check_module_params(self) -> None:
        _check_architecture(
            self,
            sizes={"hidden_size": self.hidden_size, "num_layers": self.num_layers},
            layers=self.head_sizes,
            layers_name="head_sizes",
            activation=("head_activation", self.head_activation),
        )
        if self.cell not in CELLS:
            raise ValueError(f"cell={self.cell!r} is not one of {sorted(CELLS)}.")

    def _build_module(self) -> torch.nn.Module:
        return RecurrentForecaster(
            self.lookback_,
            self.n_columns_,
            self.n_outputs_,
            cell=self.cell,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            head_sizes=tuple(self.head_sizes),
            head_activation=self.head_activation,
            highway=self.highway,
            init=self.init,
        )


class LSTMRegressor(RecurrentRegressor):
    """LSTM forecaster: :class:`RecurrentRegressor` with ``cell="lstm"``.

    See :class:`RecurrentRegressor` for every parameter.

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
    >>> pipe.set_output(transform="pandas").fit(X, y).predict(X.iloc[-2:]).shape
    (2, 5)
    >>> pipe[-1].lookback_, pipe[-1].n_columns_
    (10, 3)
    """

    def __init__(self, module=None, *, cell="lstm", **kwargs):
        super().__init__(module, cell=cell, **kwargs)


class GRURegressor(RecurrentRegressor):
    """GRU forecaster: :class:`RecurrentRegressor` with ``cell="gru"``.

    See :class:`RecurrentRegressor` for every parameter.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix import GRURegressor
    >>> X = np.random.default_rng(0).normal(size=(200, 10))
    >>> y = X[:, 0] + 0.1
    >>> GRURegressor(hidden_size=4, max_epochs=2, random_state=0).fit(X, y).predict(X).shape
    (200,)
    """

    def __init__(self, module=None, *, cell="gru", **kwargs):
        super().__init__(module, cell=cell, **kwargs)


class FeedForwardRegressor(_WindowNet):
    __doc__ = (
        """Multilayer perceptron forecaster over the flattened window, a skorch net.

    The same base as the recurrent nets (devices, early stopping, seeds, speed), so a grid
    search compares feed-forward and recurrent architectures on equal terms.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64, 32)
    activation : {"relu", "tanh", "gelu", "elu", "leaky_relu"}, default="relu"
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

    def _check_module_params(self) -> None:
        _check_architecture(
            self,
            sizes={},
            layers=self.hidden_layer_sizes,
            layers_name="hidden_layer_sizes",
            activation=("activation", self.activation),
        )

    def _build_module(self) -> torch.nn.Module:
        return FeedForwardForecaster(
            self.lookback_,
            self.n_columns_,
            self.n_outputs_,
            hidden_layer_sizes=tuple(self.hidden_layer_sizes),
            activation=self.activation,
            dropout=self.dropout,
            batch_norm=self.batch_norm,
            highway=self.highway,
            init=self.init,
        )


def _check_architecture(net, sizes: dict, layers, layers_name: str, activation) -> None:
    for name, value in sizes.items():
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if not all(isinstance(s, numbers.Integral) and s >= 1 for s in layers):
        raise ValueError(f"{layers_name} must be a tuple of positive integers, got {layers!r}.")
    if not (isinstance(net.dropout, numbers.Real) and 0 <= net.dropout < 1):
        raise ValueError(f"dropout must be in [0, 1), got {net.dropout!r}.")
    name, value = activation
    if value not in ACTIVATIONS:
        raise ValueError(f"{name}={value!r} is not one of {sorted(ACTIVATIONS)}.")
