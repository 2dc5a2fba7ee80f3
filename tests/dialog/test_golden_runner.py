"""The golden runner scores each reply with the real scorer and drives the engine with it."""

from __future__ import annotations

from dialog_helpers import table_persona

from simulator.dialog.engine import open_call
from simulator.dialog.golden import run_golden
from simulator.dialog.persona import Golden

PERSONA = table_persona()


def golden(replies: list[str], seed: int = 3, **expect) -> Golden:
    return Golden(name="g", seed=seed, replies=replies, expect=expect)


def test_each_turn_records_the_detections_and_the_rule():
    replies = [
        "Thank you for your honesty. What issues are you facing as it relates to scheduling?",
        "Would you mind if I circled back in a few months?",
    ]
    result = run_golden(PERSONA, golden(replies, outcome="meeting_agreed"))
    assert result.passed
    first, second = result.turns
    assert {"gratitude", "explore_issues"} <= set(first.detections)
    assert first.reaction.matched_rule == "states.guarded.on[0]"
    assert "permission_close" in second.detections
    assert second.reaction.prospect_line == "Tuesday works."
    assert result.opening == open_call(PERSONA, 3)[1]


def test_a_golden_may_stop_in_a_state():
    result = run_golden(PERSONA, golden(["Why not?"], state="defensive"))
    assert (result.passed, result.reached) == (True, "state defensive")


def test_the_wrong_expectation_fails_with_the_path_taken():
    result = run_golden(PERSONA, golden(["Thanks, goodbye"], outcome="hung_up"))
    assert not result.passed
    assert result.explain() == (
        "expected outcome hung_up, reached outcome trainee_ended "
        "(reply 1: [goodbye, gratitude] -> anytime[0])"
    )
