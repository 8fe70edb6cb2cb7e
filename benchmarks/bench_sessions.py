"""Rows, targets, features and labels on the shipped VIX: do they describe the same session?

Counts, on the shipped CBOE file (``load_vix``), what the user guide's calendar page states:

- the file's rows on days the NYSE was closed and the sessions it lacks;
- for ``h = 1`` and ``h = 5``, the origins whose target of some step is not the value of
  the session its calendar features describe (the k-th NYSE session after the origin),
  with targets taken ``k`` rows later on the raw file (as before the sessions rule) and
  with ``make_supervised`` on ``load_vix()`` (one row per session);
- the origins whose calendar features would change if the unscheduled closures (9/11,
  Hurricane Sandy, days of mourning) had been known in advance: the realised schedule
  against the published one ("before": the realised schedule the features used to read;
  "now": the features of ``CalendarTransformer``, read back as target dates).

    python benchmarks/bench_sessions.py [--out benchmarks/results/sessions]

``--out PREFIX`` writes ``PREFIX.csv`` and ``PREFIX.md`` (the table the user guide includes).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sklearn_vix.calendar import is_session, sessions, sessions_after
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.preprocessing import CalendarTransformer


def disagreements(X: pd.DataFrame, y, horizon: int, values: pd.Series) -> int:
    """Origins with a step whose target is not the value on its target session."""
    targets = sessions_after(X.index, horizon)
    on_session = values.reindex(targets.ravel()).to_numpy().reshape(targets.shape)
    got = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    return int((~np.isclose(got, on_session, equal_nan=False)).any(axis=1).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=None, help="also write PREFIX.csv and PREFIX.md"
    )
    args = parser.parse_args()

    raw, aligned = load_vix(sessions_only=False), load_vix()
    closes = aligned["vix"]
    expected = sessions(raw.index[0], raw.index[-1])
    rows = [
        ("file rows", len(raw), len(aligned)),
        (
            "rows on days the NYSE was closed",
            int((~is_session(raw.index)).sum()),
            int((~is_session(aligned.index)).sum()),
        ),
        (
            "sessions with no row",
            len(expected.difference(raw.index)),
            len(expected.difference(aligned.index)),
        ),
    ]
    for horizon in (1, 5):
        X_raw, y_raw = make_supervised(raw[["vix"]], horizon=horizon, calendar=None)
        X, y = make_supervised(aligned[["vix"]], horizon=horizon)
        rows.append(
            (
                f"origins whose target is not its session's close, h={horizon}",
                disagreements(X_raw, y_raw, horizon, closes),
                disagreements(X, y, horizon, closes),
            )
        )
        # The calendar's target of each step, read back from the features' day counts.
        days = CalendarTransformer(horizon=horizon).fit(X).transform(X)
        from_features = X.index.to_numpy()[:, None] + days.astype("timedelta64[D]")
        realised = sessions_after(X.index, horizon)
        published = sessions_after(X.index, horizon, published=True)
        rows.append(
            (
                f"origins whose calendar features foresee an unscheduled closure, h={horizon}",
                int((realised != published).any(axis=1).sum()),
                int((from_features != published).any(axis=1).sum()),
            )
        )
    table = pd.DataFrame(rows, columns=["count", "before", "now"]).set_index("count")
    print(table.to_string())
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out.with_suffix(".csv"))
        lines = ["| count | before | now |", "|---|---|---|"]
        lines += [f"| {name} | {row.before} | {row.now} |" for name, row in table.iterrows()]
        args.out.with_suffix(".md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
