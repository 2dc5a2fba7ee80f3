"""The end of a spoken turn: how long a pause ends it after the words heard so far, decided on
tables of voiced (#) and silent (.) 30 ms frames with the recognizer's words arriving on the way."""

from __future__ import annotations

import pytest

from simulator.voice.turn_end import FINISHED, OPEN, UNFINISHED, clause_state, end_pause
from simulator.voice.vad import (
    FRAME_SECONDS,
    MAX_LENGTH,
    NO_SPEECH,
    SILENCE,
    EndpointEvent,
    EndpointSettings,
    TurnTracker,
)

CLAUSES = [
    ("how come you're not interested", FINISHED),
    ("what issues are you facing with dispatch", FINISHED),
    ("would you mind if i called you next week", FINISHED),
    ("how come", FINISHED),
    ("why not", FINISHED),
    ("thanks for your time", FINISHED),
    ("ok thanks", FINISHED),
    ("i appreciate that thank you", FINISHED),
    ("bye", FINISHED),
    ("thank you for your honesty and", UNFINISHED),
    ("thank you for your honesty so", UNFINISHED),
    ("i hear you but", UNFINISHED),
    ("we could um", UNFINISHED),
    ("i was wondering uh", UNFINISHED),
    ("because", UNFINISHED),
    ("would you be open to a", UNFINISHED),
    ("let me send you the", UNFINISHED),
    ("i wanted to talk to you about", UNFINISHED),
    ("what would it take to", UNFINISHED),
    ("thank you for your honesty", OPEN),
    ("thank you", OPEN),  # the start of a reply, not all of it
    ("thanks", OPEN),
    ("we help companies like yours save money", OPEN),
    ("", OPEN),
    ("Thank you for your honesty AND", UNFINISHED),  # case does not matter
    # Whisper punctuates: its full stop or question mark ends a sentence, "..." leaves it open.
    ("Thank you for your honesty.", FINISHED),
    ("We help companies like yours save money.", FINISHED),
    ("How come you're not interested?", FINISHED),
    ("Fair enough!", FINISHED),
    ("Thank you.", OPEN),  # still the start of a reply, punctuated or not
    ("Thanks.", OPEN),
    ("Thank you for your honesty, and...", UNFINISHED),
    ("Thank you for your honesty…", UNFINISHED),
    ("We could, um.", UNFINISHED),  # a full stop after a filler does not end the sentence
    ("Thank you for your honesty,", OPEN),
]


@pytest.mark.parametrize(("words", "state"), CLAUSES, ids=[w or "(nothing)" for w, _ in CLAUSES])
def test_the_words_so_far_say_whether_the_sentence_is_finished(words, state):
    assert clause_state(words) == state


@pytest.mark.parametrize(("state_words", "base", "pause"), [
    ("how come you're not interested", 0.6, 0.6),
    ("thank you for your honesty", 0.6, 1.2),
    ("thank you for your honesty and", 0.6, 1.5),
    ("how come you're not interested", 1.0, 1.0),
    ("thank you for your honesty and", 1.0, 1.9),
    ("thank you for your honesty and", 0.2, 1.1),
])
def test_the_pause_that_ends_a_turn_grows_from_the_base(state_words, base, pause):
    assert end_pause(state_words, base) == pytest.approx(pause)


def frames(pattern: str) -> list[bool]:
    return [mark == "#" for mark in pattern.replace(" ", "")]


def run(pattern: str, words: dict[int, str], settings: EndpointSettings):
    """Feed the frames; `words` gives the recognizer's words so far from a frame index on.
    Returns the events and the seconds of silence waited before the end (None: not ended)."""
    tracker = TurnTracker(settings)
    events: list[EndpointEvent] = []
    for index, voiced in enumerate(frames(pattern)):
        if index in words:
            tracker.hear(words[index])
        events += tracker.step(voiced)
    waited = None
    if tracker.reason == SILENCE:
        waited = round(tracker.fed_seconds - tracker.speech_end, 2)
    return events, waited


