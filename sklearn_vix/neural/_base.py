"""The shared skorch net behind every forecaster: validation, layout, time-ordered early
stopping, target standardisation, devices, seeds, saving."""

from __future__ import annotations

import inspect
import json
import math
import numbers
import os
from contextlib import contextmanager, nullcontext
from functools import cache
from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from sklearn.utils import check_array, check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch import NeuralNetRegressor
from skorch.callbacks import (
    Callback,
    EpochTimer,
    LRScheduler,
    PassthroughScoring,
    PrintLog,
    ProgressBar,
)
from skorch.dataset import Dataset as SkorchDataset
from skorch.dataset import unpack_data
from skorch.utils import is_dataset, to_tensor
from torch.utils.data import DataLoader

from .._compat import (
    Interval,
    StrOptions,
    _fit_context,
    validate_parameter_constraints,
)
from ._callbacks import _EarlyStoppingFromStart, _GradientNormClipping
from ._data import PREDICT_BATCH, _Batches, _InMemory
from ._devices import _torch_threads, resolve_device
from ._layout import to_sequences, window_layout
from ._losses import LOSSES
from ._modules import INITS

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}
# Optimizers with a fused (one kernel for all parameters) implementation; used when the
# device supports it, which on a small recurrent net is most of the optimizer's time.
FUSABLE = (torch.optim.Adam, torch.optim.AdamW)
LR_SCHEDULES = ("plateau", "cosine")

# Buffers added to every module so that its state_dict alone rebuilds a fitted net:
# skorch's ``net.initialize(); net.load_params(f_params=...)`` needs no other file.
_LAYOUT, _MEAN, _SCALE, _NAMES = (
    "fitted_layout",
    "fitted_target_mean",
    "fitted_target_scale",
    "fitted_feature_names",
)

_POSITIVE_INT = Interval(Integral, 1, None, closed="left")


@cache
def _init_defaults(cls) -> dict:
    """Default of every constructor argument along the class's MRO (for the repr)."""
    defaults = {}
    for klass in reversed(cls.__mro__):
        init = vars(klass).get("__init__")
        if init is None or klass is object:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.default is not parameter.empty:
                defaults[parameter.name] = parameter.default
    return defaults


