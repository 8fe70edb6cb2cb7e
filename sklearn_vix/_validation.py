"""Input checks shared by the transformers, baselines and scorers.

Each check names what is wrong (the parameter, the column, the row) and the fix, and runs
before anything is fitted, so bad input never reaches a model.
"""

from __future__ import annotations

import numbers
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_consistent_length, validate_data

from ._compat import Options, _check_feature_names_in
from ._frames import column_values
from .base import window_column_name


class _DistinctItems(Options):
    """Parameter constraint: a non-empty tuple or list of distinct items, each accepted.

    Subclasses ``Options`` because sklearn's ``validate_params`` accepts only its own
    constraint classes; ``windows=(1, 5, 22)`` and ``calendar=("days",)`` are the cases
    it has no class for. Subclasses say which item is accepted and how to describe them.
    """

    description = "items"

    def __init__(self):
        super().__init__((tuple, list), set())

    def accepts(self, item) -> bool:
        raise NotImplementedError

    def is_satisfied_by(self, val) -> bool:
        return (
            isinstance(val, (tuple, list))
            and len(val) > 0
            and all(self.accepts(item) for item in val)
            and len(set(val)) == len(val)
        )

    def __str__(self) -> str:
        return f"a non-empty tuple or list of distinct {self.description}"


class _DistinctPositiveIntegers(_DistinctItems):
    """Parameter constraint: a non-empty tuple or list of distinct positive integers."""

    description = "positive integers"

    def accepts(self, item) -> bool:
        return isinstance(item, Integral) and not isinstance(item, bool) and item >= 1


def feature_names_in(estimator, input_features=None) -> list[str]:
    """The input names ``get_feature_names_out(input_features)`` builds on, as strings.

    scikit-learn's rule, as ``StandardScaler`` applies it: ``input_features`` must equal
    ``feature_names_in_`` when the estimator was fitted with names, and have
    ``n_features_in_`` entries otherwise; None means the fitted names, or ``x0, x1, ...``.
    A mismatch is a ``ValueError``, never silently ignored.
    """
    return [str(name) for name in _check_feature_names_in(estimator, input_features)]


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
        for candidate in (target_column, window_column_name(target_column, 0)):
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


def target_values(X, target_column: int | str) -> np.ndarray:
    """The target's column of raw rows or windows, located as ``PersistenceRegressor`` does."""
    names = X.columns if isinstance(X, pd.DataFrame) else None
    return column_values(X, target_position(target_column, np.shape(X)[1], names))


def check_positive(values: np.ndarray, what: str) -> None:
    """Raise naming the first row where a series that is logged is not positive."""
    bad = ~(values > 0)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(
            f"Negative values in data: {what} must be positive to take logs, got "
            f"{values.flat[np.flatnonzero(bad)[0]]} at row {row}."
        )


def _row_label(original, row: int):
    index = getattr(original, "index", None)
    return index[row] if isinstance(index, pd.Index) else row


def _column_label(original, column: int):
    columns = getattr(original, "columns", None)
    return columns[column] if isinstance(columns, pd.Index) else column


def check_numeric_columns(X, name: str = "X") -> None:
    """Raise naming the first column of ``X`` that holds text instead of numbers.

    Only text is caught here; any other non-number is left to sklearn's own conversion
    (which raises ``TypeError``, as its estimator checks expect).
    """
    if isinstance(X, pd.DataFrame):
        columns = [(label, X[label]) for label in X.columns]
    elif isinstance(X, np.ndarray) and X.dtype.kind in "OUS" and X.ndim == 2:
        columns = [(j, pd.Series(X[:, j])) for j in range(X.shape[1])]
    else:
        return
    for label, column in columns:
        if pd.api.types.is_numeric_dtype(column.dtype):
            continue
        numbers_ = pd.to_numeric(column, errors="coerce")
        text = column.map(lambda value: isinstance(value, (str, bytes))).to_numpy(bool)
        bad = text & numbers_.isna().to_numpy()
        if bad.any():
            row = int(bad.argmax())
            raise ValueError(
                f"Column {label!r} of {name} is not numeric: row {_row_label(X, row)!r} holds "
                f"{column.iloc[row]!r}. Convert it to numbers or drop the column."
            )


def check_finite(values: np.ndarray, original, name: str) -> None:
    """Raise naming the first row (and column) of ``values`` that is NaN or infinite."""
    values = np.asarray(values)
    if values.dtype.kind not in "fc":
        return
    bad = ~np.isfinite(values)
    if not bad.any():
        return
    position = tuple(np.argwhere(bad)[0])
    kind = "NaN" if np.isnan(values[position]) else "infinity"
    where = f"row {_row_label(original, position[0])!r}"
    if len(position) > 1:
        where += f", column {_column_label(original, position[1])!r}"
    raise ValueError(
        f"Input {name} contains {kind} at {where}; fill or drop the missing or infinite "
        "values first."
    )


