"""The shared skorch net behind every forecaster: parameters, time-ordered early stopping,
target standardisation, seeds, fitting and prediction.

Its other ideas live beside it and are mixed in: input and layout (``_input``,
``_layout``), the faster training loop (``_fastloop``), self-contained weights
(``_weights``) and the resolved device (``_devices``)."""

from __future__ import annotations

import inspect
import math
import numbers
from contextlib import contextmanager, nullcontext
from functools import cache
from numbers import Integral, Real
from types import MappingProxyType
from typing import NoReturn

import numpy as np
import torch
from scipy.stats import norm
from sklearn import get_config
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNetRegressor
from skorch.callbacks import (
    EpochTimer,
    LRScheduler,
    PassthroughScoring,
    PrintLog,
    ProgressBar,
)
from skorch.utils import is_dataset

from .._compat import Interval, StrOptions, validate_parameter_constraints
from .._validation import check_quantiles
from ._callbacks import _EarlyStoppingFromStart, _GradientNormClipping
from ._data import _InMemory
from ._devices import _ResolvedDevice, _torch_threads
from ._fastloop import _FastLoop
from ._input import _WindowInput
from ._losses import DISTRIBUTION_LOSSES, LOSSES
from ._modules import INITS
from ._weights import _SelfContainedWeights

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

_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
_SKORCH_BOOKKEEPING = ("history_", "initialized_", "virtual_params_")


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


def _accepts_keyword(factory, name: str) -> bool:
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        # No signature to read (a builtin): let the call say what it takes.
        return True
    return any(p.name == name or p.kind is p.VAR_KEYWORD for p in parameters)


def _accepts_two_inputs(forward) -> bool:
    try:
        parameters = list(inspect.signature(forward).parameters.values())
    except (TypeError, ValueError):
        return True
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return True
    return sum(p.kind in positional for p in parameters) >= 2


