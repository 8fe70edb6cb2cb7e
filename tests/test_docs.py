"""The documentation's sources, checked without building it (the build runs in CI)."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


def _toctree(page: Path) -> list[str]:
    block = re.search(r"```\{toctree\}\n(.*?)```", page.read_text(), re.DOTALL).group(1)
    return [line.strip() for line in block.splitlines() if line.strip() and ":" not in line]


def test_the_user_guide_is_several_pages_in_one_toctree():
    entries = _toctree(DOCS / "user_guide" / "index.md")
    assert len(entries) >= 5
    for entry in entries:
        assert (DOCS / "user_guide" / f"{entry}.md").is_file(), entry
    pages = {p.stem for p in (DOCS / "user_guide").glob("*.md")} - {"index"}
    assert pages <= set(entries), "a user-guide page is missing from the toctree"


def test_the_site_has_install_and_changelog_pages():
    index = (DOCS / "index.rst").read_text()
    for page in ("install", "user_guide/index", "changelog"):
        assert f"   {page}\n" in index
        assert (DOCS / f"{page}.rst").is_file() or (DOCS / f"{page}.md").is_file()


def _user_text() -> dict:
    files = [ROOT / "README.md", *DOCS.glob("*.rst"), *DOCS.rglob("user_guide/*.md"), *EXAMPLES]
    return {path: path.read_text() for path in files if path.name != "api.rst"}


@pytest.mark.parametrize(
    "wording",
    # Users read what the library does, not what its makers aim at.
    ["issue's", "stretch target", "findings note", "pip install sklearn-vix", "goal", "(target:"],
)
def test_no_inside_wording_or_unpublished_install(wording):
    hits = [str(path) for path, text in _user_text().items() if wording in text]
    assert not hits


def test_the_gallery_goes_from_first_steps_to_advanced():
    sys.path.insert(0, str(DOCS / "sphinxext"))
    try:
        from gallery_order import ORDER, ExampleOrder
    finally:
        sys.path.pop(0)
    assert sorted(ORDER) == [path.name for path in EXAMPLES]
    key = ExampleOrder(str(ROOT / "examples"))
    ordered = sorted((str(path) for path in EXAMPLES), key=key)
    assert Path(ordered[0]).name == "plot_is_the_vix_predictable.py"
    assert Path(ordered[-1]).name == "plot_dask_grid_search.py"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_every_example_draws_a_figure_for_its_thumbnail(example):
    text = example.read_text()
    assert "plt." in text or "Display." in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_examples_date_forecasts_by_exchange_sessions_not_weekdays(example):
    # Business days put a forecast on New Year's Day; the library dates by NYSE sessions.
    text = example.read_text()
    assert "bdate_range" not in text and "BDay" not in text


def test_wide_tables_scroll_in_their_own_box():
    css = (DOCS / "_static" / "custom.css").read_text()
    assert ".bd-article .pst-scrollable-table-container { max-width: 100%; overflow-x: auto; }" in (
        css
    )
    assert ".bd-article { min-width: 0; }" in css


def test_the_readmes_expected_accuracy_is_read_from_the_benchmark_files():
    # Every ratio in "What to expect" is a number that bench_calendar.py wrote.
    text = (ROOT / "README.md").read_text()
    section = text.split("## What to expect")[1].split("## No look-ahead")[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("| "))
    shown = set(re.findall(r"0\.9\d{3}", table))
    results = ROOT / "benchmarks" / "results"
    written = "".join(
        (results / name).read_text()
        for name in ("calendar.md", *(f"calendar_lstm_seed{s}.md" for s in range(3)))
    )
    assert shown and shown <= set(re.findall(r"0\.9\d{3}", written))
