"""Unsure words and "heard unclearly": which FAILs rest on words the recognizer was unsure of.

A word is written `word~` below when the recognizer was unsure of it (confidence 0.1), plain
when it was sure (0.95). The verdict never changes; only the flag does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.scoring.confidence import UNSURE_BELOW, unsure_spans
from simulator.scoring.scorer import score_call, score_text
from simulator.scoring.unclear import score_heard
from simulator.session.engines import Word

DATA = Path(__file__).resolve().parents[1] / "data"


def heard(spoken: str) -> tuple[str, list[Word]]:
    words = [Word(token.rstrip("~"), 0.0, 0.0, 0.1 if token.endswith("~") else 0.95)
             for token in spoken.split()]
    return " ".join(word.text for word in words), words


def unclear_checks(*replies: str) -> dict[str, str]:
    """{check: verdict} of the checks flagged heard unclearly."""
    card = score_heard([(*heard(reply), "pocketsphinx", ()) for reply in replies])
    return {check: result.verdict for check, result in card.checks.items()
            if result.heard == "unclear"}


@pytest.mark.parametrize(("spoken", "unclear"), [
    # a phrase of the failed check lines up with the reply if the unsure word were different
    ("and~ you for your honesty what issues are you facing", {"gratitude"}),
    ("i fear~ you how come", {"acknowledge"}),
    ("thanks what kips~ you up", {"explore_issues"}),  # "what keeps you up"
    ("on~ you~ for your honesty", {"gratitude"}),  # two unsure words for two
    # "mine" is like "mind" (a permission close), not like "change" ("would you change" is an
    # issues question); the I-question rests on the sure "i", not on "mine"
    ("would you mine~ if i call you next week", {"permission_close"}),
    # the evidence of a FAIL lies on an unsure word, and without it the check passes
    ("why~ not", {"how_come_not_why"}),
    ("thanks how come you chose mine~", {"i_free_questions"}),  # the only first-person word
    # no phrase lines up: a plain FAIL
    ("for your august~", set()),
    ("thanks what ishoos~ are you facing", set()),  # "ishoos" is not enough like "issues"
    ("thanks what issues~ are you facing", set()),  # not "what time suits": one word for two
    # a phrase must take in a sure word beside the unsure ones ("tissues" alone is no anchor)
    ("thanks what tissues~ are you facing", set()),
    ("on~ you for your time", set()),  # "on" is not "thank" with its onset lost
    # the phrase would be there, but the check still fails: no issues question without a "?"
    ("budget~", set()),
    # all sure: nothing is unclear, whatever fails
    ("and you pulled on the state", set()),
    ("why not", set()),
    # an unsure word in a passing phrase changes nothing (only FAILs are flagged)
    ("thank~ you for your honesty would you mind if i called you next week", set()),
])
def test_a_fail_is_heard_unclearly_when_it_rests_on_unsure_words(spoken, unclear):
    flagged = unclear_checks(spoken)
    assert set(flagged) == unclear
    assert set(flagged.values()) <= {"fail"}


@pytest.mark.parametrize(("spoken", "unclear"), [
    # the reply's first word may have lost its onset ("thank" -> "and"), a later one not
    ("and~ you for your time", {"gratitude"}),
    ("ank~ you for your time", {"gratitude"}),
    ("i hear you and~ you for your time", set()),
    ("gotcha~ you for your time", set()),  # longer than "thank": no letters were lost
])
def test_only_the_first_word_of_a_reply_may_have_lost_its_onset(spoken, unclear):
    assert set(unclear_checks(spoken)) == unclear


def test_gratitude_is_judged_on_the_first_reply_only_so_a_later_unsure_word_does_not_count():
    assert "gratitude" not in unclear_checks("how come", "and~ you for your time")
    assert "gratitude" in unclear_checks("and~ you for your time", "how come")


@pytest.mark.parametrize("engine", ["pocketsphinx", "vosk"])
def test_the_verdicts_and_score_are_those_of_the_plain_scorer(engine):
    text, words = heard("and~ you for your honesty why~ not")
    flagged = score_heard([(text, words, engine, ())])
    from simulator.scoring.detect import detect

    plain = score_call([detect(text, words)])
    assert flagged.score == plain.score
    assert {c: r.verdict for c, r in flagged.checks.items()} == \
        {c: r.verdict for c, r in plain.checks.items()}


def test_in_json_the_verdict_stays_fail_with_a_heard_flag():
    card = score_heard([(*heard("why~ not"), "pocketsphinx", ())]).to_json()
    assert card["checks"]["how_come_not_why"]["verdict"] == "fail"
    assert card["checks"]["how_come_not_why"]["heard"] == "unclear"
    assert "heard" not in card["checks"]["gratitude"]  # a plain FAIL has no flag
    json.dumps(card)


def test_typed_replies_are_never_heard_unclearly():
    """No recognizer words, no unsure words: the labelled set scores exactly as before."""
    lines = [json.loads(line) for line in (DATA / "replies-dev.jsonl").read_text().splitlines()
             if line.strip()]
    for item in lines:
        typed = score_heard([(item["text"], [], None, ())]).to_json()
        assert typed == score_text(item["text"]).to_json()


@pytest.mark.parametrize(("text", "heard_words", "engine", "spans"), [
    ("i fear you", [("i", .9), ("fear", .29), ("you", .9)], "pocketsphinx", [(2, 6)]),
    ("i fear you", [("i", .9), ("fear", .3), ("you", .9)], "pocketsphinx", []),  # 0.3 is sure
    ("i fear you", [("i", .9), ("fear", .45), ("you", .9)], "vosk", [(2, 6)]),
    ("i fear you", [("i", .9), ("fear", .45), ("you", .9)], None, []),  # PocketSphinx's scale
    # each word is found after the one before, as a whole word ("i" is not the i of "if")
    ("if i go", [("if", .9), ("i", .1), ("go", .9)], "pocketsphinx", [(3, 4)]),
    # a word no longer in the text (edited by hand) is skipped, the rest still found
    ("I hear you", [("i", .1), ("here", .1), ("you", .1)], "pocketsphinx", [(0, 1), (7, 10)]),
])
def test_unsure_words_are_found_in_the_text(text, heard_words, engine, spans):
    words = [Word(word, 0.0, 0.0, conf) for word, conf in heard_words]
    assert unsure_spans(text, words, engine) == spans


def test_each_engine_has_a_named_threshold():
    assert UNSURE_BELOW == {"pocketsphinx": 0.3, "vosk": 0.5, "whisper": 0.5}
