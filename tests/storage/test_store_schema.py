"""The database file carries its schema version and is upgraded forward, all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import make_record

from simulator.errors import StorageError
from simulator.session.engines import Word
from simulator.storage import CallRecord, CallStore, TurnRecord, db

# A frozen copy of the v1 schema as released: files written by callsim v1 look like this forever,
# whatever later steps add. (Deliberately not imported from db.py.)
V1_FILE_SQL = """
CREATE TABLE calls (call_id TEXT PRIMARY KEY, persona TEXT NOT NULL, persona_name TEXT NOT NULL,
  seed INTEGER, trainee TEXT COLLATE NOCASE, workshop TEXT COLLATE NOCASE, mode TEXT NOT NULL,
  started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT, score INTEGER, scorecard TEXT,
  delivery TEXT);
CREATE TABLE turns (call_id TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL, speaker TEXT NOT NULL, text TEXT NOT NULL, started_at TEXT,
  ended_at TEXT, state TEXT, detections TEXT NOT NULL, words TEXT NOT NULL, extra TEXT NOT NULL,
  PRIMARY KEY (call_id, idx)) WITHOUT ROWID;
CREATE INDEX calls_by_start ON calls(started_at, call_id);
CREATE INDEX calls_by_trainee ON calls(trainee, started_at, call_id);
CREATE INDEX calls_by_workshop ON calls(workshop, started_at, call_id);
CREATE INDEX calls_by_persona ON calls(persona, started_at, call_id);
INSERT INTO calls VALUES ('20250301-093000-0a1b2c3d', 'busy-cfo', 'Dana Ortiz', 7, 'ana',
  'lisbon', 'wav', '2025-03-01T09:30:00.000Z', '2025-03-01T09:34:10.250Z', 'opted_out', 55,
  '{"score":55,"hits":["gratitude"]}', '{"wpm":150.5}');
INSERT INTO turns VALUES ('20250301-093000-0a1b2c3d', 0, 'prospect', 'Not interested.',
  '2025-03-01T09:30:00.100Z', '2025-03-01T09:30:01.900Z', 'rejection', '[]', '[]', '{}');
INSERT INTO turns VALUES ('20250301-093000-0a1b2c3d', 1, 'trainee', 'Thank you, may I ask why?',
  NULL, NULL, NULL, '["gratitude","why_question"]',
  '[{"text":"thank","start":0.5,"end":0.75,"conf":0.9}]', '{"delay":0.4}');