def _check_numeric_columns(X) -> None:
    """Name the DataFrame columns that hold text (NumPy's error names only the value)."""
    if not isinstance(X, pd.DataFrame):
        return
    for column in X.columns:
        values = X[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        numbers_ = pd.to_numeric(values, errors="coerce")
        bad = values[numbers_.isna() & values.notna()]
        if len(bad):
            raise ValueError(
                f"X's column {column!r} holds non-numeric values, e.g. {bad.iloc[0]!r} at row "
                f"{bad.index[0]!r}: the nets need numbers (encode or drop the column)."
            )


def _overrides(callback, method_name: str) -> bool:
    return getattr(type(callback), method_name) is not getattr(Callback, method_name)


class _WindowNet(NeuralNetRegressor):
    """Shared base: validation, layout, time-ordered early stopping, devices, seeds."""

    _parameter_constraints: dict = {
        "module": [None, callable],
        "n_columns": [None, _POSITIVE_INT],
        "highway": ["boolean"],
        "standardize_target": ["boolean"],
        "init": [StrOptions(set(INITS))],
        "criterion": [StrOptions(set(LOSSES)), callable],
        "quantiles": ["array-like"],
        "optimizer": [StrOptions(set(OPTIMIZERS)), callable],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "batch_size": [_POSITIVE_INT],
        "max_epochs": [_POSITIVE_INT],
        "patience": [None, _POSITIVE_INT],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "purge": [StrOptions({"auto"}), Interval(Integral, 0, None, closed="left")],
        "gradient_clip": [None, Interval(Real, 0, None, closed="neither")],
        "lr_schedule": [None, StrOptions(set(LR_SCHEDULES))],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "num_threads": [None, _POSITIVE_INT],
        "verbose": ["verbose"],
        "train_split": [None, callable],
        "warm_start": ["boolean"],
        "compile": ["boolean"],
        "use_caching": ["boolean", StrOptions({"auto"})],
        "torch_load_kwargs": [None, dict],
        "callbacks": [None, list, StrOptions({"disable"})],
        # skorch checks these itself when it builds them.
        "iterator_train": "no_validation",
        "iterator_valid": "no_validation",
        "dataset": "no_validation",
        "predict_nonlinearity": "no_validation",
    }

    # Whether the split of a flat window into (lookback, n_columns) changes the model. An
    # MLP over the flattened window is the same model under any split; a recurrent net
    # is not, so for it an ambiguous layout is an error.
    _layout_matters = True

    def __init__(
        self,
        module=None,
        *,
        n_columns=None,
        highway=True,
        standardize_target=True,
        init="default",
        criterion="mse",
        quantiles=(0.05, 0.5, 0.95),
        optimizer="adam",
        lr=3e-4,
        weight_decay=0.0,
        batch_size=64,
        max_epochs=100,
        patience=10,
        validation_fraction=0.1,
        purge="auto",
        gradient_clip=1.0,
        lr_schedule=None,
        device="cpu",
        random_state=None,
        num_threads=None,
        verbose=0,
        train_split=None,
        **kwargs,
    ):
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            batch_size=batch_size,
            max_epochs=max_epochs,
            device=device,
            verbose=verbose,
            train_split=train_split,
            **kwargs,
        )
        self.n_columns = n_columns
        self.highway = highway
        self.standardize_target = standardize_target
        self.init = init
        self.quantiles = quantiles
        self.weight_decay = weight_decay
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.purge = purge
        self.gradient_clip = gradient_clip
        self.lr_schedule = lr_schedule
        self.random_state = random_state
        self.num_threads = num_threads

    # --- scikit-learn face ---------------------------------------------------------------

    def get_params(self, deep=True, **kwargs):
        """Get the parameters of this net (skorch's, without its private bookkeeping).

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of the callbacks.
        **kwargs
            Passed to skorch.

        Returns
        -------
        params : dict
        """
        # skorch lists every attribute not ending in "_", its private
        # ``_params_to_validate`` included; that is no parameter a user sets.
        params = super().get_params(deep=deep, **kwargs)
        return {name: value for name, value in params.items() if not name.startswith("_")}

    def __repr__(self) -> str:
        # sklearn-style: only the parameters that differ from their defaults (skorch's own
        # repr prints the module).
        defaults = _init_defaults(type(self))
        changed = [
            f"{name}={value!r}"
            for name, value in sorted(self.get_params(deep=False).items())
            if name not in defaults or repr(defaults[name]) != repr(value)
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    @property
    def predict_proba(self):
        raise AttributeError(f"{type(self).__name__} is a regressor: it has no predict_proba.")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.three_d_array = True
        return tags

    def _validate_params(self) -> None:
        # scikit-learn's ``_fit_context`` and skorch's ``initialize`` both call a method of
        # this name, each expecting its own check, so this one override dispatches:
        # sklearn's constraints always (names like ``optimizer__momentum`` are not in them
        # and are skipped), then the relations the constraints cannot state; skorch's check
        # of those ``prefix__name`` keywords once skorch has registered the module,
        # criterion and optimizer whose prefixes make them valid (late in initialize).
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        self._check_param_values()
        if self._optimizers:
            super()._validate_params()

    def _check_param_values(self) -> None:
        if self.criterion != "quantile":
            return
        quantiles = np.asarray(self.quantiles, dtype=float)
        if (
            quantiles.ndim != 1
            or not np.all((quantiles > 0) & (quantiles < 1))
            or not np.all(np.diff(quantiles) > 0)
            or 0.5 not in quantiles
        ):
            raise ValueError(
                "quantiles must be increasing numbers in (0, 1) that include 0.5 (the median "
                f"that predict returns), got {self.quantiles!r}."
            )

    # --- input ---------------------------------------------------------------------------

    def _sequences(self, X, reset: bool) -> np.ndarray:
        """Validate ``X`` and return float32 windows shaped (n, lookback, n_columns)."""
        _check_numeric_columns(X)
        array = validate_data(self, X, reset=reset, dtype=np.float32, allow_nd=True)
        if array.ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} expects 2-D windows (n_samples, lookback * n_columns) "
                f"or 3-D sequences (n_samples, lookback, n_columns), got {array.ndim}-D X."
            )
        if not reset and array.ndim != self.input_ndim_:
            raise ValueError(
                f"{type(self).__name__} was fitted on {self.input_ndim_}-D X, got "
                f"{array.ndim}-D X: pass X shaped as in fit."
            )
        if array.ndim == 3:
            layout = array.shape[1:]
        elif not reset:
            layout = (self.lookback_, self.n_columns_)
        else:
            n_columns = self.n_columns if self._layout_matters else self.n_columns or 1
            layout = window_layout(
                array.shape[1],
                getattr(self, "feature_names_in_", None),
                n_columns,
                owner=type(self).__name__,
            )
        if reset:
            self.lookback_, self.n_columns_ = layout
            self.input_ndim_ = array.ndim
        elif tuple(layout) != (self.lookback_, self.n_columns_):
            raise ValueError(
                f"{type(self).__name__} was fitted on windows of {self.lookback_} steps x "
                f"{self.n_columns_} columns, got {layout[0]} x {layout[1]}."
            )
        if array.ndim == 3:
            return np.ascontiguousarray(array)
        return to_sequences(array, self.lookback_, self.n_columns_)

    def _targets(self, y, n_samples: int, reset: bool) -> np.ndarray:
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y = np.asarray(y)
        if y.ndim not in (1, 2):
            raise ValueError(
                f"y must have shape (n_samples,) or (n_samples, horizon), got {y.shape}."
            )
        if len(y) != n_samples:
            raise ValueError(f"X has {n_samples} rows but y has {len(y)}: they must match.")
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        y2 = y.reshape(len(y), -1).astype(np.float32)
        if reset:
            self.n_outputs_ = y2.shape[1]
            self.single_output_ = y.ndim == 1
        elif y2.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{type(self).__name__} was fitted on {self.n_outputs_} output(s), got y with "
                f"{y2.shape[1]}."
            )
        return y2

    def _n_quantiles(self) -> int:
        return len(self.quantiles) if self.criterion == "quantile" else 1

    # --- time-ordered validation ---------------------------------------------------------

    def _n_purged(self) -> int:
        return self.n_outputs_ - 1 if self.purge == "auto" else int(self.purge)

    def _split_rows(self, n: int) -> tuple[int, int]:
        """End of the training rows and start of the validation block (the latest rows).

        With horizon h the last h-1 rows before the validation block have targets inside
        it: they are purged, used neither to train nor to validate.
        """
        if not self.validation_fraction:
            return n, n
        n_valid = math.ceil(self.validation_fraction * n)
        train_stop = n - n_valid - self._n_purged()
        if train_stop < 1:
            noun = "sample" if n == 1 else "samples"
            raise ValueError(
                f"{type(self).__name__} holds out the last validation_fraction="
                f"{self.validation_fraction} of the rows and purges {self._n_purged()} "
                f"before them, which leaves no training rows: got {n} {noun}. Pass more "
                "rows or set validation_fraction=0."
            )
        return train_stop, n - n_valid

    def get_split_datasets(self, X, y=None, **fit_params):
        """Train on the earliest rows, validate on the latest block (never a random split)."""
        if self.train_split is not None or not isinstance(X, torch.Tensor):
            return super().get_split_datasets(X, y, **fit_params)
        train_stop, valid_start = self._split_rows(len(X))
        train = _InMemory(X[:train_stop], y[:train_stop])
        if valid_start == len(X):
            return train, None
        return train, _InMemory(X[valid_start:], y[valid_start:])

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

    # --- skorch hooks --------------------------------------------------------------------

    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
        ]
        validates = bool(self.validation_fraction) or self.train_split is not None
        if validates:
            callbacks.append(("valid_loss", PassthroughScoring(name="valid_loss")))
        if self.gradient_clip is not None:
            callbacks.append(("gradient_clip", _GradientNormClipping(self.gradient_clip)))
        monitor = "valid_loss" if validates else "train_loss"
        if self.lr_schedule == "plateau":
            callbacks.append(
                ("lr_scheduler", LRScheduler("ReduceLROnPlateau", monitor=monitor, patience=3))
            )
        elif self.lr_schedule == "cosine":
            callbacks.append(
                ("lr_scheduler", LRScheduler("CosineAnnealingLR", T_max=self.max_epochs))
            )
        if validates and self.patience is not None:
            callbacks.append(
                (
                    "early_stopping",
                    _EarlyStoppingFromStart(
                        monitor="valid_loss", patience=self.patience, load_best=True
                    ),
                )
            )
        callbacks.append(("print_log", PrintLog()))
        if self.verbose:
            callbacks.append(("progress_bar", ProgressBar()))
        return callbacks

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

    def train_step_single(self, batch, **fit_params):
        """One forward and backward pass on a training batch, as skorch's.

        skorch's own sets train mode on every module at every batch, which walks every
        submodule; the mode changes only between the training and validation passes, so
        it is set when it differs.

        Parameters
        ----------
        batch : tuple of torch.Tensor
            Windows and standardized targets.
        **fit_params
            Passed to the module's ``forward``.

        Returns
        -------
        step : dict
            ``{"loss": loss, "y_pred": y_pred}``, as skorch's.
        """
        self._set_mode(training=True)
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def validation_step(self, batch, **fit_params):
        """The loss on a validation batch in eval mode, as skorch's (mode set on a change).

        Parameters
        ----------
        batch : tuple of torch.Tensor
            Windows and standardized targets.
        **fit_params
            Passed to the module's ``forward``.

        Returns
        -------
        step : dict
            ``{"loss": loss, "y_pred": y_pred}``, as skorch's.
        """
        self._set_mode(training=False)
        Xi, yi = unpack_data(batch)
        with torch.no_grad():
            y_pred = self.infer(Xi, **fit_params)
            loss = self.get_loss(y_pred, yi, X=Xi, training=False)
        return {"loss": loss, "y_pred": y_pred}

    def _set_mode(self, training: bool) -> None:
        for module in (self.module_, self.criterion_):
            if isinstance(module, torch.nn.Module) and module.training != training:
                module.train(training)

    def infer(self, x, **fit_params):
        """The module's output for one batch, on the device the net was resolved to.

        Parameters
        ----------
        x : torch.Tensor
            A batch of windows, shaped (batch, lookback, n_columns).
        **fit_params
            Passed to the module's ``forward``.

        Returns
        -------
        y_pred : torch.Tensor
        """
        return self.module_(to_tensor(x, device=self.device_), **fit_params)

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

    def initialize(self):
        """Validate the parameters and build the module, criterion and optimizer.

        A net that has not seen data (no window layout yet) builds no module: call
        :meth:`load_params` next, whose weights carry the layout, or :meth:`fit`.

        Returns
        -------
        self : object
        """
        self._validate_params()
        self.device_ = resolve_device(self.device)
        with self._skorch_device():
            return super().initialize()

    @contextmanager
    def _skorch_device(self):
        # skorch's private initialisers and loaders (``_initialize_module``,
        # ``_initialize_criterion``, ``load_params``, ``set_params`` re-initialising) read
        # ``self.device`` to place tensors, and ours may be "auto", which torch cannot
        # parse. Only around those calls (never per batch or per prediction, where
        # ``infer`` and ``get_loss`` use ``device_``) does skorch see the resolved device.
        given = vars(self)["device"]
        vars(self)["device"] = self.device_
        try:
            yield
        finally:
            vars(self)["device"] = given

    def set_params(self, **params):
        """Set parameters, as in skorch (re-initialising what a changed parameter needs).

        Parameters
        ----------
        **params
            Parameter names and values.

        Returns
        -------
        self : object
        """
        if not self.initialized_:
            return super().set_params(**params)
        with self._skorch_device():
            return super().set_params(**params)

    def initialize_criterion(self):
        kwargs = self.get_params_for("criterion")
        if self.criterion == "quantile":
            kwargs.setdefault("quantiles", tuple(float(q) for q in self.quantiles))
        criterion = LOSSES.get(self.criterion) if isinstance(self.criterion, str) else None
        self.criterion_ = (criterion or self.criterion)(**kwargs)
        return self

    def initialize_optimizer(self, triggered_directly=None):
        if self.module_ is None:
            self.optimizer_ = None
            return self
        optimizer = self.optimizer
        if isinstance(optimizer, str):
            optimizer = OPTIMIZERS[optimizer]
        args, kwargs = self.get_params_for_optimizer("optimizer", self.get_all_learnable_params())
        kwargs.setdefault("weight_decay", self.weight_decay)
        if issubclass(optimizer, FUSABLE) and not {"fused", "foreach"} & kwargs.keys():
            try:
                self.optimizer_ = optimizer(*args, fused=True, **kwargs)
                return self
            except (RuntimeError, ValueError):
                # No fused kernel for this device or dtype: PyTorch's default path.
                args, kwargs = self.get_params_for_optimizer(
                    "optimizer", self.get_all_learnable_params()
                )
                kwargs.setdefault("weight_decay", self.weight_decay)
        self.optimizer_ = optimizer(*args, **kwargs)
        return self

    def initialize_module(self):
        if not hasattr(self, "n_outputs_"):
            # Not fitted: the layout comes with the weights (load_params) or the data (fit).
            self.module_ = None
            return self
        n_outputs = self.n_outputs_ * self._n_quantiles()
        if self.module is None:
            module = self._build_module(n_outputs)
        else:
            module = self.module(
                lookback=self.lookback_,
                n_columns=self.n_columns_,
                n_outputs=n_outputs,
                **self.get_params_for("module"),
            )
        layout = [self.lookback_, self.n_columns_, self.input_ndim_, int(self.single_output_)]
        module.register_buffer(_LAYOUT, torch.tensor(layout, dtype=torch.int64))
        module.register_buffer(_MEAN, torch.tensor(self.target_mean_, dtype=torch.float32))
        module.register_buffer(_SCALE, torch.tensor(self.target_scale_, dtype=torch.float32))
        names = getattr(self, "feature_names_in_", None)
        encoded = json.dumps(None if names is None else [str(n) for n in names]).encode()
        module.register_buffer(_NAMES, torch.tensor(list(encoded), dtype=torch.uint8))
        self.module_ = module.to(self.device_)
        return self

    def _build_module(self, n_outputs: int) -> torch.nn.Module:
        raise NotImplementedError

    # --- threads and seeds ---------------------------------------------------------------

    def _threads(self):
        if self.num_threads is None:
            return nullcontext()
        return _torch_threads(self.num_threads)

    @contextmanager
    def _seeded(self):
        if self.random_state is None:
            yield
            return
        if isinstance(self.random_state, numbers.Integral):
            seed = int(self.random_state)
        else:
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        devices = [torch.device(self.device_).index or 0] if "cuda" in self.device_ else []
        with torch.random.fork_rng(devices=devices):
            torch.manual_seed(seed)
            yield

    def __setstate__(self, state):
        # skorch maps a CUDA net's tensors to the CPU when no GPU is present, reading the
        # state's "device"; it must see the device the net ran on (ours may say "auto"),
        # and the user's value comes back afterwards.
        given = state["device"]
        state["device"] = state.get("device_", "cpu")
        super().__setstate__(state)
        self.device_ = vars(self)["device"]
        vars(self)["device"] = given

    # --- fitting -------------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, **fit_params):
        """Fit the network from scratch (unless ``warm_start``) with early stopping.

        Parameters
        ----------
        X : array-like of shape (n_samples, lookback * n_columns) or (n_samples, lookback, \
n_columns)
            Windows from :class:`~sklearn_vix.WindowTransformer` (possibly scaled), or
            sequences, oldest step first.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Target: one step, or one column per forecast step.
        **fit_params : dict
            Passed to skorch (the module's ``forward``).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if not self.warm_start:
            self.initialized_ = False
        return self.partial_fit(X, y, **fit_params)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs, initialising the net on first use.

        Parameters
        ----------
        X : array-like
            As in :meth:`fit`.
        y : array-like
            As in :meth:`fit`.
        classes : None
            Ignored; present for skorch's signature.
        **fit_params : dict
            Passed to skorch.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        first = not self.initialized_ or getattr(self, "module_", None) is None
        if first:
            self.device_ = resolve_device(self.device)
        sequences = self._sequences(X, reset=first)
        targets = self._targets(y, len(sequences), reset=first)
        with self._threads(), self._seeded():
            if first:
                self._start(sequences, targets)
            X_t = torch.from_numpy(sequences).to(self.device_)
            y_t = torch.from_numpy(self._scale(targets)).to(self.device_)
            super().partial_fit(X_t, y_t, **fit_params)
        self._check_finite_training()
        return self

    def _start(self, sequences: np.ndarray, targets: np.ndarray) -> None:
        """Target statistics and the highway's start, from the training rows only."""
        train_stop, _ = self._split_rows(len(sequences))
        train_targets = targets[:train_stop].astype(np.float64)
        if self.standardize_target:
            scale = train_targets.std(axis=0)
            mean, scale = train_targets.mean(axis=0), np.where(scale > 0, scale, 1.0)
        else:
            mean, scale = np.zeros(self.n_outputs_), np.ones(self.n_outputs_)
        # Rounded to float32 so that the copies in the module's buffers are exact.
        self.target_mean_ = mean.astype(np.float32).astype(np.float64)
        self.target_scale_ = scale.astype(np.float32).astype(np.float64)
        self.initialize()
        highway = getattr(self.module_, "highway", None)
        if highway is not None:
            self._fit_highway(highway, sequences[:train_stop], self._scale(targets[:train_stop]))

    def _fit_highway(self, highway: torch.nn.Linear, sequences: np.ndarray, targets):
        """Least squares of the (scaled) targets on the flattened windows.

        PyTorch's QR solver (``gelsy``), in float64: it follows the net's thread setting,
        where NumPy's SVD solver spread over every core and cost more than an epoch on a
        busy machine. With quantile outputs every quantile starts at the same (mean)
        forecast.
        """
        flat = torch.from_numpy(sequences.reshape(len(sequences), -1)).double()
        design = torch.cat([flat, torch.ones(len(flat), 1, dtype=torch.float64)], dim=1)
        target = torch.from_numpy(np.asarray(targets, dtype=np.float64))
        solution = torch.linalg.lstsq(design, target, driver="gelsy").solution
        solution = solution.repeat_interleave(self._n_quantiles(), dim=1).float()
        with torch.no_grad():
            highway.weight.copy_(solution[:-1].T)
            highway.bias.copy_(solution[-1])

    def dataset_loss(self, dataset) -> float:
        """Mean loss of the current net over a dataset, in standardized units.

        Parameters
        ----------
        dataset : torch Dataset
            Windows and standardized targets, as skorch hands them to callbacks.

        Returns
        -------
        loss : float
        """
        total, count = 0.0, 0
        for X_batch, y_batch in self.get_iterator(dataset, training=False):
            output = self.evaluation_step((X_batch, y_batch), training=False)
            loss = self.get_loss(output, y_batch, X=X_batch, training=False)
            total += float(loss) * len(X_batch)
            count += len(X_batch)
        return total / count

    def _scale(self, targets: np.ndarray) -> np.ndarray:
        return ((targets - self.target_mean_) / self.target_scale_).astype(np.float32)

    def _check_finite_training(self) -> None:
        losses = [row["train_loss"] for row in self.history if "train_loss" in row]
        if not np.all(np.isfinite(losses)):
            raise FloatingPointError(
                f"{type(self).__name__} diverged (train loss {losses[-1]}); lower lr or "
                "keep gradient_clip, and scale X (StandardScaler) before the model."
            )

    # --- loading the weights -------------------------------------------------------------

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
        if f_params is not None:
            state = self._read_state_dict(f_params, use_safetensors)
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
        if any(value is not None for value in kwargs.values()):
            if not self.initialized_:
                self.initialize()
            with self._skorch_device():
                super().load_params(use_safetensors=use_safetensors, **kwargs)
        elif f_params is None:
            raise ValueError("Nothing to load: pass f_params (and f_optimizer, f_history...).")
        return self

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
        self.n_features_in_ = lookback * n_columns if ndim == 2 else lookback
        names = json.loads(bytes(state[_NAMES].cpu().tolist()).decode())
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        if rebuild:
            self.initialize()

    # --- prediction ----------------------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """Forecast every row, in the target's original units.

        With ``criterion="quantile"`` this is the median (the 0.5 quantile).

        Parameters
        ----------
        X : array-like of shape (n_samples, lookback * n_columns) or (n_samples, lookback, \
n_columns)
            Windows laid out as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
        """
        forecast = self._forecast(X)
        median = list(self.quantiles).index(0.5) if self.criterion == "quantile" else 0
        prediction = forecast[:, :, median]
        return prediction[:, 0] if self.single_output_ else prediction

    @available_if(lambda self: self.criterion == "quantile")
    def predict_quantiles(self, X) -> np.ndarray:
        """Forecast the ``quantiles`` of every row (``criterion="quantile"`` only).

        Parameters
        ----------
        X : array-like of shape (n_samples, lookback * n_columns) or (n_samples, lookback, \
n_columns)
            Windows laid out as in ``fit``.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or (n_samples, horizon, \
n_quantiles)
            In the order of ``quantiles``. Quantiles are trained separately, so on rare
            rows two of them may cross.
        """
        forecast = self._forecast(X)
        return forecast[:, 0, :] if self.single_output_ else forecast

    def _forecast(self, X) -> np.ndarray:
        """Unscaled output, shaped (n_samples, n_outputs, n_quantiles)."""
        check_is_fitted(self, "n_outputs_")
        if is_dataset(X):
            # skorch's own callbacks hand a Dataset that was validated in fit.
            data = X
        else:
            data = torch.from_numpy(self._sequences(X, reset=False))
        with self._threads():
            output = self.forward(data, training=False).numpy().astype(np.float64)
        output = output.reshape(len(output), self.n_outputs_, self._n_quantiles())
        return output * self.target_scale_[:, None] + self.target_mean_[:, None]
