"""`sklearn-vix backtest`: walk-forward forecasts of every day, refitted on a schedule."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..baselines import HARRegressor, PersistenceRegressor
from ..datasets import make_supervised
from ..forecasters import make_forecaster
from ..model_selection import backtest, compare_backtests
from . import _html
from ._common import CommandError, add_data_argument, positive_int, read_data
from ._figures import VIX_AXIS
from ._models import COVERAGE, net_forecaster, with_intervals

HELP = "walk forward through the data: forecast every day, refit on a schedule"

# Rows of the rolling windows of the page's coverage and RMSE curves (about a quarter).
_ROLLING = 66
# Training budget of a net's first fit; warm refits continue for at most _WARM_EPOCHS.
_NET_EPOCHS, _NET_PATIENCE, _WARM_EPOCHS = 20, 5, 5


def _models(lookback: int, seed: int) -> dict:
    from sklearn.linear_model import LinearRegression

    return {
        "har": lambda: with_intervals(make_forecaster(HARRegressor())),
        "linear": lambda: with_intervals(make_forecaster(LinearRegression(), lookback=lookback)),
        "lstm": lambda: net_forecaster(
            lookback=lookback, random_state=seed, max_epochs=_NET_EPOCHS, patience=_NET_PATIENCE
        ),
    }


def _window(text: str):
    if text == "expanding":
        return text
    try:
        return positive_int(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected 'expanding' or a number of rows, got {text!r}"
        ) from None


def _date(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2023-01-03, got {text!r}"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_argument(parser)
    parser.add_argument(
        "--start",
        type=_date,
        help="first forecast origin, a date (default: three years before the data's end)",
    )
    parser.add_argument(
        "--refit-every", type=positive_int, default=22, help="sessions between refits (22)"
    )
    parser.add_argument(
        "--window",
        type=_window,
        default="expanding",
        help="'expanding' (every known day) or the number of latest days to train on",
    )
    parser.add_argument(
        "--model",
        action="append",
        choices=["har", "linear", "lstm"],
        help="a model to backtest, repeatable (default: har and linear). har and linear "
        f"carry {COVERAGE * 100:.0f}%% conformal intervals updated online; lstm refits warm",
    )
    parser.add_argument("--horizon", type=positive_int, default=1, help="days ahead (1)")
    parser.add_argument("--lookback", type=positive_int, default=10, help="window (10)")
    parser.add_argument("--seed", type=int, default=0, help="random_state of the net")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("backtest"),
        metavar="PREFIX",
        help="writes PREFIX.csv (the forecasts) and PREFIX.html (default: backtest)",
    )


def run_backtests(frame, models: dict, *, start, refit_every=22, window="expanding",
                  horizon=1, progress=None) -> dict:  # fmt: skip
    """Backtests of ``models`` (name -> unfitted estimator) and of persistence (unless
    ``models`` holds it), over the same origins."""
    X, y = make_supervised(frame[["vix"]], horizon=horizon)
    runs = {}
    for name, model in models.items():
        runs[name] = backtest(
            clone(model),
            X,
            y,
            start=start,
            refit_every=refit_every,
            window=window,
            warm_epochs=_WARM_EPOCHS,
            progress=progress,
        )
    if "persistence" not in runs:
        runs["persistence"] = backtest(PersistenceRegressor(), X, y, start=start, progress=False)
    return runs


def _forecast_figure(run, name: str):
    wide = run.wide
    truth, forecast = wide("actual"), wide("forecast")
    bounds = np.stack([wide("lower").to_numpy(), wide("upper").to_numpy()], axis=-1)
    has_bounds = np.isfinite(bounds).all()
    from ..plotting import ForecastDisplay

    refits = run.forecasts.groupby("origin")["refit"].first()
    display = ForecastDisplay.from_predictions(
        truth, forecast, y_interval=bounds if has_bounds else None, folds=refits, name=name
    )
    display.ax_.set_title(f"{name}: walk-forward forecasts (refits marked)")
    display.ax_.set_ylabel(VIX_AXIS)
    return display.figure_


def _coverage_figure(run, name: str):
    from ..plotting import CoverageDisplay

    wide = run.wide
    bounds = np.stack([wide("lower").to_numpy(), wide("upper").to_numpy()], axis=-1)
    display = CoverageDisplay.from_predictions(
        wide("actual"), bounds, coverage=run.coverage, window=_ROLLING, name=name
    )
    display.ax_.set_title(f"{name}: rolling coverage over {_ROLLING} days")
    return display.figure_


def _rmse_figure(runs: dict):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(10, 3.5))
    naive = runs["persistence"].losses()
    naive_rolling = naive.rolling(_ROLLING).mean()
    for name, run in runs.items():
        if name == "persistence":
            continue
        ratio = np.sqrt(run.losses().rolling(_ROLLING).mean() / naive_rolling)
        ax.plot(ratio.index, ratio.to_numpy(), label=name)
    ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_ylabel("RMSE / persistence")
    ax.set_title(f"Rolling RMSE ratio to persistence over {_ROLLING} days (below 1: better)")
    ax.legend()
    return figure


# What the command calls the models it can walk, the losses and the columns of its tables.
_LABELS = {"har": "log-HAR", "linear": "linear (log, calendar)", "lstm": "LSTM (log)"}
_LOSSES = {"squared": "squared error", "absolute": "absolute error", "qlike": "QLIKE"}
_HEADERS = {"mcs_pvalue": "MCS p-value", "in_mcs": "in the MCS"}
_TESTS = {"dm_vs_": "DM p vs", "cw_vs_": "CW p vs"}


def _header(column: str, loss: str) -> str:
    if column == "mean_loss":
        return f"mean {_LOSSES[loss]}"
    for prefix, label in _TESTS.items():
        if column.startswith(prefix):
            return f"{label} {column[len(prefix) :]}"
    return _HEADERS.get(column, column)


def _readable(table: pd.DataFrame, loss: str) -> pd.DataFrame:
    """Human headers for the page (the CSV keeps the raw ones)."""
    return table.rename(columns={column: _header(column, loss) for column in table.columns})


def _summary(runs: dict) -> pd.DataFrame:
    rows = {}
    for name, run in runs.items():
        row = {
            "refits": len(run.fits),
            "fit time (s)": run.fits["fit_time"].sum(),
            "RMSE (VIX points)": run.metrics.loc["all", "rmse"],
            "RMSE ÷ persistence": run.metrics.loc["all", "rmse_ratio"],
            "coverage of the band": run.metrics.loc["all"].get("coverage", np.nan),
        }
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def sections(runs: dict, *, size: float = 0.1, title: str = "Walk-forward forecasts") -> list[str]:
    """The HTML sections of a walk-forward study: figures, metrics and, when there are
    models to rank (persistence and at least one other), the MCS table."""
    import matplotlib.pyplot as plt

    first_name = next(iter(runs))
    first = runs[first_name]
    parts = [_html.figure_tag(_forecast_figure(first, first_name), "Walk-forward forecasts")]
    if first.coverage is not None:
        parts.append(_html.figure_tag(_coverage_figure(first, first_name), "Rolling coverage"))
    origins = first.forecasts["origin"]
    steps = first.forecasts["step"].max()
    walked = (
        f"Origins {origins.iloc[0].date()} to {origins.iloc[-1].date()}, forecasts 1 to "
        f"{steps} sessions ahead; each forecast uses only the days up to its origin; "
        f"{len(first.fits)} fits."
    )
    if len(runs) == 1:
        plt.close("all")
        table = _html.table_tag(_summary(runs))
        return [_html.section(title, *parts, table, _html.paragraph(walked, "note"))]
    parts.append(_html.figure_tag(_rmse_figure(runs), "Rolling RMSE ratio to persistence"))
    plt.close("all")
    ranking = compare_backtests(runs, size=size)
    loss = _LOSSES[ranking.attrs["loss"]]
    bootstrap = ranking.attrs["bootstrap"]
    block = "mean block" if bootstrap == "stationary" else "block"
    note = (
        f"{walked} Model Confidence Set at size {size} (the models kept contain the "
        f"best with probability {1 - size:.0%}), {bootstrap} bootstrap with {block} "
        f"{ranking.attrs['block_size']} days, {loss} of step "
        f"{ranking.attrs['step']}; DM p vs a model: two-sided Diebold-Mariano p-values of "
        f"equal {loss}; CW p vs persistence: one-sided Clark-West p-values that the "
        "model, which nests persistence, has the smaller squared error."
    )
    return [
        _html.section(title, *parts),
        _html.section(
            "Which models are best",
            _html.table_tag(
                _readable(
                    _summary(runs).join(ranking[["mcs_pvalue", "in_mcs"]]), ranking.attrs["loss"]
                )
            ),
            _html.table_tag(_readable(ranking, ranking.attrs["loss"])),
            _html.paragraph(note, "note"),
        ),
    ]


def report_section(frame: pd.DataFrame, models: dict, *, years: int = 2, horizon: int = 1) -> str:
    """A short walk-forward section for `sklearn-vix report`: ``models`` (name -> unfitted
    estimator; a :class:`~sklearn_vix.ConformalForecaster` keeps online conformal
    intervals) over the last ``years`` years, refitted every 22 days, against
    persistence, ``horizon`` sessions ahead."""
    start = frame.index[-1] - pd.DateOffset(years=years)
    runs = run_backtests(frame, models, start=start, horizon=horizon, progress=False)
    name = next(iter(runs))
    span = "year" if years == 1 else f"{years} years"
    title = f"Walk-forward forecasts of {name}, the last {span}"
    return "\n".join(sections(runs, title=title))


def run(args: argparse.Namespace) -> int:
    frame, source = read_data(args.data)
    start = args.start or frame.index[-1] - pd.DateOffset(years=3)
    names = list(dict.fromkeys(args.model or ["har", "linear"]))
    began = time.perf_counter()
    try:
        factories = _models(args.lookback, args.seed)
        runs = run_backtests(
            frame,
            {_LABELS[name]: factories[name]() for name in names},
            start=start,
            refit_every=args.refit_every,
            window=args.window,
            horizon=args.horizon,
        )
    except ValueError as error:
        if str(error).startswith("start="):
            # A --start outside the data is a usage error, as an unreadable one.
            args.parser.error(f"argument --start: {error}")
        raise CommandError(str(error)) from error
    seconds = time.perf_counter() - began
    forecasts = pd.concat(
        [run.forecasts.assign(model=name) for name, run in runs.items()], ignore_index=True
    )
    csv_path = args.output.with_suffix(".csv")
    html_path = args.output.with_suffix(".html")
    forecasts.to_csv(csv_path, index=False)
    settings = _html.paragraph(
        f"Data: {source}. Refit every {args.refit_every} sessions, window {args.window}, "
        f"horizon {args.horizon}, lookback {args.lookback}; {seconds:.1f} s.",
        "note",
    )
    page = _html.page("sklearn-vix walk-forward backtest", [*sections(runs), settings])
    html_path.write_text(page, encoding="utf-8")
    for name, run in runs.items():
        print(
            f"{name}: {len(run.fits)} fits, RMSE ratio to persistence "
            f"{run.metrics.loc['all', 'rmse_ratio']:.4f}"
        )
    print(f"wrote {csv_path} and {html_path} ({seconds:.1f} s)")
    return 0
