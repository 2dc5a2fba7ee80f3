"""From Whisper's segments to a transcript, keeping no words that were not said. Pure.

Whisper is a language model as much as a recognizer: on noise or near-silence it can write a
stock phrase ("Thank you.", "Thanks for watching!"), and on a stuck loop it repeats itself. In
a rejection drill a made-up "thank you" is a gratitude pass the rep never earned, so segments
are kept only when Whisper itself believes there was speech, and repeats are collapsed.

The rules were measured (tiny.en int8, greedy, tests/voice/test_whisper_nonspeech.py's clips:
silence, digital zeros, room noise, breathing, keyboard, coughs, a tone, mains hum, chords).
Without a prompt Whisper wrote nothing there but "You" (keys: no_speech 0.86, word 0.02), a
" . . ." or "Beep beep..." loop (compression 4.7 to 29). With a persona's vocabulary prompt, as
in a call, it wrote much more, and these rules come from that:
- "Thank you." on coughs and chords (no_speech 0.81-0.91, avg_logprob -0.93 to -0.995, mean
  word probability 0.49-0.52, its "Thank" at 0.00-0.01), and after real speech (0.57, 0.51):
  just above openai's -1.0, so only the stock-phrase rule stops it. A rep's own "Thank you."
  (espeak, three voices, clean and at 10 dB SNR) scored no_speech 0.24-0.41 and words
  0.80-0.91, so the stock rule's no-speech bound is 0.45 (at 0.2 it dropped every one of them).
- "We're going to go to the next one.", "Now, we're going to go ahead and see what happens."
  (breathing; no_speech 0.28-0.39, avg_logprob -1.57 to -1.72, mean word probability
  0.26-0.33), "Beeping." (tone; -1.21 to -1.34, 0.11), "R" and "The" (-2.1 to -2.3, 0.00): a
  low no-speech probability, so openai's rule keeps them. A segment that is both unlikely
  (avg_logprob below -1.0, where openai would decode again at a higher temperature; greedy
  decoding here never does) and made of unsure words (mean below 0.5) is a guess. On espeak
  speech, clean or in pink noise at 10 dB SNR, no correctly heard segment scored below -0.95.
- the prompt echoed back ("Dora Whitfield, VP of Sales, Northwind ...", words at 0.00-0.03):
  a long echo compresses past 2.4, a short one would not; a segment whose mean word
  probability is under 0.15 is dropped whatever its other scores (on speech in noise only
  mishearings scored that low: "Hope." for "No.", "Hey." for "Okay.").
- "Mm. Mm." (breathing; no_speech 0.33-0.38, words 0.17 and 0.8): a segment of fillers only
  counts as a stock phrase.
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
# A segment of these words only ("Mm. Mm.", "Um, uh") is a stock phrase too.
FILLERS = frozenset({"mm", "mmm", "mhm", "hmm", "um", "uh", "ah", "oh", "er"})
STOCK_NO_SPEECH_ABOVE = 0.45
STOCK_WORD_PROB_BELOW = 0.7
# A guess: unlikely as a whole and unsure word by word (see above).
UNSURE_LOGPROB_BELOW = -1.0
UNSURE_WORD_PROB_BELOW = 0.5
# Words this unsure on average are never kept (a short echo of the prompt).
WORD_PROB_BELOW = 0.15
_LETTERS = re.compile(r"[a-z']+")


def plain(text: str) -> str:
    return " ".join(_LETTERS.findall(text.lower()))


def stock(text: str) -> bool:
    """A phrase Whisper writes on non-speech (`text` plain): a stock one, or fillers only."""
    return text in STOCK_PHRASES or all(word in FILLERS for word in text.split())


def word_probability(segment: dict) -> float | None:
    """The mean probability of the segment's words (None when it has no word timings)."""
    probs = [float(w[3]) for w in segment.get("words", [])]
    return sum(probs) / len(probs) if probs else None


def kept(segment: dict) -> bool:
    """Whether a decoded segment is speech Whisper heard, not one it imagined."""
    text = plain(segment.get("text", ""))
    if not text:
        return False
    no_speech = float(segment.get("no_speech_prob", 0.0))
    logprob = float(segment.get("avg_logprob", 0.0))
    words = word_probability(segment)
    if no_speech > NO_SPEECH_ABOVE and logprob < LOGPROB_BELOW:
        return False
    if float(segment.get("compression_ratio", 0.0)) > COMPRESSION_ABOVE:
        return False
    if words is not None and (words < WORD_PROB_BELOW or (
            logprob < UNSURE_LOGPROB_BELOW and words < UNSURE_WORD_PROB_BELOW)):
        return False
    if stock(text):
        return no_speech <= STOCK_NO_SPEECH_ABOVE and (words or 0.0) >= STOCK_WORD_PROB_BELOW
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


def recognizer_form(heard: Transcript) -> Transcript:
    """Whisper's words as the other recognizers give theirs: lower case, no punctuation. The
    scorer reads sentences from clause starts and pauses when a transcript has no punctuation,
    and that agrees more with the labels than Whisper's own punctuation, which merges sentences
    ("Thanks for letting me know why aren't you interested?") and ends questions with full
    stops: on 470 spoken labelled replies (benchmarks/asr_wer.py --engine whisper --quick)
    92.8% of verdicts as labelled, against 92.1% scoring Whisper's text as written."""
    words = [Word(text, w.start, w.end, w.conf) for w in heard.words
             if (text := _spoken(w.text))]
    return Transcript(" ".join(w.text for w in words), words)


def _spoken(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())
