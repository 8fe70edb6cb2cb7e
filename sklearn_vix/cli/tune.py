"""`sklearn-vix tune`: GridSearchCV over cell type, size and lookback, in time order."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from ..datasets import make_supervised
from ..metrics import make_persistence_scorer
from ..model_selection import default_cv
from ._common import (
    CommandError,
    add_data_argument,
    add_device_argument,
    add_seed_argument,
    check_rows,
    positive_int,
    read_data,
    write_model,
)
from ._models import COVERAGE, NET_EPOCHS, net_forecaster, with_intervals

HELP = (
    "grid-search the net's cell, size and lookback under TimeSeriesSplit; save the best, "
    "with intervals, for `predict --model`"
)

GRID = {
    "regressor__model__cell": ["lstm", "gru"],
    "regressor__model__hidden_size": [32, 64],
    "regressor__window__lookback": [5, 10, 22],
}
QUICK_GRID = {"regressor__model__cell": ["lstm", "gru"], "regressor__window__lookback": [5, 10]}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_argument(parser)
    parser.add_argument("--horizon", type=positive_int, default=1, help="days ahead (default 1)")
    parser.add_argument(
        "--splits", type=positive_int, default=3, help="TimeSeriesSplit folds (default 3)"
    )
    parser.add_argument("--n-jobs", type=positive_int, default=1, help="parallel fits (default 1)")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the fits on a Dask cluster (e.g. tcp://10.0.0.5:8786); needs "
        "`pip install 'dask[distributed]'`",
    )
    add_device_argument(parser)
    add_seed_argument(parser)
    parser.add_argument(
        "--quick", action="store_true", help="4 candidates, 2 epochs each (a smoke test)"
    )
    parser.add_argument(
        "--save",
        type=Path,
        default=Path("sklearn-vix-best.joblib"),
        metavar="FILE",
        help="where the best model goes, refitted on every day with a 90 %% interval "
        "(default ./sklearn-vix-best.joblib)",
    )


def _backend(address: str | None):
    """joblib's Dask backend on the cluster at ``address``, or nothing."""
    if address is None:
        return contextlib.nullcontext()
    try:
        import joblib
        from distributed import Client
    except ImportError:
        raise CommandError(
            "--scheduler needs Dask's distributed package: pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(address, timeout="5s")
    except (OSError, TimeoutError) as error:
        raise CommandError(f"--scheduler {address}: cannot connect ({error})") from error
    stack = contextlib.ExitStack()
    stack.enter_context(client)
    stack.enter_context(joblib.parallel_backend("dask"))
    return stack


def run(args: argparse.Namespace) -> int:
    # Connect first: a wrong address should fail before minutes of work, not after.
    backend = _backend(args.scheduler)
    frame, source = read_data(args.data)
    grid = QUICK_GRID if args.quick else GRID
    longest = max(grid["regressor__window__lookback"])
    check_rows(frame, source, longest, args.splits, args.horizon)
    X, y = make_supervised(frame[["vix"]], horizon=args.horizon)
    max_epochs, patience = NET_EPOCHS["quick" if args.quick else "full"]
    model = net_forecaster(
        device=args.device, random_state=args.seed, max_epochs=max_epochs, patience=patience
    )
    # The ranked table and the saved pipeline: the grid's names are make_forecaster's.
    search = GridSearchCV(
        model,
        grid,
        cv=default_cv(y, n_splits=args.splits),
        scoring=make_persistence_scorer(),
        n_jobs=args.n_jobs,
        # The winner is refitted below, with its intervals: one fit, as a refit would be.
        refit=False,
    )
    with backend:
        search.fit(X, y)
    best_model = clone(model).set_params(**search.best_params_)
    # Split conformal (fitted on the first 80 % of the days, calibrated on the last 20 %),
    # so that `predict --model` gives the same interval as a model `predict` fits itself.
    final = with_intervals(best_model, coverage=COVERAGE, method="split").fit(X, y)
    results = pd.DataFrame(search.cv_results_)
    names = {f"param_{key}": key.rsplit("__", 1)[-1] for key in grid}
    table = (
        results.rename(columns=names)
        .sort_values("rank_test_score")
        .set_index("rank_test_score")[[*names.values(), "mean_test_score", "std_test_score"]]
        .rename_axis("rank")
        .rename(columns={"mean_test_score": "skill", "std_test_score": "skill_sd"})
    )
    best = {key.rsplit("__", 1)[-1]: value for key, value in search.best_params_.items()}
    name = f"tuned net {best}"
    rows = frame[["vix"]]
    write_model(final, args.save, name=name, horizon=args.horizon, rows=rows, source=source)
    print(f"data {source}; {len(results)} candidates, {search.cv}; skill vs persistence:")
    print(table.to_string(float_format=lambda v: f"{v:.4f}"))
    print(
        f"best {best}, refitted with a {COVERAGE:.0%} interval and saved to {args.save}; "
        f"forecast with `sklearn-vix predict --model {args.save}`"
    )
    return 0
