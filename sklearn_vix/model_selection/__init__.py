"""Evaluate forecasters in time order: folds, out-of-fold predictions and comparisons."""

from ._compare import ModelComparison, compare_models, default_cv, out_of_fold_predict

__all__ = ["ModelComparison", "compare_models", "default_cv", "out_of_fold_predict"]
