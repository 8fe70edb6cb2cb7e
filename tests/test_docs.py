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


RESULTS = ROOT / "benchmarks" / "results"
# The user guide's tables that are not measurements, by page and header line, with why they
# are typed by hand. Any other table must come from a file a benchmark wrote, included with
# MyST's {include}: a new hand-typed table of numbers fails the test below.
HAND_TYPED_TABLES = {
    ("walk_forward.md", "| you use | skforecast | Darts | here |"): (
        "a comparison of features with skforecast and Darts"
    ),
    ("every_evening.md", "| column | meaning |"): "what each column of a file holds",
    ("windows.md", "| input to `transform` | completed from the fit data? |"): (
        "the rule for when WindowTransformer completes windows from the fit data"
    ),
    ("calendar.md", "| period | data rows on non-XNYS days | XNYS sessions with no row |"): (
        "counts of the shipped file against the XNYS schedule, fixed by the data; no "
        "benchmark writes them yet"
    ),
}


def _table_headers(text: str) -> list[str]:
    """The first line of every Markdown table (a run of lines starting with ``|``)."""
    lines = text.splitlines()
    return [
        line.strip()
        for before, line in zip(["", *lines[:-1]], lines, strict=True)
        if line.startswith("|") and not before.startswith("|")
    ]


def _user_guide_pages() -> list[Path]:
    return sorted((DOCS / "user_guide").glob("*.md"))


def test_every_table_of_the_user_guide_is_a_benchmark_file_or_listed_as_hand_typed():
    found = {
        (page.name, header)
        for page in _user_guide_pages()
        for header in _table_headers(page.read_text())
    }
    typed = found - set(HAND_TYPED_TABLES)
    assert not typed, (
        f"tables typed in the user guide: {sorted(typed)}. Write them with a benchmark's "
        "--out into benchmarks/results/ and {include} the file, or list a table that is "
        "not a measurement in HAND_TYPED_TABLES with its reason"
    )
    assert set(HAND_TYPED_TABLES) <= found, "a listed hand-typed table is gone: unlist it"


def test_every_included_result_file_exists_and_is_regenerated_by_one_script():
    script = (ROOT / "benchmarks" / "regenerate.sh").read_text()
    included = {
        (page / ".." / target).resolve()
        for page in _user_guide_pages()
        for target in re.findall(r"```\{include\} (\S+)", page.read_text())
    }
    assert included
    for path in included:
        assert path.is_relative_to(RESULTS), path
        assert path.is_file(), path
        # calendar_lstm_seed0.md is written as calendar_lstm_seed$seed.md.
        assert f"$R/{re.sub(r'[0-9]+$', '', path.stem)}" in script, path.name


def _report_file(name: str):
    import pandas as pd

    return pd.read_csv(ROOT / "benchmarks" / "results" / "report" / f"{name}.csv", index_col=0)


def test_the_readme_quotes_the_reports_forecast_from_its_output_file():
    forecast = _report_file("forecast")
    name = _report_file("recommendation").index.item()
    first = forecast.iloc[0].round(2)
    sentence = " ".join((ROOT / "README.md").read_text().split())
    assert (
        f"forecast with the recommended model, `{name}`, fitted on all 34 years, and say so "
        f"beside the number: {first['forecast']:.2f} for {forecast.index[0]}, 90 % band "
        f"{first['lower']:.2f} to {first['upper']:.2f}"
    ) in sentence


def test_predict_fits_the_model_the_report_recommends_on_the_shipped_data():
    from sklearn_vix.cli._models import DEFAULT_MODEL

    assert DEFAULT_MODEL == _report_file("recommendation").index.item()
