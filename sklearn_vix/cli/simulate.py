"""`sklearn-vix simulate`: write simulated VIX data (and its Bayes-optimal forecast) as CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..datasets import make_vix_sim
from ._common import positive_int

HELP = "write simulated VIX data that `--data` and load_vix_csv read back"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="CSV to write")
    parser.add_argument("--days", type=positive_int, default=9000, help="days (default 9000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--optimal",
        action="store_true",
        help="add the Bayes-optimal forecasts vix_h1..vix_h5 (slower: Monte Carlo)",
    )


def run(args: argparse.Namespace) -> int:
    if args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.optimal:
        frame, optimal = make_vix_sim(args.days, random_state=args.seed, return_optimal=True)
        frame = frame.join(optimal.add_prefix("optimal_"))
    else:
        frame = make_vix_sim(args.days, random_state=args.seed)
    frame.rename_axis("date").to_csv(args.out, float_format="%.6f")
    print(f"wrote {len(frame)} simulated days to {args.out}")
    return 0