PRAGMA user_version = 1;
"""

V1_RECORD = CallRecord(
    call_id="20250301-093000-0a1b2c3d", persona="busy-cfo", persona_name="Dana Ortiz",
    mode="wav", started_at="2025-03-01T09:30:00.000Z", seed=7, trainee="ana", workshop="lisbon",
    ended_at="2025-03-01T09:34:10.250Z", outcome="opted_out", score=55,
    turns=[
        TurnRecord(0, "prospect", "Not interested.", "2025-03-01T09:30:00.100Z",
                   "2025-03-01T09:30:01.900Z", "rejection"),
        TurnRecord(1, "trainee", "Thank you, may I ask why?", None, None, None,
                   ["gratitude", "why_question"], [Word("thank", 0.5, 0.75, 0.9)],
                   {"delay": 0.4}),
    ],
    scorecard={"score": 55, "hits": ["gratitude"]}, delivery={"wpm": 150.5},
)  # fmt: skip

CURRENT = len(db.MIGRATIONS)
NEXT = CURRENT + 1

# A later step as a future release might add it, to exercise the upgrade machinery.
FUTURE_STEP = (
    "ALTER TABLE calls ADD COLUMN origin TEXT",
    "UPDATE calls SET origin = 'this laptop'",
)
BROKEN_STEP = ("ALTER TABLE calls ADD COLUMN origin TEXT", "SELECT * FROM no_such_table")


def build(path: Path, script: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()
    return path


def inspect(path: Path) -> tuple[int, list[str]]:
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    columns = [row[1] for row in conn.execute("PRAGMA table_info(calls)")]
    conn.close()
    return version, columns


V1_ROW = ("20250301-093000-0a1b2c3d", "busy-cfo", "Dana Ortiz", 7, "ana", "lisbon", "wav",
          "2025-03-01T09:30:00.000Z", "2025-03-01T09:34:10.250Z", "opted_out", 55,
          '{"score":55,"hits":["gratitude"]}', '{"wpm":150.5}')  # fmt: skip
V1_COLUMNS = ["call_id", "persona", "persona_name", "seed", "trainee", "workshop", "mode",
              "started_at", "ended_at", "outcome", "score", "scorecard", "delivery"]  # fmt: skip

STARTS = [  # how the file looks before callsim opens it
    ("no file", None),
    ("empty file (v0)", ""),
    ("empty database (v0)", "PRAGMA user_version = 0;"),
]


@pytest.mark.parametrize(("case", "script"), STARTS, ids=[s[0] for s in STARTS])
def test_new_and_v0_files_become_current(tmp_path: Path, case: str, script: str | None):
    path = tmp_path / "callsim.db"
    if script == "":
        path.write_bytes(b"")
    elif script is not None:
        build(path, script)
    with CallStore.open(tmp_path) as store:
        store.import_calls([V1_RECORD])
        assert store.get_call(V1_RECORD.call_id) == V1_RECORD
    assert inspect(path) == (len(db.MIGRATIONS), V1_COLUMNS)


def test_v1_file_reads_back(tmp_path: Path):
    build(tmp_path / "callsim.db", V1_FILE_SQL)
    with CallStore.open(tmp_path) as store:
        assert store.get_call("20250301") == V1_RECORD
        assert [s.call_id for s in store.list_calls(trainee="ANA")] == [V1_RECORD.call_id]


UPGRADES = [  # starting file, steps the code knows, resulting version and columns
    ("v1 file, future code", V1_FILE_SQL, (*db.MIGRATIONS, FUTURE_STEP), NEXT,
     [*V1_COLUMNS, "origin"]),
    ("v0 file, future code", "", (*db.MIGRATIONS, FUTURE_STEP), NEXT, [*V1_COLUMNS, "origin"]),
    ("v1 file, current code", V1_FILE_SQL, db.MIGRATIONS, CURRENT, V1_COLUMNS),
    ("v1 file, v1 code", V1_FILE_SQL, db.MIGRATIONS[:1], 1, V1_COLUMNS),
]


@pytest.mark.parametrize(("case", "script", "steps", "version", "columns"), UPGRADES,
                         ids=[u[0] for u in UPGRADES])  # fmt: skip
def test_missing_steps_are_applied(tmp_path, case, script, steps, version, columns):
    path = build(tmp_path / "callsim.db", script)
    db.connect(path, steps).close()
    assert inspect(path) == (version, columns)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM calls").fetchall()
    turns = conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    conn.close()
    if script:  # the v1 call survives the upgrade untouched, with the new column filled
        assert [row[:13] for row in rows] == [V1_ROW]
        assert [row[13:] for row in rows] == [("this laptop",) if version == NEXT else ()]
        assert turns == 2
    else:
        assert (rows, turns) == ([], 0)


def test_failed_step_changes_nothing(tmp_path: Path):
    path = build(tmp_path / "callsim.db", V1_FILE_SQL)
    with pytest.raises(StorageError) as caught:
        db.connect(path, (*db.MIGRATIONS, BROKEN_STEP))
    assert str(caught.value) == (
        f"cannot upgrade {path} to schema v{NEXT}: no such table: no_such_table; "
        "report this as a callsim bug"
    )
    assert inspect(path) == (1, V1_COLUMNS)
    with CallStore.open(tmp_path) as store:
        assert store.get_call(V1_RECORD.call_id) == V1_RECORD


@pytest.mark.parametrize("newer", [NEXT, 9])
def test_newer_file_is_refused(tmp_path: Path, newer: int):
    path = build(tmp_path / "callsim.db", V1_FILE_SQL + f"PRAGMA user_version = {newer};")
    with pytest.raises(StorageError) as caught:
        CallStore.open(tmp_path)
    assert str(caught.value) == (
        f"{path} was written by a newer callsim (schema v{newer}, this one reads up to "
        f"v{CURRENT}); upgrade callsim"
    )
    assert inspect(path) == (newer, V1_COLUMNS)


def test_other_programs_database_is_left_alone(tmp_path: Path):
    path = build(tmp_path / "callsim.db", "CREATE TABLE songs (title TEXT);")
    with pytest.raises(StorageError) as caught:
        CallStore.open(tmp_path)
    assert str(caught.value) == (
        f"{path} is a database of another program, not callsim's; "
        "point --data-dir / CALLSIM_HOME at another directory"
    )
    assert inspect(path) == (0, [])


def test_file_uses_wal(tmp_path: Path):
    with CallStore.open(tmp_path) as store:
        store.import_calls([make_record("a", "2025-03-01T09:30:00.000Z")])
        conn = sqlite3.connect(store.path)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        conn.close()


V1_WORKSHOP_CALLS = """
INSERT INTO calls VALUES ('20250302-090000-0a1b2c3e', 'busy-cfo', 'Dana Ortiz', 7, 'ben', 'LISBON',
  'text', '2025-03-02T09:00:00.000Z', NULL, NULL, NULL, NULL, NULL);
