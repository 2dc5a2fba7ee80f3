"""Finding a rubric's phrases in a reply quickly.

Most phrases start with one of a few fixed words ("(would|do) you mind if" starts with "would"
or "do"), so each phrase is tried only where such a word stands in the reply, instead of at every
character; the few that can start with any word are searched for everywhere. Matches of a
detection's phrases are merged, and those overlapping one of its `except` phrases dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

try:  # the parser behind re.compile; public as sre_parse before Python 3.11
    from re import _parser as sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as sre  # type: ignore[no-redef]

Span = tuple[int, int]
_MAX_HEADS = 256  # spelled-out beginnings of one phrase; beyond that it is searched everywhere
_MAX_HEAD_CHARS = 200  # nor past this: a 200,000-letter "word" would take minutes to spell out
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_UNKNOWN = "\0"  # marks the end of what a beginning can be spelled out to
NUMBER = "#"  # a phrase that starts with a number is tried where a number stands
_DIGIT = [(sre.CATEGORY, sre.CATEGORY_DIGIT)]


def first_words(source: str, count: int = 2) -> frozenset[str] | None:
    """The first `count` words a phrase (a normalized regular expression) can start with, or
    fewer where the phrase is shorter; None when it can start with any word."""
    try:
        heads = _heads(list(sre.parse(source)), count)
    except (re.error, RecursionError):
        return None
    if heads is None:
        return None
    words = frozenset(NUMBER if NUMBER in text else text.strip() for text, _ in heads)
    return None if "" in words else words


def _heads(items: list, count: int) -> set[tuple[str, bool]] | None:
    """(beginning, complete) for each way the sequence can start: a beginning is complete once
    it holds `count` words. None when a beginning cannot be spelled out."""
    out = {("", False)}
    for op, av in items:
        growing = [text for text, complete in out if not complete]
        if not growing:
            break
        if any(len(text) > _MAX_HEAD_CHARS for text in growing):
            return None
        pieces = _item_heads(op, av, count)
        if pieces is None:
            return None
        out = {head for head in out if head[1]}
        for text in growing:
            for piece in pieces:
                joined = text + piece
                words = joined.split(" ")
                if _UNKNOWN in joined:  # spelled out as far as it goes (or as far as needed)
                    out.add((" ".join(joined.split(_UNKNOWN)[0].split()[:count]), True))
                elif len(words) > count:  # the piece went past the last word we need
                    out.add((" ".join(words[:count]), True))
                else:
                    out.add((joined, joined.count(" ") == count))
        if len(out) > _MAX_HEADS:
            return None
    return out


def _pieces(heads: set[tuple[str, bool]]) -> set[str]:
    """A group's beginnings as pieces of the enclosing one: a complete one ends it there."""
    return {text + _UNKNOWN if complete else text for text, complete in heads}


def _item_heads(op, av, count: int) -> set[str] | None:
    """The texts one regex item can begin with (whole, or cut after `count` spaces)."""
    if op is sre.LITERAL:
        return {" " if chr(av).isspace() else chr(av)}
    if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
        return {chr(code) for _, code in av}
    if op is sre.SUBPATTERN:
        heads = _heads(list(av[-1]), count)
        return None if heads is None else _pieces(heads)
    if op is sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            heads = _heads(list(alternative), count)
            if heads is None:
                return None
            out |= _pieces(heads)
        return out
    if op is sre.IN and av == _DIGIT:
        return {NUMBER + _UNKNOWN}
    if op in _REPEATS:
        low, high, sub = av
        if list(sub) == [(sre.IN, _DIGIT)]:  # "\\d+": a number
            return {NUMBER + _UNKNOWN, ""} if low == 0 else {NUMBER + _UNKNOWN}
        heads = _heads(list(sub), count)
        if heads is None or (high != 1 and any(not text.endswith(" ") and not complete
                                               for text, complete in heads)):
            return None  # "\\w+", "(ab)*": where the word ends is unknown
        once = _pieces(heads)
        if high != 1:  # "(really )*": one round of it, then what follows is unknown
            once = {text + _UNKNOWN for text in once}
        return once | {""} if low == 0 else once
    if op in _ZERO_WIDTH:
        return {""}
    return None


