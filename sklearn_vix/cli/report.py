"""`sklearn-vix report`: the whole study on the real VIX, written as one HTML page and tables.

The page opens with plain answers to a trader's three questions: is the VIX predictable
(random-walk tests, skill against persistence), which model to use and whether it is
significantly better than persistence and HAR (Diebold-Mariano tests against both), and
what the forecast for the next sessions is, with its band (a fan chart).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone

from .. import __version__
from ..datasets import make_supervised
from ..diagnostics import random_walk_tests
from ..model_selection import ModelComparison, compare_models, default_cv
from ..stats import diebold_mariano
from . import _figures, _html
from ._common import (
    CommandError,
    add_data_argument,
    add_device_argument,
    add_seed_argument,
    check_rows,
    forecast_quantiles,
    forecast_table,
    positive_int,
    read_data,
    show_progress,
    write_model,
)
from ._models import COVERAGE, NET, NET_EPOCHS, final_forecaster, study_models
from ._recommend import PERSISTENCE, Recommendation, last_step_errors, pairwise_pvalue, recommend
from .backtest import report_section as backtest_section

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
    add_device_argument(parser)
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
    add_seed_argument(parser)
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
            jobs = n_jobs if name == NET else 1
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


def _step(progress: bool, what: str) -> None:
    """One line on stderr before a long step, where the user watches a terminal."""
    if progress:
        print(f"{what}...", file=sys.stderr, flush=True)


def _use_agg() -> None:
    try:
        import matplotlib
    except ImportError:
        raise CommandError(
            "the report draws figures with matplotlib: pip install matplotlib"
        ) from None
    matplotlib.use("Agg")


# The simple model every other is also tested against, beside persistence.
HAR = "HAR"
# Sessions between the data's last day and today beyond which the report says it is stale.
STALE_AFTER = 5
CBOE_PAGE = "https://www.cboe.com/tradable_products/vix/vix_historical_data/"
# What the HTML tables call the summary's columns (the CSV files keep the short names).
HEADERS = {
    "rmse_ratio": "RMSE ÷ persistence",
    "skill": "skill vs persistence",
    "rmse": "RMSE (VIX points)",
    "mae": "MAE (VIX points)",
    "qlike": "QLIKE",
    "r2": "R²",
    "dm_pvalue": "DM p vs persistence",
    "dm_pvalue_har": "DM p vs HAR",
    "coverage": "90 % interval coverage",
    "width": "interval width (VIX points)",
    "fit_time": "fit time per fold (s)",
}
LOWER_IS_BETTER = ["rmse_ratio", "rmse", "mae", "qlike"]
HIGHER_IS_BETTER = ["skill", "r2"]


def _dm_against(comparison: ModelComparison, reference: str, horizon: int) -> dict:
    """Diebold-Mariano p-value of each model's last-step errors against ``reference``'s."""
    base = last_step_errors(comparison, reference)
    pvalues = {}
    for name in comparison.predictions:
        errors = last_step_errors(comparison, name)
        if name == reference or np.allclose(errors, base):
            continue
        pvalues[name] = diebold_mariano(errors, base, h=horizon).pvalue
    return pvalues


def _summary_table(comparison: ModelComparison, horizon: int) -> pd.DataFrame:
    means = comparison.summary.xs("mean", axis=1, level=1)
    tests = comparison.summary[["dm_stat", "dm_pvalue"]].droplevel(1, axis=1)
    columns = ["rmse_ratio", "skill", "rmse", "mae", "qlike", "r2", "fit_time"]
    table = means[columns].join(tests)
    if HAR in comparison.predictions:
        table["dm_pvalue_har"] = pd.Series(_dm_against(comparison, HAR, horizon))
    if len(comparison.pooled):
        # Interval scores over every tested row pooled (the model with intervals only).
        interval_columns = ["coverage", "width", "interval_score"]
        table = table.join(comparison.pooled[interval_columns])
    table.index.name = "model"
    return table


def _fold_labels(comparison: ModelComparison) -> dict:
    """Each fold's number -> the dates of its test rows, "2006-10-31 to 2012-03-14"."""
    frame = next(iter(comparison.predictions.values()))
    dates = frame.index.to_series().groupby(frame["fold"].to_numpy())
    return {fold: f"{d.iloc[0].date()} to {d.iloc[-1].date()}" for fold, d in dates}


def _fold_ratios(comparison: ModelComparison) -> pd.DataFrame:
    ratios = comparison.table.pivot(index="fold", columns="model", values="rmse_ratio")
    ratios = ratios[list(dict.fromkeys(comparison.table["model"]))]
    ratios.index = ratios.index.map(_fold_labels(comparison))
    ratios.index.name = "test fold"
    return ratios


