"""Training losses by name: the registry behind the nets' ``criterion`` parameter."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["LOSSES", "PinballLoss"]


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


# The name a user passes as ``criterion=`` -> the loss class. "quantile" is built with the
# net's ``quantiles``; the others take ``criterion__*`` keyword arguments, as any torch loss
# class passed directly does.
LOSSES: dict[str, type[nn.Module]] = {
    "mse": nn.MSELoss,
    "mae": nn.L1Loss,
    "huber": nn.HuberLoss,
    "quantile": PinballLoss,
}
