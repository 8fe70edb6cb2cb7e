"""Input of the nets: X validated into float32 sequences (n, lookback, n_columns), y into
float32 targets (n, n_outputs), with the layout and output count fixed at fit; a batch
split into the module's arguments (the windows, and the known-future features)."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.utils import check_array
from sklearn.utils.validation import validate_data

from .._validation import check_numeric_columns
from ._layout import known_future_shape, to_sequences, window_layout


class _WindowInput:
    """Validation of X and y for a net (mixed in before skorch)."""

    # Whether the split of a flat window into (lookback, n_columns) changes the model. An
    # MLP over the flattened window is the same model under any split, so it need not
    # warn when no layout is found; a recurrent net is not.
    _layout_matters = True

    def _sequences(self, X, reset: bool) -> np.ndarray:
        """Validate ``X`` and return float32 windows shaped (n, lookback, n_columns)."""
        check_numeric_columns(X)
        # At fit, float64 (or the float32 given) until the layout is read: the proof from
        # the data compares columns to within rounding.
        dtype = (np.float64, np.float32) if reset else np.float32
        array = validate_data(self, X, reset=reset, dtype=dtype, allow_nd=True)
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
        names = getattr(self, "feature_names_in_", None)
        n_known = np.prod(known_future_shape(names)) if reset and array.ndim == 2 else 0
        if array.ndim == 3:
            layout = array.shape[1:]
        elif not reset:
            layout = (self.lookback_, self.n_columns_)
        else:
            layout = window_layout(
                array[:, : array.shape[1] - n_known],
                None if names is None else names[: len(names) - n_known],
                self.n_columns,
                owner=type(self).__name__,
                warn=self._layout_matters,
            )
        if reset:
            self.lookback_, self.n_columns_ = layout
            self.input_ndim_ = array.ndim
            self.n_known_ = int(n_known)
        elif tuple(layout) != (self.lookback_, self.n_columns_):
            raise ValueError(
                f"{type(self).__name__} was fitted on windows of {self.lookback_} steps x "
                f"{self.n_columns_} columns, got {layout[0]} x {layout[1]}."
            )
        array = array.astype(np.float32, copy=False)
        if array.ndim == 3:
            return np.ascontiguousarray(array)
        n_window = self.lookback_ * self.n_columns_
        windows = to_sequences(array[:, :n_window], self.lookback_, self.n_columns_)
        if not self.n_known_:
            return windows
        # Flat rows, split per batch by _module_inputs: the window (oldest step first), then
        # the known-future features, which are not a step of the window.
        return np.concatenate([windows.reshape(len(array), -1), array[:, n_window:]], axis=1)

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
            self._check_known_horizon()
        elif y2.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{type(self).__name__} was fitted on {self.n_outputs_} output(s), got y with "
                f"{y2.shape[1]}."
            )
        return y2

    def _check_known_horizon(self) -> None:
        if not self.n_known_:
            return
        horizon, _ = known_future_shape(self.feature_names_in_)
        if horizon != self.n_outputs_:
            raise ValueError(
                f"X's known-future calendar columns describe {horizon} forecast step(s) "
                f"(up to '{self.feature_names_in_[-1]}') but y has {self.n_outputs_} "
                "column(s): step k's calendar is for output k, so they must match. Let "
                "CalendarTransformer read the horizon from y (horizon=None)."
            )

    def _known_shape(self) -> tuple[int, int] | None:
        """``(horizon, n_known)`` of the known-future features per row, None without."""
        if not self.n_known_:
            return None
        return self.n_outputs_, self.n_known_ // self.n_outputs_

    def _module_inputs(self, X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """A batch as the module's arguments: windows (batch, lookback, n_columns), and the
        known-future features (batch, horizon, n_known) or None."""
        if not self.n_known_:
            return X, None
        n_window = self.lookback_ * self.n_columns_
        window = X[:, :n_window].reshape(len(X), self.lookback_, self.n_columns_)
        return window, X[:, n_window:].reshape(len(X), *self._known_shape())
