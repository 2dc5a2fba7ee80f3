"""Fixtures for the call-store tests: an open store, a tiny tmpfs."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.storage import CallStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CallStore]:
    with CallStore.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def tmpfs(tmp_path: Path):
    """Mount tiny tmpfs file systems: `tmpfs(size_kb)` -> mount point. Skips without privilege."""
    mounted: list[Path] = []

    def mount(size_kb: int) -> Path:
        point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
