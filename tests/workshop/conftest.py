"""Fixtures for the workshop tests: an open store in a fresh data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.storage import CallStore


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data: Path) -> Iterator[CallStore]:
    with CallStore.open(data) as opened:
        yield opened
