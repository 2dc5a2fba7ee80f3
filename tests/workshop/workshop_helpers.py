"""Calls to build histories from, the CLI, and whole-database snapshots for the workshop tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.session.engines import Word
from simulator.storage import CallRecord, TurnRecord

runner = CliRunner()


def callsim(*args: str | Path, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def turns(count: int, start: str = "2025-03-01T09:30:00.000Z") -> list[TurnRecord]:
    """Turns with every field filled (words, detections, extra), so a round trip checks them."""
    return [
        TurnRecord(
            index=i,
            speaker="prospect" if i % 2 == 0 else "trainee",
            text=f"line {i} — naïve “quotes”",
            started_at=start, ended_at=start,
            state="objection" if i % 2 == 0 else None,
            detections=["gratitude"] if i % 2 else [],
            words=[Word("thank", 0.1, 0.35, 0.93), Word("you", 0.35, 0.5, 1)] if i % 2 else [],
            extra={"delay": 0.812, "clipped": False, "notes": None} if i % 2 else {},
        )
        for i in range(count)
    ]  # fmt: skip


def call(call_id: str, trainee: str | None, persona: str, outcome: str | None,
         score: int | None, workshop: str | None = "lisbon",
         started_at: str = "2025-03-01T09:30:00.000Z", turn_count: int = 2,
         mode: str = "text") -> CallRecord:
    """A call as `practice` saves it; outcome None makes it an unfinished one."""
    finished = outcome is not None
    return CallRecord(
        call_id=call_id, persona=persona, persona_name=persona.title(), mode=mode,
        started_at=started_at, seed=7, trainee=trainee, workshop=workshop,
        ended_at=started_at if finished else None, outcome=outcome, score=score,
        turns=turns(turn_count, started_at),
        scorecard={"score": score, "checks": {"gratitude": {"verdict": "pass"}}} if finished
        else None,
        delivery={"response_delay_s": 0.8, "filler_words": 1} if finished else None,
    )  # fmt: skip


def dump(data_dir: Path) -> list[str]:
    """Every table row and schema statement of the data directory's database, as SQL text."""
    # Read only in effect; not mode=ro, which would leave -wal and -shm files behind.
    conn = sqlite3.connect(data_dir / "callsim.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def files(data_dir: Path) -> dict[str, bytes]:
    """The data directory's files, byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir())}
