"""Input checks shared by the transformers, baselines and scorers."""

from __future__ import annotations

import numbers

import numpy as np


def resolve_target_column(estimator, target_column) -> int:
    """Position of the target column in the fitted estimator's input (see
    :func:`target_position`)."""
    names = getattr(estimator, "feature_names_in_", None)
    return target_position(target_column, estimator.n_features_in_, names)


def target_position(target_column, n_features: int, names=None) -> int:
    """Position of the target column among ``n_features`` columns named ``names``.

    ``target_column`` is a position or a feature name. A name also matches its
    ``{name}_lag0`` window column, so one setting serves raw rows and windows. This is
    the one rule for locating the target: persistence, HAR and the interval scale use it.
    """
    if isinstance(target_column, str):
        if names is None:
            raise ValueError(
                f"target_column={target_column!r} is a name, but X has no column names: "
                "pass a DataFrame or give the column's position."
            )
        names = [str(name) for name in names]
        for candidate in (target_column, f"{target_column}_lag0"):
            if candidate in names:
                return names.index(candidate)
        raise ValueError(
            f"target_column={target_column!r} is not among X's columns {names[:10]}"
            f"{' ...' if len(names) > 10 else ''}."
        )
    if isinstance(target_column, numbers.Integral) and not isinstance(target_column, bool):
        if not -n_features <= target_column < n_features:
            raise ValueError(
                f"target_column={target_column} is out of range for X with {n_features} columns."
            )
        return int(target_column) % n_features
    raise TypeError(f"target_column must be a column position or name, got {target_column!r}.")


def check_positive(values: np.ndarray, what: str) -> None:
    """Raise naming the first row where a series that is logged is not positive."""
    bad = ~(values > 0)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(
            f"Negative values in data: {what} must be positive to take logs, got "
            f"{values.flat[np.flatnonzero(bad)[0]]} at row {row}."
        )