def _data_table(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    vix = frame["vix"]
    rows = {
        "source": source,
        "first day": str(vix.index[0].date()),
        "last day": str(vix.index[-1].date()),
        "sessions": len(vix),
        "mean (VIX points)": round(vix.mean(), 2),
        "standard deviation (VIX points)": round(vix.std(), 2),
        "lowest close": f"{vix.min()} ({vix.idxmin().date()})",
        "highest close": f"{vix.max()} ({vix.idxmax().date()})",
        "last close": vix.iloc[-1],
    }
    return pd.DataFrame({"value": [str(v) for v in rows.values()]}, index=pd.Index(rows, name=""))


def _random_walk_table(tests: pd.DataFrame) -> pd.DataFrame:
    table = tests.rename(
        columns={"p_value": "p-value", "null": "null hypothesis", "rejects_null": "rejected"}
    )
    if "rejected" in table:
        table["rejected"] = table["rejected"].map({True: "yes", False: "no"})
    return table


def _stale_sessions(last: pd.Timestamp, today: pd.Timestamp) -> int:
    """Business days after ``last`` up to ``today`` (the data's age, holidays aside)."""
    return max(0, len(pd.bdate_range(last, today)) - 1)


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
        "patience 10; the cap bounds the run time. Diebold-Mariano tests compare the "
        "squared errors of the last forecast step over every tested session (Harvey-"
        f"Leybourne-Newbold correction). Run time {seconds:.0f} s."
    )


# Sessions the report forecasts (and its fan chart draws), at least: `predict`'s default.
FORECAST_SESSIONS = 5


def _band_method(model) -> str:
    if model.method == "split":
        return (
            "split conformal: fitted on the first 80 % of the sessions, calibrated on the last 20 %"
        )
    return "cross-fitted conformal: the point forecast fitted on every session"


def _net_curve(net, name: str):
    """The loss curve of the net refitted on every row, and whether it learned at all.

    ``net`` is the recommended model when it is the net, else the study's net fitted here
    for its curve alone (its forecast is not shown).
    """
    from ..plotting import LossCurveDisplay

    display = LossCurveDisplay.from_estimator(net, name=f"{name}, refitted")
    display.ax_.set_ylabel("loss (mean squared error, standardised log VIX)")
    return display.figure_, display.best_epoch == 0


def _walk_forward(frame: pd.DataFrame, recommended: str, models: dict, args) -> str:
    """The last two years forecast as production would have: the recommended model
    refitted every 22 sessions, its 90 % interval updated as each outcome arrives, at the
    report's horizon and lookback (``sklearn-vix backtest`` runs the longer study)."""
    walked = {recommended: final_forecaster(recommended, models)}
    try:
        return backtest_section(frame, walked, years=2, horizon=args.horizon)
    except ValueError as error:
        return _html.section(
            "Walk-forward forecasts", _html.paragraph(f"Not run on this data: {error}", "note")
        )


def _p(value) -> str:
    return "n/a" if pd.isna(value) else f"{value:.3f}"


def _significance(name: str, summary: pd.DataFrame, against: str, column: str) -> str:
    p = summary.loc[name, column] if column in summary else np.nan
    if pd.isna(p):
        return ""
    test = f"at the 5 % level (Diebold-Mariano p = {_p(p)})"
    if p >= 0.05:
        return f"not significantly different from {against} {test}"
    better = summary.loc[name, "rmse_ratio"] < summary.loc[against, "rmse_ratio"]
    verdict = "significantly more accurate than" if better else "significantly less accurate than"
    return f"{verdict} {against} {test}"


def _net_verdict(comparison, summary, recommended: str, horizon: int) -> str:
    """Whether the net beats the recommended model, in plain words ("" without a net)."""
    if NET not in summary.index or recommended == NET:
        return ""
    p = pairwise_pvalue(comparison, NET, recommended, horizon)
    net, best = summary.loc[NET, "rmse_ratio"], summary.loc[recommended, "rmse_ratio"]
    if net < best and p < 0.05:
        return ""
    return (
        f" The network ({NET}, RMSE ÷ persistence {net:.4f}) does not beat {recommended} "
        f"here ({best:.4f}; Diebold-Mariano p = {_p(p)} between the two)."
    )