class _WindowNet(
    _WindowInput, _FastLoop, _SelfContainedWeights, _ResolvedDevice, NeuralNetRegressor
):
    """Shared base: parameters, time-ordered early stopping, seeds, fit and predict."""

    # skorch's state before ``initialize``: no history, not initialised, no virtual
    # parameters (read-only, so that nothing registers one on the class).
    history_ = None
    initialized_ = False
    virtual_params_ = MappingProxyType({})

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
        "num_threads": [None, _POSITIVE_INT, StrOptions({"auto"})],
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
        num_threads="auto",
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
        # skorch's constructor also stores its unfitted bookkeeping; scikit-learn's stores
        # parameters only, so those values live on the class (below), where skorch reads
        # them alike until it sets its own.
        for name in _SKORCH_BOOKKEEPING:
            if vars(self)[name] == getattr(_WindowNet, name):
                del vars(self)[name]

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

    def _check_params(self) -> None:
        """scikit-learn's parameter constraints, then the relations they cannot state.

        Run once per ``fit`` (and per ``partial_fit`` that builds the net, and before
        weights rebuild one), where scikit-learn's ``_fit_context`` would; skorch checks
        its own ``prefix__name`` keywords at the end of ``initialize``, as it expects to.
        """
        if not get_config()["skip_parameter_validation"]:
            validate_parameter_constraints(
                self._parameter_constraints,
                self.get_params(deep=False),
                caller_name=type(self).__name__,
            )
        self._check_param_values()

    def _check_param_values(self) -> None:
        if self.criterion == "gaussian":
            check_quantiles(self.quantiles)
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

    def _outputs_per_step(self) -> int:
        """One per quantile, a mean and a log-scale (Gaussian), or the forecast alone."""
        if self.criterion == "quantile":
            return len(self.quantiles)
        return 2 if self.criterion == "gaussian" else 1

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

    def initialize(self):
        """Resolve ``device_`` and build the callbacks, module, criterion and optimizer.

        A net that has not seen data (no window layout yet) builds no module: call
        :meth:`load_params` next, whose weights carry the layout, or :meth:`fit`.

        Returns
        -------
        self : object
        """
        self._resolve_device()
        return super().initialize()

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
        n_outputs = self.n_outputs_ * self._outputs_per_step()
        # The initial weights are drawn from ``random_state``.
        with self._seeded():
            if self.module is None:
                module = self._build_module(n_outputs)
            else:
                module = self._build_custom_module(n_outputs)
        self._register_fitted_state(module)
        self.module_ = module
        return self

    def _build_module(self, n_outputs: int) -> torch.nn.Module:
        raise NotImplementedError

    def _build_custom_module(self, n_outputs: int) -> torch.nn.Module:
        """``module(lookback=, n_columns=, n_outputs=, **module__kwargs)``, and
        ``known_shape=`` when X has known-future columns, which ``forward`` must take."""
        kwargs = {
            "lookback": self.lookback_,
            "n_columns": self.n_columns_,
            "n_outputs": n_outputs,
            **self.get_params_for("module"),
        }
        known_shape = self._known_shape()
        if known_shape is None:
            return self.module(**kwargs)
        if not _accepts_keyword(self.module, "known_shape"):
            self._reject_module(known_shape, "takes no known_shape= argument")
        module = self.module(known_shape=known_shape, **kwargs)
        if not _accepts_two_inputs(module.forward):
            self._reject_module(known_shape, "has a forward that takes one input")
        return module

    def _reject_module(self, known_shape: tuple[int, int], problem: str) -> NoReturn:
        name = getattr(self.module, "__name__", type(self.module).__name__)
        first = self.feature_names_in_[-self.n_known_]
        raise TypeError(
            f"X has {self.n_known_} known-future calendar columns after the window "
            f"('{first}', ...; make_forecaster adds them by default). A custom module gets "
            f"them as forward(window, known), known shaped (batch, {known_shape[0]}, "
            f"{known_shape[1]}), and is built with known_shape={known_shape}; module="
            f"{name} {problem}. Accept both, or leave the calendar out: "
            "make_forecaster(..., calendar=None)."
        )

    # --- threads and seeds ---------------------------------------------------------------

    def _threads(self):
        if self.num_threads is None:
            return nullcontext()
        # One thread: the nets are small, so a second intra-op thread gains little on an
        # idle machine and costs up to 1.6 times the time beside other work on the same
        # cores (benchmarks/results/threads.md).
        return _torch_threads(1 if self.num_threads == "auto" else self.num_threads)

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

    # --- fitting -------------------------------------------------------------------------

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
        self._check_params()
        if not self.warm_start:
            self.initialized_ = False
        return self._train(X, y, **fit_params)

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
        if not self._built():
            self._check_params()
        return self._train(X, y, **fit_params)

    def _built(self) -> bool:
        return self.initialized_ and getattr(self, "module_", None) is not None

    def _train(self, X, y, **fit_params):
        """Validate the data, initialise the net if it is not built, train ``max_epochs``."""
        first = not self._built()
        sequences = self._sequences(X, reset=first)
        targets = self._targets(y, len(sequences), reset=first)
        with self._threads():
            if first:
                self._start(sequences, targets)
            X_t = torch.from_numpy(sequences).to(self.device_)
            y_t = torch.from_numpy(self._scale(targets)).to(self.device_)
            with self._seeded():
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
        # The built-in modules (and custom ones that define it) start at the least-squares
        # forecast of the (scaled) training targets.
        fit_highway = getattr(self.module_, "fit_highway", None)
        if not callable(fit_highway):
            return
        window, known = self._module_inputs(torch.from_numpy(sequences[:train_stop]))
        scaled = torch.from_numpy(self._scale(targets[:train_stop]))
        if self.criterion != "gaussian":
            fit_highway(window, known, scaled)
        elif _accepts_keyword(fit_highway, "log_scale"):
            # The highway carries the mean; the log-scale starts at the linear fit's.
            fit_highway(window, known, scaled, log_scale=True)

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

    # --- prediction ----------------------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """Forecast every row, in the target's original units.

        With ``criterion="quantile"`` this is the median (the 0.5 quantile of
        :meth:`predict_quantiles`), with ``criterion="gaussian"`` the mean.

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
        if self.criterion == "quantile":
            prediction = np.sort(forecast, axis=-1)[..., list(self.quantiles).index(0.5)]
        else:
            prediction = forecast[..., 0]
        return prediction[:, 0] if self.single_output_ else prediction

    @available_if(lambda self: self.criterion in DISTRIBUTION_LOSSES)
    def predict_quantiles(self, X, quantiles=None) -> np.ndarray:
        """Forecast quantiles of every row (``criterion="quantile"`` or ``"gaussian"``).

        With ``criterion="quantile"`` the levels are those the net was trained at: each
        output is trained by its own pinball loss, so on rare rows two of them may
        cross; the trained levels are sorted on every row (the rearrangement of
        Chernozhukov, Fernandez-Val and Galichon, 2010, which can only bring the curve
        of forecasts closer to the true quantile curve) before the requested ones are
        read. With ``criterion="gaussian"`` any level is read from the normal
        distribution of each row and step, ``mean + sigma * norm.ppf(level)``, in the
        target's units (the net's target standardisation undone).

        Parameters
        ----------
        X : array-like of shape (n_samples, lookback * n_columns) or (n_samples, lookback, \
n_columns)
            Windows laid out as in ``fit``.
        quantiles : array-like of float, default=None
            Increasing levels in (0, 1); with ``criterion="quantile"``, among the
            ``quantiles`` trained. None for ``quantiles``.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or (n_samples, horizon, \
n_quantiles)
            In the target's units, non-decreasing along the last axis.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_vix import FeedForwardRegressor
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(200, 3))
        >>> y = X[:, 0] + rng.normal(size=200)
        >>> net = FeedForwardRegressor(
        ...     hidden_layer_sizes=(4,), criterion="gaussian", max_epochs=2, random_state=0
        ... ).fit(X, y)
        >>> net.predict_quantiles(X[:5], [0.1, 0.5, 0.9]).shape
        (5, 3)
        """
        levels = check_quantiles(self.quantiles if quantiles is None else quantiles)
        forecast = self._forecast(X)
        if self.criterion == "gaussian":
            values = forecast[..., :1] + forecast[..., 1:] * norm.ppf(levels)
        else:
            values = np.sort(forecast, axis=-1)[..., self._trained_positions(levels)]
        return values[:, 0] if self.single_output_ else values

    def _trained_positions(self, levels: np.ndarray) -> np.ndarray:
        """Where each level is among the trained ``quantiles``; an error for any other."""
        trained = np.asarray(self.quantiles, dtype=np.float64)
        found = np.searchsorted(trained, levels).clip(max=len(trained) - 1)
        missing = ~np.isclose(trained[found], levels, rtol=0, atol=1e-12)
        if missing.any():
            raise ValueError(
                f"{type(self).__name__} was trained at quantiles {trained.tolist()}, not at "
                f"{levels[missing].tolist()}: fit it again with those levels in quantiles, "
                'or use criterion="gaussian", which forecasts every level.'
            )
        return found

    def _forecast(self, X) -> np.ndarray:
        """Output in the target's units, shaped (n_samples, n_outputs, outputs per step).

        The quantiles, or the mean and the standard deviation (Gaussian), of each step.
        """
        check_is_fitted(self, "n_outputs_")
        if is_dataset(X):
            # skorch's own callbacks hand a Dataset that was validated in fit.
            data = X
        else:
            data = torch.from_numpy(self._sequences(X, reset=False))
        with self._threads():
            output = self.forward(data, training=False).numpy().astype(np.float64)
        output = output.reshape(len(output), self.n_outputs_, self._outputs_per_step())
        if self.criterion == "gaussian":
            # (mean, log-scale) of the standardized target -> (mean, sigma) of the target.
            mean = output[..., 0] * self.target_scale_ + self.target_mean_
            return np.stack([mean, np.exp(output[..., 1]) * self.target_scale_], axis=-1)
        return output * self.target_scale_[:, None] + self.target_mean_[:, None]