class PhraseMatcher:
    """All of a rubric's phrase groups (detections, frames), matched in one reply at a time."""

    def __init__(self, groups: dict[str, tuple[list[tuple[re.Pattern, str]],
                                                list[tuple[re.Pattern, str]]]]) -> None:
        # (group, is an except phrase, pattern) by first word, and those with no known first word
        self._by_word: dict[str, list[tuple[str, bool, re.Pattern]]] = defaultdict(list)
        self._anywhere: list[tuple[str, bool, re.Pattern]] = []
        for name, (phrases, exceptions) in groups.items():
            for blocking, entries in ((False, phrases), (True, exceptions)):
                for pattern, source in entries:
                    entry = (name, blocking, pattern)
                    words = first_words(source) or first_words(source, 1)
                    if words is None:
                        self._anywhere.append(entry)
                    for word in words or ():
                        self._by_word[word].append(entry)
        self._chains = {key: _Chain(entries) for key, entries in self._by_word.items()}
        self.keys = frozenset(self._by_word)  # the words and pairs of words phrases start with
        self.pair_heads = frozenset(key.split(" ")[0] for key in self._by_word if " " in key)

    def find(self, text: str, positions: dict[str, list[int]]) -> dict[str, list[Span]]:
        """Spans of each group's phrases in `text`; `positions` gives where each word and each
        pair of words ("thank you") starts."""
        found: dict[str, list[Span]] = defaultdict(list)
        blocked: dict[str, list[Span]] = defaultdict(list)
        for name, blocking, pattern in self._anywhere:
            spans = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
            (blocked if blocking else found)[name].extend(spans)
        for word, starts in positions.items():
            chain = self._chains[word]
            for start in starts:
                for name, blocking, span in chain.matches(text, start):
                    (blocked if blocking else found)[name].append(span)
        out = {}
        for name, spans in found.items():
            if name in blocked:
                stops = blocked[name]
                spans = [s for s in spans if not any(s[0] < b[1] and b[0] < s[1] for b in stops)]
            if spans:
                out[name] = _merged(spans)
        return out


class _Chain:
    """The phrases that start with one word, tried at a place with one regex call per match:
    an alternation of them all says which is the first to match there (those before it did not),
    then the alternation of those after it is tried, and so on."""

    def __init__(self, entries: list[tuple[str, bool, re.Pattern]]) -> None:
        self.entries = entries
        self._tails: dict[int, tuple[re.Pattern, dict[int, int]]] = {}

    def _tail(self, first: int) -> tuple[re.Pattern, dict[int, int]]:
        """The alternation of entries[first:], each in a group, and whose each group is."""
        tail = self._tails.get(first)
        if tail is None:
            parts, owners, group = [], {}, 1
            for index in range(first, len(self.entries)):
                pattern = self.entries[index][2]
                owners[group] = index
                parts.append(f"({pattern.pattern})")
                group += 1 + pattern.groups
            tail = self._tails[first] = (re.compile("|".join(parts), re.MULTILINE), owners)
        return tail

    def matches(self, text: str, start: int) -> Iterable[tuple[str, bool, Span]]:
        if len(self.entries) == 1:  # most words start one phrase: try it as it is
            name, blocking, pattern = self.entries[0]
            match = pattern.match(text, start)
            if match is not None and match.end() > start:
                yield name, blocking, match.span()
            return
        first, count = 0, len(self.entries)
        while first < count:
            regex, owners = self._tail(first)
            match = regex.match(text, start)
            if match is None:
                return
            index = owners[match.lastindex]
            if match.end() > start:
                name, blocking, _ = self.entries[index]
                yield name, blocking, match.span()
            first = index + 1


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Overlapping matches of one detection become one piece of evidence."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
