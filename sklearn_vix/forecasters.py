"""The recommended forecasters: public transformers and sklearn composition, nothing hidden."""

from __future__ import annotations

from numbers import Integral

from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from ._compat import HasMethods, Interval, StrOptions, validate_params
from ._validation import _DistinctItems, _DistinctPositiveIntegers
from .base import is_interval_forecaster
from .baselines import HARRegressor, PersistenceRegressor
from .compose import LogTargetRegressor
from .preprocessing import (
    CALENDAR_FEATURES,
    CalendarTransformer,
    DailyRangeTransformer,
    HARTransformer,
    LogTransformer,
    WindowTransformer,
)

__all__ = ["make_forecaster"]

# Models that read raw feature rows (and build their own history) rather than windows.
_READS_ROWS = (HARRegressor, PersistenceRegressor)
# Columns of a CBOE file that are the VIX itself at other times of the day.
_PRICE_COLUMNS = ("open", "high", "low", "close")
# The calendar features that measured better on the real VIX by more than they cost on the
# simulator, which has no calendar effect (benchmarks/bench_calendar.py, the user guide).
_DEFAULT_CALENDAR = ("days",)


class _CalendarFeatures(_DistinctItems):
    """Parameter constraint: a non-empty tuple or list of distinct calendar feature names."""

    description = f"names among {sorted(CALENDAR_FEATURES)}"

    def accepts(self, item) -> bool:
        return isinstance(item, str) and item in CALENDAR_FEATURES


def _with_calendar(calendar):
    # Beside the windows, not inside them: the target sessions' calendar is known, not lagged.
    return FeatureUnion(
        [("lags", "passthrough"), ("calendar", CalendarTransformer(features=tuple(calendar)))],
        verbose_feature_names_out=False,
    )


def _features(target, log, har_windows, daily_range, exogenous, reads_rows):
    transformers = [("level", LogTransformer() if log else "passthrough", [target])]
    if har_windows and not reads_rows:
        transformers.append(("har", HARTransformer(log=log, windows=tuple(har_windows)), [target]))
    if daily_range is not None:
        transformers.append(
            (
                "range",
                DailyRangeTransformer(missing=daily_range),
                make_column_selector(pattern=r"^(?:high|low)$"),
            )
        )
    if exogenous:
        others = "|".join((target, *_PRICE_COLUMNS))
        transformers.append(
            ("exogenous", "passthrough", make_column_selector(pattern=rf"^(?!(?:{others})$)"))
        )
    return ColumnTransformer(transformers, verbose_feature_names_out=False)


