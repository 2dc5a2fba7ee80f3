"""Each check's verdicts, as tables: typed text and the same text in recognizer form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.scoring.rubric import CHECK_IDS
from simulator.scoring.scorer import score_text
from tests.scoring.cases import BY_CHECK, ISSUE_9, MIXED, RUN_ON
from tests.scoring.paraphrases import PARAPHRASES, expected

# Copies of the labelled public sets, kept in the repo so a bare clone can run these tests.
DATA = Path(__file__).resolve().parents[1] / "data"
DEV_SAMPLE = DATA / "replies-dev.jsonl"
DEV_2 = DATA / "replies-dev-2.jsonl"  # each line says its form: "text" (typed) or "asr"
# The goals: agreement with the labelled sets typed, in recognizer form, and for every check.
GOALS = {"typed": 0.97, "recognizer": 0.95}
EVERY_CHECK = 0.93


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


@pytest.mark.parametrize("form", ["typed", "recognizer"])
@pytest.mark.parametrize(("text", "expected"), ISSUE_9, ids=[t[:50] for t, _ in ISSUE_9])
def test_the_verdicts_issue_9_reported_hold(text, expected, form):
    card = score_text(text if form == "typed" else recognizer_form(text))
    assert {check: card.checks[check].verdict for check in expected} == expected


@pytest.mark.parametrize(("typed", "spoken"), RUN_ON, ids=[t[:40] for t, _ in RUN_ON])
def test_a_run_on_reply_gets_the_verdicts_of_its_punctuated_form(typed, spoken):
    punctuated, run_on = score_text(typed), score_text(spoken)
    assert {c: r.verdict for c, r in run_on.checks.items()} == \
        {c: r.verdict for c, r in punctuated.checks.items()}


PARAPHRASE_CASES = [(text, spec, form) for text, spec in PARAPHRASES
                    for form in ("typed", "recognizer") if form == "typed" or "typed" not in spec]


@pytest.mark.parametrize(("text", "spec", "form"), PARAPHRASE_CASES,
                         ids=[f"{form}:{text[:40]}" for text, _, form in PARAPHRASE_CASES])
def test_paraphrases_of_each_move(text, spec, form):
    card = score_text(text if form == "typed" else recognizer_form(text))
    want = expected(spec)
    assert {check: card.checks[check].verdict for check in want} == want


def _labelled(path: Path) -> list[dict]:
    if not path.exists():
        pytest.fail(f"the labelled set is missing: {path}")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _dev_sample():
    return _labelled(DEV_SAMPLE)


@pytest.mark.parametrize("form", ["typed", "recognizer"])
def test_the_second_labelled_set_agrees_as_well_as_the_goals_ask(form):
    items = [item for item in _labelled(DEV_2)
             if (item["form"] == "asr") == (form == "recognizer")]
    right: dict[str, int] = dict.fromkeys(CHECK_IDS, 0)
    total: dict[str, int] = dict.fromkeys(CHECK_IDS, 0)
    for item in items:
        card = score_text(item["text"])
        for check, verdict in item["expect"].items():
            total[check] += 1
            right[check] += card.checks[check].verdict == verdict
    assert sum(right.values()) / sum(total.values()) >= GOALS[form]
    below = {check: f"{right[check]}/{total[check]}" for check in CHECK_IDS
             if total[check] and right[check] / total[check] < EVERY_CHECK}
    assert below == {}


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
