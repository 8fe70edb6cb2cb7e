"""Evaluate forecasters in time order: folds, out-of-fold predictions, comparisons and
walk-forward backtests."""

from ._backtest import backtest
from ._compare import (
    ModelComparison,
    compare_backtests,
    compare_models,
    default_cv,
    out_of_fold_predict,
)
from ._continue import ContinuedWalk, continue_walk
from ._result import BacktestResult
from ._split import WalkForwardSplit

__all__ = [
    "BacktestResult",
    "ContinuedWalk",
    "ModelComparison",
    "WalkForwardSplit",
    "backtest",
    "compare_backtests",
    "compare_models",
    "continue_walk",
    "default_cv",
    "out_of_fold_predict",
]
