"""Every dialog test starts from a fresh data directory and only the personas it names, so
personas in the user's own data directory or in CALLSIM_PERSONAS never leak into a result."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_persona_search_path(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSIM_HOME", str(tmp_path / "callsim-home"))
    monkeypatch.delenv("CALLSIM_PERSONAS", raising=False)