def validate_rows(estimator, X, y="no_validation", *, reset: bool, **kwargs):
    """``validate_data`` whose errors name the column and row at fault.

    Text columns and NaN or infinite values are reported by position and label before
    anything is fitted. As in ``validate_data``, ``y`` is checked unless it is left at
    ``"no_validation"`` (so a regressor given ``y=None`` is told that it needs ``y``).
    """
    check_numeric_columns(X)
    if isinstance(y, str) and y == "no_validation":
        X_array = validate_data(estimator, X, reset=reset, ensure_all_finite=False, **kwargs)
        check_finite(X_array, X, "X")
        return X_array
    if y is not None:
        # sklearn checks y's values itself, without naming the row: name it first.
        check_finite(np.asarray(y), y, "y")
    X_array, y_array = validate_data(
        estimator, X, y, reset=reset, ensure_all_finite=False, **kwargs
    )
    check_finite(X_array, X, "X")
    return X_array, y_array


def check_enough_rows(n_rows: int, needed: int, who: str, parameter: str) -> None:
    """Raise when a table is shorter than the history one output row needs."""
    if n_rows < needed:
        raise ValueError(
            f"{who} needs at least {needed} rows, got n_samples={n_rows}: lower "
            f"{parameter} or pass more history."
        )


def warn_all_padded(n_rows: int, needed: int, who: str) -> None:
    """Warn when no row of a table that does not continue the fit data has full history."""
    if n_rows < needed:
        warnings.warn(
            f"{who} got {n_rows} rows that do not continue the fit data, fewer than the "
            f"{needed} one full window needs, so every row is padded with its earliest "
            "value. Pass at least that many rows of history, or a pandas table whose index "
            "continues the fit data's.",
            UserWarning,
            stacklevel=3,
        )


def check_fold_data(X, y, cv) -> list:
    """The folds of ``cv`` on ``(X, y)``, with errors that say what is short.

    Checks that ``X`` and ``y`` have one row each per day and that the splitter can cut
    them, before any model is fitted.
    """
    try:
        check_consistent_length(X, y)
    except ValueError as error:
        raise ValueError(
            f"X has {len(X)} rows but y has {len(y)}: they must hold one row per day, "
            "aligned (make_supervised builds both)."
        ) from error
    try:
        return list(cv.split(X, y))
    except ValueError as error:
        raise ValueError(f"{len(X)} rows are too few for the folds of {cv}: {error}") from error


def check_time_order(index: pd.Index, name: str, fix: str) -> None:
    """Raise naming the first label of ``index`` that repeats or goes back in time."""
    if index.is_monotonic_increasing and index.is_unique:
        return
    position = next(i for i in range(1, len(index)) if not index[i] > index[i - 1])
    problem = "repeats" if index[position] == index[position - 1] else "comes before"
    raise ValueError(
        f"{name}'s index must be unique and increasing (time order): row {position} "
        f"({index[position]!r}) {problem} row {position - 1} ({index[position - 1]!r}). {fix}"
    )


def check_quantiles(quantiles, name: str = "quantiles") -> np.ndarray:
    """The quantile levels as a float array, checked: 1-D, increasing, each in (0, 1).

    Examples
    --------
    >>> from sklearn_vix._validation import check_quantiles
    >>> check_quantiles([0.05, 0.5, 0.95])
    array([0.05, 0.5 , 0.95])
    """
    try:
        levels = np.asarray(quantiles, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a list or 1-D array of numbers in (0, 1), got {quantiles!r}."
        ) from None
    if levels.ndim != 1 or not len(levels):
        raise ValueError(
            f"{name} must be a non-empty list or 1-D array of levels in (0, 1), got shape "
            f"{levels.shape}: pass e.g. {name}=[0.05, 0.5, 0.95]."
        )
    if not ((levels > 0.0) & (levels < 1.0)).all():
        raise ValueError(
            f"{name} must lie strictly between 0 and 1, got {levels.tolist()}: a level of 0 "
            "or 1 is the edge of the distribution, unbounded for a conformal one."
        )
    if (np.diff(levels) <= 0).any():
        raise ValueError(
            f"{name} must be increasing and distinct, got {levels.tolist()}: pass "
            f"{name}=sorted(set({name}))."
        )
    return levels
