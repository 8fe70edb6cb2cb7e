"""Baseline forecasters: persistence (the random walk), the HAR model, linear quantiles."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression, QuantileRegressor
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._log_target import retransformation_factor
from ._validation import check_positive, check_quantiles, resolve_target_column, validate_rows
from .preprocessing import HARTransformer
from .preprocessing._har import HAR_PARAMETER_CONSTRAINTS

__all__ = ["HARRegressor", "LinearQuantileRegressor", "PersistenceRegressor"]


def _as_outputs(prediction: np.ndarray, n_outputs: int | None) -> np.ndarray:
    """A 1-D prediction for a 1-D target, (n_samples, n_outputs) otherwise."""
    if n_outputs is None:
        return prediction
    return np.repeat(prediction[:, None], n_outputs, axis=1)


def _n_outputs(y: np.ndarray) -> int | None:
    return None if y.ndim == 1 else y.shape[1]


class PersistenceRegressor(RegressorMixin, BaseEstimator):
    """Random-walk forecast: every future step equals the latest observed value.

    The ``DummyRegressor`` of forecasting, and the bar every model must clear. It reads
    the latest value of the target from each row of ``X``: from raw rows, the target
    column; from :class:`~sklearn_vix.WindowTransformer` windows, the same column of the
    newest step, which the window layout puts at the same position.

    Parameters
    ----------
    target_column : int or str, default=0
        Position or name of the column holding the target's latest value. A name
        ``"vix"`` also matches the window column ``"vix_lag0"``.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen in ``fit``, when ``X`` has them.
    target_index_ : int
        Position of the target column.
    n_outputs_ : int or None
        Number of forecast steps for a 2-D ``y``; None for a 1-D ``y``.

    See Also
    --------
    HARRegressor : The standard volatility baseline.
    sklearn.dummy.DummyRegressor : Constant predictions.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix import PersistenceRegressor
    >>> X = np.array([[20.0, 1.0], [22.0, 1.0], [21.0, 1.0]])
    >>> y = np.array([22.0, 21.0, 19.0])
    >>> PersistenceRegressor().fit(X, y).predict(X)
    array([20., 22., 21.])
    """

    _parameter_constraints: dict = {"target_column": [Integral, str]}

    def __init__(self, target_column: int | str = 0):
        self.target_column = target_column

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the data and locate the target column; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows or windows.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Future values of the target.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        _, y = validate_rows(self, X, y, reset=True, multi_output=True, y_numeric=True)
        self.target_index_ = resolve_target_column(self, self.target_column)
        self.n_outputs_ = _n_outputs(y)
        return self

    def predict(self, X) -> np.ndarray:
        """Repeat the latest value of the target for every step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
        """
        check_is_fitted(self)
        X = validate_rows(self, X, reset=False)
        return _as_outputs(X[:, self.target_index_].astype(np.float64), self.n_outputs_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.target_tags.multi_output = True
        return tags


class HARRegressor(RegressorMixin, BaseEstimator):
    """Heterogeneous autoregressive (HAR) model of Corsi (2009), the volatility baseline.

    A linear regression of the future target on its latest value and its 5-day and
    22-day averages (:class:`~sklearn_vix.HARTransformer`), one regression per step of
    a multi-step ``y``. With ``log=True`` the forecast is brought back to levels as
    ``exp(prediction)`` times the mean of ``exp(residual)`` on the training rows (Duan's
    smearing), an estimate of the conditional mean rather than the median.

    The averages of a test fold's first rows take their history from the end of the fit
    data when the fold directly continues it (the rule of
    :class:`~sklearn_vix.WindowTransformer`).

    Parameters
    ----------
    target_column : int or str, default=0
        Position or name of the target column in ``X`` (raw rows, oldest first).
    log : bool, default=False
        Model the logarithm of the target (and of its averages), and bring the forecast
        back to levels with Duan's smearing. The user guide compares levels and logs on
        the real VIX and on the simulator (``benchmarks/bench_accuracy.py``).
    windows : tuple of int, default=(1, 5, 22)
        Lengths, in rows, of the averages used as regressors (distinct, positive).
        ``fit`` needs at least ``max(windows)`` rows.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen in ``fit``, when ``X`` has them.
    features_ : HARTransformer
        The fitted feature transformer.
    regression_ : LinearRegression
        The fitted regression on the HAR features.
    smearing_ : ndarray of shape (n_outputs,)
        Mean of ``exp(residual)`` per step (ones when ``log=False``).
    n_outputs_ : int or None
        Number of forecast steps for a 2-D ``y``; None for a 1-D ``y``.

    See Also
    --------
    PersistenceRegressor : The random-walk forecast.

    References
    ----------
    Corsi, F. (2009). A simple approximate long-memory model of realized volatility.
    Journal of Financial Econometrics, 7(2), 174-196.

    Duan, N. (1983). Smearing estimate: a nonparametric retransformation method.
    Journal of the American Statistical Association, 78(383), 605-610.

    Examples
    --------
    >>> from sklearn_vix import HARRegressor
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim().iloc[:1000])
    >>> har = HARRegressor().fit(X.iloc[:800], y.iloc[:800])
    >>> har.predict(X.iloc[800:]).shape
    (199,)
    """

    _parameter_constraints: dict = HAR_PARAMETER_CONSTRAINTS

    def __init__(self, target_column: int | str = 0, log: bool = False, windows=(1, 5, 22)):
        self.target_column = target_column
        self.log = log
        self.windows = windows

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the regression of the future target on the HAR features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Future values of the target (positive when ``log=True``).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        _, y = validate_rows(self, X, y, reset=True, multi_output=True, y_numeric=True)
        self.n_outputs_ = _n_outputs(y)
        self.features_ = HARTransformer(self.target_column, self.log, self.windows).fit(X)
        features = self.features_.transform(X)
        target = y.astype(np.float64)
        if self.log:
            check_positive(target, "y")
            target = np.log(target)
        self.regression_ = LinearRegression().fit(features, target)
        residuals = (target - self.regression_.predict(features)).reshape(len(target), -1)
        # The retransformation of LogTargetRegressor(bias_correction="smearing").
        self.smearing_ = retransformation_factor(residuals, "smearing" if self.log else None)
        return self

    def predict(self, X) -> np.ndarray:
        """Forecast the target for every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows; a table that continues the fit data is completed from it.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
        """
        check_is_fitted(self)
        validate_rows(self, X, reset=False)
        prediction = self.regression_.predict(self.features_.transform(X))
        if not self.log:
            return prediction
        smearing = self.smearing_ if self.n_outputs_ is not None else self.smearing_[0]
        return np.exp(prediction) * smearing

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.target_tags.multi_output = True
        tags.input_tags.positive_only = self.log
        tags.target_tags.positive_only = self.log
        return tags


def _statsmodels_quantiles(X: np.ndarray, target: np.ndarray, levels) -> np.ndarray:
    """statsmodels' ``QuantReg`` per level and step: (n_levels, n_steps, 1 + n_features).

    Column 0 is the intercept. Its IRLS divides by the residuals (clipped at 1e-6), so the
    numpy warnings of a perfect fit are silenced; its convergence warnings are not.
    """
    from statsmodels.regression.quantile_regression import QuantReg

    design = np.column_stack([np.ones(len(X)), X])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.array(
            [
                [
                    QuantReg(target[:, k], design).fit(q=float(level)).params
                    for k in range(target.shape[1])
                ]
                for level in levels
            ]
        )


class LinearQuantileRegressor(RegressorMixin, BaseEstimator):
    """Linear quantile regression at fixed levels, one fit per level and forecast step.

    The linear baseline of a quantile forecast: the pinball loss minimised on the same
    rows for every level of ``quantiles`` and every column of a multi-step ``y``, either
    as a linear programme (scikit-learn's :class:`~sklearn.linear_model.QuantileRegressor`)
    or by statsmodels' iteratively reweighted least squares
    (:class:`statsmodels.regression.quantile_regression.QuantReg`, ``solver="statsmodels"``).
    On the VIX's 8,500 rows and 15 features of ``make_forecaster``, one level of one step
    takes 3.5-4.8 s with "highs"; with statsmodels on one BLAS thread, all 20 levels of
    5 steps (the pipeline included) take about 7 s.
    :meth:`predict` is the median (fitted even when 0.5 is not among ``quantiles``);
    :meth:`predict_quantiles` gives every level. Separate fits may cross (a 90 % line
    below the 75 % one at some row): the levels of each row and step are sorted, the
    rearrangement of Chernozhukov, Fernández-Val and Galichon (2010), which never makes
    the pinball loss worse.

    It reads the features it is given, so it compares with a net on the same columns
    (for instance those of a fitted ``make_forecaster`` pipeline's transformers); its
    outputs pass through :class:`~sklearn_vix.ConformalForecaster`'s ``conformity_score="cqr"``
    for finite-sample coverage.

    Parameters
    ----------
    quantiles : array-like of float, default=(0.05, 0.25, 0.5, 0.75, 0.95)
        The levels fitted, increasing, in (0, 1).
    alpha : float, default=0.0
        L1 penalty of every fit (``QuantileRegressor``'s ``alpha``); 0 for none. Only 0
        with ``solver="statsmodels"``.
    solver : {"highs", "highs-ds", "highs-ipm", "statsmodels"}, default="highs"
        "highs", "highs-ds" and "highs-ipm": the exact linear programme, solved by
        ``scipy.optimize.linprog`` through ``QuantileRegressor``. "statsmodels":
        ``QuantReg(y, X).fit(q=level)``, iteratively reweighted least squares started
        from least squares, much faster on thousands of rows. It approximates the same
        minimum: its pinball loss is within 0.1 % of the exact one (tested on small
        data), also for a level whose iterations reach statsmodels' limit (1,000), which
        keeps the last iterate and warns (``IterationLimitWarning``). Its many small
        least-squares solves slow down sharply with a multi-threaded BLAS on a busy
        machine (ten times, measured on two cores): set ``OMP_NUM_THREADS=1`` there.

    Attributes
    ----------
    levels_ : ndarray of shape (n_levels,)
        The levels fitted: ``quantiles`` and 0.5.
    coef_ : ndarray of shape (n_levels, n_steps, n_features)
        Coefficients of each level and step.
    intercept_ : ndarray of shape (n_levels, n_steps)
        Intercepts of each level and step.
    n_outputs_ : int or None
        Number of forecast steps for a 2-D ``y``; None for a 1-D ``y``.
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen in ``fit``, when ``X`` has them.

    See Also
    --------
    sklearn.linear_model.QuantileRegressor : One level, one target.
    HARRegressor : The linear baseline of the mean.

    References
    ----------
    Koenker, R. and Bassett, G. (1978). Regression quantiles. Econometrica 46(1).

    Chernozhukov, V., Fernández-Val, I. and Galichon, A. (2010). Quantile and
    probability curves without crossing. Econometrica 78(3).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix import LinearQuantileRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = X @ [1.0, -1.0] + rng.normal(size=200)
    >>> model = LinearQuantileRegressor(quantiles=[0.1, 0.9]).fit(X, y)
    >>> model.predict_quantiles(X[:3]).shape
    (3, 2)
    >>> bool(((model.predict_quantiles(X)[:, 0] <= y) & (y <= model.predict_quantiles(X)[:, 1])
    ...       ).mean() > 0.75)
    True
    """

    _parameter_constraints: dict = {
        "quantiles": ["array-like"],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions({"highs", "highs-ds", "highs-ipm", "statsmodels"})],
    }

    def __init__(self, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95), *, alpha: float = 0.0,
                 solver: str = "highs"):  # fmt: skip
        self.quantiles = quantiles
        self.alpha = alpha
        self.solver = solver

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit one linear quantile regression per level and step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Feature rows.
        y : array-like of shape (n_samples,) or (n_samples, horizon)
            Future values of the target.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_rows(self, X, y, reset=True, multi_output=True, y_numeric=True)
        levels = check_quantiles(self.quantiles)
        self.levels_ = np.union1d(levels, [0.5])
        self.n_outputs_ = _n_outputs(y)
        target = y.astype(np.float64).reshape(len(y), -1)
        if self.solver == "statsmodels":
            if self.alpha != 0:
                raise ValueError(
                    f'solver="statsmodels" fits no L1 penalty: got alpha={self.alpha}; use '
                    'alpha=0 or a "highs" solver.'
                )
            params = _statsmodels_quantiles(X.astype(np.float64), target, self.levels_)
            self.intercept_, self.coef_ = params[..., 0], params[..., 1:]
            return self
        fits = [
            [
                QuantileRegressor(quantile=level, alpha=self.alpha, solver=self.solver).fit(
                    X, target[:, k]
                )
                for k in range(target.shape[1])
            ]
            for level in self.levels_
        ]
        self.coef_ = np.array([[fit.coef_ for fit in steps] for steps in fits])
        self.intercept_ = np.array([[fit.intercept_ for fit in steps] for steps in fits])
        return self

    def _all_levels(self, X) -> np.ndarray:
        """Every fitted level of every row and step, sorted: (n_samples, n_steps, n_levels)."""
        check_is_fitted(self)
        X = validate_rows(self, X, reset=False).astype(np.float64)
        values = np.einsum("nf,lsf->nsl", X, self.coef_) + self.intercept_.T[None]
        return np.sort(values, axis=-1)

    def predict(self, X) -> np.ndarray:
        """The median forecast.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
        """
        median = self._all_levels(X)[..., int(np.searchsorted(self.levels_, 0.5))]
        return median[:, 0] if self.n_outputs_ is None else median

    def predict_quantiles(self, X, quantiles=None) -> np.ndarray:
        """The forecast's quantiles at fitted levels, non-decreasing in the level.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        quantiles : array-like of float, default=None
            Levels among those fitted (``levels_``); None for ``quantiles``.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or \
                (n_samples, horizon, n_quantiles)
            Two-dimensional for a 1-D ``y`` in ``fit``, as
            :meth:`sklearn_vix.ConformalForecaster.predict_quantiles`.
        """
        values = self._all_levels(X)
        levels = check_quantiles(self.quantiles if quantiles is None else quantiles)
        found = np.searchsorted(self.levels_, levels).clip(max=len(self.levels_) - 1)
        missing = ~np.isclose(self.levels_[found], levels, rtol=0, atol=1e-12)
        if missing.any():
            raise ValueError(
                f"LinearQuantileRegressor was fitted at quantiles {self.levels_.tolist()}, "
                f"not at {levels[missing].tolist()}: refit with those levels in quantiles."
            )
        values = values[..., found]
        return values[:, 0] if self.n_outputs_ is None else values

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
