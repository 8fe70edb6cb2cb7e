"""The README's Python code runs as written, so that what users copy cannot rot.

The blocks run in order in one namespace, as a reader pastes them into one session. The
quick start is sized to run in under a minute on two cores.
"""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
TEXT = re.compile(r"^```text\n(.*?)^```", re.DOTALL | re.MULTILINE)
NUMBER = re.compile(r"-?\d+\.\d+|NaN")


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text())


def test_readme_has_python_blocks():
    blocks = python_blocks()
    assert len(blocks) >= 2
    # Forecasting five past rows pads their windows: the quick start gives the history.
    assert "iloc[-5:]" not in "".join(blocks)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_readme_python_blocks_run_in_order(capsys):
    pytest.importorskip("torch")
    namespace: dict = {"__name__": "__readme__"}
    for number, block in enumerate(python_blocks(), start=1):
        exec(compile(block, f"README.md python block {number}", "exec"), namespace)
    printed = capsys.readouterr().out
    # The forecast is for the five sessions after the data's last day, with a band around it.
    forecast = namespace["forecast"]
    assert forecast.shape == (5, 3)
    assert (forecast["lower"] <= forecast["forecast"]).all()
    assert (forecast["forecast"] <= forecast["upper"]).all()
    assert "session 5" in printed
    # One score throughout: the search ranked its candidates by the persistence skill.
    assert namespace["search"].scoring is namespace["skill"]
    # The expected output shown in the README is what the code prints, to rounding noise.
    shown = [float(v) for v in NUMBER.findall("".join(TEXT.findall(README.read_text())))]
    got = [float(v) for v in NUMBER.findall(printed)]
    assert len(got) == len(shown)
    assert got == pytest.approx(shown, abs=0.02, nan_ok=True)