SPEECH = "#" * 10  # 0.3 s of voice
S = FRAME_SECONDS
HONESTY = "thank you for your honesty"
TURNS = [
    # (case, frames, words from frame N on, settings, events, seconds of silence waited)
    ("a question ends after the base pause",
     "...." + SPEECH + "." * 30, {14: "how come you're not interested"}, EndpointSettings(),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 0.6),
    ("an open sentence waits 1.2 s",
     "...." + SPEECH + "." * 45, {14: HONESTY}, EndpointSettings(),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 1.2),
    ("a trailing 'and' is not ended by 1.2 s of silence",
     "...." + SPEECH + "." * 40, {14: HONESTY + " and"}, EndpointSettings(),
     [("start", 4 * S, None)], None),
    ("a trailing 'and' ends after 1.5 s",
     "...." + SPEECH + "." * 55, {14: HONESTY + " and"}, EndpointSettings(),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 1.5),
    ("a filler waits as long",
     "...." + SPEECH + "." * 55, {14: "so um"}, EndpointSettings(),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 1.5),
    ("a 1 s thinking pause after 'and' keeps one turn",
     "...." + SPEECH + "." * 33 + SPEECH + "." * 30,
     {14: HONESTY + " and", 57: HONESTY + " and how come you're not interested"},
     EndpointSettings(),
     [("start", 4 * S, None), ("end", 57 * S, SILENCE)], 0.6),
    ("words arriving late in the pause lengthen it",
     "...." + SPEECH + "." * 55, {14: HONESTY, 24: HONESTY + " and"}, EndpointSettings(),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 1.5),
    ("--end-silence 1.0 sets the base",
     "...." + SPEECH + "." * 70, {14: "how come you're not interested"},
     EndpointSettings(end_silence=1.0),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 1.02),  # whole 30 ms frames
    ("--end-silence 0.2 after unfinished words",
     "...." + SPEECH + "." * 70, {14: "we could um"}, EndpointSettings(end_silence=0.2),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 1.11),
    ("not adaptive: the base whatever the words",
     "...." + SPEECH + "." * 30, {14: HONESTY + " and"}, EndpointSettings(adaptive=False),
     [("start", 4 * S, None), ("end", 14 * S, SILENCE)], 0.6),
    ("a click is not speech",
     "..##.." + "." * 20, {}, EndpointSettings(first_word_timeout=0.6),
     [("end", 20 * S, NO_SPEECH)], None),
    ("voice scattered over the start window counts from its first frame",
     "..#.#.####" + "." * 30, {10: "how come"}, EndpointSettings(),
     [("start", 2 * S, None), ("end", 10 * S, SILENCE)], 0.6),
    ("a reply running on is cut at the maximum length",
     "." + "#" * 50, {}, EndpointSettings(max_reply=1.0),
     [("start", 1 * S, None), ("end", 35 * S, MAX_LENGTH)], None),
    ("a whole recorded reply: no pause ends it",
     "...." + SPEECH + "." * 300 + SPEECH + "." * 300, {14: HONESTY},
     EndpointSettings.whole_input(), [("start", 4 * S, None)], None),
]


@pytest.mark.parametrize(("pattern", "words", "settings", "expected", "waited"),
                         [row[1:] for row in TURNS], ids=[row[0] for row in TURNS])
def test_frames_and_words_in_turn_events_out(pattern, words, settings, expected, waited):
    events, silence_waited = run(pattern, words, settings)
    assert [(e.kind, round(e.at, 2), e.reason) for e in events] == [
        (kind, round(at, 2), reason) for kind, at, reason in expected]
    assert silence_waited == waited


def test_a_whole_recorded_reply_ends_with_its_input_where_the_speech_stopped():
    tracker = TurnTracker(EndpointSettings.whole_input())
    for voiced in frames("...." + SPEECH + "." * 300 + SPEECH + "." * 20):
        tracker.step(voiced)
    assert tracker.finish() == [EndpointEvent("end", pytest.approx(324 * S), "end_of_input")]


# Whisper's pause decode as the end of turn reads it (asr_whisper.words_for_turn_end): its
# punctuation only when it was sure of the words, and never its unsure last words.
WHISPER_WORDS = [
    ([("How", 0.9), ("come?", 0.95)], "How come?", FINISHED),
    ([("Thank", 0.9), ("you", 0.9), ("for", 0.9), ("your", 0.9), ("honesty", 0.9),
      ("and...", 0.8)], "Thank you for your honesty and...", UNFINISHED),
    # "...your honesty and" misheard: the unsure last words go, the rest reads open
    ([("Thank", 0.9), ("you", 0.91), ("for", 0.98), ("your", 0.95), ("Augusti", 0.27),
      ("End.", 0.2)], "Thank you for your", UNFINISHED),
    ([("And", 0.41), ("you", 0.75), ("follow", 0.59), ("along,", 0.6), ("it's", 0.7),
      ("the", 0.8), ("end.", 0.6)], "and you follow along it's the end", OPEN),
    ([("Maybe.", 0.3)], "", OPEN),
]


@pytest.mark.parametrize(("words", "text", "state"), WHISPER_WORDS,
                         ids=[text or "(nothing)" for _, text, _ in WHISPER_WORDS])
def test_whisper_punctuation_counts_only_when_its_words_are_sure(words, text, state):
    from simulator.session.engines import Word
    from simulator.voice.asr_whisper import words_for_turn_end

    heard = words_for_turn_end([Word(w, 0.0, 0.1, conf) for w, conf in words])
    assert (heard, clause_state(heard)) == (text, state)
