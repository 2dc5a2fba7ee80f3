"""Whisper's text is scored in the recognizer form, so its punctuation slips cost no verdict: a
merged sentence, a question that ends in a full stop, "thank so much" for "thanks so much"."""

from __future__ import annotations

import pytest

from simulator.scoring.unclear import score_heard
from simulator.session.engines import Transcript, Word
from simulator.voice.whisper_text import recognizer_form

SLIPS = [
    # The rep said "Thanks for letting me know. Why aren't you interested?"
    ("merged sentences", "Thanks for letting me know why aren't you interested?",
     {"gratitude": "pass", "how_come_not_why": "fail", "i_free_questions": "pass"}),
    # "How come you're not interested?" written as a statement
    ("a question ending in a full stop", "How come you're not interested.",
     {"how_come_not_why": "pass", "i_free_questions": "pass"}),
    ("thank so much", "Thank so much for letting me know. How come you went with them?",
     {"gratitude": "pass", "how_come_not_why": "pass"}),
    ("a permission close as a statement",
     "Thank you for your honesty. Would you mind if I called you next week.",
     {"gratitude": "pass", "permission_close": "pass"}),
    ("thanks to, no thanks given", "Thanks to our new pricing, it only costs a dollar a day.",
     {"gratitude": "fail", "no_pushing": "fail"}),
]


def as_whisper_wrote(text: str) -> Transcript:
    words = [Word(word, 0.3 * at, 0.3 * at + 0.25, 0.9) for at, word in enumerate(text.split())]
    return Transcript(text, words)


@pytest.mark.parametrize(("written", "verdicts"), [row[1:] for row in SLIPS],
                         ids=[row[0] for row in SLIPS])
def test_a_punctuation_slip_changes_no_verdict(written, verdicts):
    heard = recognizer_form(as_whisper_wrote(written))
    card = score_heard([(heard.text, heard.words, "whisper", ())])
    assert {check: card.checks[check].verdict for check in verdicts} == verdicts, heard.text


def test_the_recognizer_form_keeps_each_words_timing_and_probability():
    heard = recognizer_form(Transcript("Thank you. How come?", [
        Word("Thank", 0.0, 0.2, 0.82), Word("you.", 0.2, 0.4, 0.9), Word("-", 0.4, 0.5, 0.1),
        Word("How", 0.9, 1.0, 0.95), Word("come?", 1.0, 1.2, 0.97)]))
    assert heard.text == "thank you how come"
    assert [(w.text, w.start, w.conf) for w in heard.words] == [
        ("thank", 0.0, 0.82), ("you", 0.2, 0.9), ("how", 0.9, 0.95), ("come", 1.0, 0.97)]
