"""A faster training loop for skorch, with the same results: batches sliced from tensors
already on the device, and callbacks called only where they listen."""

from __future__ import annotations

import torch
from skorch.callbacks import Callback
from skorch.dataset import Dataset as SkorchDataset
from torch.utils.data import DataLoader

from ._data import PREDICT_BATCH, _Batches, _InMemory


def _overrides(callback, method_name: str) -> bool:
    return getattr(type(callback), method_name) is not getattr(Callback, method_name)


class _FastLoop:
    """Overrides of skorch's per-batch hooks (mixed in before ``NeuralNet``).

    Each is skorch's method with the same effect at a lower cost per batch; a user's
    dataset, iterator or callback takes skorch's own path.
    """

    def get_dataset(self, X, y=None):
        if isinstance(X, torch.Tensor) and self.dataset is SkorchDataset:
            return _InMemory(X, y)
        return super().get_dataset(X, y)

    def get_iterator(self, dataset, training=False):
        uses_defaults = self.iterator_train is DataLoader and self.iterator_valid is DataLoader
        if not (isinstance(dataset, _InMemory) and uses_defaults):
            return super().get_iterator(dataset, training)
        if training:
            return _Batches(dataset, self.batch_size, shuffle=True)
        return _Batches(dataset, max(self.batch_size, PREDICT_BATCH), shuffle=False)

    def notify(self, method_name, **cb_kwargs):
        """Call ``method_name`` on the net and on the callbacks that implement it.

        skorch calls every callback's ``on_batch_begin``/``on_batch_end``/
        ``on_grad_computed`` at every batch although most inherit ``Callback``'s no-op;
        skipping those calls is the same training at a lower cost per batch. A user's
        callback that implements a method is called as in skorch, in skorch's order.

        Parameters
        ----------
        method_name : str
            The callback method, e.g. ``"on_batch_end"``.
        **cb_kwargs
            Passed to the method.
        """
        getattr(self, method_name)(self, **cb_kwargs)
        listeners = self._listeners(method_name)
        for callback in listeners:
            getattr(callback, method_name)(self, **cb_kwargs)

    def _listeners(self, method_name: str) -> list:
        # skorch builds a new ``callbacks_`` list whenever the callbacks change, so the
        # table is keyed by that list.
        cached = getattr(self, "listeners_", None)
        if cached is None or cached[0] is not self.callbacks_:
            callbacks = [callback for _, callback in self.callbacks_]
            table = {
                name: [c for c in callbacks if _overrides(c, name)]
                for name in dir(Callback)
                if name.startswith("on_")
            }
            cached = self.listeners_ = (self.callbacks_, table)
        if method_name not in cached[1]:
            return [callback for _, callback in self.callbacks_]
        return cached[1][method_name]
