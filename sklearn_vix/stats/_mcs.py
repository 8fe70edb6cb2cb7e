"""The Model Confidence Set of Hansen, Lunde and Nason, over arch's implementation."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd
from arch.bootstrap import MCS

from .._compat import Interval, StrOptions, validate_params

__all__ = ["ModelConfidenceSetResult", "model_confidence_set"]


@dataclass(frozen=True)
class ModelConfidenceSetResult:
    """Outcome of :func:`model_confidence_set`.

    Attributes
    ----------
    pvalues : Series
        MCS p-value of each model, in the order of elimination (the last ones survive).
    included : list of str
        The models in the set: those whose p-value is above ``size``.
    excluded : list of str
        The models eliminated.
    size : float
        The test size (``1 - size`` is the confidence level of the set).
    block_size : int
        Block length of the bootstrap, in rows (days): the mean length for the
        stationary bootstrap, the fixed length for the others.
    """

    pvalues: pd.Series
    included: list
    excluded: list
    size: float
    block_size: int

    def table(self) -> pd.DataFrame:
        """p-value and membership per model, as a report shows it."""
        return pd.DataFrame(
            {"pvalue": self.pvalues, "in_set": self.pvalues.index.isin(self.included)}
        )


def default_block_size(n_rows: int) -> int:
    """``ceil(sqrt(n))`` days, the square-root rule rounded up.

    arch's own default (``MCS(block_size=None)``) is ``int(sqrt(n))``, rounded down: the
    two differ by one day unless ``n`` is a perfect square. Rounding up leans towards
    the longer block that the months-long clusters of VIX forecast losses call for.
    """
    return int(np.ceil(np.sqrt(n_rows)))


@validate_params(
    {
        "losses": [pd.DataFrame, "array-like"],
        "size": [Interval(Real, 0, 1, closed="neither")],
        "block_size": [Interval(Integral, 1, None, closed="left"), None],
        "method": [StrOptions({"R", "max"})],
        "bootstrap": [StrOptions({"stationary", "circular", "moving block"})],
        "reps": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def model_confidence_set(
    losses,
    size: float = 0.1,
    *,
    block_size: int | None = None,
    method: str = "R",
    bootstrap: str = "stationary",
    reps: int = 1000,
    random_state=0,
) -> ModelConfidenceSetResult:
    """Model Confidence Set: the models not significantly worse than the best.

    Models are eliminated one by one while the bootstrap test of equal expected loss
    rejects at ``size``; the survivors contain the best model with probability at least
    ``1 - size`` (Hansen, Lunde and Nason, 2011). The bootstrap resamples blocks of days,
    as the losses of daily VIX forecasts are autocorrelated; this wraps
    :class:`arch.bootstrap.MCS`.

    Parameters
    ----------
    losses : DataFrame or array-like of shape (n_days, n_models)
        Per-day losses, one column per model (named; ``model0..`` for arrays), as
        :meth:`~sklearn_vix.model_selection.BacktestResult.losses` gives them.
    size : float, default=0.1
        Test size: the set is a ``1 - size`` confidence set.
    block_size : int or None, default=None
        Block length of the bootstrap in days (the mean length for the stationary
        bootstrap); ``ceil(sqrt(n_days))`` when None, one day more than arch's default
        ``int(sqrt(n_days))`` unless ``n_days`` is a perfect square.
    method : {"R", "max"}, default="R"
        The elimination statistic of Hansen, Lunde and Nason: ``"R"`` the largest
        standardised mean loss difference between two models of the set, ``"max"`` the
        largest standardised difference between a model's mean loss and the set's.
    bootstrap : {"stationary", "circular", "moving block"}, default="stationary"
        The block bootstrap that resamples the days (arch's ``StationaryBootstrap``,
        ``CircularBlockBootstrap`` or ``MovingBlockBootstrap``).
    reps : int, default=1000
        Bootstrap replications.
    random_state : int, Generator, RandomState or None, default=0
        Seed of the bootstrap; fixed by default so that a report is reproducible.

    Returns
    -------
    result : ModelConfidenceSetResult

    References
    ----------
    Hansen, P. R., Lunde, A. and Nason, J. M. (2011). The model confidence set.
    Econometrica, 79(2), 453-497.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_vix.stats import model_confidence_set
    >>> rng = np.random.default_rng(0)
    >>> losses = pd.DataFrame({"good": rng.chisquare(1, 500),
    ...                        "same": rng.chisquare(1, 500),
    ...                        "bad": 3 * rng.chisquare(1, 500)})
    >>> result = model_confidence_set(losses, size=0.1, reps=200)
    >>> sorted(result.included), result.excluded, result.block_size
    (['good', 'same'], ['bad'], 23)
    """
    if not isinstance(losses, pd.DataFrame):
        values = np.asarray(losses, dtype=np.float64)
        if values.ndim != 2:
            raise ValueError(f"losses must be 2-D (days x models), got shape {values.shape}.")
        losses = pd.DataFrame(values, columns=[f"model{k}" for k in range(values.shape[1])])
    if losses.shape[1] < 2:
        raise ValueError(f"losses must hold at least two models (columns), got {losses.shape[1]}.")
    if losses.isna().any().any() or not np.isfinite(losses.to_numpy(dtype=np.float64)).all():
        column = losses.columns[(~np.isfinite(losses.to_numpy(dtype=np.float64))).any(axis=0)][0]
        raise ValueError(f"losses of model {column!r} hold NaN or infinite values.")
    losses = losses.astype(np.float64)
    losses.columns = [str(c) for c in losses.columns]
    block = default_block_size(len(losses)) if block_size is None else int(block_size)
    # Models with identical losses (one point forecast behind two interval methods) give a
    # zero-variance pair that the bootstrap statistic cannot divide by: the set is computed
    # on one column of each group, and the others share its p-value.
    first_of = {
        name: losses.columns[_first_identical(losses, k)] for k, name in enumerate(losses.columns)
    }
    distinct = losses[[name for name in losses.columns if first_of[name] == name]]
    if distinct.shape[1] == 1:
        pvalues = pd.Series(1.0, index=losses.columns, name="pvalue")
        return ModelConfidenceSetResult(pvalues, list(losses.columns), [], size, block)
    mcs = MCS(
        distinct,
        size,
        reps=reps,
        block_size=block,
        method=method,
        bootstrap=bootstrap,
        seed=random_state,
    )
    mcs.compute()
    found = mcs.pvalues["Pvalue"]
    found.index = [str(name) for name in found.index]
    order = sorted(losses.columns, key=lambda name: list(found.index).index(first_of[name]))
    pvalues = pd.Series([found[first_of[name]] for name in order], index=order, name="pvalue")
    included = {str(m) for m in mcs.included}
    return ModelConfidenceSetResult(
        pvalues,
        [name for name in order if first_of[name] in included],
        [name for name in order if first_of[name] not in included],
        size,
        block,
    )


def _first_identical(losses: pd.DataFrame, k: int) -> int:
    """Position of the first column whose values equal those of column ``k``."""
    values = losses.to_numpy()
    return next(j for j in range(k + 1) if np.array_equal(values[:, j], values[:, k]))
