"""Which FAILs rest on words the recognizer was unsure of ("heard unclearly"). Pure.

A FAIL is heard unclearly only when an unsure word sits inside or next to where the check's
phrases match, so that what was really said could have passed it:
- break: its evidence takes in an unsure word (the "why" of a why-question, the "mine" of
  "how come you chose mine" as an I-question), and the check no longer fails with that stretch
  of unsure words left out (in "would you mine~ if i call", the I-question rests on the sure
  "i", so it is a plain FAIL);
- complete: it failed for want of a phrase (no thanks, no acknowledgement, no issues question,
  no permission close, no opt-out), and a spelling of one of that check's phrases lines up with
  the reply around a stretch of unsure words: the sure words beside the stretch are the
  phrase's words there, and the stretch is like the phrase's words it stands for (rapidfuzz
  ratio >= UNSURE_WORD_SIMILARITY; a reply's first word may have lost its first letters); with
  the stretch heard that way the check passes.
  "and~ you for your honesty" lines up with "thank you for" ("and" ~ "thank"), "i fear~ you"
  with "i hear you"; "would you mine~ if…" does not with "would you change" ("mine" is not like
  "change"), "budget~" is an issue word but no question, and "for your august~" lines up with
  no gratitude phrase.
Either way the candidate reply is scored again (detect + score_call) to see that the check
would no longer fail. The verdict stays "fail" (scores stay comparable); the result gets heard =
"unclear". Typed replies have no recognizer words, so nothing in them is unsure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from simulator.scoring.rubric import Rubric
from simulator.scoring.scorer import FIRST_REPLY_ONLY, OtherWording, Scorecard
from simulator.scoring.spellings import ANY_WORD, forms_with, phrase_forms

UNCLEAR = "unclear"
# How like the phrase's words (rapidfuzz ratio, 0..100) the unsure stretch must be: "fear" ~
# "hear" is 75, "mine" ~ "change" 40, "issues" ~ "time suits" 50. Set from the FAILs of
# benchmarks/word_confidence.py marked (wrong / right ones): 50: 36% / 17%, 60: 26% / 8%,
# 70: 19% / 4% ("fear" ~ "hear" and like slips still pass at 60).
UNSURE_WORD_SIMILARITY = 60
ONSET_CLIPPED = 2  # letters a reply's first word may have lost ("thank" -> "ank" ~ "and": 67)
LONGEST_STRETCH = 3  # unsure words taken together at most
# The detection whose phrase passes each check that can fail for want of a phrase.
PASSED_BY = {"gratitude": "gratitude", "acknowledge": "acknowledge",
             "explore_issues": "explore_issues", "opt_out": "opt_out",
             "permission_close": "permission_close"}

Span = tuple[int, int]
# text, recognizer words, engine name, other hearings of the reply
Heard = tuple[str, Sequence, 'str | None', Sequence[str]]
_WORD = re.compile(r"[\w'$£€#%]+")


def mark_unclear(card: Scorecard, texts: Sequence[str], unsure: Sequence[Sequence[Span]],
                 rubric: Rubric) -> Scorecard:
    """Flag the FAILs of `card` that rest on unsure words; `unsure[t]` are spans in `texts[t]`."""
    if not any(unsure):
        return card
    replies = _Replies(texts, unsure, rubric)
    multi = len(texts) > 1
    for check, result in card.checks.items():
        if result.verdict != "fail":
            continue
        turns = range(1 if check in FIRST_REPLY_ONLY else len(texts))
        breaks = any(replies.passes_without(check, item.get("turn", 0) if multi else 0,
                                            (item["start"], item["end"]))
                     for item in result.evidence)
        if breaks or check in PASSED_BY and any(
                replies.passes_with(check, turn, PASSED_BY[check]) for turn in turns):
            result.heard = UNCLEAR
    return card


class _Replies:
    """The call's replies, their unsure stretches, and the verdicts of replies heard otherwise."""

    def __init__(self, texts: Sequence[str], unsure: Sequence[Sequence[Span]], rubric: Rubric):
        self.texts, self.rubric = list(texts), rubric
        self.words = [_words(text, spans) for text, spans in zip(texts, unsure, strict=True)]
        self._wordings = OtherWording(texts, rubric)

    def passes_without(self, check: str, turn: int, evidence: Span) -> bool:
        """Whether `check` stops failing with an unsure stretch in `evidence` left out or heard
        as a like-sounding stretch of any phrase."""
        if not 0 <= turn < len(self.texts):
            return False
        for first, last in self._stretches(turn):
            spans = self.words[turn][0]
            if not (spans[first][0] < evidence[1] and evidence[0] < spans[last][1]):
                continue
            if self._passes(check, turn, self._replaced(turn, first, last, ())):
                return True
        return False

    def passes_with(self, check: str, turn: int, detection: str) -> bool:
        """Whether `check` passes with an unsure stretch heard as part of `detection`'s phrase."""
        return any(self._passes(check, turn, text)
                   for first, last in self._stretches(turn)
                   for text in self._completions(turn, first, last, detection))

    def _stretches(self, turn: int) -> Iterator[tuple[int, int]]:
        """(first, last) word indexes of every run of up to LONGEST_STRETCH unsure words."""
        doubtful = self.words[turn][2]
        for first, flag in enumerate(doubtful):
            last = first
            while flag and last < len(doubtful) and doubtful[last] \
                    and last - first < LONGEST_STRETCH:
                yield first, last
                last += 1

    def _completions(self, turn: int, first: int, last: int, detection: str) -> Iterator[str]:
        """The reply with words first..last heard as part of a phrase of `detection`."""
        _, words, _ = self.words[turn]
        heard = " ".join(words[first:last + 1])
        size = last - first + 1
        for length in phrase_forms(self.rubric, detection):
            for before in range(min(first, length - 1) + 1):
                prior = tuple(words[first - before:first])
                for middle in range(max(1, size - 1), min(size + 1, length - before) + 1):
                    after = length - before - middle
                    if before + after == 0 or last + after >= len(words):
                        continue  # the phrase takes in a sure word beside the stretch
                    following = tuple(words[last + 1:last + 1 + after])
                    # only the spellings with the sure word beside the stretch there
                    anchored = forms_with(self.rubric, detection, length, before - 1,
                                          prior[-1]) if before else forms_with(
                        self.rubric, detection, length, middle, following[0])
                    for form in anchored:
                        said = form[before:before + middle]
                        if (form[:before] == prior and form[before + middle:] == following
                                or ANY_WORD in form and _same(form[:before], prior)
                                and _same(form[before + middle:], following)) \
                                and ANY_WORD not in said \
                                and _alike(heard, " ".join(said), first == 0):
                            yield self._replaced(turn, first, last, said)

    def _replaced(self, turn: int, first: int, last: int, said: Sequence[str]) -> str:
        spans = self.words[turn][0]
        text = self.texts[turn]
        return " ".join(part for part in (text[:spans[first][0]].rstrip(), " ".join(said),
                                         text[spans[last][1]:].lstrip()) if part)

    def _passes(self, check: str, turn: int, text: str) -> bool:
        return self._wordings.card(turn, text).checks[check].verdict != "fail"


