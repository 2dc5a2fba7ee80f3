"""Each check's verdicts, as tables: typed text and the same text in recognizer form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.scoring.scorer import score_text
from tests.scoring.cases import BY_CHECK, MIXED

# Copies of the labelled public sets (they arrive in ../shared/eval/; a clone has only these).
DATA = Path(__file__).resolve().parents[1] / "data"
DEV_SAMPLE = DATA / "replies-dev.jsonl"


def recognizer_form(text: str) -> str:
    """What a speech recognizer gives back: lower case, no punctuation."""
    text = text.lower().replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9' ]+", " ", text)).strip()


CHECK_CASES = [(check, text, verdict) for check, cases in BY_CHECK.items()
               for text, verdict in cases]


@pytest.mark.parametrize("form", ["typed", "recognizer"])
@pytest.mark.parametrize(("check", "text", "verdict"), CHECK_CASES,
                         ids=[f"{c}:{t[:40]}" for c, t, _ in CHECK_CASES])
def test_check_verdict(check, text, verdict, form):
    reply = text if form == "typed" else recognizer_form(text)
    assert score_text(reply).checks[check].verdict == verdict


@pytest.mark.parametrize("form", ["typed", "recognizer"])
@pytest.mark.parametrize(("text", "expected"), MIXED, ids=[t[:50] for t, _ in MIXED])
def test_mixed_replies(text, expected, form):
    reply = text if form == "typed" else recognizer_form(text)
    card = score_text(reply)
    assert {check: card.checks[check].verdict for check in expected} == expected


def _dev_sample():
    if not DEV_SAMPLE.exists():
        pytest.fail(f"the labelled sample is missing: {DEV_SAMPLE}")
    return [json.loads(line) for line in DEV_SAMPLE.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("form", ["typed", "recognizer"])
def test_labelled_dev_sample_agrees(form):
    disagreements = []
    for item in _dev_sample():
        reply = item["text"] if form == "typed" else recognizer_form(item["text"])
        card = score_text(reply)
        for check, verdict in item["expect"].items():
            if card.checks[check].verdict != verdict:
                disagreements.append((reply, check, verdict, card.checks[check].verdict))
    assert disagreements == []


def test_the_punctuated_and_recognized_forms_agree_on_every_check():
    typed = score_text("Thank you for your honesty. How come you're not interested?")
    spoken = score_text("thank you for your honesty how come you're not interested")
    assert {k: v.verdict for k, v in typed.checks.items()} == \
        {k: v.verdict for k, v in spoken.checks.items()}


@pytest.mark.parametrize(("slip", "check", "verdict"), [
    ("thanks you for your honesty", "gratitude", "pass"),
    ("thank for letting me know", "gratitude", "pass"),
    ("i really apreciate your time", "gratitude", "pass"),
    ("would you mind if i circle back in the fall", "permission_close", "pass"),
    ("how calm are you not interested", "how_come_not_why", "n/a"),
    ("white are you not interested", "how_come_not_why", "n/a"),
    ("um uh how come you're not interested", "how_come_not_why", "pass"),
    ("how come how come you went with them", "how_come_not_why", "pass"),
])
def test_recognition_slips_and_fillers(slip, check, verdict):
    assert score_text(slip).checks[check].verdict == verdict


def test_score_weighs_the_first_four_checks_most():
    from simulator.scoring.rubric import CHECK_IDS, load_rubric

    weights = {check: load_rubric().checks[check].weight for check in CHECK_IDS}
    first_four = [weights[c] for c in CHECK_IDS[:4]]
    assert min(first_four) > max(weights[c] for c in CHECK_IDS[4:])


@pytest.mark.parametrize(("text", "low", "high"), [
    ("Thanks for letting me know. How come it's not a fit? What issues are you facing as it "
     "relates to hiring? Would you like me to explain briefly, circle back later, or never "
     "contact you again?", 90, 100),
    ("Why not? Our price is the lowest. I'll call you Tuesday. Keep us in mind.", 0, 25),
])
def test_overall_score_range(text, low, high):
    assert low <= score_text(text).score <= high


def test_same_text_gives_the_same_result():
    text = "Thanks, I appreciate your candor. Why did you say that? I'll call you Monday."
    assert score_text(text).to_json() == score_text(text).to_json()