INSERT INTO calls VALUES ('20250228-170000-0a1b2c3f', 'busy-cfo', 'Dana Ortiz', 7, 'ben', 'porto',
  'text', '2025-02-28T17:00:00.000Z', '2025-02-28T17:05:00.000Z', 'hung_up', 10, NULL, NULL);
INSERT INTO calls VALUES ('20250228-180000-0a1b2c40', 'busy-cfo', 'Dana Ortiz', 7, 'ben', NULL,
  'text', '2025-02-28T18:00:00.000Z', NULL, NULL, NULL, NULL, NULL);
"""


def test_v2_names_the_workshops_of_v1_calls_as_ended(tmp_path: Path):
    # lisbon: its calls ran 2025-03-01 09:30 (ended 09:34:10) and 2025-03-02 09:00 (unfinished).
    path = build(tmp_path / "callsim.db", V1_FILE_SQL + V1_WORKSHOP_CALLS)
    db.connect(path, db.MIGRATIONS[:2]).close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM workshops ORDER BY name").fetchall()
    conn.close()
    assert rows == [
        ("LISBON", "2025-03-01T09:30:00.000Z", "2025-03-02T09:00:00.000Z"),
        ("porto", "2025-02-28T17:00:00.000Z", "2025-02-28T17:05:00.000Z"),
    ]


def test_at_most_one_workshop_is_open(tmp_path: Path):
    conn = db.connect(tmp_path / "callsim.db")
    conn.execute("INSERT INTO workshops VALUES ('lisbon', '2025-03-01T09:00:00.000Z', NULL)")
    conn.execute("INSERT INTO workshops VALUES ('porto', '2025-02-01T09:00:00.000Z', "
                 "'2025-02-01T17:00:00.000Z')")  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError, match="workshops_one_open"):
        conn.execute("INSERT INTO workshops VALUES ('faro', '2025-03-01T10:00:00.000Z', NULL)")
    with pytest.raises(sqlite3.IntegrityError, match="workshops.name"):
        conn.execute("INSERT INTO workshops VALUES ('LISBON', '2025-03-01T10:00:00.000Z', '')")
    conn.close()


def test_the_leaderboard_query_reads_one_workshop_and_each_calls_own_turns(tmp_path: Path):
    from simulator.storage.board import _BOARD_SQL

    conn = db.connect(tmp_path / "callsim.db")
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + _BOARD_SQL, ("lisbon",))]
    conn.close()
    # Never a scan: the workshop's calls by index, whether a call has a reply by its turns' key.
    assert plan[0].startswith("SEARCH c USING ") and plan[0].endswith("(workshop=?)")
    assert "SEARCH r USING PRIMARY KEY (call_id=?)" in plan
    assert not [step for step in plan if step.startswith("SCAN")]
