"""Is the VIX a random walk? Unit-root, variance-ratio and autocorrelation tests, and EDA.

The tests come from maintained libraries: ADF and KPSS and Ljung-Box from statsmodels,
the Lo-MacKinlay variance ratio from arch. Only the half-life of mean reversion is
computed here (an OLS slope, through statsmodels).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import pandas as pd
import statsmodels.api as sm
from arch.unitroot import VarianceRatio
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.tools.sm_exceptions import InterpolationWarning
from statsmodels.tsa.seasonal import STL
from statsmodels.tsa.stattools import acf, adfuller, kpss

from ._compat import Interval, validate_params
from ._frames import row_index
from ._validation import _DistinctPositiveIntegers, target_values

__all__ = [
    "RandomWalkReport",
    "SeriesDescription",
    "describe_series",
    "random_walk_tests",
    "stress_regimes",
]


def _as_series(series, name: str = "series") -> pd.Series:
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise ValueError(f"Pass one column, got a DataFrame with {series.shape[1]}.")
        series = series.iloc[:, 0]
    series = pd.Series(series, dtype=np.float64)
    if series.isna().any():
        raise ValueError(
            f"The {name} has missing values, first at {series.index[series.isna()][0]!r}."
        )
    if len(series) < 50:
        raise ValueError(f"The {name} needs at least 50 observations, got {len(series)}.")
    return series


def half_life(series) -> float:
    """Half-life of mean reversion, in observations, from an AR(1) fit.

    Fits ``x(t) - x(t-1) = a + b x(t-1) + e`` by OLS; the half-life is
    ``log(0.5) / log(1 + b)`` (infinite when ``b >= 0``: no mean reversion).

    Parameters
    ----------
    series : array-like of shape (n_samples,)

    Returns
    -------
    half_life : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.diagnostics import half_life
    >>> rng = np.random.default_rng(0)
    >>> x = np.zeros(20000)
    >>> for t in range(1, len(x)):
    ...     x[t] = 0.9 * x[t - 1] + rng.normal()
    >>> round(half_life(x), 1)  # log(0.5) / log(0.9) = 6.58
    6.8
    """
    x = np.asarray(series, dtype=np.float64)
    slope = sm.OLS(np.diff(x), sm.add_constant(x[:-1])).fit().params[1]
    return float(np.log(0.5) / np.log1p(slope)) if slope < 0 else float("inf")


@dataclass
class RandomWalkReport:
    """Outcome of :func:`random_walk_tests`: a verdict and the statistics behind it.

    Attributes
    ----------
    verdict : str
        "random walk rejected" or "random walk not rejected", with the tests that decided.
    rejected : bool
        Whether the random-walk hypothesis is rejected.
    tests : DataFrame
        One row per test: statistic, p-value, null hypothesis and whether it rejects.
    half_life : float
        Half-life of mean reversion, in observations.
    alpha : float
        Family-wise significance level.
    """

    verdict: str
    rejected: bool
    tests: pd.DataFrame
    half_life: float
    alpha: float

    def __str__(self) -> str:
        table = self.tests.to_string(float_format=lambda v: f"{v:.4g}")
        return f"{self.verdict}\nhalf-life: {self.half_life:.1f} observations\n{table}"


@validate_params(
    {
        "series": ["array-like"],
        "log": ["boolean"],
        "variance_ratio_lags": [_DistinctPositiveIntegers()],
        "ljung_box_lags": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def random_walk_tests(
    series,
    *,
    log: bool = True,
    variance_ratio_lags=(2, 5, 22),
    ljung_box_lags: int = 10,
    alpha: float = 0.05,
) -> RandomWalkReport:
    """Test whether a series (log VIX by default) is a random walk.

    The random walk is rejected when any test whose null is the random walk rejects at
    ``alpha`` divided by the number of such tests (Bonferroni, so the verdict keeps a
    family-wise level of ``alpha``):

    - augmented Dickey-Fuller (null: unit root), statsmodels ``adfuller``, lags by AIC;
    - Lo-MacKinlay variance ratio at each lag (null: random walk; heteroskedasticity-
      robust), arch ``VarianceRatio``;
    - Ljung-Box on the first differences (null: no autocorrelation of the increments).

    KPSS (null: stationary around a level) is reported beside them: rejecting it is what a
    random walk does, so it does not enter the verdict. The half-life of mean reversion
    comes from an AR(1) fit (:func:`half_life`).

    Parameters
    ----------
    series : array-like or Series of shape (n_samples,)
        The series in levels (a positive series when ``log=True``).
    log : bool, default=True
        Test the logarithm of the series.
    variance_ratio_lags : tuple of int, default=(2, 5, 22)
        Horizons of the variance ratios.
    ljung_box_lags : int, default=10
        Lags of the Ljung-Box test on the differences.
    alpha : float, default=0.05
        Family-wise significance level.

    Returns
    -------
    report : RandomWalkReport

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_vix.diagnostics import random_walk_tests
    >>> walk = np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.05, 3000)))
    >>> random_walk_tests(walk).rejected
    False
    """
    values = _as_series(series)
    if log:
        if (values <= 0).any():
            raise ValueError("log=True needs a positive series; pass log=False otherwise.")
        values = np.log(values)
    x = values.to_numpy()
    rows = []
    adf = adfuller(x, autolag="AIC", result_object=True)
    rows.append(("ADF", adf.statistic, adf.pvalue, "unit root (random walk)", True))
    for lag in variance_ratio_lags:
        ratio = VarianceRatio(x, lags=lag, robust=True)
        rows.append(
            (
                f"variance ratio {lag} (VR={ratio.vr:.3f})",
                ratio.stat,
                ratio.pvalue,
                "random walk",
                True,
            )
        )
    ljung_box = acorr_ljungbox(np.diff(x), lags=[ljung_box_lags])
    rows.append(
        (
            f"Ljung-Box {ljung_box_lags} on differences",
            float(ljung_box["lb_stat"].iloc[0]),
            float(ljung_box["lb_pvalue"].iloc[0]),
            "uncorrelated increments",
            True,
        )
    )
    with warnings.catch_warnings():
        # KPSS p-values are interpolated in a table and capped at 0.01 and 0.1.
        warnings.simplefilter("ignore", InterpolationWarning)
        stationarity = kpss(x, regression="c", nlags="auto", result_object=True)
    rows.append(
        (
            "KPSS",
            stationarity.statistic,
            stationarity.pvalue,
            "stationary (not a random walk)",
            False,
        )
    )
    tests = pd.DataFrame(rows, columns=["test", "statistic", "p_value", "null", "tests_walk"])
    n_walk_tests = int(tests["tests_walk"].sum())
    tests["rejects_null"] = tests["p_value"] < np.where(
        tests["tests_walk"], alpha / n_walk_tests, alpha
    )
    deciding = tests[tests["tests_walk"] & tests["rejects_null"]]["test"].tolist()
    rejected = bool(deciding)
    verdict = (
        f"random walk rejected by {', '.join(deciding)}" if rejected else "random walk not rejected"
    ) + f" (family-wise alpha={alpha}, Bonferroni over {n_walk_tests} tests)"
    return RandomWalkReport(
        verdict=verdict,
        rejected=rejected,
        tests=tests.set_index("test").drop(columns="tests_walk"),
        half_life=half_life(x),
        alpha=alpha,
    )


@dataclass
class SeriesDescription:
    """Exploratory summary of a daily series (see :func:`describe_series`).

    Attributes
    ----------
    summary : Series
        Count, mean, standard deviation, quantiles, share of days above 30.
    decomposition : DataFrame
        STL of the log series: ``observed``, ``trend``, ``seasonal``, ``resid``.
    by_weekday, by_month : DataFrame
        Mean level and mean daily log change per weekday and per calendar month.
    rolling : DataFrame
        Rolling mean and rolling volatility (annualised sd of log changes) of the level.
    autocorrelation : DataFrame
        ACF of the log level and of its daily changes, lags 0..``max_lag``.
    """

    summary: pd.Series
    decomposition: pd.DataFrame
    by_weekday: pd.DataFrame
    by_month: pd.DataFrame
    rolling: pd.DataFrame
    autocorrelation: pd.DataFrame = field(repr=False)


@validate_params(
    {
        "series": ["array-like"],
        "period": [Interval(Integral, 2, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "max_lag": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def describe_series(
    series, *, period: int = 252, window: int = 22, max_lag: int = 60
) -> SeriesDescription:
    """The exploratory summary of a daily level series such as the VIX.

    Trend and seasonality by an STL decomposition (statsmodels) of the log series with a
    yearly ``period`` of trading days, weekday and month profiles, rolling mean and
    volatility, and the autocorrelation of the log level and of its changes.

    Parameters
    ----------
    series : Series with a DatetimeIndex
        Positive daily levels.
    period : int, default=252
        Seasonal period of the STL decomposition, in observations.
    window : int, default=22
        Rolling window, in observations.
    max_lag : int, default=60
        Largest autocorrelation lag.

    Returns
    -------
    description : SeriesDescription

    Examples
    --------
    >>> from sklearn_vix.datasets import load_vix_sim
    >>> from sklearn_vix.diagnostics import describe_series
    >>> description = describe_series(load_vix_sim()["vix"].iloc[:1500])
    >>> list(description.decomposition.columns)
    ['observed', 'trend', 'seasonal', 'resid']
    >>> description.by_weekday.shape
    (5, 2)
    """
    values = _as_series(series)
    if not isinstance(values.index, pd.DatetimeIndex):
        raise TypeError("describe_series needs a Series indexed by dates (a DatetimeIndex).")
    if (values <= 0).any():
        raise ValueError("describe_series needs a positive series (it works in logs).")
    if len(values) < 2 * period:
        raise ValueError(
            f"period={period} needs at least {2 * period} observations, got {len(values)}."
        )
    log_values = np.log(values)
    change = log_values.diff()
    fit = STL(log_values.to_numpy(), period=period).fit()
    decomposition = pd.DataFrame(
        {
            "observed": fit.observed,
            "trend": fit.trend,
            "seasonal": fit.seasonal,
            "resid": fit.resid,
        },
        index=values.index,
    )
    frame = pd.DataFrame({"level": values, "log_change": change})
    by_weekday = (
        frame.groupby(values.index.day_name())
        .mean()
        .reindex(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
        .dropna(how="all")
    )
    by_month = frame.groupby(values.index.month).mean()
    by_month.index.name = "month"
    rolling = pd.DataFrame(
        {
            f"mean_{window}": values.rolling(window).mean(),
            f"volatility_{window}": change.rolling(window).std() * np.sqrt(252),
        }
    )
    autocorrelation = pd.DataFrame(
        {
            "log_level": acf(log_values, nlags=max_lag, fft=True),
            "log_change": acf(change.dropna(), nlags=max_lag, fft=True),
        }
    )
    autocorrelation.index.name = "lag"
    summary = values.describe(percentiles=[0.01, 0.5, 0.99])
    summary["share_above_30"] = float((values > 30).mean())
    return SeriesDescription(summary, decomposition, by_weekday, by_month, rolling, autocorrelation)


@validate_params(
    {
        "X": ["array-like"],
        "target_column": [Integral, str],
        "level": [Interval(Real, 0, None, closed="neither")],
        "range_quantile": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def stress_regimes(
    X, *, target_column: int | str = 0, level: float = 25.0, range_quantile: float = 0.9
) -> pd.DataFrame:
    """Stress flags of each forecast origin, known on the day the forecast is made.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        Raw rows; ``high`` and ``low`` columns (as from
        :func:`~sklearn_vix.datasets.load_vix_csv`) add the range regime.
    target_column : int or str, default=0
        Position or name of the target's column in ``X`` (a name ``"vix"`` also matches
        the window column ``"vix_lag0"``, as for ``PersistenceRegressor``).
    level : float, default=25.0
        The ``vix_above_{level}`` flag marks rows whose target value exceeds it.
    range_quantile : float, default=0.9
        The ``top_range`` flag marks rows whose daily range ``log(high / low)`` is at or
        above this quantile of the rows given (so the top decile by default).

    Returns
    -------
    regimes : DataFrame of bool
        Indexed like ``X``; a ``top_range`` column only when ``X`` has ``high`` and ``low``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.diagnostics import stress_regimes
    >>> stress_regimes(pd.DataFrame({"vix": [12.0, 30.0]}))["vix_above_25"].tolist()
    [False, True]
    """
    index = row_index(X)
    latest = target_values(X, target_column)
    regimes = pd.DataFrame({f"vix_above_{level:g}": latest > level}, index=index)
    if isinstance(X, pd.DataFrame) and {"high", "low"} <= set(X.columns):
        daily_range = np.log(X["high"].to_numpy(float) / X["low"].to_numpy(float))
        regimes["top_range"] = daily_range >= np.quantile(daily_range, range_quantile)
    return regimes
