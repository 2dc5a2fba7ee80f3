"""Which recognized words the recognizer was unsure of. Pure.

A recognizer gives each word a confidence in 0..1 (PocketSphinx: the word's posterior from its
lattice; Vosk: its own per-word confidence; Whisper: the word's probability). The scales
differ, so each engine has its own threshold. PocketSphinx's was measured with
benchmarks/word_confidence.py on the default recognizer (domain LM first, general LM below
asr_sphinx.FALLBACK_BELOW; 120 labelled replies spoken by espeak-ng in four voices, 1798 words,
43% misheard): below 0.3 marks 66% of the misheard words and 21% of the right ones, so 70% of
the marked words are misheard; it is the highest threshold at which at least two marked words
in three are misheard (0.4: 72% and 29%, 66%; 0.2: 55% and 16%, 73%).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A word below its engine's threshold is shown marked and can make a FAIL "heard unclearly".
UNSURE_BELOW: dict[str, float] = {
    "pocketsphinx": 0.3,
    # Not measured here (no Vosk model on the build machine): Vosk's confidences are MBR word
    # posteriors, near 1.0 for clear words, so the usual 0.5 cut-off; re-measure with
    # benchmarks/word_confidence.py once a model is installed.
    "vosk": 0.5,
    # Whisper: the word's probability. Measured with benchmarks/word_confidence.py --engine
    # whisper (tiny.en; 310 labelled replies in espeak-ng voices, half with noise; 4541 words,
    # 20% misheard or differently spelt): below 0.5 marks 50% of the misheard words and 8% of
    # the right ones (61% of marked words misheard), and makes "heard unclearly" 15 of 70 wrong
    # FAILs and 25 of 1351 right ones: the most wrong FAILs per marked FAIL of any threshold
    # (0.3: 4 and 11; 0.4: 9 and 18; 0.6: 22 and 42; 0.7: 24 and 60).
    "whisper": 0.5,
}
DEFAULT_ENGINE = "pocketsphinx"  # spoken turns saved before the engine was recorded


def unsure_threshold(engine: str | None) -> float:
    return UNSURE_BELOW.get(engine or DEFAULT_ENGINE, UNSURE_BELOW[DEFAULT_ENGINE])


def unsure_spans(text: str, words: Sequence, engine: str | None) -> list[tuple[int, int]]:
    """(start, end) in `text` of every word the recognizer was unsure of.

    `words` are the recognizer's words in order (.text and .conf, or dicts with those keys);
    each is found in `text` after the previous one, ignoring case. A typed reply has no words,
    so nothing in it is ever unsure.
    """
    threshold = unsure_threshold(engine)
    lowered, at, spans = text.lower(), 0, []
    for word in words:
        word_text, conf = _text_and_conf(word)
        if not word_text:
            continue
        match = re.compile(rf"(?<![\w']){re.escape(word_text.lower())}(?![\w'])").search(
            lowered, at)
        if match is None:
            continue  # the text was edited after recognition: this word is no longer in it
        at = match.end()
        if conf < threshold:
            spans.append(match.span())
    return spans


def _text_and_conf(word) -> tuple[str, float]:
    if isinstance(word, dict):
        return str(word.get("text", "")), float(word.get("conf", 1.0))
    return word.text, word.conf
