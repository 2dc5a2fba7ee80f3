"""A realistic workshop, built once for the report tests (real typed calls through the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.workshop_data import build_workshop


@pytest.fixture(scope="package")
def workshop_dir(tmp_path_factory) -> Path:
    return build_workshop(tmp_path_factory.mktemp("workshop"))
