"""Where a net runs: device resolution and PyTorch's CPU thread count."""

from __future__ import annotations

from contextlib import contextmanager

import torch

__all__ = ["resolve_device"]


def resolve_device(device) -> str:
    """The torch device for ``device`` ("auto" picks cuda, then mps, then cpu)."""
    if isinstance(device, torch.device):
        device = str(device)
    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if not isinstance(device, str):
        raise TypeError(f"device must be a string or torch.device, got {device!r}.")
    kind = device.split(":")[0]
    if kind not in ("cpu", "cuda", "mps"):
        raise ValueError(
            f"device={device!r} is not supported; use 'cpu', 'cuda', 'cuda:N', 'mps' or 'auto'."
        )
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} but PyTorch sees no CUDA GPU here; use 'cpu' or 'auto'."
        )
    if kind == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device={device!r} but MPS is not available here; use 'cpu' or 'auto'.")
    return device


@contextmanager
def _torch_threads(n: int):
    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
