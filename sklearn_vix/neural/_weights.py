"""Weights that rebuild a fitted net alone: the window layout, the target scaling and the
feature names travel as buffers of the module's ``state_dict``, so skorch's
``net.initialize(); net.load_params(f_params=...)`` needs no other file."""

from __future__ import annotations

import json
import os

import numpy as np
import torch
from skorch.history import History

from ._layout import known_future_shape

_LAYOUT, _MEAN, _SCALE, _NAMES = (
    "fitted_layout",
    "fitted_target_mean",
    "fitted_target_scale",
    "fitted_feature_names",
)


class _SelfContainedWeights:
    """``load_params`` for weights that carry the fitted state (mixed in before skorch)."""

    def _register_fitted_state(self, module: torch.nn.Module) -> None:
        """Add the fitted layout, target scaling and feature names to ``module``'s buffers."""
        layout = [self.lookback_, self.n_columns_, self.input_ndim_, int(self.single_output_)]
        module.register_buffer(_LAYOUT, torch.tensor(layout, dtype=torch.int64))
        module.register_buffer(_MEAN, torch.tensor(self.target_mean_, dtype=torch.float32))
        module.register_buffer(_SCALE, torch.tensor(self.target_scale_, dtype=torch.float32))
        names = getattr(self, "feature_names_in_", None)
        encoded = json.dumps(None if names is None else [str(n) for n in names]).encode()
        module.register_buffer(_NAMES, torch.tensor(list(encoded), dtype=torch.uint8))

    def load_params(self, f_params=None, use_safetensors=False, **kwargs):
        """Load weights saved by ``save_params``, into a fitted or a fresh net.

        The weights carry the window layout and the target standardisation, so skorch's
        idiom works on a net that never saw data::

            net = LSTMRegressor(hidden_size=8)  # the architecture it was saved with
            net.initialize()                    # optional
            net.load_params(f_params="weights.pt")

        Loading is safe by default: ``torch.load(weights_only=True)`` (no arbitrary
        objects are unpickled) or, with ``use_safetensors=True``, safetensors.

        Parameters
        ----------
        f_params : str, path or file, default=None
            The module's weights.
        use_safetensors : bool, default=False
            Read safetensors files (as saved by ``save_params(use_safetensors=True)``).
        **kwargs
            skorch's other ``load_params`` arguments: ``f_optimizer``, ``f_criterion``,
            ``f_history``, ``checkpoint``.

        Returns
        -------
        self : object
        """
        checkpoint = kwargs.pop("checkpoint", None)
        files = {}
        if checkpoint is not None:
            if checkpoint.f_history is not None:
                # As in skorch: the history first, whose epochs name the checkpoint's files.
                self.history = History.from_file(checkpoint.f_history_)
            files = checkpoint.get_formatted_files(self)
        # As in skorch: the files named here override the checkpoint's.
        explicit = {"f_params": f_params, **kwargs}
        files.update({key: f for key, f in explicit.items() if f is not None})
        files = {key: f for key, f in files.items() if f is not None and key != "f_pickle"}
        if not files:
            raise ValueError("Nothing to load: pass f_params (and f_optimizer, f_history...).")
        f_params = files.pop("f_params", files.pop("f_module", None))
        if f_params is not None:
            self._load_module_state(self._read_state_dict(f_params, use_safetensors))
        f_history = files.pop("f_history", None)
        if f_history is not None:
            self.history = History.from_file(f_history)
        if files and not self.initialized_:
            self.initialize()
        # The optimizer's and criterion's states (or a custom component's, skorch's
        # ``f_{name}``) move to the device of the parameters they are loaded into.
        for key, f in files.items():
            component = getattr(self, key.removeprefix("f_") + "_", None)
            if not hasattr(component, "load_state_dict"):
                raise ValueError(
                    f"{key} names no component of this {type(self).__name__} (no "
                    f"{key.removeprefix('f_')}_ with a state to load)."
                )
            component.load_state_dict(self._read_state_dict(f, use_safetensors))
        return self

    def _load_module_state(self, state: dict) -> None:
        if not hasattr(self, "n_outputs_") or getattr(self, "module_", None) is None:
            self._restore_fitted_state(state)
        try:
            self.module_.load_state_dict(state)
        except RuntimeError as error:
            raise ValueError(
                f"These weights do not fit this {type(self).__name__}: build it with "
                f"the parameters it was trained with. PyTorch says: {error}"
            ) from error
        self._restore_fitted_state(state, rebuild=False)

    def _read_state_dict(self, f, use_safetensors: bool) -> dict:
        if use_safetensors:
            from safetensors.torch import load, load_file

            if isinstance(f, (str, os.PathLike)):
                return load_file(f)
            return load(f.read())
        load_kwargs = self.torch_load_kwargs or {"weights_only": True}
        return torch.load(f, map_location="cpu", **load_kwargs)

    def _restore_fitted_state(self, state: dict, rebuild: bool = True) -> None:
        """Layout and target scaling from the buffers of a saved state_dict."""
        if _LAYOUT not in state:
            raise ValueError(
                "These weights hold no window layout (they were not saved by a fitted "
                f"sklearn_vix net): fit this {type(self).__name__} or load a pickled one."
            )
        lookback, n_columns, ndim, single = (int(v) for v in state[_LAYOUT])
        self.lookback_, self.n_columns_, self.input_ndim_ = lookback, n_columns, ndim
        self.single_output_ = bool(single)
        self.target_mean_ = state[_MEAN].double().cpu().numpy()
        self.target_scale_ = state[_SCALE].double().cpu().numpy()
        self.n_outputs_ = len(self.target_mean_)
        names = json.loads(bytes(state[_NAMES].cpu().tolist()).decode())
        self.n_known_ = int(np.prod(known_future_shape(names))) if ndim == 2 else 0
        self.n_features_in_ = lookback * n_columns + self.n_known_ if ndim == 2 else lookback
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        if rebuild:
            # Building a net from weights is its fit: the parameters are checked first.
            self._check_params()
            self.initialize()
