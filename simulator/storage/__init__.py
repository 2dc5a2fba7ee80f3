"""The call history: every call and turn saved to SQLite as it happens (`callsim.db`)."""

from __future__ import annotations

from simulator.storage.calls import CallStore
from simulator.storage.paths import DB_FILENAME, HOME_ENV, database_path, resolve_data_dir
from simulator.storage.records import (
    MODES,
    OUTCOMES,
    SPEAKERS,
    CallRecord,
    CallSummary,
    TurnRecord,
    new_call_id,
    utc_timestamp,
)

__all__ = [
    "DB_FILENAME",
    "HOME_ENV",
    "MODES",
    "OUTCOMES",
    "SPEAKERS",
    "CallRecord",
    "CallStore",
    "CallSummary",
    "TurnRecord",
    "database_path",
    "new_call_id",
    "resolve_data_dir",
    "utc_timestamp",
]
