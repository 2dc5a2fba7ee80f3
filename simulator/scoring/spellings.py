"""Plain-words spellings of the rubric's phrases ("thank you for", "would you change"), for
lining them up with what a recognizer heard (unclear.py). Pure.

A phrase pattern is expanded into the strings it matches: alternatives in order, optional parts
with and without, a word class (`\\w+`, `[a-z]`) as ANY_WORD; lookarounds and anchors match
nothing. Only the first FORMS_PER_PHRASE spellings of each phrase are kept.
"""

from __future__ import annotations

import itertools

from simulator.scoring.rubric import Rubric

ANY_WORD = "\x00"  # where a phrase takes any word (\w+ in the rubric)
MIN_PHRASE_CHARS = 6  # shorter spellings ("ta", "ok") are similar to too much
FORMS_PER_PHRASE = 64

Forms = dict[int, tuple[tuple[str, ...], ...]]  # spellings by their number of words

_forms_cache: dict[tuple[int, str], Forms] = {}


def phrase_forms(rubric: Rubric, detection: str) -> Forms:
    """Plain-text spellings of a detection's phrases, by their number of words."""
    key = (id(rubric), detection)  # rubrics are kept for the process (load_rubric's cache)
    if key not in _forms_cache:
        _forms_cache[key] = _spellings_of(rubric, detection)
    return _forms_cache[key]


def _spellings_of(rubric: Rubric, detection: str) -> Forms:
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


_index_cache: dict[tuple[int, str], dict[tuple[int, int, str], tuple[tuple[str, ...], ...]]] = {}


def forms_with(rubric: Rubric, detection: str, length: int, position: int, word: str
               ) -> tuple[tuple[str, ...], ...]:
    """The spellings of `length` words that have `word` (or any word) at `position`."""
    key = (id(rubric), detection)
    if key not in _index_cache:
        index: dict[tuple[int, int, str], list[tuple[str, ...]]] = {}
        for size, forms in phrase_forms(rubric, detection).items():
            for form in forms:
                for at, said in enumerate(form):
                    index.setdefault((size, at, said), []).append(form)
        _index_cache[key] = {place: tuple(forms) for place, forms in index.items()}
    index = _index_cache[key]
    return index.get((length, position, word), ()) + index.get((length, position, ANY_WORD), ())
