"""The self-contained HTML page of `sklearn-vix report`: figures inlined as base64 PNG."""

from __future__ import annotations

import base64
import html
import io
from string import Template

import pandas as pd

_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #444; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
/* Wide tables scroll inside their box instead of running off the page. */
.table-wrap { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; }
td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; }
.verdict { font-size: 1.15em; font-weight: bold; }
.note { color: #555; font-size: 0.9em; }
.warning { background: #fff3cd; border: 1px solid #e0b100; padding: 0.6em 0.9em;
           font-weight: bold; }
.answer { margin: 0.8em 0; }
.answer h3 { margin: 0.2em 0; font-size: 1.05em; }
.answer p { margin: 0.2em 0 0 0; }
</style>
</head>
<body>
<h1>$title</h1>
$body
</body>
</html>
"""
)


def figure_tag(figure, alt: str) -> str:
    """An ``<img>`` holding the figure as a base64 PNG (the page needs no other file)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def table_tag(frame: pd.DataFrame, digits: int = 4, escape: bool = True) -> str:
    """The frame as an HTML table in a box that scrolls when the table is wider than the page.

    The index becomes the first column, so that the header is one row (pandas puts
    named indexes on a second, otherwise empty, header row). ``escape=False`` keeps
    markup in the cells (the report's bold best values).
    """
    frame = frame.rename_axis(index=frame.index.name or "", columns=None).reset_index()
    table = frame.to_html(
        float_format=lambda v: f"{v:.{digits}g}",
        border=0,
        na_rep="",
        escape=escape,
        index=False,
    )
    return f'<div class="table-wrap">{table}</div>'


def question(title: str, answer: str) -> str:
    """A question and its plain-words answer."""
    return f'<div class="answer"><h3>{html.escape(title)}</h3><p>{html.escape(answer)}</p></div>'


def markdown_table(
    frame: pd.DataFrame, formats: dict | None = None, default: str = "{:.4g}"
) -> str:
    """A GitHub-flavoured Markdown table of ``frame`` with its index as first column.

    ``formats`` maps a column to a format string; other float cells use ``default``, and
    NaN is an empty cell.
    """
    formats = formats or {}
    frame = frame.reset_index()
    header = [str(c) for c in frame.columns]

    def cell(column, value) -> str:
        if isinstance(value, float):
            return "" if pd.isna(value) else formats.get(column, default).format(value)
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(map(cell, frame.columns, row)) + " |")
    return "\n".join(lines) + "\n"


def section(title: str, *parts: str) -> str:
    return f"<h2>{html.escape(title)}</h2>\n" + "\n".join(parts)


def paragraph(text: str, css: str | None = None) -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<p{attribute}>{html.escape(text)}</p>"


def page(title: str, sections: list[str]) -> str:
    return _PAGE.substitute(title=html.escape(title), body="\n".join(sections))
