"""Refuses rubric phrases that could make Python's backtracking regex engine run for ages.

A phrase is a regular expression a trainer writes, matched against every reply. Three shapes make
matching time explode on an unlucky reply, so each is refused with the reason:

- a repeat inside a repeat, `(a+)+`: a run of a's splits between them in exponentially many ways;
- a repeated group whose alternatives can match the start of one another, `(a|ab)*`: the same
  text is split into alternatives in exponentially many ways (a prefix-free group cannot be);
- repeats one after another that can match the same text, `\\w+\\s?\\w+`: the text between them is
  split every way (polynomial; allowed while the product of their bounds stays small).

Anything else backtracks at most linearly per starting position. The shipped rubric's
`(can |totally |really )*` and `(that|\\w+|\\w+ \\w+) work` pass.
"""

from __future__ import annotations

import functools
import itertools
import re

from simulator.errors import shorten

try:  # the parser behind re.compile; public as sre_parse before Python 3.11
    from re import _parser as sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as sre  # type: ignore[no-redef]

MAX_BRACKET_DEPTH = 20
MAX_SPLITS = 2_500  # ways two bounded repeats may share text, e.g. .{1,40} then .{1,40}
MAX_ALTERNATIVES = 256  # spelled-out alternatives of a repeated group we compare
UNBOUNDED = 10**9
SAMPLE_CHARS = " \t\n_-.,!?'\"$%0159aezAZ\u00e9\u0663\x00"

REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
ATOMIC = getattr(sre, "ATOMIC_GROUP", None)  # (?>...), Python 3.11+
GROUPS = (sre.SUBPATTERN, ATOMIC) if ATOMIC is not None else (sre.SUBPATTERN,)
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D",
              sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
              sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}

NESTED = "nests a repeat inside a repeat, like '(a+)+'"
AMBIGUOUS = "repeats alternatives that can match the same text, like '(a|ab)*'"
ADJACENT = "has repeats in a row that can match the same text, like '\\w+ ?\\w+'"
WHY = ", which can make scoring hang on some replies: "
FIXES = {NESTED: "repeat a group of plain words, e.g. '(very |really )*'",
         AMBIGUOUS: "make no alternative the start of another, e.g. '(very |really )*'",
         ADJACENT: "put a word that neither repeat matches between them"}


class UnsafePhrase(ValueError):
    """A phrase whose matching time can explode; str() is the message for the trainer."""


def check_phrase(pattern: str, phrase: str) -> None:
    """Raise UnsafePhrase if `pattern` (the regex of `phrase`) can backtrack catastrophically."""
    shape = _unsafe_shape(pattern)
    if shape in FIXES:
        raise UnsafePhrase(f"phrase {shorten(repr(phrase))} {shape}{WHY}{FIXES[shape]}")
    if shape:
        raise UnsafePhrase(f"phrase {shorten(repr(phrase))} {shape}")


_REPEAT_OR_BACKREF = re.compile(r"[*+{]|\\[1-9]|\(\?P=")
_ESCAPE_OR_SET = re.compile(r"\\.|\[(?:\\.|[^\]])*\]")


@functools.lru_cache(maxsize=4096)  # the rubric compiles each phrase to check it, then to use
def _unsafe_shape(pattern: str) -> str | None:
    """Why `pattern` can backtrack catastrophically (or overflow the parser), or None."""
    depth = deepest = 0
    for char in _ESCAPE_OR_SET.sub("", pattern) if "(" in pattern else "":
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_BRACKET_DEPTH:
        return f"nests brackets more than {MAX_BRACKET_DEPTH} deep: simplify it"
    if not _REPEAT_OR_BACKREF.search(pattern):  # most phrases: words and alternatives
        return None
    try:
        tree = sre.parse(pattern)
    except re.error:
        return None  # re.compile reports it with its own message
    alphabet = set(SAMPLE_CHARS) | set(_literal_chars(tree))
    try:
        _Scan(sorted(alphabet)).sequence(list(tree), [])
    except _Refused as refused:
        return refused.args[0]
    return None


class _Refused(Exception):
    pass


def _literal_chars(items):
    """Every character a pattern names, so character sets are compared on what matters."""
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            yield chr(av)
        elif op is sre.RANGE:
            yield from (chr(av[0]), chr(av[1]))
        elif op is sre.IN:
            yield from _literal_chars(av)
        elif op is sre.BRANCH:
            for branch in av[1]:
                yield from _literal_chars(branch)
        elif op in REPEATS or op in GROUPS or op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _literal_chars(_body(op, av))


