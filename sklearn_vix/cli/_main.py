"""Parse the command line, run one subcommand, turn every failure into one line on stderr."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Sequence

from .. import __version__
from . import backtest, predict, report, score, simulate, tune, update
from ._common import CommandError

_SUBCOMMANDS = {
    "report": report,
    "predict": predict,
    "tune": tune,
    "simulate": simulate,
    "backtest": backtest,
    "update": update,
    "score": score,
}
# Shown with the one-line error so that a user can get the full story when reporting a bug.
_TRACEBACK_VARIABLE = "SKLEARN_VIX_TRACEBACK"


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _options(parser: argparse.ArgumentParser) -> list[str]:
    # argparse lists a parser's options publicly only from Python 3.14 (suggest_on_error).
    return [name for action in parser._actions for name in action.option_strings]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, as every other error of the command, and
    a mistyped subcommand or option gets the closest valid one as a suggestion."""

    def error(self, message: str):
        typo = re.search(r"invalid choice: '([^']*)'", message)
        if typo:
            message += _did_you_mean(typo.group(1), _SUBCOMMANDS)
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sklearn-vix",
        description="Forecast the VIX: study, forecast, tune and simulate.",
    )
    parser.add_argument("--version", action="version", version=f"sklearn-vix {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="{" + ",".join(_SUBCOMMANDS) + "}"
    )
    for name, module in _SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run, parser=sub)
    return parser


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sklearn-vix`` with ``argv`` (``sys.argv[1:]`` when None); return the exit code.

    Errors a user can act on (a missing file, a bad column, too few rows, a bad option)
    print one line on stderr and return 1 (2 for a usage error); Ctrl-C returns 130.
    """
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    prog = f"sklearn-vix {args.command}"
    if unknown:
        options = _options(args.parser)
        hint = next((_did_you_mean(w, options) for w in unknown if w.startswith("-")), "")
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
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
