"""Records to save and subprocesses to run, shared by the call-store tests."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from simulator.session.engines import Word
from simulator.storage import CallRecord, TurnRecord

REPO_ROOT = Path(__file__).resolve().parents[2]


def make_turn(index: int, text: str | None = None) -> TurnRecord:
    """A turn with every field filled, so a round trip checks them all."""
    speaker = "prospect" if index % 2 == 0 else "trainee"
    return TurnRecord(
        index=index,
        speaker=speaker,
        text=text if text is not None else f"line {index} — naïve “quotes”",
        started_at=f"2025-03-01T09:30:{index % 60:02d}.125Z",
        ended_at=f"2025-03-01T09:30:{index % 60:02d}.990Z",
        state="objection" if speaker == "prospect" else None,
        detections=["gratitude", "why_question"] if speaker == "trainee" else [],
        words=[Word("thank", 0.1, 0.35, 0.93), Word("you", 0.35, 0.5, 1.0)]
        if speaker == "trainee"
        else [],
        extra={"delay": 0.812, "rms_db": -23.5, "clipped": False, "notes": None},
    )


def make_record(call_id: str, started_at: str, **fields) -> CallRecord:
    """A finished call with two turns; `fields` override any CallRecord field."""
    values = dict(
        call_id=call_id,
        persona="busy-cfo",
        persona_name="Dana Ortiz",
        mode="mic",
        started_at=started_at,
        seed=42,
        trainee="ana",
        workshop="lisbon-2025",
        ended_at=started_at,
        outcome="callback_agreed",
        score=73,
        turns=[make_turn(0), make_turn(1)],
        scorecard={"score": 73, "techniques": {"gratitude": 1.0}, "notes": ["ok"]},
        delivery={"wpm": 151.5, "fillers": 2},
    )
    values.update(fields)
    return CallRecord(**values)


def python(code: str, *args: str, **popen) -> subprocess.Popen:
    """Start `python -c code args...` importing this checkout's simulator package."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True, **popen)


def dump(database: Path) -> list[str]:
    """Every row and schema statement of the database file, as SQL text."""
    conn = sqlite3.connect(database)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