class _Scan:
    """Walks a parsed pattern; a character set is the frozenset of alphabet characters it takes."""

    def __init__(self, alphabet: list[str]):
        self.alphabet = alphabet
        self.anything = frozenset(alphabet)

    def chars(self, op, av) -> frozenset[str]:
        if op is sre.LITERAL:
            return frozenset({chr(av)})
        if op is sre.NOT_LITERAL:
            return self.anything - {chr(av)}
        if op is sre.IN:
            negate = bool(av) and av[0][0] is sre.NEGATE
            taken = frozenset(c for c in self.alphabet if any(_in_item(o, a, c) for o, a in av))
            return self.anything - taken if negate else taken
        return self.anything  # ANY, and anything unforeseen: assume it overlaps everything

    def sequence(self, items, pending: list[tuple[frozenset, int]]):
        """Check items in order; `pending` are earlier repeats that could still take more text,
        with how many ways they can split it. Returns the repeats still pending after items."""
        for op, av in items:
            if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
                raise _Refused("refers back to a group (\\1), which phrases do not support: "
                               "write the words out")
            if op in ZERO_WIDTH:
                if op is not sre.AT:
                    self.sequence(av[1], [])
            elif op in GROUPS:
                pending = self.sequence(_body(op, av), pending)
            elif op is sre.BRANCH:
                pending = [p for branch in av[1] for p in self.sequence(branch, pending)]
            elif op in REPEATS and av[1] > 1:
                pending = self.loop(av, pending)
            elif op in REPEATS:  # ? or {0,1} or {1}
                after = self.sequence(av[2], pending)
                pending = pending + after if av[0] == 0 else after
            else:
                chars = self.chars(op, av)
                pending = [(c, ways) for c, ways in pending if c & chars]
        return pending

    def loop(self, av, pending):
        low, high, body = av
        if _has_variable_repeat(body):
            raise _Refused(NESTED)
        self.sequence(body, [])  # lookarounds inside
        spelled = self.spell(body)
        for one, other in itertools.permutations(spelled, 2):
            if len(one) <= len(other) and all(a & b for a, b in zip(one, other, strict=False)):
                raise _Refused(AMBIGUOUS)
        chars = frozenset().union(*(c for word in spelled for c in word))
        ways = UNBOUNDED if high == sre.MAXREPEAT else high
        ways *= max([w for c, w in pending if c & chars], default=1)
        if ways > UNBOUNDED or (ways > MAX_SPLITS and any(c & chars for c, _ in pending)):
            raise _Refused(ADJACENT)
        kept = pending if low == 0 else [(c, w) for c, w in pending if c & chars]
        return kept + [(chars, ways)]

    def spell(self, items) -> list[tuple[frozenset, ...]]:
        """Every way `items` (no variable repeats) can match, one character set per character."""
        words: list[tuple[frozenset, ...]] = [()]
        for op, av in items:
            if op in ZERO_WIDTH:
                continue
            if op in GROUPS:
                options = self.spell(_body(op, av))
            elif op is sre.BRANCH:
                options = [w for branch in av[1] for w in self.spell(branch)]
            elif op in REPEATS:  # a fixed count, {3}
                options = [sum(combo, ()) for combo in
                           itertools.product(self.spell(av[2]), repeat=min(av[0], 64))]
            else:
                options = [(self.chars(op, av),)]
            words = [w + o for w in words for o in options]
            if len(words) > MAX_ALTERNATIVES:
                raise _Refused(f"repeats a group with more than {MAX_ALTERNATIVES} ways to match, "
                               "too many to check it cannot make scoring hang: simplify the group")
        return words


def _has_variable_repeat(items) -> bool:
    for op, av in items:
        if op in REPEATS and av[0] != av[1]:
            return True
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return True
        children = av[1] if op is sre.BRANCH else [_body(op, av)] if op in REPEATS + GROUPS else []
        if any(_has_variable_repeat(child) for child in children):
            return True
    return False


def _body(op, av):
    """The sub-pattern of a group, repeat or lookaround (an atomic group is its own body)."""
    return av if op is ATOMIC else av[-1]


def _in_item(op, av, char: str) -> bool:
    if op is sre.LITERAL:
        return ord(char) == av
    if op is sre.RANGE:
        return av[0] <= ord(char) <= av[1]
    if op is sre.CATEGORY:
        return re.fullmatch(CATEGORIES.get(av, r"[\s\S]"), char) is not None
    return False  # NEGATE: handled by the caller
