"""`sklearn-vix score`: the track record of the ledger, scored against what happened."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from ..ledger import join_outcomes, read_forecasts, score_forecasts
from . import _html
from ._common import CommandError, add_data_argument, read_data

HELP = "score the ledger's forecasts against the outcomes and persistence"

# Scored forecasts a model needs before its Diebold-Mariano p-value means something: the
# test's HAC variance and Student t are asymptotic, and below a month and a half of
# sessions a few large days decide it.
MIN_DAYS = 30
_HEADERS = {
    "n": "scored",
    "rmse": "RMSE",
    "persistence_rmse": "persistence RMSE",
    "rmse_ratio": "RMSE ÷ persistence",
    "coverage": "band coverage",
    "dm_pvalue": "DM p vs persistence",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ledger", type=Path, metavar="FILE", required=True, help="the forecast ledger"
    )
    add_data_argument(parser)
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write DIR/score.html (the forecasts, bands and outcomes over time) and "
        "DIR/score.csv (the scores)",
    )


def readable(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores with headers for people and the p-value's wait spelled out."""
    table = scores.copy()
    table["n"] = table["n"].astype(int)
    dm = table["dm_pvalue"].map(lambda p: f"{p:.3f}" if np.isfinite(p) else "")
    table["dm_pvalue"] = dm.where(table["n"] >= MIN_DAYS, f"n/a (needs {MIN_DAYS})")
    table["coverage"] = table["coverage"].map(lambda c: f"{c:.1%}" if np.isfinite(c) else "-")
    for column in ("rmse", "persistence_rmse", "rmse_ratio"):
        table[column] = table[column].map(lambda v: f"{v:.3f}")
    table = table.reset_index()
    table["model"] = [
        f"{model} ({file})" if file else model
        for model, file in zip(table.pop("model"), table.pop("model_file"), strict=True)
    ]
    return table.set_index(["model", "step"]).rename(columns=_HEADERS)


def forecast_figure(joined: pd.DataFrame, closes: pd.Series):
    """Each model's one-session-ahead forecasts and bands, and the outcomes, by target day."""
    from ..plotting import ForecastDisplay

    first = joined[joined["step"] == 1]
    predictions, intervals = {}, {}
    for (model, model_file), track in first.groupby(["model", "model_file"], dropna=False):
        label = f"{model} ({model_file})" if isinstance(model_file, str) else model
        predictions[label] = track.set_index("target")["forecast"]
        if track["lower"].notna().all():
            intervals[label] = track[["lower", "upper"]].to_numpy()
    days = first["target"]
    truth = closes.loc[(closes.index >= days.min()) & (closes.index <= days.max())]
    display = ForecastDisplay(y_true=truth.rename("VIX"), y_pred=predictions, y_interval=intervals)
    display.plot()
    display.ax_.set_title("Forecasts of the next session as issued, and what happened")
    return display.figure_


def _page(scores: pd.DataFrame, joined: pd.DataFrame, closes: pd.Series, note: str) -> str:
    import matplotlib.pyplot as plt

    parts = []
    if (joined["step"] == 1).any():
        parts.append(_html.figure_tag(forecast_figure(joined, closes), "The track record"))
        plt.close("all")
    body = [
        _html.section("Forecasts as issued", *parts),
        _html.section("Scores so far", _html.table_tag(readable(scores).reset_index("step")),
                      _html.paragraph(note, "note")),
    ]  # fmt: skip
    return _html.page("sklearn-vix track record", body)


def run(args: argparse.Namespace) -> int:
    frame, source = read_data(args.data)
    try:
        forecasts = read_forecasts(args.ledger)
    except (FileNotFoundError, ValueError) as error:
        raise CommandError(f"--ledger {error}") from error
    if forecasts.empty:
        raise CommandError(f"--ledger {args.ledger} holds no forecasts yet: run update first")
    scores = score_forecasts(forecasts, frame, min_days=MIN_DAYS)
    last = frame.index[-1].date()
    note = (
        f"{len(forecasts)} forecasts in {args.ledger}; outcomes from {source} to {last}. "
        "Persistence forecasts the origin's close; DM: two-sided Diebold-Mariano test of "
        f"equal squared error, from {MIN_DAYS} scored forecasts on."
    )
    if scores.empty:
        print(f"no forecast of {args.ledger} has its outcome in the data yet (to {last})")
    else:
        print(readable(scores).to_string())
    print(note)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        joined = join_outcomes(forecasts, frame)
        page = _page(scores, joined, frame["vix"], note)
        (args.out / "score.html").write_text(page, encoding="utf-8")
        scores.to_csv(args.out / "score.csv")
        print(f"wrote {args.out / 'score.html'} and {args.out / 'score.csv'}")
    return 0
