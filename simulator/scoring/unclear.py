"""Which FAILs rest on words the recognizer was unsure of ("heard unclearly"). Pure.

A FAIL is heard unclearly when either
- its evidence overlaps an unsure word (the "why" of a why-question, the pitch of a push, ...):
  the words that failed it may not be what was said; or
- it failed for want of a phrase (no thanks, no acknowledgement, no issues question, no
  permission close, no opt-out) and that phrase would be there had unsure words been different:
  some plain-words spelling of one of the check's phrases lines up word for word with a stretch
  of the reply that takes in an unsure word: every sure word in the stretch is the phrase's word
  there, and every unsure word is like the phrase's word (UNSURE_WORD_SIMILARITY: the more sure
  words line up around it, the less alike; with two or more, and no fewer than the unsure ones,
  it may have been any word).
  "and you" with "and" unsure lines up with "thank you", "i fear you" with "i hear you"; "for
  your august" lines up with no gratitude phrase, "budget" alone with no issues word.
The verdict stays "fail" (scores stay comparable); the result gets heard = "unclear". Typed
replies have no recognizer words, so nothing in them is unsure and no verdict ever changes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from simulator.scoring.rubric import Rubric
from simulator.scoring.scorer import FIRST_REPLY_ONLY, Scorecard

UNCLEAR = "unclear"
# How like the phrase's word (rapidfuzz ratio, 0..100) an unsure word must be, by the sure words
# lining up around it: none (or fewer than the unsure), one, two or more (then any word will do).
UNSURE_WORD_SIMILARITY = (70, 50, 0)
ANY_WORD = "\x00"  # where a phrase takes any word (\w+ in the rubric)
MIN_PHRASE_CHARS = 6  # shorter spellings ("ta", "ok") are similar to too much
FORMS_PER_PHRASE = 64
# The detection whose phrase passes each check that can fail for want of a phrase.
PASSED_BY = {"gratitude": "gratitude", "acknowledge": "acknowledge",
             "explore_issues": "explore_issues", "opt_out": "opt_out",
             "permission_close": "permission_close"}

Span = tuple[int, int]
Heard = tuple[str, Sequence, 'str | None']  # text, recognizer words, engine name
_WORD = re.compile(r"[\w'$£€#%]+")


def mark_unclear(card: Scorecard, texts: Sequence[str], unsure: Sequence[Sequence[Span]],
                 rubric: Rubric) -> Scorecard:
    """Flag the FAILs of `card` that rest on unsure words; `unsure[t]` are spans in `texts[t]`."""
    if not any(unsure):
        return card
    multi = len(texts) > 1
    for check, result in card.checks.items():
        if result.verdict != "fail":
            continue
        turns = range(1 if check in FIRST_REPLY_ONLY else len(texts))
        on_evidence = any(_overlaps((item["start"], item["end"]),
                                    unsure[item.get("turn", 0) if multi else 0])
                          for item in result.evidence)
        missing = check in PASSED_BY and any(
            _phrase_near(texts[turn], unsure[turn], _forms(rubric, PASSED_BY[check]))
            for turn in turns if unsure[turn])
        if on_evidence or missing:
            result.heard = UNCLEAR
    return card


def _overlaps(span: Span, spans: Sequence[Span]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _phrase_near(text: str, unsure: Sequence[Span], forms: dict[int, tuple[tuple[str, ...],
                                                                         ...]]) -> bool:
    """Whether some phrase would be in `text` had some of its unsure words been different."""
    from rapidfuzz import fuzz

    lowered = text.lower()
    spans = [(match.start(), match.end()) for match in _WORD.finditer(lowered)]
    words = [lowered[start:end] for start, end in spans]
    doubtful = [any(s < end and start < e for start, end in unsure) for s, e in spans]

    def lines_up(stretch: range, form: tuple[str, ...]) -> bool:
        sure = sum(not doubtful[i] for i in stretch)
        needed = UNSURE_WORD_SIMILARITY[min(sure, 2) if 2 * sure >= len(stretch) else 0]
        for i, said in zip(stretch, form, strict=True):
            if said == ANY_WORD:
                continue
            if not doubtful[i]:
                if words[i] != said:
                    return False
            elif needed and fuzz.ratio(words[i], said) < needed:
                return False
        return True

    for index in (i for i, flag in enumerate(doubtful) if flag):
        for size, choices in forms.items():
            for first in range(max(index - size + 1, 0), min(index, len(words) - size) + 1):
                stretch = range(first, first + size)
                if any(lines_up(stretch, form) for form in choices):
                    return True
    return False


_forms_cache: dict[tuple[int, str], dict[int, tuple[tuple[str, ...], ...]]] = {}


def _forms(rubric: Rubric, detection: str) -> dict[int, tuple[tuple[str, ...], ...]]:
    """Plain-text spellings of a detection's phrases (the first FORMS_PER_PHRASE of each), by
    their number of words."""
    key = (id(rubric), detection)  # rubrics are kept for the process (load_rubric's cache)
    if key not in _forms_cache:
        _forms_cache[key] = _spellings_of(rubric, detection)
    return _forms_cache[key]


def _spellings_of(rubric: Rubric, detection: str) -> dict[int, tuple[tuple[str, ...], ...]]:
    forms: dict[int, dict[str, None]] = {}
    for phrase in rubric.detections[detection].phrases:
        for form in _spellings(rubric._normalized(phrase)):
            form = " ".join(form.split())
            if len(form) >= MIN_PHRASE_CHARS and form.strip(ANY_WORD + " "):
                forms.setdefault(len(form.split()), {})[form] = None
    return {size: tuple(tuple(form.split()) for form in group)
            for size, group in sorted(forms.items())}


def _spellings(pattern: str) -> list[str]:
    try:
        from re import _parser as sre
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as sre  # type: ignore[no-redef]
    return _expand(sre.parse(pattern), sre)


def _expand(items, sre) -> list[str]:
    """Strings a parsed pattern matches: alternatives in order, optional parts with and without,
    any-word classes as "x"; lookarounds and anchors match nothing."""
    out = [""]
    for op, arg in items:
        if op is sre.LITERAL:
            options = [chr(arg)]
        elif op is sre.SUBPATTERN:
            options = _expand(arg[-1], sre)
        elif op is sre.BRANCH:
            options = [s for branch in arg[1] for s in _expand(branch, sre)]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = arg
            once = _expand(body, sre)
            options = ([""] if low == 0 else []) + (once if high != 0 else [])
            if low > 1:
                options = ["".join(p) for p in itertools.product(once, repeat=low)]
        elif op is sre.IN:
            options = [ANY_WORD]
        else:  # AT, ASSERT, ASSERT_NOT, ...
            options = [""]
        out = [a + b for a in out for b in options][:FORMS_PER_PHRASE]
    return out


def score_heard(replies: Sequence[Heard], rubric: Rubric | None = None) -> Scorecard:
    """A call's scorecard from its replies as (text, recognizer words, engine); typed replies
    have no words. The same verdicts as score_call, with FAILs heard unclearly flagged."""
    from simulator.scoring.detect import default_rubric, detect
    from simulator.scoring.scorer import score_call

    rubric = rubric or default_rubric()
    card = score_call([detect(text, words, rubric) for text, words, _ in replies], rubric)
    return mark_heard(card, replies, rubric)


def mark_heard(card: Scorecard, replies: Sequence[Heard], rubric: Rubric | None = None
               ) -> Scorecard:
    """mark_unclear with the unsure words found from each reply's recognizer words."""
    from simulator.scoring.confidence import unsure_spans
    from simulator.scoring.detect import default_rubric

    unsure = [unsure_spans(text, words, engine) for text, words, engine in replies]
    return mark_unclear(card, [text for text, _, _ in replies], unsure,
                        rubric or default_rubric())
