"""The call history: every call and turn saved to SQLite as it happens (`callsim.db`).

Names are loaded on first use (PEP 562), so a light import such as `simulator.storage.paths` on
the command line's start-up path does not load the store, its records and its SQL.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "CallStore": "calls",
    "DB_FILENAME": "paths", "HOME_ENV": "paths", "database_path": "paths",
    "resolve_data_dir": "paths",
    "MODES": "records", "OUTCOMES": "records", "SPEAKERS": "records", "CallRecord": "records",
    "CallSummary": "records", "TurnRecord": "records", "new_call_id": "records",
    "utc_timestamp": "records",
}  # fmt: skip

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'simulator.storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"simulator.storage.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