def _words(text: str, unsure: Sequence[Span]) -> tuple[list[Span], list[str], list[bool]]:
    """The reply's words: their spans, lower-case text, and whether each is unsure."""
    lowered = text.lower()
    spans = [(match.start(), match.end()) for match in _WORD.finditer(lowered)]
    doubtful = [any(s < end and start < e for start, end in unsure) for s, e in spans]
    return spans, [lowered[start:end] for start, end in spans], doubtful


def _alike(heard: str, said: str, opening: bool) -> bool:
    """Whether the unsure stretch may have been the phrase's words; the reply's first word may
    have lost its onset ("thank" heard as "and", the clipped start the recognizer often hears)."""
    from rapidfuzz import fuzz

    onsets = range(ONSET_CLIPPED + 1 if opening else 1)
    return any(fuzz.ratio(heard, said[cut:]) >= UNSURE_WORD_SIMILARITY for cut in onsets
               if cut == 0 or len(heard) <= len(said) - ONSET_CLIPPED)  # lost: shorter


def _same(form: Sequence[str], words: Sequence[str]) -> bool:
    return len(form) == len(words) and all(
        said in (ANY_WORD, word) for said, word in zip(form, words, strict=True))


def score_heard(replies: Sequence[Heard], rubric: Rubric | None = None) -> Scorecard:
    """A call's scorecard from its replies as (text, recognizer words, engine, other hearings);
    typed replies have no words and no other hearings. The same verdicts as score_call, with
    moves found in other hearings passed (hearings.py) and FAILs heard unclearly flagged."""
    from simulator.scoring.detect import default_rubric, detect
    from simulator.scoring.scorer import score_call

    rubric = rubric or default_rubric()
    card = score_call([detect(text, words, rubric) for text, words, _, _ in replies], rubric)
    return mark_heard(card, replies, rubric)


def mark_heard(card: Scorecard, replies: Sequence[Heard], rubric: Rubric | None = None
               ) -> Scorecard:
    """`card` with the moves of other hearings passed, then mark_unclear with the unsure words
    found from each reply's recognizer words."""
    from simulator.scoring.confidence import unsure_spans
    from simulator.scoring.detect import default_rubric
    from simulator.scoring.hearings import mark_also_heard

    rubric = rubric or default_rubric()
    texts = [text for text, _, _, _ in replies]
    card = mark_also_heard(card, texts, [hearings for _, _, _, hearings in replies], rubric)
    unsure = [unsure_spans(text, words, engine) for text, words, engine, _ in replies]
    return mark_unclear(card, texts, unsure, rubric)
