"""Display objects in the style of scikit-learn's ``PredictionErrorDisplay``.

Each Display stores its data through a keyword-only ``__init__``; ``plot(ax=None, *,
name=None, **kwargs)`` draws it, passing style keywords on to matplotlib; class methods
build it from a fitted estimator (never fitting one), from raw predictions, or from the
out-of-fold predictions of :func:`~sklearn_vix.model_selection.compare_models`. After
``plot``, ``ax_`` and ``figure_`` hold what was drawn. matplotlib is optional: a Display
raises a clear ``ImportError`` when it is missing.
"""

from ._coverage import CoverageDisplay
from ._fold_scores import FoldScoresDisplay
from ._forecast import ForecastDisplay
from ._loss_curve import LossCurveDisplay
from ._series import SeriesDisplay

__all__ = [
    "CoverageDisplay",
    "FoldScoresDisplay",
    "ForecastDisplay",
    "LossCurveDisplay",
    "SeriesDisplay",
]
