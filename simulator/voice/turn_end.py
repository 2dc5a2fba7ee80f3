"""How long a pause ends the trainee's turn, judged from the words heard so far.

A rep who stops after "…how come you're not interested" is done; one who stops after "thank you
for your honesty and" is thinking. Recognizers give no punctuation, so the live partial transcript
is read by its last words: a trailing joining word or filler means the sentence goes on, a
question or a thank-you means it is finished. Whisper does punctuate: its full stop or question
mark ends a sentence, its trailing "..." or comma leaves one open. Pure: text in, seconds out.
"""

from __future__ import annotations

import re

FINISHED = "finished"  # a question, a close, a thank-you: the base pause ends the turn
OPEN = "open"  # nothing says either way
UNFINISHED = "unfinished"  # "and", "so", "um", "the"…: the rep is mid-sentence

# Extra seconds of silence on top of the base (--end-silence, 0.6 s by default), so that a
# default call waits 0.6 s after a finished sentence, 1.2 s after an open one, and 1.5 s when
# the words so far are unfinished. A 1 s thinking pause inside a sentence survives both.
EXTRA = {FINISHED: 0.0, OPEN: 0.6, UNFINISHED: 0.9}


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words a spoken sentence does not end on: conjunctions, fillers, articles, prepositions,
# possessives, auxiliaries waiting for their verb, and question words waiting for the question.
UNFINISHED_ENDINGS = _word_set("""
    and so but or because cause since although though while whereas if unless until than as
    um uh er erm ah hmm mm like
    the a an this that these those some any each every which who whose
    to with for of in on at about from by into onto over under between through without
    my your our their his her its
    i we you're we're i'm it's there's that's they're
    is are was were be been am can could would will should shall might must may do does did
    have has had not just also very
    what how when where why
""")

# Endings of a finished reply: a goodbye, a close, a question complete as it stands.
ENDINGS = (("bye",), ("goodbye",), ("your", "time"), ("how", "come"), ("why", "not"),
           ("sounds", "good"))
# A thank-you ends a reply only after other words: a reply that is nothing but "thank you" so
# far is the start of one.
THANKS = (("thanks",), ("thank", "you"), ("cheers",))
# A question among the last words: a question word, or an auxiliary asking its subject.
QUESTION_WORDS = _word_set("how what why when where which who")
ASKING = _word_set("would could can do does did is are will may might mind")
SUBJECTS = _word_set("you it there we i they if")
QUESTION_REACH = 8  # words back from the end to look for the question's start
WORD = re.compile(r"[a-z']+")


def clause_state(partial: str) -> str:
    """FINISHED, OPEN or UNFINISHED for the words heard so far (with or without punctuation)."""
    words = WORD.findall(partial.lower())
    if not words:
        return OPEN
    mark = partial.rstrip()[-1:]
    if partial.rstrip().endswith(("...", "…", "-")):
        return UNFINISHED
    if mark in ".?!" and words[-1] not in UNFINISHED_ENDINGS and not (
            len(words) <= 2 and any(_ends_with(words, t) for t in THANKS)):
        return FINISHED
    thanks = next((phrase for phrase in THANKS if _ends_with(words, phrase)), ())
    if any(_ends_with(words, phrase) for phrase in ENDINGS) or len(words) > len(thanks) > 0:
        return FINISHED
    if words[-1] in UNFINISHED_ENDINGS:
        return UNFINISHED
    recent = words[-QUESTION_REACH:]
    pairs = zip(recent, recent[1:], strict=False)
    if any(word in QUESTION_WORDS for word in recent[:-1]) or any(
            word in ASKING and after in SUBJECTS for word, after in pairs):
        return FINISHED
    return OPEN


def _ends_with(words: list[str], phrase: tuple[str, ...]) -> bool:
    return tuple(words[-len(phrase):]) == phrase


def end_pause(partial: str, base: float) -> float:
    """Seconds of silence that end the turn after these words, with `base` for finished ones."""
    return base + EXTRA[clause_state(partial)]
