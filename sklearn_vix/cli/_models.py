"""The models the commands fit: the study's, from persistence to the net, and the one
`predict` fits by default."""

from __future__ import annotations

from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from ..baselines import HARRegressor, PersistenceRegressor
from ..forecasters import make_forecaster
from ..intervals import ConformalForecaster
from ..preprocessing import WindowTransformer
from ._common import CommandError

# Training budget of the net in `report`, chosen so that the whole study on the shipped
# 8,574 days fits in about a minute on two cores (the library default is 100 epochs with
# patience 10). `--quick` is for smoke tests only.
NET_EPOCHS = {"full": (20, 5), "quick": (2, 2)}
# The study's net, and the model `predict` fits by default: the one the report
# recommends on the shipped data (benchmarks/results/recommended.md, checked by a test).
NET = "LSTM (log)"
LINEAR = "linear (log, calendar)"
DEFAULT_MODEL = LINEAR
COVERAGE = 0.9


def net_forecaster(
    *,
    lookback: int = 10,
    device: str = "cpu",
    random_state: int = 0,
    max_epochs: int = 100,
    patience: int = 10,
    cell: str = "lstm",
):
    """``make_forecaster(RecurrentRegressor(cell), lookback=...)``: a net on log VIX windows.

    Log space and the calendar of the target session are where the skill is on the real
    VIX; the net is not significantly better than the linear model with the same inputs
    (README, "What to expect"), so it is not the recommended model there.
    """
    try:
        from ..neural import RecurrentRegressor
    except ImportError as error:
        raise CommandError(
            f"{error}; or pass --no-nets (report) to use the baselines alone"
        ) from error
    net = RecurrentRegressor(
        cell=cell,
        device=device,
        random_state=random_state,
        max_epochs=max_epochs,
        patience=patience,
    )
    return make_forecaster(net, lookback=lookback)


def with_intervals(model, *, coverage: float = COVERAGE, method: str = "cross"):
    """The model with conformal prediction intervals (:class:`ConformalForecaster`)."""
    return ConformalForecaster(model, coverage=coverage, method=method)


def study_models(*, lookback: int, nets: bool, device: str, random_state: int, quick: bool) -> dict:
    """The report's models, from the simplest to the most complex (the order in which the
    recommendation rule, :mod:`._recommend`, prefers them on a tie).

    Persistence, HAR in levels and logs, the linear model on windows, the linear model of
    ``make_forecaster`` (log space and the calendar: the calendar's gain is the step from
    the windows' linear model to it) and the net. Log-HAR carries the 90 % conformal
    intervals of the comparison: cross-fitted, they cost six HAR fits per fold
    (milliseconds), where the net's would cost six net fits.
    """
    models = {
        "persistence": PersistenceRegressor(),
        "HAR": HARRegressor(),
        "HAR (log)": with_intervals(HARRegressor(log=True)),
        f"linear (lookback {lookback})": make_pipeline(
            WindowTransformer(lookback), LinearRegression()
        ),
        LINEAR: linear_forecaster(lookback),
    }
    if nets:
        max_epochs, patience = NET_EPOCHS["quick" if quick else "full"]
        models[NET] = net_forecaster(
            lookback=lookback,
            device=device,
            random_state=random_state,
            max_epochs=max_epochs,
            patience=patience,
        )
    return models


def linear_forecaster(lookback: int = 10):
    """``make_forecaster(LinearRegression(), lookback=...)``: the recommended model on the
    shipped data (log windows and the calendar of the target session)."""
    return make_forecaster(LinearRegression(), lookback=lookback)


def final_forecaster(name: str, models: dict, coverage: float = COVERAGE):
    """The study's model ``name``, unfitted, with the 90 % conformal band of the forecast.

    A net gets split-conformal intervals (one fit: the first 80 % of the days train, the
    last 20 % calibrate); every other model cross-fitted ones (its point forecast is
    fitted on every day), which cost a few fits of a model that fits in milliseconds.
    """
    model = clone(models[name])
    if isinstance(model, ConformalForecaster):
        return model.set_params(coverage=coverage)
    return with_intervals(model, coverage=coverage, method="split" if name == NET else "cross")
