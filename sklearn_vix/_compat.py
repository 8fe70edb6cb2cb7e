"""Every private scikit-learn name the package uses, imported here and nowhere else.

scikit-learn does not promise these names across releases. Keeping them in one module means
that a release which moves one breaks this file, not fifteen; ``pyproject.toml`` caps
scikit-learn at the next minor release that has not been tested.
"""

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.validation import _check_feature_names_in

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "_check_feature_names_in",
    "_fit_context",
    "_safe_indexing",
    "validate_parameter_constraints",
    "validate_params",
]
