"""Where a net runs: device resolution, the net on its resolved device, and PyTorch's CPU
thread count."""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import torch
from skorch.utils import to_tensor

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


class _ResolvedDevice:
    """Runs a skorch net on ``device_``, resolved from ``device`` once per initialisation,
    without ever rewriting ``device`` (mixed in before ``NeuralNet``).

    skorch 1.4 reads ``self.device`` to place the modules and criteria it initialises, each
    batch (``infer``) and target (``get_loss``), and to map tensors it loads (unpickling,
    ``load_params``). ``device`` may say "auto", which torch cannot parse, so each of those
    reads ``device_`` here instead (``load_params`` is the net's own, in ``_weights``).
    Placement happens in skorch's private ``_initialize_module``/``_initialize_criterion``,
    with no public hook between building a component and moving it, so those two are
    overridden; skorch's own ``device="auto"`` (merged upstream after 1.4) would retire
    them.
    """

    def _resolve_device(self) -> None:
        self.device_ = resolve_device(self.device)

    def _initialize_module(self, reason=None):
        return self._initialize_on_device("module", self._modules, self.initialize_module, reason)

    def _initialize_criterion(self, reason=None):
        return self._initialize_on_device(
            "criterion", self._criteria, self.initialize_criterion, reason
        )

    def _initialize_on_device(self, kind: str, names: list, initialize, reason):
        # skorch's ``_initialize_module``/``_initialize_criterion``, with every registered
        # component placed on ``device_`` where skorch uses ``self.device``.
        with self._current_init_context(kind):
            kwargs = {}
            for name in names:
                kwargs.update(self.get_params_for(name))
            if (kwargs or reason) and self.initialized_ and self.verbose:
                print(reason or self._format_reinit_msg(kind, kwargs))
            initialize()
            for name in names:
                component = getattr(self, name + "_")
                if isinstance(component, torch.nn.Module):
                    component = self.torch_compile(component.to(self.device_), name=name)
                    setattr(self, name + "_", component)
        return self

    def infer(self, x, **fit_params):
        """The module's output for one batch, on the device the net was resolved to.

        Parameters
        ----------
        x : torch.Tensor
            A batch of windows, shaped (batch, lookback, n_columns), or flat rows of
            windows and known-future features (called as ``module(window, known)``).
        **fit_params
            Passed to the module's ``forward``.

        Returns
        -------
        y_pred : torch.Tensor
        """
        window, known = self._module_inputs(to_tensor(x, device=self.device_))
        inputs = (window,) if known is None else (window, known)
        return self.module_(*inputs, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """The criterion on one batch (standardized units), on the net's resolved device.

        Parameters
        ----------
        y_pred, y_true : torch.Tensor
            Output of :meth:`infer` and the (standardized) target.
        X : torch.Tensor, default=None
            The batch's input (unused).
        training : bool, default=False
            Whether the loss is for a training step (unused).

        Returns
        -------
        loss : torch.Tensor
        """
        return self.criterion_(y_pred, to_tensor(y_true, device=self.device_))

    def __setstate__(self, state):
        # skorch maps the pickled tensors to the device its state names, or to the CPU
        # where that one is missing (a CUDA net opened without a GPU), and records where
        # they went as "device". It is shown the device the net ran on and restores into
        # a blank instance, so that this net's ``device`` is written once, as given, and
        # where the tensors went becomes ``device_``.
        restored = object.__new__(type(self))
        ran_on = state.get("device_")
        with warnings.catch_warnings():
            # skorch's note that it sets ``device`` to the fallback is not true here
            # (its warning that the tensors go to the CPU instead still shows).
            warnings.filterwarnings("ignore", message="Setting self.device = ")
            super(_ResolvedDevice, restored).__setstate__({**state, "device": ran_on or "cpu"})
        restored = vars(restored)
        mapped_to = restored.pop("device")
        if ran_on is not None:
            restored["device_"] = str(mapped_to)
        vars(self).update(restored, device=state["device"])