def _answers(summary, walk, forecast, recommendation: Recommendation, net_verdict: str,
             horizon: int, last) -> list[str]:  # fmt: skip
    """The three questions, answered in plain words from the numbers below them."""
    ranked = summary.drop(index=PERSISTENCE, errors="ignore")["rmse_ratio"].sort_values()
    lowest = ranked.index[0]
    gain = 100 * (1 - ranked.iloc[0])
    step = "one session" if horizon == 1 else f"{horizon} sessions"
    significant = bool(((summary["rmse_ratio"] < 1) & (summary["dm_pvalue"] < 0.05)).any())
    predictable = (
        f"{'Slightly' if significant else 'Barely, if at all'}. The random-walk tests "
        f"say: {walk.verdict}. But out of sample the most accurate model ({lowest}) has "
        f"an RMSE only {abs(gain):.1f} % {'below' if gain > 0 else 'above'} that of "
        f"persistence (tomorrow = today) {step} ahead."
    )
    name = recommendation.name
    versus = [] if name == PERSISTENCE else [
        _significance(name, summary, "persistence", "dm_pvalue"),
        _significance(name, summary, "HAR", "dm_pvalue_har") if name != HAR else "",
    ]  # fmt: skip
    tested = "; ".join(v for v in versus if v)
    choice = (
        f"Use {name}. {recommendation.reason}"
        + (f" It is {tested}." if tested else "")
        + net_verdict
    )
    first, final = forecast.index[0].date(), forecast.index[-1].date()
    row = forecast.iloc[0]
    band = (
        f", with a 90 % interval of {row['lower']:.2f} to {row['upper']:.2f}"
        if "lower" in forecast
        else ""
    )
    fitted = "from the last close" if name == PERSISTENCE else "fitted on every session"
    outlook = (
        f"{name}, {fitted} to {last}, forecasts {row['forecast']:.2f} for "
        f"{first}{band} (fan chart below; every session to {final} in the table)."
    )
    return [
        _html.question("Is the VIX predictable?", predictable),
        _html.question("Which model should I use, and is it better than the simple ones?", choice),
        _html.question("What is the forecast for the next sessions?", outlook),
    ]


def _net_section(figure, untrained: bool, recommended: str) -> str:
    """The refitted net's loss curve, with what it means beside it."""
    if untrained:
        meaning = (
            f"The validation loss never went below its value before training (epoch 0): "
            f"early stopping kept the untrained start, so the refitted {NET} forecasts "
            "with its linear highway alone, a least-squares linear model on log windows. "
            "It is not a trained network."
        )
    else:
        meaning = f"The refitted {NET} kept the epoch with the lowest validation loss."
    if recommended != NET:
        meaning += f" Its forecast is not shown: the report forecasts with {recommended}."
    return _html.section(
        f"The network: {NET}",
        _html.paragraph(meaning, "warning" if untrained else None),
        _html.figure_tag(figure, "Loss per epoch"),
    )


