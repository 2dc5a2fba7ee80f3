"""From Whisper's segments to a transcript, keeping no words that were not said. Pure.

Whisper is a language model as much as a recognizer: on noise or near-silence it can write a
stock phrase ("Thank you.", "Thanks for watching!"), and on a stuck loop it repeats itself. In
a rejection drill a made-up "thank you" is a gratitude pass the rep never earned, so segments
are kept only when Whisper itself believes there was speech, and repeats are collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from simulator.session.engines import Transcript, Word

# Whisper's own tests for a segment that is not speech (openai/whisper's defaults).
NO_SPEECH_ABOVE = 0.6
LOGPROB_BELOW = -1.0
COMPRESSION_ABOVE = 2.4  # a segment that compresses this well is a loop, not a sentence
# A segment made only of a stock phrase Whisper writes on non-speech is kept only when it is
# sure of it: a low no-speech probability and confident words.
STOCK_PHRASES = frozenset({
    "thank you", "thank you very much", "thanks", "thanks for watching", "thank you for watching",
    "thanks for listening", "bye", "goodbye", "you", "okay", "oh", "so", "yeah", "hmm", "um",
    "please subscribe", "subtitles by the amara org community",
})
STOCK_NO_SPEECH_ABOVE = 0.2
STOCK_WORD_PROB_BELOW = 0.7
_LETTERS = re.compile(r"[a-z']+")


def plain(text: str) -> str:
    return " ".join(_LETTERS.findall(text.lower()))


def kept(segment: dict) -> bool:
    """Whether a decoded segment is speech Whisper heard, not one it imagined."""
    text = plain(segment.get("text", ""))
    if not text:
        return False
    no_speech = float(segment.get("no_speech_prob", 0.0))
    logprob = float(segment.get("avg_logprob", 0.0))
    if no_speech > NO_SPEECH_ABOVE and logprob < LOGPROB_BELOW:
        return False
    if float(segment.get("compression_ratio", 0.0)) > COMPRESSION_ABOVE:
        return False
    if text in STOCK_PHRASES:
        probs = [float(w[3]) for w in segment.get("words", [])] or [0.0]
        if no_speech > STOCK_NO_SPEECH_ABOVE or sum(probs) / len(probs) < STOCK_WORD_PROB_BELOW:
            return False
    return True


def without_repeats(words: list[Word], longest: int = 6) -> list[Word]:
    """A phrase of up to `longest` words said three or more times in a row is kept twice: a
    person may say "no, no", Whisper's loops say it on and on."""
    out = list(words)
    changed = True
    while changed:
        changed = False
        for size in range(1, longest + 1):
            at = 0
            while at + 3 * size <= len(out):
                runs = 1
                phrase = [plain(w.text) for w in out[at:at + size]]
                while [plain(w.text) for w in out[at + runs * size: at + (runs + 1) * size]] \
                        == phrase:
                    runs += 1
                if runs >= 3:
                    del out[at + 2 * size: at + runs * size]
                    changed = True
                at += 1
    return out


def transcript(segments: Sequence[dict], offset: float = 0.0) -> Transcript:
    """The words of the kept segments, timed from the start of the reply audio (`offset`: where
    the decoded audio began in it)."""
    words: list[Word] = []
    previous = None
    for segment in segments:
        if not kept(segment) or plain(segment["text"]) == previous:
            continue  # a segment repeated whole is a loop too
        previous = plain(segment["text"])
        for text, start, end, prob in segment.get("words", []):
            if text.strip():
                words.append(Word(text.strip(), offset + float(start), offset + float(end),
                                  float(prob)))
    words = without_repeats(words)
    return Transcript(" ".join(w.text for w in words), words)
