"""PyTorch modules that map a window of past days to a forecast (no sklearn here).

Every module takes a batch of windows shaped ``(batch, lookback, n_columns)``, oldest
step first, and returns ``(batch, n_outputs)``. A module built with
``known_shape=(horizon, n_known)`` is called as ``module(window, known)``, where
``known`` ``(batch, horizon, n_known)`` holds the known-future features of the target
sessions (the calendar), step 1 first. Step k's features reach step k's outputs only,
through a weight vector per output beside the network: the calendar of another session
says nothing about this one, so it gets no path to its forecast, and a calendar that
carries nothing (the simulator's) costs what it costs a linear model, no more
(``benchmarks/bench_net_calendar.py`` compares this with feeding every step's calendar
to the hidden state and the highway, as the nets did before: the same within 0.05 %).

An optional linear "highway" over the flattened window is added to the network's output
(the autoregressive component of LSTNet, Lai et al. 2018): on a near-random-walk series
it carries the linear forecast, and the network learns what the linear model misses. The
estimator sets it and the known-future weights to their joint least-squares solution
(:meth:`_Forecaster.fit_highway`) before training.
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


def per_step(known: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Output j's term ``known[:, k] @ weight[j]``, where k is output j's forecast step.

    ``known`` is ``(batch, horizon, n_known)``; ``weight`` is ``(n_outputs, n_known)``
    with ``n_outputs`` a multiple of the horizon, outputs step-major (the quantiles of
    step 1, then of step 2).
    """
    steps = known.repeat_interleave(len(weight) // known.shape[1], dim=1)
    return (steps * weight).sum(dim=-1)


def least_squares(design: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Coefficients of ``target`` on ``design`` and an intercept (last), in float64.

    PyTorch's QR solver (``gelsy``): it follows the net's thread setting, where NumPy's
    SVD solver spread over every core and cost more than an epoch on a busy machine.
    """
    design = design.double()
    design = torch.cat([design, torch.ones(len(design), 1, dtype=design.dtype)], dim=1)
    # The inputs were float32: directions below that precision are rank deficiency (the
    # one-hot weekdays of the calendar sum to the intercept), not signal to fit.
    return torch.linalg.lstsq(design, target.double(), rcond=1e-6, driver="gelsy").solution


class _Forecaster(nn.Module):
    """Shared output: a linear layer on the network's features, the highway, and the
    known-future features of each step, which reach that step's outputs only."""

    def __init__(
        self,
        n_features: int,
        lookback: int,
        n_columns: int,
        n_outputs: int,
        highway,
        known_shape: tuple[int, int] | None = None,
    ):
        super().__init__()
        self.lookback, self.n_columns = lookback, n_columns
        self.known_shape = None if known_shape is None else tuple(known_shape)
        if self.known_shape is not None and n_outputs % self.known_shape[0]:
            raise ValueError(
                f"known_shape={self.known_shape} has {self.known_shape[0]} forecast steps, "
                f"which do not divide the module's {n_outputs} outputs."
            )
        self.output = nn.Linear(n_features, n_outputs)
        # The highway is the linear model of the window.
        self.highway = nn.Linear(lookback * n_columns, n_outputs) if highway else None
        # Step k's calendar is about target k alone: a weight vector per output on its
        # own step's features, so the calendar of other sessions (noise for this one)
        # cannot enter its forecast.
        self.known_weight = (
            None
            if self.known_shape is None
            else nn.Parameter(torch.zeros(n_outputs, self.known_shape[1]))
        )

    def _finish(self, init: str) -> None:
        initialize_weights(self, init)
        if self.known_weight is not None:
            nn.init.zeros_(self.known_weight)
        if self.highway is not None:
            # Start exactly at the highway's (linear) forecast; the estimator sets the
            # highway to the least-squares solution before training.
            nn.init.zeros_(self.output.weight)
            nn.init.zeros_(self.output.bias)

    def _combine(
        self, features: torch.Tensor, window: torch.Tensor, known: torch.Tensor | None
    ) -> torch.Tensor:
        out = self.output(features)
        if self.highway is not None:
            out = out + self.highway(window.flatten(1))
        if self.known_weight is not None:
            out = out + per_step(known, self.known_weight)
        return out

    def fit_highway(
        self,
        window: torch.Tensor,
        known: torch.Tensor | None,
        targets: torch.Tensor,
        log_scale: bool = False,
    ) -> None:
        """Set the highway and the known-future weights to the least-squares forecast.

        Step k's outputs are regressed on the flattened window and step k's known
        features; every output of a step (its quantiles) starts at the same forecast.
        Without a highway this does nothing: the known-future weights start at zero.

        Parameters
        ----------
        window : torch.Tensor of shape (n_samples, lookback, n_columns)
        known : torch.Tensor of shape (n_samples, horizon, n_known) or None
        targets : torch.Tensor of shape (n_samples, horizon)
        log_scale : bool, default=False
            Each step's last output is the log of the forecast's standard deviation (a
            Gaussian head), not a forecast of the target: its highway weights start at
            zero (its known-future ones stay at zero) and its bias at the log of the
            least-squares residuals' root mean square, so that the net starts at the
            linear Gaussian model's maximum likelihood.
        """
        if self.highway is None:
            return
        flat = window.flatten(1)
        n_window, horizon = flat.shape[1], targets.shape[1]
        per_output = len(self.highway.bias) // horizon
        located = per_output - 1 if log_scale else per_output
        with torch.no_grad():
            for step in range(horizon):
                design = flat if known is None else torch.cat([flat, known[:, step]], dim=1)
                target = targets[:, step : step + 1]
                solution = least_squares(design, target)[:, 0]
                outputs = slice(step * per_output, step * per_output + located)
                self.highway.weight[outputs] = solution[:n_window].float()
                self.highway.bias[outputs] = solution[-1].float()
                if known is not None:
                    self.known_weight[outputs] = solution[n_window:-1].float()
                if log_scale:
                    fitted = design.double() @ solution[:-1] + solution[-1]
                    rms = (target[:, 0].double() - fitted).square().mean().sqrt()
                    scale_output = step * per_output + located
                    self.highway.weight[scale_output] = 0.0
                    # Floored: a perfect linear fit must not start the scale at -inf.
                    self.highway.bias[scale_output] = torch.log(rms.clamp_min(1e-3)).float()


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
    known_shape : (int, int) or None, default=None
        ``(horizon, n_known)``: ``forward`` also takes the known-future features of the
        target sessions (the calendar), ``n_known`` per forecast step; step k's reach
        step k's outputs only, through a linear term beside the head.
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
        known_shape: tuple[int, int] | None = None,
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
            hidden_size * directions, head_sizes, head_activation, dropout, False
        )
        super().__init__(n_features, lookback, n_columns, n_outputs, highway, known_shape)
        self.rnn = rnn
        self.head = head
        self.hidden_size = hidden_size
        self._finish(init)

    def forward(self, window: torch.Tensor, known: torch.Tensor | None = None) -> torch.Tensor:
        # cuDNN wants its weights in one block again after a load or an unpickle.
        self.rnn.flatten_parameters()
        steps, _ = self.rnn(window)
        # The forward direction's state after the newest step; the backward direction
        # ends on the oldest step.
        last = steps[:, -1, : self.hidden_size]
        if self.rnn.bidirectional:
            last = torch.cat([last, steps[:, 0, self.hidden_size :]], dim=1)
        return self._combine(self.head(last), window, known)


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
    known_shape : (int, int) or None, default=None
        ``(horizon, n_known)``: ``forward`` also takes the known-future features of the
        target sessions, ``n_known`` per forecast step; step k's reach step k's outputs
        only, through a linear term beside the network (not through its layers).
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
        known_shape: tuple[int, int] | None = None,
    ):
        body, n_features = _dense_stack(
            lookback * n_columns, hidden_layer_sizes, activation, dropout, batch_norm
        )
        super().__init__(n_features, lookback, n_columns, n_outputs, highway, known_shape)
        self.body = body
        self._finish(init)

    def forward(self, window: torch.Tensor, known: torch.Tensor | None = None) -> torch.Tensor:
        return self._combine(self.body(window.flatten(1)), window, known)
