"""Fixtures shared by the test modules."""

from pathlib import Path

import pytest

# The team's data folder sits beside the repository (``../shared``); CI clones it there.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def real_vix_csv() -> Path:
    """The CBOE file as downloaded (``../shared/data``); skips when it is not beside the repo."""
    path = SHARED_DATA / "vix-daily-1990-2023.csv"
    if not path.exists():
        pytest.skip(f"the CBOE file is not at {path}")
    return path
