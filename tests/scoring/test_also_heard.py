"""Moves found in another hearing of a spoken reply: a move check that failed for want of the
move passes when one of the recognizer's other hearings of a judged reply makes it; a check
that fails for what was said never passes that way."""

from __future__ import annotations

import pytest

from simulator.scoring.detect import default_rubric
from simulator.scoring.hearings import ALSO_HEARD, MOST_HEARINGS, mark_also_heard
from simulator.scoring.scorer import score_replies
from simulator.scoring.unclear import score_heard
from simulator.session.engines import Word


def card_of(replies: list[tuple[str, list[str]]]):
    """Scorecard of typed-like replies (text, other hearings), as a spoken call is scored."""
    return score_heard([(text, [], "pocketsphinx", hearings) for text, hearings in replies])


def passed_by_hearing(card) -> set[str]:
    return {check for check, result in card.checks.items() if result.heard == ALSO_HEARD}


@pytest.mark.parametrize(("heard", "others", "passed"), [
    # the move is in another hearing: its check passes
    ("and you for your honesty how come", ["thank you for your honesty how come"],
     {"gratitude"}),
    ("wonderful what issues are you facing", ["understood what issues are you facing"],
     {"acknowledge"}),
    ("thanks what cheese are you facing", ["thanks what issues are you facing"],
     {"explore_issues"}),
    ("thanks would you mine if i called next week",
     ["thanks would you mind if i called next week"], {"permission_close"}),
    ("or would you rather i never cold a gain", ["or would you rather i never called again"],
     {"opt_out", "permission_close"}),  # (asking that is asking permission too)
    # several moves at once, from different hearings
    ("and you wonderful", ["thank you wonderful", "and you understood"],
     {"gratitude", "acknowledge"}),
    # a fault is never hidden by a hearing without it
    ("thanks why not", ["thanks how come"], set()),
    ("thanks are you sure", ["thanks tell me more"], {"how_come_not_why"}),  # the push stays
    ("thanks keep us in mind", ["thanks would you mind if i called"], {"permission_close"}),
    # the move check already passes: nothing to take from elsewhere
    ("thank you for your honesty", ["thank you so much"], set()),
    # no hearing makes the move
    ("for your august", ["for your honest", "far your august"], set()),
    # no other hearings (a typed reply): nothing changes
    ("and you for your honesty", [], set()),
])
def test_a_move_in_another_hearing_passes_its_check(heard, others, passed):
    assert passed_by_hearing(card_of([(heard, others)])) == passed


def test_a_push_heard_stays_a_fail_whatever_else_was_heard():
    card = card_of([("thanks are you sure", ["thanks tell me more"])])
    assert (card.checks["no_pushing"].verdict, card.checks["no_pushing"].heard) == ("fail", None)


def test_the_evidence_quotes_the_other_hearing_without_offsets_into_the_transcript():
    card = card_of([("and you for your honesty", ["thank you for your honesty"])])
    result = card.checks["gratitude"]
    assert result.verdict == "pass"
    assert result.evidence == [{"text": "thank you for",
                                "heard": "thank you for your honesty"}]
    assert result.advice == default_rubric().checks["gratitude"].advice.for_verdict("pass")


def test_the_score_counts_the_check_passed_by_another_hearing():
    plain = score_replies(["and you for your honesty"])
    card = card_of([("and you for your honesty", ["thank you for your honesty"])])
    assert card.score > plain.score
    weights = default_rubric().checks
    judged = [c for c, r in card.checks.items() if r.verdict != "n/a"]
    earned = [c for c in judged if card.checks[c].verdict == "pass"]
    assert card.score == round(100 * sum(weights[c].weight for c in earned)
                               / sum(weights[c].weight for c in judged))


def test_thanks_heard_in_a_later_reply_still_do_not_count_but_a_close_does():
    card = card_of([("and you how come", []),
                    ("okay", ["thank you would you mind if i called you in march"])])
    assert card.checks["gratitude"].verdict == "fail"  # thanks count in the first reply only
    close = card.checks["permission_close"]
    assert (close.verdict, close.heard) == ("pass", ALSO_HEARD)
    assert close.evidence[0]["turn"] == 1
    assert close.evidence[0]["heard"] == "thank you would you mind if i called you in march"


def test_the_first_hearing_that_makes_the_move_is_quoted():
    card = card_of([("and you", ["and you too", "thank you", "thanks a lot"])])
    assert card.checks["gratitude"].evidence[0]["heard"] == "thank you"


def test_only_the_first_hearings_are_looked_at():
    others = ["and you"] * MOST_HEARINGS + ["thank you"]
    assert card_of([("and you", others)]).checks["gratitude"].verdict == "fail"


@pytest.mark.parametrize("junk", [[""], ["   "], [None], [3], [b"thank you"]])
def test_empty_or_malformed_hearings_are_skipped(junk):
    card = card_of([("and you", [*junk, "thank you"])])
    assert card.checks["gratitude"].verdict == "pass"
    assert card.checks["gratitude"].evidence[0]["heard"] == "thank you"


def test_a_fail_no_hearing_passes_can_still_be_heard_unclearly():
    words = [Word("and", 0, 0, 0.1), Word("you", 0, 0, 0.95), Word("for", 0, 0, 0.95),
             Word("your", 0, 0, 0.95), Word("honesty", 0, 0, 0.95)]
    card = score_heard([("and you for your honesty", words, "pocketsphinx", ["an you"])])
    assert (card.checks["gratitude"].verdict, card.checks["gratitude"].heard) == \
        ("fail", "unclear")


def test_the_same_hearings_always_give_the_same_card():
    replies = [("wonderful and you", ["understood thank you", "wonderful thank you"])]
    assert card_of(replies).to_json() == card_of(replies).to_json()


def test_a_card_with_no_hearings_is_returned_as_it_was():
    card = score_replies(["and you"])
    assert mark_also_heard(card, ["and you"], [()], default_rubric()) is card


@pytest.mark.parametrize(("heard", "others", "verdict"), [
    ("thanks how calm", ["thanks how come"], "pass"),  # not judged: the probe was misheard
    ("thanks why not", ["thanks how come"], "fail"),  # a why heard is never heard away
    ("thanks how calm", ["thanks why not"], "n/a"),  # nor taken from another hearing
])
def test_a_how_come_probe_in_another_hearing_passes_only_a_check_not_judged(heard, others,
                                                                            verdict):
    assert card_of([(heard, others)]).checks["how_come_not_why"].verdict == verdict
