"""A call's scorecard judges the call; a single reply is judged on what its moment asks for.

In a call, thanks and acceptance count in the first reply only (the seeds: thank first), and a
permission close counts wherever it comes, the last reply included. A single reply (`score`,
drills) is judged at a stage: checks the stage does not ask for are n/a and do not count.
"""

from __future__ import annotations

import pytest

from simulator.scoring.detect import default_rubric, detect
from simulator.scoring.scorer import score_replies
from simulator.scoring.stages import NOT_ASKED, score_reply

THANKS = "Thank you for your honesty, I can appreciate that."
ISSUES = "What issues are you facing as it relates to dispatch?"
CLOSE = "Would you mind if we talked again next week?"

CALLS = [
    # thanks first, the issues question next, a permission close last: every move counts
    ([THANKS, ISSUES, CLOSE],
     {"gratitude": "pass", "acknowledge": "pass", "explore_issues": "pass",
      "permission_close": "pass", "i_free_questions": "pass", "opt_out": "fail"}),
    # thanks that come late do not count: thank first
    ([ISSUES, THANKS, CLOSE],
     {"gratitude": "fail", "acknowledge": "fail", "explore_issues": "pass",
      "permission_close": "pass"}),
    # a next step imposed earlier, then asked for in the last reply: the close counts
    (["Thanks.", "I'll call you next Tuesday.", "Would you mind if I called you Tuesday?"],
     {"gratitude": "pass", "acknowledge": "fail", "permission_close": "pass"}),
    # no close at all in a whole call fails the close
    (["Thanks, I appreciate that.", "How come?", "Okay, goodbye."],
     {"gratitude": "pass", "acknowledge": "pass", "how_come_not_why": "pass",
      "permission_close": "fail"}),
    # a "why" in any reply fails, and faults anywhere in the call count
    (["Thank you.", "Why not?", "Keep us in mind."],
     {"gratitude": "pass", "how_come_not_why": "fail", "no_keep_us_in_mind": "fail"}),
]


@pytest.mark.parametrize(("replies", "expected"), CALLS,
                         ids=[" / ".join(r)[:50] for r, _ in CALLS])
def test_a_call_is_judged_as_a_call(replies, expected):
    card = score_replies(replies)
    assert {check: card.checks[check].verdict for check in expected} == expected


def test_the_evidence_names_the_reply_it_came_from():
    card = score_replies([THANKS, ISSUES, CLOSE])
    assert [(item["turn"], item["start"]) for item in card.checks["gratitude"].evidence] == [
        (0, 0)]
    assert [item["turn"] for item in card.checks["permission_close"].evidence] == [2]
    late = score_replies([ISSUES, THANKS])
    assert late.checks["gratitude"].evidence == []


PROBE = "Thank you for your honesty. What issues are you facing as it relates to dispatch?"
REPLIES = [
    # opening: a reply that only probes is not failed for not closing
    (PROBE, "opening", {"gratitude": "pass", "explore_issues": "pass",
                        "permission_close": "n/a", "opt_out": "n/a"}),
    # ... but a close attempt is judged, good or bad
    ("Thanks. Would you mind if I circled back in a few months?", "opening",
     {"gratitude": "pass", "permission_close": "pass", "opt_out": "fail"}),
    ("Thanks. I'll call you next week.", "opening", {"permission_close": "fail"}),
    ("Thanks, keep us in mind.", "opening",
     {"permission_close": "fail", "no_keep_us_in_mind": "fail"}),
    ("Thanks, goodbye.", "opening", {"permission_close": "fail", "opt_out": "fail"}),
    # close: thanks, acceptance and the issues question are not asked for here
    (CLOSE, "close", {"gratitude": "n/a", "acknowledge": "n/a", "explore_issues": "n/a",
                      "permission_close": "pass", "opt_out": "fail"}),
    ("How come?", "close", {"permission_close": "fail", "how_come_not_why": "pass"}),
    # call: every check, as a whole call of one reply
    (PROBE, "call", {"permission_close": "fail", "opt_out": "fail", "gratitude": "pass"}),
]


@pytest.mark.parametrize(("text", "stage", "expected"), REPLIES,
                         ids=[f"{stage}: {text[:40]}" for text, stage, _ in REPLIES])
def test_a_single_reply_is_judged_on_what_its_stage_asks_for(text, stage, expected):
    card = score_reply(detect(text), stage)
    assert {check: card.checks[check].verdict for check in expected} == expected
    for result in card.checks.values():
        if result.verdict == "n/a" and stage in NOT_ASKED and not result.evidence:
            assert result.advice in (NOT_ASKED[stage], *(
                spec.advice.for_verdict("n/a") for spec in default_rubric().checks.values()))


def score_of(card) -> int:
    """The score from the verdicts: the weight passed out of the weight judged (n/a left out)."""
    weights = {check: spec.weight for check, spec in default_rubric().checks.items()}
    judged = [check for check, result in card.checks.items() if result.verdict != "n/a"]
    passed = [check for check in judged if card.checks[check].verdict == "pass"]
    return round(100 * sum(weights[c] for c in passed) / sum(weights[c] for c in judged))


def test_checks_not_asked_for_do_not_count_in_the_score():
    opening, call = score_reply(detect(PROBE), "opening"), score_reply(detect(PROBE), "call")
    assert opening.score == score_of(opening) and call.score == score_of(call)
    assert opening.score >= 85 > call.score  # a good first question is a good answer
    assert opening.checks["permission_close"].advice == NOT_ASKED["opening"]
