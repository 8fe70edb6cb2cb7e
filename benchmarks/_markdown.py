"""Markdown tables for the benchmarks' ``--out`` files, which the docs include as they are.

A number in the docs is read from a file a benchmark wrote: the scripts print their tables
and, given ``--out PATH``, write them here as Markdown (``docs/user_guide`` includes them
with MyST ``{include}``; ``benchmarks/regenerate.sh`` rewrites them all).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd


def markdown(table: pd.DataFrame, formats: dict | None = None, default: str = "{:.4f}") -> str:
    """The table as Markdown, with its index as the first column; NaN is an empty cell.

    ``formats`` maps a column to a format string; other float columns use ``default``.
    """
    formats = formats or {}
    frame = table.reset_index()

    def cell(column, value) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else formats.get(column, default).format(value)
        return str(value)

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |"]
    lines.append("|" + "---|" * len(frame.columns))
    for row in frame.itertuples(index=False):
        cells = (cell(c, v) for c, v in zip(frame.columns, row, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def titled(title: str, table: str) -> str:
    """A table under a bold title: not a heading, so that an included file adds no section
    to the page that includes it."""
    return f"**{title}**\n\n{table}"


def write(path: str | Path, sections: list[str]) -> None:
    """Write the sections (Markdown text) to ``path``, separated by blank lines."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(section.strip() for section in sections) + "\n")
