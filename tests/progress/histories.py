"""Call histories for the progress and report tests: saved through the real CallStore."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.scoring.rubric import CHECK_IDS
from simulator.storage import CallRecord, CallStore, utc_timestamp
from simulator.storage.records import TurnRecord

VERDICT_CODES = {"P": "pass", "F": "fail", "N": "n/a"}  # "-": the check is not in the scorecard
START = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def scorecard(score: int, verdicts: dict[str, str]) -> dict:
    checks = {check: {"verdict": VERDICT_CODES[code], "evidence": [], "advice": "a",
                      "rewrite": None}
              for check, code in verdicts.items() if code != "-"}
    return {"score": score, "checks": checks}


def call(n: int, *, score: int | None = 50, verdicts: dict[str, str] | None = None,
         persona: str = "covered-carl", outcome: str | None = "hung_up", mode: str = "text",
         trainee: str | None = "ana", delivery: dict | None = None,
         replied: bool = True) -> CallRecord:
    """The n-th call of a history (started n minutes after START): the prospect's "no" and,
    when `replied`, one reply (a call without a reply does not count in progress)."""
    started = utc_timestamp(START + timedelta(minutes=n))
    verdicts = verdicts if verdicts is not None else {check: "P" for check in CHECK_IDS}
    return CallRecord(
        call_id=f"20250301-{n:06d}-0000abcd", persona=persona,
        persona_name=persona.replace("-", " ").title(), mode=mode, started_at=started,
        trainee=trainee, ended_at=started if outcome else None, outcome=outcome, score=score,
        scorecard=scorecard(score or 0, verdicts) if outcome else None, delivery=delivery,
        turns=[TurnRecord(0, "prospect", "Not interested."),
               *([TurnRecord(1, "trainee", "Thanks for telling me.")] if replied else [])],
    )


def check_history(check: str, codes: str) -> list[CallRecord]:
    """One call per letter of `codes`, giving `check` that verdict (other checks absent)."""
    return [call(n, verdicts={check: code}) for n, code in enumerate(codes)]


def save(data_dir: Path, records: list[CallRecord]) -> Path:
    with CallStore.open(data_dir) as store:
        store.import_calls(records)
    return data_dir


SPOKEN = {"response_delay_s": 1.5, "speaking_rate_wpm": 120, "pace": "slow",
          "talk_share": 0.6, "longest_monologue_s": 4.0, "filler_words": 3}

REAL_REPLIES = (
    "Thank you for your honesty. Why not?\n"
    "I can appreciate that. How come you chose them? Keep us in mind.\n"
    "Would you mind if I circled back in a month, or should I never contact you again?\n"
)


def practice(data_dir: Path, trainee: str, replies: str = REAL_REPLIES, seed: int = 3) -> str:
    """A real typed call through `callsim practice --text`; returns its call id."""
    result = CliRunner().invoke(app, ["practice", "--persona", "covered-carl", "--text",
                                      "--seed", str(seed), "--trainee", trainee,
                                      "--data-dir", str(data_dir), "--json"], input=replies)
    assert result.exit_code == 0, result.output
    with CallStore.open(data_dir) as store:
        return store.list_calls(trainee=trainee, limit=1)[0].call_id