def _marked_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary with human headers, the best value of each score in bold."""
    shown = summary[[c for c in HEADERS if c in summary]].copy()
    cells = shown.map(lambda v: "" if pd.isna(v) else f"{v:.4g}")
    for column in LOWER_IS_BETTER + HIGHER_IS_BETTER:
        if column in shown and shown[column].notna().any():
            best = shown[column].idxmin() if column in LOWER_IS_BETTER else shown[column].idxmax()
            cells.loc[best, column] = f"<b>{cells.loc[best, column]}</b>"
    return cells.rename(columns=HEADERS)


def _header(frame, source, seconds, today) -> str:
    first, last = frame.index[0].date(), frame.index[-1].date()
    stamp = today.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Data: {source}, {first} to {last} ({len(frame):,} sessions). "
        f"sklearn-vix {__version__}; generated {stamp} in {seconds:.0f} s."
    ]
    parts = [_html.paragraph(lines[0], "note")]
    age = _stale_sessions(pd.Timestamp(last), pd.Timestamp(today.date()))
    if age > STALE_AFTER:
        parts.append(
            _html.paragraph(
                f"The data ends on {last}, about {age} sessions before today: the forecast "
                f"below is for the sessions after {last}, not for today. For a current "
                "forecast, run `sklearn-vix report --data cboe` (it downloads Cboe's "
                f"VIX_History.csv and caches it), or download VIX_History.csv from {CBOE_PAGE} "
                "and run `sklearn-vix report --data VIX_History.csv`.",
                "warning",
            )
        )
    return "\n".join(parts)


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
    summary = _summary_table(comparison, args.horizon)
    recommendation = recommend(comparison, summary, args.horizon)

    # The forecast covers at least FORECAST_SESSIONS sessions, so that its fan opens.
    sessions = max(args.horizon, FORECAST_SESSIONS)
    X_all, y_all = (X, y) if sessions == args.horizon else make_supervised(series, horizon=sessions)
    _step(progress, f"fitting {recommendation.name} on every session for the forecast")
    final = final_forecaster(recommendation.name, models).fit(X_all, y_all)
    forecast = forecast_table(final, series, sessions)
    forecast.columns.name = recommendation.name
    if args.save:
        write_model(final, args.save, name=recommendation.name, horizon=sessions, rows=series,
                    source=source)  # fmt: skip

    ratios = _fold_ratios(comparison)
    tables = {
        "data_summary": _data_table(frame, source),
        "random_walk": walk.tests,
        "summary": summary,
        "folds": comparison.table.set_index(["model", "fold"]),
        "fold_ratios": ratios,
        "forecast": forecast,
        "recommendation": pd.DataFrame(
            {"model": [recommendation.name], "reason": [recommendation.reason]}
        ).set_index("model"),
    }
    _write_tables(args.out, tables)
    colours = _figures.palette(models)
    shown = list(dict.fromkeys(n for n in ("HAR (log)", recommendation.name) if n != PERSISTENCE))
    figures = {
        "fan": _figures.fan_chart(
            frame["vix"],
            forecast,
            recommendation.name,
            colours[recommendation.name],
            quantiles=forecast_quantiles(final, series, sessions),
        ),
        "eda": _figures.series_figure(frame["vix"]),
        "forecast": _figures.forecast_figure(comparison, shown, colours, tail=250),
        "folds": _figures.fold_figure(ratios, colours),
    }
    net_part = ""
    if nets:
        if recommendation.name != NET:
            _step(progress, f"fitting {NET} on every session for its loss curve")
        net = final if recommendation.name == NET else clone(models[NET]).fit(X_all, y_all)
        figures["loss"], untrained = _net_curve(net, NET)
        net_part = _net_section(figures["loss"], untrained, recommendation.name)
    for name, figure in figures.items():
        figure.savefig(args.out / f"{name}.png", dpi=90, bbox_inches="tight")
    _step(progress, f"walking {recommendation.name} forward through the last two years")
    walk_forward = _walk_forward(frame, recommendation.name, models, args)
    verdict = _net_verdict(comparison, summary, recommendation.name, args.horizon)
    seconds = time.perf_counter() - start
    now = datetime.now(timezone.utc)
    last = series.index[-1].date()
    sections = [
        _header(frame, source, seconds, now),
        _html.section(
            "At a glance",
            *_answers(summary, walk, forecast, recommendation, verdict, args.horizon, last),
            _html.figure_tag(
                figures["fan"],
                f"The last months of the VIX and the forecast of {recommendation.name}",
            ),
        ),
        _html.section(
            f"Forecast after {last} (VIX points)",
            _html.paragraph(
                f"{recommendation.name}, the recommended model, fitted on every session to "
                f"{last} for the next {sessions} sessions; {COVERAGE:.0%} conformal "
                f"interval ({_band_method(final)}). Dates are the next NYSE sessions, "
                "holidays skipped."
            ),
            _html.table_tag(
                forecast.rename_axis("session").rename(columns=str.capitalize), digits=4
            ),
        ),
        _html.section(
            "Which model forecasts best?",
            _html.paragraph(
                "Means over the test folds of TimeSeriesSplit; the best value of each score "
                "is in bold. RMSE ÷ persistence below 1 and skill above 0 mean more accurate "
                "than tomorrow = today. DM p: Diebold-Mariano test of equal accuracy against "
                "persistence and against HAR; below 0.05, the difference is significant at "
                "the 5 % level."
            ),
            _html.table_tag(_marked_summary(summary), escape=False),
            _html.figure_tag(figures["folds"], "RMSE ratio per fold"),
            _html.table_tag(ratios.rename_axis("RMSE ÷ persistence, per test fold")),
            _html.figure_tag(figures["forecast"], "Actual against out-of-fold forecasts"),
        ),
        walk_forward,
        net_part,
        _html.section(
            "Is the VIX a random walk?",
            _html.paragraph(walk.verdict, "verdict"),
            _html.paragraph(f"Half-life of mean reversion: {walk.half_life:.1f} sessions."),
            _html.table_tag(_random_walk_table(walk.tests)),
        ),
        _html.section(
            "Data",
            _html.table_tag(tables["data_summary"]),
            _html.figure_tag(figures["eda"], "VIX, weekday means, autocorrelation"),
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
