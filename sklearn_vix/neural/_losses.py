"""Training losses by name: the registry behind the nets' ``criterion`` parameter."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["DISTRIBUTION_LOSSES", "LOSSES", "GaussianNLLLoss", "PinballLoss"]


class PinballLoss(nn.Module):
    """Mean pinball (quantile) loss over every forecast step and quantile.

    For quantile ``q`` and error ``e = y - f`` the loss is ``max(q * e, (q - 1) * e)``;
    its minimiser is the ``q``-quantile of ``y`` (Koenker & Bassett, 1978).

    Parameters
    ----------
    quantiles : sequence of float
        The quantiles the network's outputs stand for, in the order of its outputs.

    Examples
    --------
    >>> import torch
    >>> loss = PinballLoss((0.1, 0.9))
    >>> float(loss(torch.zeros(1, 2), torch.ones(1, 1)))  # under-forecast by 1
    0.5
    """

    def __init__(self, quantiles: Sequence[float]):
        super().__init__()
        self.register_buffer("quantiles", torch.tensor(list(quantiles), dtype=torch.float32))

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        """``y_pred`` of shape (n, steps * n_quantiles), step-major; ``y_true`` (n, steps)."""
        n_quantiles = len(self.quantiles)
        y_pred = y_pred.reshape(len(y_pred), -1, n_quantiles)
        error = y_true.reshape(len(y_true), -1, 1) - y_pred
        return torch.maximum(self.quantiles * error, (self.quantiles - 1) * error).mean()


class GaussianNLLLoss(nn.Module):
    """Mean Gaussian negative log-likelihood, the network predicting a mean and a log-scale.

    For each forecast step the network outputs a mean ``mu`` and ``s = log(sigma)``; the
    loss of target ``y`` is ``s + (y - mu)^2 / (2 exp(2 s))``, the negative
    log-likelihood of ``N(mu, sigma^2)`` less its constant ``log(2 pi) / 2``. Its
    minimiser is the conditional mean and standard deviation of ``y``. The network
    outputs ``log(sigma)`` rather than a variance (as ``torch.nn.GaussianNLLLoss``
    takes) so that any output is a valid scale and no clamping is needed.

    Examples
    --------
    >>> import torch
    >>> loss = GaussianNLLLoss()
    >>> float(loss(torch.zeros(1, 2), torch.ones(1, 1)))  # mu=0, sigma=1, y=1
    0.5
    """

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        """``y_pred`` of shape (n, steps * 2), step-major (mean, log-scale); ``y_true``
        (n, steps)."""
        y_pred = y_pred.reshape(len(y_pred), -1, 2)
        mean, log_scale = y_pred[..., 0], y_pred[..., 1]
        z = (y_true.reshape(len(y_true), -1) - mean) * torch.exp(-log_scale)
        return (log_scale + 0.5 * z**2).mean()


# The name a user passes as ``criterion=`` -> the loss class. "quantile" is built with the
# net's ``quantiles``; the others take ``criterion__*`` keyword arguments, as any torch loss
# class passed directly does.
LOSSES: dict[str, type[nn.Module]] = {
    "mse": nn.MSELoss,
    "mae": nn.L1Loss,
    "huber": nn.HuberLoss,
    "quantile": PinballLoss,
    "gaussian": GaussianNLLLoss,
}
# The losses whose net forecasts a distribution (and so has ``predict_quantiles``): one
# output per quantile and step, or a mean and a log-scale per step.
DISTRIBUTION_LOSSES = ("quantile", "gaussian")