@validate_params(
    {
        "model": [HasMethods(["fit", "predict"])],
        "lookback": [Interval(Integral, 1, None, closed="left")],
        "log": ["boolean"],
        "target": [str],
        "har_windows": [_DistinctPositiveIntegers(), None],
        "daily_range": [StrOptions({"standardize", "indicator", "zero"}), None],
        "exogenous": ["boolean"],
        "bias_correction": [StrOptions({"smearing", "variance"}), None],
        "calendar": [_CalendarFeatures(), None],
    },
    prefer_skip_nested_validation=True,
)
def make_forecaster(
    model: BaseEstimator,
    *,
    lookback: int = 10,
    log: bool = True,
    target: str = "vix",
    har_windows: tuple[int, ...] | None = None,
    daily_range: str | None = None,
    exogenous: bool = False,
    bias_correction: str | None = "smearing",
    calendar: tuple[str, ...] | None = _DEFAULT_CALENDAR,
) -> BaseEstimator:
    """Build the recommended forecaster of the VIX around ``model``.

    The result is an unfitted scikit-learn estimator made only of public pieces, which
    takes the frame of :func:`~sklearn_vix.datasets.load_vix_csv` or
    :func:`~sklearn_vix.datasets.load_vix_sim` through
    :func:`~sklearn_vix.datasets.make_supervised` (one row per day) and forecasts the
    target at t+1..t+h. With the defaults::

        LogTargetRegressor(                      # fit on log(y), Duan-smeared back
            Pipeline([
                ("features", ColumnTransformer([
                    ("level", LogTransformer(), ["vix"]),
                ], verbose_feature_names_out=False)),
                ("window", WindowTransformer(lookback=10)),
                ("known_future", FeatureUnion([          # not lagged: beside the windows
                    ("lags", "passthrough"),
                    ("calendar", CalendarTransformer(features=("days",))),
                ], verbose_feature_names_out=False)),
                ("scale", StandardScaler()),
                ("model", model),
            ]).set_output(transform="pandas"),
            bias_correction="smearing",
        )

    ``calendar`` adds the NYSE calendar of each target session t+1..t+h, computed from
    the row's date (:class:`~sklearn_vix.preprocessing.CalendarTransformer`; the
    schedule is known in advance, the data's future rows are never read): by default
    the calendar days from t to each target, which carry the weekend and holiday effect
    (options lose value over closed days, so the VIX jumps into Mondays). It is on by
    default because it won in cross-validation on the real VIX: RMSE of day t+1 /
    persistence 0.9883 -> 0.9750 for ``LinearRegression`` (``benchmarks/bench_calendar.py``
    and the user guide's calendar page have the table). ``calendar=None`` switches it off;
    ``regressor__known_future__calendar__features`` switches groups in a grid search. The
    nets read these ``{feature}_step{k}`` columns beside their last hidden state, not as a
    window step; models that read rows (HAR, persistence) do not get them.

    ``har_windows`` adds a ``("har", HARTransformer(log=True, windows=...), ["vix"])``
    feature, ``daily_range`` a ``("range", DailyRangeTransformer(...), <high, low>)``
    one and ``exogenous`` passes the frame's other columns through. All three are off by
    default because none helped: the HAR means and the range made the LSTM worse on the
    real VIX (``benchmarks/bench_skill_variants.py``), and the simulator's S&P 500 return
    and interest rate took the LSTM from 0.5 % to 7 % above the Bayes-optimal RMSE at
    h=5 (the user guide has the numbers).

    Every piece is a parameter of the result (``regressor__model__hidden_size``,
    ``regressor__window__lookback``, ...), so ``GridSearchCV`` reaches it by name. The
    pandas output carries the window layout (``log_vix_lag0, log_vix_lag1, ...``)
    to the networks, and the dates to :class:`~sklearn_vix.WindowTransformer`, whose test
    folds continue their training folds' history. Nothing looks ahead: every feature of
    day t is computed from days up to t, and every statistic from the fit rows.

    :class:`~sklearn_vix.HARRegressor` and :class:`~sklearn_vix.PersistenceRegressor`
    read rows, not windows (HAR builds its own daily, weekly and monthly means): they get
    the feature rows unwindowed and unscaled, with the target's (log) level first, so
    ``make_forecaster(HARRegressor())`` is exactly ``HARRegressor(log=True)``.

    Parameters
    ----------
    model : estimator
        The regressor at the end: a net (``LSTMRegressor(random_state=0)`` is the
        library's best), ``LinearRegression()``, ``HARRegressor()``, any regressor.
        Not an interval forecaster: for intervals, wrap the result,
        ``ConformalForecaster(make_forecaster(model))``. A quantile forecaster
        (``LinearQuantileRegressor()``, a net with ``criterion="quantile"`` or
        ``"gaussian"``) keeps its ``predict_quantiles`` on the result when ``log=True``
        (:meth:`~sklearn_vix.compose.LogTargetRegressor.predict_quantiles`).
    lookback : int, default=10
        Days in each window (ignored for models that read rows).
    log : bool, default=True
        Model log VIX (inputs and target) and bring forecasts back with
        ``bias_correction``. Logs beat levels for the nets on the real VIX.
    target : str, default="vix"
        The column forecast (``make_supervised``'s ``target``).
    har_windows : tuple of int or None, default=None
        Add the target's (log) means over these many days to each row, e.g. ``(5, 22)``,
        so that a short window sees the weekly and monthly level.
    daily_range : {"standardize", "indicator", "zero"} or None, default=None
        When the frame has ``high`` and ``low`` columns, add ``log(high / low)`` handled
        as :class:`~sklearn_vix.preprocessing.DailyRangeTransformer` says.
    exogenous : bool, default=False
        Pass every column other than the target, ``open``, ``high``, ``low`` and
        ``close`` (the simulator's ``sp500_return`` and ``interest_rate``) to the model.
    bias_correction : {"smearing", "variance"} or None, default="smearing"
        With ``log=True``: how the forecast of log VIX is brought back to a mean of the
        VIX (:class:`~sklearn_vix.compose.LogTargetRegressor`).
    calendar : tuple of str or None, default=("days",)
        Feature groups of :class:`~sklearn_vix.preprocessing.CalendarTransformer`
        (``"days"``, ``"log_days"``, ``"gap"``, ``"next_gap"``, ``"weekday"``,
        ``"expiry"``) added for every forecast step; None for none. Needs the frame's
        dates (a ``DatetimeIndex``, as :func:`~sklearn_vix.datasets.make_supervised`
        keeps them).

    Returns
    -------
    forecaster : estimator
        A :class:`~sklearn_vix.compose.LogTargetRegressor` around the pipeline when
        ``log=True``, the :class:`~sklearn.pipeline.Pipeline` itself otherwise.

    See Also
    --------
    sklearn_vix.model_selection.compare_models : Cross-validate forecasters side by side.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_vix import make_forecaster
    >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
    >>> X, y = make_supervised(load_vix_sim().iloc[:1000], horizon=5)
    >>> forecaster = make_forecaster(LinearRegression()).fit(X.iloc[:800], y.iloc[:800])
    >>> forecaster.predict(X.iloc[800:]).shape
    (195, 5)
    >>> forecaster.regressor_["window"].get_feature_names_out()[:3].tolist()
    ['log_vix_lag0', 'log_vix_lag1', 'log_vix_lag2']
    """
    reads_rows = isinstance(model, _READS_ROWS)
    # Only HARRegressor's log parameter means "this model already forecasts in logs"; other
    # models' log (ConformalForecaster's residual space) is not asked about.
    if log and isinstance(model, HARRegressor) and model.log:
        raise ValueError(
            f"make_forecaster(log=True) already models log {target}; pass "
            f"{type(model).__name__}() with log=False, or make_forecaster(..., log=False)."
        )
    if is_interval_forecaster(model):
        raise ValueError(
            f"make_forecaster(model) got an interval forecaster, {type(model).__name__}: "
            "inside the pipeline it would see scaled windows and its predict_interval "
            f"would be hidden. Wrap the result instead: {type(model).__name__}("
            "make_forecaster(<the regressor>))."
        )
    steps = [("features", _features(target, log, har_windows, daily_range, exogenous, reads_rows))]
    if not reads_rows:
        steps.append(("window", WindowTransformer(lookback)))
        if calendar is not None:
            steps.append(("known_future", _with_calendar(calendar)))
        steps.append(("scale", StandardScaler()))
    pipeline = Pipeline([*steps, ("model", model)]).set_output(transform="pandas")
    if not log:
        return pipeline
    return LogTargetRegressor(pipeline, bias_correction=bias_correction)
