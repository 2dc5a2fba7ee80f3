"""From Whisper's segments to a transcript: only words Whisper heard, loops collapsed (pure).

The segment scores in these tables are ones Whisper tiny.en wrote on the clips of
test_whisper_nonspeech.py and on espeak speech (see whisper_text's docstring)."""

from __future__ import annotations

import pytest

from simulator.session.engines import Word
from simulator.voice.whisper_text import kept, plain, transcript, without_repeats


def segment(text: str, no_speech: float = 0.02, logprob: float = -0.2, compression: float = 1.0,
            probs: list[float] | None = None, start: float = 0.0) -> dict:
    """A segment as the worker sends it; its words split from `text`, 0.3 s each."""
    words = text.split()
    probs = probs if probs is not None else [0.95] * len(words)
    return {
        "text": " " + text, "start": start, "end": start + 0.3 * len(words),
        "no_speech_prob": no_speech, "avg_logprob": logprob, "compression_ratio": compression,
        "words": [[" " + w, round(start + 0.3 * i, 3), round(start + 0.3 * (i + 1), 3), p]
                  for i, (w, p) in enumerate(zip(words, probs, strict=True))],
    }


KEPT = {
    "a confident sentence": segment("How come the price is the problem?"),
    "a confident Thank you.": segment("Thank you.", 0.05, -0.3, probs=[0.9, 0.97]),
    "a rep's own Thank you. (espeak)": segment("Thank you.", 0.41, -0.61, probs=[0.66, 0.94]),
    "sentence with an unsure word": segment("Fair enough, how come?", 0.1, -0.7,
                                            probs=[0.2, 0.9, 0.9, 0.9]),
    "a quiet start after noise": segment("No problem at all.", 0.7, -0.4),
    "a person's no, no": segment("No, no, I see.", 0.05, -0.4),
}
DROPPED = {
    "no speech, unlikely text": segment("So what.", 0.7, -1.2),
    "a repeat loop that compresses": segment("Beep " * 40, 0.85, -0.05, 29.3),
    "Thank you. at no_speech 0.5": segment("Thank you.", 0.5, -0.3, probs=[0.9, 0.97]),
    "Thank you. on chords": segment("Thank you.", 0.91, -0.93, 0.56, probs=[0.01, 0.97]),
    "Thank you. with an unsure Thank": segment("Thank you.", 0.1, -0.8, probs=[0.05, 0.97]),
    "You on keyboard clicks": segment("You", 0.86, -0.96, 0.27, probs=[0.02]),
    "Thanks for watching!": segment("Thanks for watching!", 0.3, -0.5, probs=[0.4] * 3),
    "breathing under a prompt": segment("We're going to go to the next one.", 0.29, -1.71,
                                        probs=[0.08, 0.21, 0.9, 0.08, 0.17, 0.45, 0.08, 0.16]),
    "a tone under a prompt": segment("Beeping.", 0.47, -1.23, 0.5, probs=[0.11]),
    "a lone letter": segment("R", 0.34, -2.08, probs=[0.0]),
    "a short echo of the prompt": segment("Dora Whitfield, VP of Sales.", 0.5, -0.2,
                                          probs=[0.0, 0.02, 0.0, 0.7, 0.0]),
    "fillers only": segment("Mm. Mm.", 0.34, -1.16, 0.47, probs=[0.17, 0.8]),
    "punctuation only": segment(". . .", 0.95, -0.26, 4.7),
    "empty": segment("", 0.9, -0.5),
}


@pytest.mark.parametrize("seg", KEPT.values(), ids=KEPT.keys())
def test_speech_whisper_is_sure_of_is_kept(seg):
    assert kept(seg)


@pytest.mark.parametrize("seg", DROPPED.values(), ids=DROPPED.keys())
def test_what_whisper_imagined_is_dropped(seg):
    assert not kept(seg)
    assert transcript([seg]).text == ""


def test_a_segment_without_word_timings_is_judged_on_its_scores():
    seg = segment("I see.")
    seg["words"] = []
    assert kept(seg)
    seg["text"] = " Thank you."
    assert not kept(seg)  # a stock phrase needs sure words, and there are none


def words(text: str) -> list[Word]:
    return [Word(w, i * 0.3, i * 0.3 + 0.3) for i, w in enumerate(text.split())]


@pytest.mark.parametrize(("said", "heard"), [
    ("I see I see I see I see I see", "I see I see"),
    ("no no no no no no no", "no no"),
    ("no, no, I understand", "no, no, I understand"),
    ("Thank you. Thank you. Thank you. Thank you. How come?", "Thank you. Thank you. How come?"),
    ("we can we can we can talk later", "we can we can talk later"),
    ("a b c d e f a b c d e f a b c d e f", "a b c d e f a b c d e f"),
    ("one two three", "one two three"),
])
def test_a_phrase_said_three_times_or_more_is_kept_twice(said, heard):
    assert " ".join(w.text for w in without_repeats(words(said))) == heard


def test_repeats_keep_the_first_timings():
    kept_words = without_repeats(words("go go go go"))
    assert [(w.start, w.end) for w in kept_words] == [(0.0, 0.3), (0.3, 0.6)]


def test_transcript_times_words_from_the_start_of_the_reply():
    heard = transcript([segment("Thank you.", 0.05, -0.3, probs=[0.6, 0.9]),
                        segment("How come the price is the problem?", start=0.9)], offset=1.5)
    assert heard.text == "Thank you. How come the price is the problem?"
    assert heard.text == " ".join(w.text for w in heard.words)
    assert heard.words[0] == Word("Thank", 1.5, 1.8, 0.6)  # the first word is kept, timed
    assert heard.words[2].start == pytest.approx(2.4)


def test_a_segment_repeated_whole_is_a_loop():
    loop = segment("I am not interested.")
    assert transcript([loop, loop, loop]).text == "I am not interested."


def test_a_dropped_segment_between_kept_ones_leaves_no_word():
    heard = transcript([segment("Fair enough."), DROPPED["Thank you. on chords"],
                        segment("Can I call back?")])
    assert heard.text == "Fair enough. Can I call back?"


@pytest.mark.parametrize(("text", "words_only"), [
    (" Thank you.", "thank you"), ("Thanks for watching!", "thanks for watching"),
    (" . . .", ""), ("We're fine", "we're fine")])
def test_plain_text_is_the_lowercase_words(text, words_only):
    assert plain(text) == words_only
