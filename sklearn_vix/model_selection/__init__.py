"""Evaluate forecasters in time order: folds, out-of-fold predictions, comparisons and
walk-forward backtests."""

from ._backtest import BacktestResult, backtest, compare_backtests
from ._compare import ModelComparison, compare_models, default_cv, out_of_fold_predict

__all__ = [
    "BacktestResult",
    "ModelComparison",
    "backtest",
    "compare_backtests",
    "compare_models",
    "default_cv",
    "out_of_fold_predict",
]
