"""Drill items saved before drills had an outcome of their own (max_turns) read as `answered`
after the upgrade; a practice call that really reached its reply limit keeps max_turns."""

from __future__ import annotations

import sqlite3

from test_store_schema import V1_FILE_SQL, build

from simulator.storage import CallStore

OLD_ROWS = """
INSERT INTO calls VALUES ('20250302-090000-00000001', 'busy-cfo', 'Dana Ortiz', 1, 'ana', NULL,
  'drill', '2025-03-02T09:00:00.000Z', '2025-03-02T09:00:20.000Z', 'max_turns', 80, NULL, NULL);
INSERT INTO calls VALUES ('20250302-091000-00000002', 'busy-cfo', 'Dana Ortiz', 2, 'ana', NULL,
  'text', '2025-03-02T09:10:00.000Z', '2025-03-02T09:14:00.000Z', 'max_turns', 60, NULL, NULL);
"""


def test_old_drill_items_become_answered_and_calls_keep_max_turns(tmp_path):
    path = build(tmp_path / "callsim.db", V1_FILE_SQL.replace("PRAGMA user_version = 1;", "")
                 + OLD_ROWS + "PRAGMA user_version = 1;")
    with CallStore.open(tmp_path) as store:
        outcomes = {c.mode: c.outcome for c in store.list_calls(trainee="ana")}
    assert outcomes == {"drill": "answered", "text": "max_turns", "wav": "opted_out"}
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM calls WHERE outcome = 'max_turns'").fetchone() == (1,)
    conn.close()
