"""The shared skorch net behind every forecaster: validation, layout, time-ordered early
stopping, target standardisation, devices, seeds, saving."""

from __future__ import annotations

import json
import math
import numbers
from contextlib import contextmanager, nullcontext

import numpy as np
import torch
from sklearn.utils import check_array, check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch import NeuralNetRegressor
from skorch.callbacks import EpochTimer, LRScheduler, PassthroughScoring, PrintLog, ProgressBar
from skorch.dataset import Dataset as SkorchDataset
from skorch.utils import is_dataset
from torch.utils.data import DataLoader

from ._callbacks import _EarlyStoppingFromStart, _GradientNormClipping
from ._data import PREDICT_BATCH, _Batches, _InMemory
from ._devices import _torch_threads, resolve_device
from ._layout import to_sequences, window_layout
from ._modules import INITS

CRITERIA = {"mse": torch.nn.MSELoss, "mae": torch.nn.L1Loss, "huber": torch.nn.HuberLoss}
OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}
LR_SCHEDULES = ("plateau", "cosine")


def _choice(value, options, name: str):
    if isinstance(value, str):
        if value not in options:
            raise ValueError(f"{name}={value!r} is not one of {sorted(options)}.")
        return options[value]
    return value


class _WindowNet(NeuralNetRegressor):
    """Shared base: validation, layout, time-ordered early stopping, devices, seeds."""

    def __init__(
        self,
        module=None,
        *,
        n_columns=None,
        highway=True,
        standardize_target=True,
        init="default",
        criterion="mse",
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
        self.weight_decay = weight_decay
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.purge = purge
        self.gradient_clip = gradient_clip
        self.lr_schedule = lr_schedule
        self.random_state = random_state
        self.num_threads = num_threads

    # --- scikit-learn face ---------------------------------------------------------------

    def _get_param_names(self):
        # skorch lists every public attribute; its private bookkeeping is no parameter.
        return [name for name in super()._get_param_names() if not name.startswith("_")]

    def __repr__(self) -> str:
        # sklearn-style: only the parameters that differ from a fresh instance's (skorch's
        # own repr prints the module).
        defaults = type(self)().get_params(deep=False)
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
        def positive_int(name, low=1):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}.")

        for name in ("batch_size", "max_epochs"):
            positive_int(name)
        if self.patience is not None:
            positive_int("patience")
        if self.n_columns is not None:
            positive_int("n_columns")
        if not (isinstance(self.lr, numbers.Real) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}.")
        if not (isinstance(self.weight_decay, numbers.Real) and self.weight_decay >= 0):
            raise ValueError(f"weight_decay must be >= 0, got {self.weight_decay!r}.")
        if not (
            isinstance(self.validation_fraction, numbers.Real) and 0 <= self.validation_fraction < 1
        ):
            raise ValueError(
                f"validation_fraction must be in [0, 1), got {self.validation_fraction!r}."
            )
        if self.purge != "auto":
            positive_int("purge", low=0)
        if self.gradient_clip is not None and not (
            isinstance(self.gradient_clip, numbers.Real) and self.gradient_clip > 0
        ):
            raise ValueError(f"gradient_clip must be positive or None, got {self.gradient_clip!r}.")
        if self.lr_schedule is not None and self.lr_schedule not in LR_SCHEDULES:
            raise ValueError(
                f"lr_schedule={self.lr_schedule!r} is not one of {[None, *LR_SCHEDULES]}."
            )
        if self.init not in INITS:
            raise ValueError(f"init={self.init!r} is not one of {list(INITS)}.")
        _choice(self.criterion, CRITERIA, "criterion")
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        self._check_module_params()

    def _check_module_params(self) -> None:
        raise NotImplementedError

    # --- input ---------------------------------------------------------------------------

    def _sequences(self, X, reset: bool) -> np.ndarray:
        """Validate ``X`` and return float32 windows shaped (n, lookback, n_columns)."""
        array = validate_data(self, X, reset=reset, dtype=np.float32, allow_nd=True)
        if array.ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} expects 2-D windows (n_samples, lookback * n_columns) "
                f"or 3-D sequences (n_samples, lookback, n_columns), got {array.ndim}-D X."
            )
        if array.ndim == 3:
            layout = array.shape[1:]
        else:
            layout = window_layout(
                array.shape[1], getattr(self, "feature_names_in_", None), self.n_columns
            )
        if reset:
            self.lookback_, self.n_columns_ = layout
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
        if y.ndim not in (1, 2) or len(y) != n_samples:
            raise ValueError(
                f"y must have shape (n_samples,) or (n_samples, horizon) with n_samples="
                f"{n_samples}, got {y.shape}."
            )
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
            return _Batches(dataset, self.batch_size, True, self._shuffle_generator)
        return _Batches(dataset, max(self.batch_size, PREDICT_BATCH), False)

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

    def _set_training(self, training=True):
        # skorch walks every module on every batch; switching only on a change saves that.
        if self.module_.training != training or self.criterion_.training != training:
            super()._set_training(training)

    def initialize_criterion(self):
        criterion = _choice(self.criterion, CRITERIA, "criterion")
        self.criterion_ = criterion(**self.get_params_for("criterion"))
        return self

    def initialize_optimizer(self, triggered_directly=None):
        optimizer = _choice(self.optimizer, OPTIMIZERS, "optimizer")
        args, kwargs = self.get_params_for_optimizer("optimizer", self.get_all_learnable_params())
        kwargs.setdefault("weight_decay", self.weight_decay)
        self.optimizer_ = optimizer(*args, **kwargs)
        return self

    def initialize_module(self):
        if self.module is None:
            module = self._build_module()
        else:
            module = self.module(
                lookback=self.lookback_,
                n_columns=self.n_columns_,
                n_outputs=self.n_outputs_,
                **self.get_params_for("module"),
            )
        self.module_ = module
        return self

    def _build_module(self) -> torch.nn.Module:
        raise NotImplementedError

    # --- devices, threads and seeds ------------------------------------------------------

    @contextmanager
    def _on_device(self):
        """Run skorch's internals on the resolved device while ``device`` keeps its value."""
        requested = vars(self)["device"]
        vars(self)["device"] = self.device_
        try:
            yield
        finally:
            # skorch maps a CUDA net to the CPU when loaded where no GPU is present.
            self.device_ = vars(self)["device"]
            vars(self)["device"] = requested

    def _threads(self):
        if self.num_threads is None:
            return nullcontext()
        return _torch_threads(self.num_threads)

    @contextmanager
    def _seeded(self):
        if self.random_state is None:
            self._shuffle_generator = None
            yield
            return
        if isinstance(self.random_state, numbers.Integral):
            seed = int(self.random_state)
        else:
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        devices = [torch.device(self.device_).index or 0] if "cuda" in self.device_ else []
        with torch.random.fork_rng(devices=devices):
            torch.manual_seed(seed)
            self._shuffle_generator = torch.Generator().manual_seed(seed)
            try:
                yield
            finally:
                # A generator is no state worth keeping, and it would not pickle.
                self._shuffle_generator = None

    def __setstate__(self, state):
        requested = state["device"]
        state["device"] = state.get("device_", "cpu")
        super().__setstate__(state)
        self.device_ = vars(self)["device"]
        vars(self)["device"] = requested

    # --- fitting -------------------------------------------------------------------------

    def fit(self, X, y, **fit_params):
        """Fit the network from scratch (unless ``warm_start``) with early stopping.

        Parameters
        ----------
        X : array-like of shape (n_samples, lookback * n_columns) or (n_samples, lookback,
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
        first = not self.initialized_
        if first:
            self._check_params()
            self.device_ = resolve_device(self.device)
        sequences = self._sequences(X, reset=first)
        targets = self._targets(y, len(sequences), reset=first)
        with self._threads(), self._on_device(), self._seeded():
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
            self.target_mean_ = train_targets.mean(axis=0)
            self.target_scale_ = np.where(scale > 0, scale, 1.0)
        else:
            self.target_mean_ = np.zeros(self.n_outputs_)
            self.target_scale_ = np.ones(self.n_outputs_)
        self.initialize()
        highway = getattr(self.module_, "highway", None)
        if highway is not None:
            self._fit_highway(highway, sequences[:train_stop], self._scale(targets[:train_stop]))

    @staticmethod
    def _fit_highway(highway: torch.nn.Linear, sequences: np.ndarray, targets: np.ndarray):
        """Least squares of the (scaled) targets on the flattened windows."""
        design = np.column_stack([sequences.reshape(len(sequences), -1), np.ones(len(targets))])
        solution, *_ = np.linalg.lstsq(design.astype(np.float64), targets, rcond=None)
        with torch.no_grad():
            highway.weight.copy_(torch.from_numpy(solution[:-1].T.astype(np.float32)))
            highway.bias.copy_(torch.from_numpy(solution[-1].astype(np.float32)))

    def dataset_loss(self, dataset) -> float:
        """Mean loss of the current net over a dataset, in standardized units."""
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
        losses = self.history[:, "train_loss"]
        if not np.all(np.isfinite(losses)):
            raise FloatingPointError(
                f"{type(self).__name__} diverged (train loss {losses[-1]}); lower lr or "
                "keep gradient_clip, and scale X (StandardScaler) before the model."
            )

    # --- saving and loading the weights ---------------------------------------------------

    def save_params(self, f_fitted=None, **kwargs):
        """Save the weights (and optionally optimizer, history) through skorch.

        Parameters
        ----------
        f_fitted : str or path, default=None
            JSON file for what the weights alone do not hold: the window layout, the number
            of outputs, the target standardisation and the input's columns. Pass it to
            :meth:`load_params` to predict with a fresh, unfitted net.
        **kwargs
            skorch's ``save_params`` arguments: ``f_params``, ``f_optimizer``,
            ``f_criterion``, ``f_history`` (files or paths) and ``use_safetensors``.
        """
        check_is_fitted(self, "n_outputs_")
        if f_fitted is not None:
            with open(f_fitted, "w", encoding="utf-8") as f:
                json.dump(self._fitted_state(), f, indent=2)
        with self._on_device():
            super().save_params(**kwargs)

    def load_params(self, f_fitted=None, **kwargs):
        """Load weights saved by :meth:`save_params` into this net.

        Parameters
        ----------
        f_fitted : str or path, default=None
            The JSON written by ``save_params(f_fitted=...)``. Needed when this net has not
            been fitted: it restores the layout and target scaling and builds the module
            (with this net's architecture parameters, which must match the saved ones).
        **kwargs
            skorch's ``load_params`` arguments: ``f_params``, ``f_optimizer``,
            ``f_criterion``, ``f_history``, ``checkpoint`` and ``use_safetensors``.

        Returns
        -------
        self : object
        """
        if f_fitted is not None:
            with open(f_fitted, encoding="utf-8") as f:
                self._restore_fitted_state(json.load(f))
        elif not hasattr(self, "n_outputs_"):
            raise ValueError(
                f"This {type(self).__name__} is not fitted: pass f_fitted (written by "
                "save_params(f_fitted=...)) to load weights into a fresh net."
            )
        with self._on_device():
            super().load_params(**kwargs)
        return self

    _FITTED = ("lookback_", "n_columns_", "n_outputs_", "single_output_", "n_features_in_")

    def _fitted_state(self) -> dict:
        state = {name: getattr(self, name) for name in self._FITTED}
        state["target_mean_"] = self.target_mean_.tolist()
        state["target_scale_"] = self.target_scale_.tolist()
        names = getattr(self, "feature_names_in_", None)
        state["feature_names_in_"] = None if names is None else [str(n) for n in names]
        return state

    def _restore_fitted_state(self, state: dict) -> None:
        self._check_params()
        for name in self._FITTED:
            setattr(self, name, state[name])
        self.target_mean_ = np.asarray(state["target_mean_"])
        self.target_scale_ = np.asarray(state["target_scale_"])
        if state["feature_names_in_"] is not None:
            self.feature_names_in_ = np.asarray(state["feature_names_in_"], dtype=object)
        self.device_ = resolve_device(self.device)
        with self._on_device():
            self.initialize()

    # --- prediction ----------------------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """Forecast every row, in the target's original units.

        Parameters
        ----------
        X : array-like of shape (n_samples, lookback * n_columns) or (n_samples, lookback,
            n_columns)
            Windows laid out as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, horizon)
        """
        check_is_fitted(self, "n_outputs_")
        if is_dataset(X):
            # skorch's own callbacks hand a Dataset that was validated in fit.
            scaled = self._forward_numpy(X)
        else:
            scaled = self._forward_numpy(torch.from_numpy(self._sequences(X, reset=False)))
        prediction = scaled.astype(np.float64) * self.target_scale_ + self.target_mean_
        return prediction[:, 0] if self.single_output_ else prediction

    def _forward_numpy(self, X) -> np.ndarray:
        with self._threads(), self._on_device():
            output = self.forward(X, training=False)
        return output.numpy()


_SHARED_DOC = """
    Training parameters (shared by every network in :mod:`sklearn_vix.neural`)

    n_columns : int or None, default=None
        Columns per step of 2-D windows. None reads it from ``WindowTransformer`` column
        names (``vix_lag0, sp500_return_lag0, vix_lag1, ...``, e.g. with
        ``set_output(transform="pandas")``), else assumes windows of one series. 3-D input
        needs none. The lookback is never repeated: it is ``n_features / n_columns``.
    highway : bool, default=True
        Add a linear map of the window to the network's output, set to the least-squares
        fit on the training rows before training, so the net starts at the linear forecast
        and learns what it misses.
    standardize_target : bool, default=True
        Train on ``(y - mean) / sd`` with statistics of the training rows only; predictions
        come back in the original units.
    init : {"default", "xavier", "he", "orthogonal"}, default="default"
        Weight initialisation ("default" keeps PyTorch's).
    criterion : {"mse", "mae", "huber"} or torch loss class, default="mse"
        The loss, on the standardized target.
    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, default="adam"
    lr : float, default=3e-4
        Learning rate. 3e-4 rather than Adam's usual 1e-3: on the real VIX
        (``TimeSeriesSplit(5)``, 3 seeds) it cut the LSTM's RMSE from 1.6531 to 1.6516
        (h=1) and from 3.155 to 3.131 (h=5), the GRU's from 3.116 to 3.109 (h=5).
    weight_decay : float, default=0.0
    batch_size : int, default=64
    max_epochs : int, default=100
    patience : int or None, default=10
        Early stopping: stop after this many epochs without a better validation loss and
        restore the best weights. None trains all ``max_epochs``.
    validation_fraction : float, default=0.1
        The **latest** rows held out for early stopping (never a random split). 0 turns
        validation and early stopping off.
    purge : int or "auto", default="auto"
        Training rows dropped right before the validation block because their targets
        reach into it; "auto" is ``horizon - 1`` (the number of outputs minus one).
    gradient_clip : float or None, default=1.0
        Maximum L2 norm of the gradient.
    lr_schedule : {None, "plateau", "cosine"}, default=None
        Reduce the rate when the validation loss stalls, or cosine annealing.
    device : {"cpu", "cuda", "cuda:N", "mps", "auto"}, default="cpu"
        Resolved at fit ("auto": cuda, else mps, else cpu). A net trained on a GPU
        predicts and unpickles on a CPU-only machine.
    random_state : int, RandomState or None, default=None
        Seeds initialisation, shuffling and dropout (without touching PyTorch's global
        generator): on the CPU the same seed gives the same predictions.
    num_threads : int or None, default=None
        PyTorch CPU threads during fit and predict; None leaves PyTorch's setting (which
        joblib's workers limit to their share of the cores).
    verbose : int, default=0
        1 prints a line per epoch and a progress bar.
    **kwargs
        Any other skorch ``NeuralNet`` parameter (``callbacks``, ``warm_start``,
        ``optimizer__momentum``, ``iterator_train``, ``train_split``...).
"""

_ATTRIBUTES_DOC = """
    Attributes
    ----------
    module_ : torch.nn.Module
        The trained network.
    history_ : skorch.History
        Per-epoch ``train_loss`` and ``valid_loss`` (standardized units) and timings.
    lookback_, n_columns_ : int
        The window layout read at fit.
    n_outputs_ : int
        Number of forecast steps.
    target_mean_, target_scale_ : ndarray of shape (n_outputs_,)
        Target standardisation, from the training rows.
    device_ : str
        The device the net was trained on.
    n_features_in_ : int
        Number of columns of ``X`` seen in fit.
    feature_names_in_ : ndarray
        Column names of ``X``, when it has them.
"""
