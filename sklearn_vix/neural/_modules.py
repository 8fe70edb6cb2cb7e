"""PyTorch modules that map a window of past days to a forecast (no sklearn here).

Every module takes a batch of windows shaped ``(batch, lookback, n_columns)``, oldest
step first, and returns ``(batch, n_outputs)``. A module built with ``n_known > 0`` takes
flat rows instead: the window flattened, then ``n_known`` known-future features of the
target sessions (the calendar), which join the network's features before the output.

An optional linear "highway" over the flattened window (and the known-future features)
is added to the network's output (the autoregressive component of LSTNet, Lai et al.
2018): on a near-random-walk series it carries the linear forecast, and the network
learns what the linear model misses.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "gelu": nn.GELU,
    "elu": nn.ELU,
    "leaky_relu": nn.LeakyReLU,
}
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}
INITS = ("default", "xavier", "he", "orthogonal")


def _dense_stack(
    n_in: int,
    sizes: Sequence[int],
    activation: str,
    dropout: float,
    batch_norm: bool,
) -> tuple[nn.Sequential, int]:
    layers: list[nn.Module] = []
    for size in sizes:
        layers.append(nn.Linear(n_in, size))
        if batch_norm:
            layers.append(nn.BatchNorm1d(size))
        layers.append(ACTIVATIONS[activation]())
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        n_in = size
    return nn.Sequential(*layers), n_in


def initialize_weights(module: nn.Module, scheme: str) -> None:
    """Initialise every weight matrix with ``scheme``; biases start at zero."""
    if scheme == "default":
        return
    for name, parameter in module.named_parameters():
        if parameter.ndim < 2:
            if "bias" in name:
                nn.init.zeros_(parameter)
            continue
        if scheme == "xavier":
            nn.init.xavier_uniform_(parameter)
        elif scheme == "he":
            nn.init.kaiming_uniform_(parameter, nonlinearity="relu")
        else:
            nn.init.orthogonal_(parameter)


class _Forecaster(nn.Module):
    """Shared output: a linear layer on the network's features, plus the highway."""

    def __init__(
        self,
        n_features: int,
        lookback: int,
        n_columns: int,
        n_outputs: int,
        highway,
        n_known: int = 0,
    ):
        super().__init__()
        self.lookback, self.n_columns, self.n_known = lookback, n_columns, n_known
        self.output = nn.Linear(n_features, n_outputs)
        # The highway is the linear model of the window and the known-future features.
        n_in = lookback * n_columns + n_known
        self.highway = nn.Linear(n_in, n_outputs) if highway else None

    def _split(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The windows as ``(batch, lookback, n_columns)`` and the known-future features."""
        if not self.n_known:
            return X, None
        n_window = self.lookback * self.n_columns
        window = X[:, :n_window].reshape(len(X), self.lookback, self.n_columns)
        return window, X[:, n_window:]

    def _finish(self, init: str) -> None:
        initialize_weights(self, init)
        if self.highway is not None:
            # Start exactly at the highway's (linear) forecast; the estimator sets the
            # highway to the least-squares solution before training.
            nn.init.zeros_(self.output.weight)
            nn.init.zeros_(self.output.bias)

    def _combine(self, features: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        out = self.output(features)
        if self.highway is not None:
            out = out + self.highway(X.flatten(1))
        return out


class RecurrentForecaster(_Forecaster):
    """LSTM or GRU over the window's steps, then a dense head on the last state.

    Parameters
    ----------
    lookback, n_columns, n_outputs : int
        Window shape and number of forecast steps.
    cell : {"lstm", "gru"}
    hidden_size, num_layers : int
    bidirectional : bool
        Read the window in both directions (all of it is past data).
    dropout : float
        Between recurrent layers and after each head layer.
    head_sizes : sequence of int
        Hidden sizes of the dense head (empty: a linear output).
    head_activation : {"relu", "tanh", "gelu", "elu", "leaky_relu"}
    highway : bool
        Add a linear map of the flattened window to the output.
    init : {"default", "xavier", "he", "orthogonal"}
    n_known : int, default=0
        Known-future features after the flattened window; they join the last hidden state
        before the head.
    """

    def __init__(
        self,
        lookback: int,
        n_columns: int,
        n_outputs: int,
        cell: str = "lstm",
        hidden_size: int = 64,
        num_layers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
        head_sizes: Sequence[int] = (),
        head_activation: str = "relu",
        highway: bool = True,
        init: str = "default",
        n_known: int = 0,
    ):
        directions = 2 if bidirectional else 1
        rnn = CELLS[cell](
            n_columns,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
            bidirectional=bidirectional,
        )
        head, n_features = _dense_stack(
            hidden_size * directions + n_known, head_sizes, head_activation, dropout, False
        )
        super().__init__(n_features, lookback, n_columns, n_outputs, highway, n_known)
        self.rnn = rnn
        self.head = head
        self.hidden_size = hidden_size
        self._finish(init)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        # cuDNN wants its weights in one block again after a load or an unpickle.
        self.rnn.flatten_parameters()
        window, known = self._split(X)
        steps, _ = self.rnn(window)
        # The forward direction's state after the newest step; the backward direction
        # ends on the oldest step.
        last = steps[:, -1, : self.hidden_size]
        if self.rnn.bidirectional:
            last = torch.cat([last, steps[:, 0, self.hidden_size :]], dim=1)
        if known is not None:
            # The target sessions' calendar is known, not a past step: it joins the state.
            last = torch.cat([last, known], dim=1)
        return self._combine(self.head(last), X)


class FeedForwardForecaster(_Forecaster):
    """Multilayer perceptron over the flattened window.

    Parameters
    ----------
    lookback, n_columns, n_outputs : int
        Window shape and number of forecast steps.
    hidden_layer_sizes : sequence of int
    activation : {"relu", "tanh", "gelu", "elu", "leaky_relu"}
    dropout : float
        After each hidden layer.
    batch_norm : bool
        Batch normalisation after each hidden linear layer.
    highway : bool
        Add a linear map of the flattened window to the output.
    init : {"default", "xavier", "he", "orthogonal"}
    n_known : int, default=0
        Known-future features after the flattened window, read with it.
    """

    def __init__(
        self,
        lookback: int,
        n_columns: int,
        n_outputs: int,
        hidden_layer_sizes: Sequence[int] = (64, 32),
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
        highway: bool = True,
        init: str = "default",
        n_known: int = 0,
    ):
        body, n_features = _dense_stack(
            lookback * n_columns + n_known, hidden_layer_sizes, activation, dropout, batch_norm
        )
        super().__init__(n_features, lookback, n_columns, n_outputs, highway, n_known)
        self.body = body
        self._finish(init)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self._combine(self.body(X.flatten(1)), X)
