"""Fixtures for the call-store tests: an open store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.storage import CallStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CallStore]:
    with CallStore.open(tmp_path / "data") as opened:
        yield opened
