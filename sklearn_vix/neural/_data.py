"""Training data kept on the device as tensors and batched by slicing.

skorch's default ``Dataset`` + ``DataLoader`` collate every batch sample by sample; with
windows already in memory as one tensor, slicing is the same data at a fraction of the cost.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import torch

# Rows per forward pass when predicting or scoring (no gradients, so memory is cheap).
PREDICT_BATCH = 4096


class _InMemory(torch.utils.data.Dataset):
    """Tensors already on the training device; batched by slicing, not per sample."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor | None = None):
        self.X, self.y = X, y

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, i):
        return self.X[i], (self.y[i] if self.y is not None else torch.empty(0))


class _Batches:
    """Mini-batches of an :class:`_InMemory` dataset.

    Shuffling draws from PyTorch's global generator, which the net seeds (inside
    ``torch.random.fork_rng``) when it has a ``random_state``.
    """

    def __init__(self, data: _InMemory, batch_size: int, shuffle: bool):
        self.data, self.batch_size, self.shuffle = data, batch_size, shuffle

    def __len__(self) -> int:
        return math.ceil(len(self.data) / self.batch_size)

    def __iter__(self) -> Iterator:
        n = len(self.data)
        order = None
        if self.shuffle:
            order = torch.randperm(n).to(self.data.X.device)
        for start in range(0, n, self.batch_size):
            rows = slice(start, start + self.batch_size)
            index = rows if order is None else order[rows]
            y = None if self.data.y is None else self.data.y[index]
            yield self.data.X[index], y
