"""Meta-estimators: a regressor fitted on the log of the target, bias-corrected back."""

from __future__ import annotations

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils import check_array, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._compat import HasMethods, StrOptions
from ._log_target import retransformation_factor
from ._validation import check_positive
from .base import is_quantile_forecaster

__all__ = ["LogTargetRegressor"]


def _log_of_positive(y: np.ndarray) -> np.ndarray:
    check_positive(y, "y")
    return np.log(y)


def _forecasting_step(estimator):
    """The estimator whose forecast a (possibly nested) Pipeline returns: its last step."""
    while isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    return estimator


def _pipeline_quantiles(estimator, X, quantiles) -> np.ndarray:
    """``predict_quantiles`` of a quantile forecaster, or of a Pipeline that ends in one.

    A Pipeline has no ``predict_quantiles`` of its own: ``X`` goes through every step but
    the last (``transform``, as ``Pipeline.predict`` does), and the last step's
    quantiles are returned.
    """
    while isinstance(estimator, Pipeline):
        X = estimator[:-1].transform(X)
        estimator = estimator[-1]
    return estimator.predict_quantiles(X, quantiles)


def _regressor_forecasts_quantiles(self) -> bool:
    # The fitted clone once there is one, else the parameter (so that the unfitted
    # forecaster already says what it will offer).
    regressor = getattr(self, "regressor_", self.regressor)
    return is_quantile_forecaster(_forecasting_step(regressor))


class LogTargetRegressor(TransformedTargetRegressor):
    """Fit a regressor on ``log(y)`` and forecast ``y``'s conditional mean, not its median.

    ``exp`` of a forecast of ``log(y)`` is the conditional *median* of ``y``, which is
    below its mean for a right-skewed series such as the VIX, and so biases a
    squared-error forecast downwards. This is sklearn's
    :class:`~sklearn.compose.TransformedTargetRegressor` with ``func=np.log`` and
    ``inverse_func=np.exp`` (it is a subclass: metadata routing, the HTML repr and
    ``transformer_`` come from it) plus the retransformation correction, estimated from
    the regressor's residuals ``r = log(y) - prediction`` on the fit rows, per forecast
    step:

    - ``"smearing"``: multiply by ``mean(exp(r))`` (Duan, 1983), free of any
      distributional assumption; the correction of ``HARRegressor(log=True)``;
    - ``"variance"``: multiply by ``exp(var(r) / 2)``, exact for Gaussian residuals;
    - None: no correction (the median).

    When the regressor forecasts quantiles (or is a Pipeline that ends in a model that
    does), :meth:`predict_quantiles` returns ``exp`` of its quantiles of ``log(y)``,
    which need no correction.

    Parameters
    ----------
    regressor : estimator
        Any regressor; it is cloned and fitted on ``log(y)``.
    bias_correction : {"smearing", "variance"} or None, default="smearing"
        How to bring the forecast back from logs.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    transformer_ : FunctionTransformer
        The target transform, ``log`` (of a positive ``y``) and its inverse ``exp``.
    correction_ : ndarray of shape (n_outputs,)
        The factor each step's ``exp(prediction)`` is multiplied by.
    n_features_in_ : int
        Number of columns seen by ``regressor_``.
    feature_names_in_ : ndarray
        Column names seen by ``regressor_``, when ``X`` has them.

    See Also
    --------
    sklearn.compose.TransformedTargetRegressor : Any target transform, uncorrected.
    sklearn_vix.make_forecaster : The recommended forecasters, built on this class.

    References
    ----------
    Duan, N. (1983). Smearing estimate: a nonparametric retransformation method.
    Journal of the American Statistical Association, 78(383), 605-610.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_vix.compose import LogTargetRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim().iloc[:1000])
    >>> model = LogTargetRegressor(LinearRegression()).fit(X, y)
    >>> bool(model.correction_[0] > 1)
    True
    >>> model.predict(X.iloc[-2:]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        "regressor": [HasMethods(["fit", "predict"])],
        "bias_correction": [StrOptions({"smearing", "variance"}), None],
    }

    # TransformedTargetRegressor's transform parameters, fixed here rather than passed:
    # the log of a positive target (a non-positive one is an error naming its row), and
    # exp back. They are class attributes, so they are no parameters of this class.
    transformer = None
    func = staticmethod(_log_of_positive)
    inverse_func = staticmethod(np.exp)
    check_inverse = False

    def __init__(self, regressor, *, bias_correction: str | None = "smearing"):
        self.regressor = regressor
        self.bias_correction = bias_correction

    def fit(self, X, y, **fit_params):
        """Fit the regressor on ``log(y)`` and estimate the correction from its residuals.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Passed to the regressor unchanged.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Positive targets.
        **fit_params : dict
            Passed to the regressor's ``fit`` (routed, when metadata routing is on).

        Returns
        -------
        self : object
        """
        super().fit(X, y, **fit_params)
        log_target = np.log(check_array(y, ensure_2d=False, dtype=np.float64, input_name="y"))
        prediction = np.asarray(self.regressor_.predict(X), dtype=np.float64)
        residuals = (log_target - prediction.reshape(log_target.shape)).reshape(len(log_target), -1)
        self.correction_ = retransformation_factor(residuals, self.bias_correction)
        return self

    def predict(self, X, **predict_params) -> np.ndarray:
        """Forecast ``y``: ``exp`` of the regressor's forecast times the correction.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        **predict_params : dict
            Passed to the regressor's ``predict`` (routed, when metadata routing is on).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        median = super().predict(X, **predict_params)
        return median * (self.correction_ if median.ndim == 2 else self.correction_[0])

    @available_if(_regressor_forecasts_quantiles)
    def predict_quantiles(self, X, quantiles=None) -> np.ndarray:
        """Forecast ``y``'s quantiles: ``exp`` of the regressor's quantiles of ``log(y)``.

        Only when the regressor (or the last step of a Pipeline regressor, as in
        :func:`~sklearn_vix.make_forecaster`) is a quantile forecaster. A quantile
        commutes with any increasing transform, so ``exp`` of the ``q``-quantile of
        ``log(y)`` is exactly the ``q``-quantile of ``y``: unlike the mean of
        :meth:`predict`, no retransformation correction applies (``correction_`` is
        not used here, and ``bias_correction`` does not change the result).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Passed to the regressor (through a Pipeline's transforms) unchanged.
        quantiles : array-like of float, default=None
            Increasing levels in (0, 1), passed to the regressor's ``predict_quantiles``;
            None for every level a regressor fitted at fixed levels has.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or \
                (n_samples, n_outputs, n_quantiles)
            Positive, non-decreasing along the last axis.

        Examples
        --------
        >>> from sklearn_vix import LinearQuantileRegressor, make_forecaster
        >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
        >>> X, y = make_supervised(load_vix_sim().iloc[:600], horizon=2)
        >>> model = make_forecaster(LinearQuantileRegressor(quantiles=[0.1, 0.9]))
        >>> fan = model.fit(X.iloc[:500], y.iloc[:500]).predict_quantiles(X.iloc[500:])
        >>> fan.shape
        (98, 2, 2)
        >>> bool((fan[..., 0] <= fan[..., 1]).all())
        True
        """
        check_is_fitted(self)
        # exp is the inverse of the log the regressor was fitted on (``inverse_func``).
        return self.inverse_func(_pipeline_quantiles(self.regressor_, X, quantiles))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags = get_tags(self.regressor).input_tags
        tags.target_tags.positive_only = True
        return tags
