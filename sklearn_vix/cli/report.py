"""`sklearn-vix report`: the whole study on the real VIX, written as one HTML page and tables.

Is the VIX predictable (random-walk tests), which model is best (time-series
cross-validation with Diebold-Mariano tests against persistence), and what does the best
model forecast for the next days.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..calendar import next_sessions
from ..datasets import make_supervised
from ..diagnostics import random_walk_tests
from ..model_selection import ModelComparison, compare_models, default_cv
from ..serialization import save_model
from . import _html
from ._common import (
    CommandError,
    add_data_argument,
    check_rows,
    positive_int,
    read_data,
    show_progress,
)
from ._models import (
    COVERAGE,
    NET_EPOCHS,
    RECOMMENDED,
    recommended_forecaster,
    study_models,
    with_intervals,
)

HELP = "run the whole study (random walk, model comparison, forecast) into an HTML report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_argument(parser)
    parser.add_argument("--horizon", type=positive_int, default=1, help="days ahead (default 1)")
    parser.add_argument(
        "--lookback", type=positive_int, default=10, help="window length in days (default 10)"
    )
    parser.add_argument(
        "--splits", type=positive_int, default=5, help="TimeSeriesSplit folds (default 5)"
    )
    parser.add_argument(
        "--device",
        default="auto",
        choices=["auto", "cpu", "cuda", "mps"],
        help="where the nets train (default auto: a GPU when there is one)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("sklearn-vix-report"),
        metavar="DIR",
        help="folder for report.html, the tables (CSV, Markdown) and the figures (PNG) "
        "(default ./sklearn-vix-report)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="train the nets for 2 epochs (a smoke test)"
    )
    parser.add_argument("--no-nets", action="store_true", help="baselines only (seconds)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    parser.add_argument("--seed", type=int, default=0, help="random_state of the nets")
    parser.add_argument(
        "--n-jobs",
        type=positive_int,
        default=2,
        help="folds fitted in parallel for the nets (default 2)",
    )
    parser.add_argument(
        "--save", type=Path, metavar="FILE", help="also save the refitted model (for predict)"
    )


def _compare(models: dict, X, y, cv, n_jobs: int, progress: bool) -> ModelComparison:
    """compare_models one model at a time, so that the progress bar moves per model.

    Each model's Diebold-Mariano test is against persistence alone, so comparing the
    models one by one gives the same summary as comparing them together.
    """
    from tqdm.auto import tqdm

    tables, summaries, predictions, intervals, pooled = [], [], {}, {}, []
    with tqdm(models.items(), disable=not progress, unit="model", desc="cross-validating") as bar:
        for name, model in bar:
            bar.set_postfix_str(name)
            # Worker start-up costs more than a baseline's whole fit: only the net goes wide.
            jobs = n_jobs if name == RECOMMENDED else 1
            part = compare_models({name: model}, X, y, cv=cv, n_jobs=jobs)
            tables.append(part.table)
            summaries.append(part.summary)
            predictions.update(part.predictions)
            intervals.update(part.intervals)
            pooled.append(part.pooled)
    return ModelComparison(
        pd.concat(tables, ignore_index=True),
        pd.concat(summaries),
        predictions,
        part.y_true,
        intervals,
        pd.concat(pooled),
    )


def _summary_table(comparison: ModelComparison) -> pd.DataFrame:
    means = comparison.summary.xs("mean", axis=1, level=1)
    tests = comparison.summary[["dm_stat", "dm_pvalue"]].droplevel(1, axis=1)
    columns = ["rmse_ratio", "skill", "rmse", "mae", "qlike", "r2", "fit_time"]
    table = means[columns].join(tests)
    if len(comparison.pooled):
        # Interval scores over every tested row pooled (the model with intervals only).
        interval_columns = ["coverage", "width", "interval_score"]
        table = table.join(comparison.pooled[interval_columns])
    table.index.name = "model"
    return table


def _data_table(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    vix = frame["vix"]
    rows = {
        "source": source,
        "first day": str(vix.index[0].date()),
        "last day": str(vix.index[-1].date()),
        "days": len(vix),
        "mean": round(vix.mean(), 2),
        "sd": round(vix.std(), 2),
        "min": vix.min(),
        "max": f"{vix.max()} ({vix.idxmax().date()})",
        "last close": vix.iloc[-1],
    }
    return pd.DataFrame({"value": [str(v) for v in rows.values()]}, index=pd.Index(rows, name=""))


def _figures(frame, comparison, final, final_name, nets: bool):
    import matplotlib.pyplot as plt

    from ..plotting import FoldScoresDisplay, ForecastDisplay, LossCurveDisplay, SeriesDisplay

    figures = {"eda": SeriesDisplay.from_series(frame["vix"], name="VIX").figure_}
    _, (whole, last) = plt.subplots(2, 1, figsize=(11, 8), constrained_layout=True)
    shown = [name for name in ("HAR (log)", RECOMMENDED) if name in comparison.predictions]
    ForecastDisplay.from_comparison(comparison, shown, ax=whole, lw=0.8)
    whole.set_title("All test folds (band: 90 % conformal interval of HAR (log))")
    tail = 250
    models = [name for name in comparison.predictions if name != "persistence (reference)"]
    ForecastDisplay.from_predictions(
        comparison.y_true.iloc[-tail:],
        {name: comparison.predictions[name].iloc[-tail:] for name in models},
        y_interval={name: bounds[-tail:] for name, bounds in comparison.intervals.items()},
        ax=last,
        lw=0.8,
    )
    last.set_title(f"Last {tail} test days, every model")
    figures["forecast"] = whole.figure
    figures["folds"] = FoldScoresDisplay.from_comparison(comparison, "rmse_ratio").figure_
    if nets:
        display = LossCurveDisplay.from_estimator(final, name=f"{final_name}, refitted")
        figures["loss"] = display.figure_
    return figures


def _write_tables(out: Path, tables: dict) -> None:
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv")
        (out / f"{name}.md").write_text(_html.markdown_table(table))


def _settings_text(args, cv, seconds: float) -> str:
    epochs, patience = NET_EPOCHS["quick" if args.quick else "full"]
    nets = (
        "no nets (--no-nets)"
        if args.no_nets
        else f"nets trained for at most {epochs} epochs with early stopping (patience "
        f"{patience}) on the latest 10% of each training fold, {args.n_jobs} folds in parallel"
    )
    return (
        f"Settings: horizon {args.horizon}, lookback {args.lookback}, {cv}; {nets}; "
        f"seed {args.seed}. Trade-off for speed: the library's default is 100 epochs with "
        "patience 10; on this data early stopping keeps an epoch well before 20 in most folds, "
        f"so the cap costs little accuracy and bounds the run time. Wall time {seconds:.0f} s."
    )


def _final_model(args, models: dict, nets: bool):
    """The model refitted on every row: the forecast, the loss curve and ``--save``.

    The net gets split-conformal intervals (one fit: the first 80 % of the days train,
    the last 20 % calibrate) rather than cross-fitted ones (six fits).
    """
    if not nets:
        return "HAR (log)", models["HAR (log)"]
    max_epochs, patience = NET_EPOCHS["quick" if args.quick else "full"]
    net = recommended_forecaster(
        lookback=args.lookback,
        device=args.device,
        random_state=args.seed,
        max_epochs=max_epochs,
        patience=patience,
    )
    return RECOMMENDED, with_intervals(net, method="split")


def _forecast_table(model, name: str, series: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """The forecast from the last day, for the ``horizon`` NYSE sessions after it."""
    point = np.asarray(model.predict(series)).reshape(len(series), -1)[-1]
    table = pd.DataFrame({"forecast": point}, index=next_sessions(series.index[-1], horizon))
    table.columns.name = name
    if hasattr(model, "predict_interval"):
        bounds = np.asarray(model.predict_interval(series)).reshape(len(series), -1, 2)[-1]
        table["lower"], table["upper"] = bounds[:, 0], bounds[:, 1]
    return table


def _use_agg() -> None:
    try:
        import matplotlib
    except ImportError:
        raise CommandError(
            "the report draws figures with matplotlib: pip install 'sklearn-vix[plot]'"
        ) from None
    matplotlib.use("Agg")


def run(args: argparse.Namespace) -> int:
    _use_agg()
    start = time.perf_counter()
    frame, source = read_data(args.data)
    check_rows(frame, source, args.lookback, args.splits, args.horizon)
    args.out.mkdir(parents=True, exist_ok=True)
    series = frame[["vix"]]
    X, y = make_supervised(series, horizon=args.horizon)
    cv = default_cv(y, n_splits=args.splits)
    walk = random_walk_tests(frame["vix"])
    nets = not args.no_nets
    models = study_models(
        lookback=args.lookback,
        nets=nets,
        device=args.device,
        random_state=args.seed,
        quick=args.quick,
    )
    progress = show_progress(args.quiet)
    comparison = _compare(models, X, y, cv, args.n_jobs, progress)

    final_name, final = _final_model(args, models, nets)
    final.fit(X, y)
    forecast = _forecast_table(final, final_name, series, args.horizon)
    if args.save:
        metadata = {
            "model": final_name,
            "columns": ["vix"],
            "horizon": args.horizon,
            "lookback": args.lookback,
            "trained_until": str(series.index[-1].date()),
            "data": source,
        }
        save_model(final, args.save, metadata=metadata)

    summary = _summary_table(comparison)
    tables = {
        "data_summary": _data_table(frame, source),
        "random_walk": walk.tests,
        "summary": summary,
        "folds": comparison.table.set_index(["model", "fold"]),
        "forecast": forecast,
    }
    _write_tables(args.out, tables)
    figures = _figures(frame, comparison, final, final_name, nets)
    for name, figure in figures.items():
        figure.savefig(args.out / f"{name}.png", dpi=90, bbox_inches="tight")
    seconds = time.perf_counter() - start
    best = summary["rmse_ratio"].idxmin()
    sections = [
        _html.section(
            "Data",
            _html.table_tag(tables["data_summary"]),
            _html.figure_tag(figures["eda"], "VIX, decomposition, weekdays, autocorrelation"),
        ),
        _html.section(
            "Is the VIX a random walk?",
            _html.paragraph(walk.verdict, "verdict"),
            _html.paragraph(f"Half-life of mean reversion: {walk.half_life:.1f} trading days."),
            _html.table_tag(walk.tests),
        ),
        _html.section(
            "Which model forecasts best?",
            _html.paragraph(
                f"Lowest RMSE relative to persistence: {best} "
                f"({summary.loc[best, 'rmse_ratio']:.4f}). Means over the test folds; "
                "dm_stat < 0 means more accurate than persistence, dm_pvalue is the "
                "Diebold-Mariano test of the last step's squared errors against it."
            ),
            _html.table_tag(summary),
            _html.figure_tag(figures["forecast"], "Actual against out-of-fold forecasts"),
            _html.figure_tag(figures["folds"], "RMSE ratio per fold"),
            _html.table_tag(tables["folds"]),
        ),
        _html.section(
            f"Forecast after {series.index[-1].date()}",
            _html.paragraph(
                f"{final_name}, refitted on the data; {COVERAGE:.0%} conformal interval "
                "(split conformal for the net: fitted on the first 80 % of the days, "
                "calibrated on the last 20 %)."
            ),
            _html.table_tag(forecast),
            *([_html.figure_tag(figures["loss"], "Loss per epoch")] if "loss" in figures else []),
        ),
        _html.section("Settings", _html.paragraph(_settings_text(args, cv, seconds), "note")),
    ]
    path = args.out / "report.html"
    path.write_text(_html.page("sklearn-vix report: forecasting the VIX", sections))
    import matplotlib.pyplot as plt

    plt.close("all")
    if not args.quiet:
        print(walk.verdict)
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            print(summary.to_string(float_format=lambda v: f"{v:.4f}"))
            print(forecast.to_string(float_format=lambda v: f"{v:.2f}"))
        print(f"report: {path} ({seconds:.0f} s)")
    return 0
