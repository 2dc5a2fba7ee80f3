"""Per-turn notes for a call's scorecard: what the trainee said that needs changing, and how."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.scoring.detect import default_rubric
from simulator.scoring.rubric import Rubric
from simulator.scoring.scorer import score_text


@dataclass(frozen=True)
class TurnNote:
    turn: int  # index among the trainee's turns
    check: str
    title: str
    quote: str  # the trainee's own words
    rewrite: str | None


def turn_notes(replies: Sequence[str], rubric: Rubric | None = None) -> list[TurnNote]:
    """A note for each thing said that fails a check (absences are the scorecard's business)."""
    rubric = rubric or default_rubric()
    notes = []
    for turn, text in enumerate(replies):
        for check, result in score_text(text, rubric=rubric).checks.items():
            if result.verdict == "fail" and result.evidence:
                quote = result.evidence[0]["text"]
                notes.append(TurnNote(turn, check, rubric.checks[check].title, quote,
                                      result.rewrite))
    return notes
