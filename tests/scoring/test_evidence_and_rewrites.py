"""Evidence points at the trainee's own words; mechanical fixes come with a rewrite."""

from __future__ import annotations

import pytest

from simulator.scoring.detect import detect
from simulator.scoring.scorer import score_call, score_text
from simulator.session.engines import Word


def test_evidence_offsets_point_into_the_reply():
    text = "Well, thank you for your honesty. Why aren't you interested?"
    card = score_text(text)
    for result in card.checks.values():
        for item in result.evidence:
            assert text[item["start"]:item["end"]] == item["text"]
    assert card.checks["gratitude"].evidence[0]["text"] == "thank you for"
    assert card.checks["how_come_not_why"].evidence == [{"text": "Why", "start": 34, "end": 37}]


@pytest.mark.parametrize(("text", "check", "rewrite"), [
    ("Why aren't you interested?", "how_come_not_why", "How come you're not interested?"),
    ("Why not?", "how_come_not_why", "How come?"),
    ("Why did you say that?", "how_come_not_why", "What made you say that?"),
    ("Why do you think that?", "how_come_not_why", "How come you think that?"),
    ("I want to understand why you're not interested.", "how_come_not_why",
     "How come you're not interested?"),
    ("I was wondering what issues you face as it relates to hiring", "i_free_questions",
     "What issues are you facing as it relates to hiring?"),
    ("Can I ask what's behind the no?", "i_free_questions", "What's behind the no?"),
    ("I was hoping to learn what problems your team has with invoicing.", "i_free_questions",
     "What problems does your team have with invoicing?"),
    ("I'd love to hear more about your setup.", "i_free_questions",
     "Tell me more about your setup."),
    ("I'll call you Tuesday.", "permission_close", "Is it OK if I call you Tuesday?"),
    ("I'll send you some information.", "permission_close",
     "Is it OK if I send you some information?"),
    ("Keep us in mind when your contract is up.", "no_keep_us_in_mind",
     "Would you mind if I circled back when your contract is up?"),
])
def test_rewrite_of_the_trainees_sentence(text, check, rewrite):
    result = score_text(text).checks[check]
    assert result.verdict == "fail"
    assert result.rewrite == rewrite


@pytest.mark.parametrize("check", ["gratitude", "no_pushing", "explore_issues"])
def test_no_rewrite_where_the_fix_is_not_mechanical(check):
    assert score_text("Our price is the lowest on the market.").checks[check].rewrite is None


def test_every_verdict_has_advice():
    card = score_text("Hello.")
    assert all(result.advice for result in card.checks.values())
    assert card.checks["how_come_not_why"].verdict == "n/a"


def test_pauses_in_word_timings_end_sentences():
    # "thanks i was wondering" ... a long pause ... "how come": the pause separates the I from
    # the question, so the question itself is I-free.
    text = "thank you i understand how come you went another way"
    words = [Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split())]
    shifted = [w if i < 4 else Word(w.text, w.start + 1.0, w.end + 1.0)
               for i, w in enumerate(words)]
    detections = detect(text, shifted)
    assert [s.sentence.text for s in detections.sentences][-1] == "how come you went another way"
    assert "i_question" not in detections.names


def test_a_call_is_judged_over_all_turns_with_turn_numbers_in_evidence():
    turns = [detect("Thanks for letting me know."), detect("How come?"),
             detect("Would you mind if I circled back in May?")]
    card = score_call(turns).to_json()
    assert card["checks"]["gratitude"]["verdict"] == "pass"
    assert card["checks"]["permission_close"]["evidence"][0]["turn"] == 2
    assert card["checks"]["how_come_not_why"]["evidence"][0]["turn"] == 1


def test_detection_names_for_the_dialog_engine():
    from simulator.scoring import DETECTION_NAMES

    names = detect("Thank you. What issues are you facing as it relates to hiring?").names
    assert {"gratitude", "explore_issues", "discovery_question"} <= names
    assert names <= set(DETECTION_NAMES)
    assert {"why_question", "pushing"} <= detect("Why not? Our price is the lowest.").names
