"""Markdown tables for the benchmarks' ``--out`` files, which the docs include as they are.

A number in the docs is read from a file a benchmark wrote: the scripts print their tables
and, given ``--out PATH``, write them here as Markdown (``docs/user_guide`` includes them
with MyST ``{include}``; ``benchmarks/regenerate.sh`` rewrites them all).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sklearn_vix.cli._html import markdown_table


def markdown(table: pd.DataFrame, formats: dict | None = None, default: str = "{:.4f}") -> str:
    """The table as Markdown, with its index as the first column; NaN is an empty cell.

    ``formats`` maps a column to a format string; other float columns use ``default``
    (four decimals: the report's tables, by the same writer, use four significant digits).
    """
    return markdown_table(table, formats, default)


def titled(title: str, table: str) -> str:
    """A table under a bold title: not a heading, so that an included file adds no section
    to the page that includes it."""
    return f"**{title}**\n\n{table}"


def write(path: str | Path, sections: list[str]) -> None:
    """Write the sections (Markdown text) to ``path``, separated by blank lines."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(section.strip() for section in sections) + "\n")
