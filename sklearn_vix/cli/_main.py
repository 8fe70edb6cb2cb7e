"""Parse the command line, run one subcommand, turn every failure into one line on stderr."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import backtest, predict, report, simulate, tune
from ._common import CommandError

_SUBCOMMANDS = {
    "report": report,
    "predict": predict,
    "tune": tune,
    "simulate": simulate,
    "backtest": backtest,
}
# Shown with the one-line error so that a user can get the full story when reporting a bug.
_TRACEBACK_VARIABLE = "SKLEARN_VIX_TRACEBACK"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, as every other error of the command."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sklearn-vix",
        description="Forecast the VIX: study, forecast, tune and simulate.",
    )
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="{report,predict,tune,simulate,backtest}"
    )
    for name, module in _SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sklearn-vix`` with ``argv`` (``sys.argv[1:]`` when None); return the exit code.

    Errors a user can act on (a missing file, a bad column, too few rows, a bad option)
    print one line on stderr and return 1 (2 for a usage error); Ctrl-C returns 130.
    """
    args = _parser().parse_args(argv)
    prog = f"sklearn-vix {args.command}"
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except (CommandError, OSError, ValueError, TypeError) as error:
        if os.environ.get(_TRACEBACK_VARIABLE):
            raise
        print(f"{prog}: error: {_one_line(error)}", file=sys.stderr)
        return 1
    except Exception as error:
        if os.environ.get(_TRACEBACK_VARIABLE):
            raise
        print(
            f"{prog}: internal error: {type(error).__name__}: {_one_line(error)} "
            f"(set {_TRACEBACK_VARIABLE}=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return 1
