"""Phrase patterns (the rubric's syntax: `(a|b)`, `x?`, `{list}`, `\\w+`) turned into the word
sequences they stand for, for the language model to learn from.

A pattern with many alternatives is not multiplied out: its variants cover every alternative at
least once (a few hundred sentences, not millions), which is what a trigram model needs. Where
a pattern leaves one word open (`\\w+`) a few everyday words fill it ("holding you back"); an
open stretch (`.{1,40}`, `[^\\n]`) or a word made up around `\\w+` ("\\w+er") cuts the sequence
in two, so no made-up word joins the pieces.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from simulator.scoring.words import CONTRACTIONS

GAP = "\x00"  # an open stretch: sequences are cut here
FILL = "\x01"  # marks a word filled in for \w+ (kept only if it stands alone)
FILLERS = ("you", "them", "things", "it")
NUMBERS = ("two", "five", "ten", "twenty", "fifty", "a hundred")  # for \d+
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|[ap]\.m\.")
_MERIDIEM = re.compile(r"\b([ap])\.m\.")  # "two p.m.": these dots are letters, not "any"
FULL_PRODUCT = 8  # a sequence with at most this many combinations is multiplied out
# A nested group keeps every alternative but at most this many variants in all (taken in turn
# from its alternatives): "{when}" inside "{contact_later}" would otherwise multiply.
NESTED_VARIANTS = 48

# "do not" -> "don't": people say the short forms the rubric writes out in full.
SHORT_FORMS: dict[tuple[str, str], str] = {}
for _short, _long in CONTRACTIONS.items():
    if "'" in _short and len(_long.split()) == 2:
        SHORT_FORMS.setdefault(tuple(_long.split()), _short)


@dataclass(frozen=True)
class _Alt:
    choices: tuple[tuple, ...]  # each a sequence of nodes


@dataclass(frozen=True)
class _Opt:
    node: object


@dataclass(frozen=True)
class _Ref:
    name: str  # {name}: a list's alternatives, expanded once however often it is named


_ESCAPES = {"w": _Alt(tuple((FILL + word,) for word in FILLERS)), "n": GAP, "s": " ", "b": "",
            "d": _Alt(tuple((number,) for number in NUMBERS))}


class _Parser:
    def __init__(self, pattern: str, names: Container[str]):
        self.text, self.at, self.names = pattern, 0, names

    def alternatives(self) -> _Alt:
        choices, current = [], []
        while self.at < len(self.text):
            char = self.text[self.at]
            self.at += 1
            if char == ")":
                break
            if char == "|":
                choices.append(tuple(current))
                current = []
            elif char in "?*":
                if current and not isinstance(current[-1], _Opt) and current[-1] != GAP:
                    current[-1] = _Opt(current[-1])  # a second '?' (lazy) changes nothing
            elif char == "+" or char in "^$":
                continue
            elif char == "{":
                end = self.text.find("}", self.at)
                name = self.text[self.at:end] if end > 0 else ""
                self._skip_until("}")  # or a count {1,40}: an open stretch is already a gap
                if name in self.names:
                    current.append(_Ref(name))
            elif char == "(":
                current.append(self._group())
            elif char == "[":
                self._skip_until("]")
                optional = self.text[self.at:self.at + 1] == "?"
                self.at += optional
                current.append("" if optional else GAP)
            elif char == ".":
                current.append(GAP)
            elif char == "\\":
                escaped = self.text[self.at:self.at + 1]
                self.at += 1
                current.append(_ESCAPES.get(escaped, escaped))
            else:
                current.append(char)
        choices.append(tuple(current))
        return _Alt(tuple(choices))

    def _group(self):
        rest = self.text[self.at:]
        if rest.startswith("?:"):
            self.at += 2
        elif rest.startswith(("?!", "?=", "?<!", "?<=")):
            depth = 1  # a lookaround says where, not what: it adds no words
            while self.at < len(self.text) and depth:
                char = self.text[self.at]
                self.at += 2 if char == "\\" else 1
                depth += (char == "(") - (char == ")")
            return ""
        return self.alternatives()

    def _skip_until(self, closing: str) -> None:
        end = self.text.find(closing, self.at)
        self.at = len(self.text) if end < 0 else end + 1


def _parse(pattern: str, names: Container[str]) -> _Alt:
    return _Parser(_MERIDIEM.sub(r"\1\\.m\\.", pattern), names).alternatives()


class Expander:
    """Expands patterns whose `{name}`s come from `lists` (each list expanded once).
    `spread` > 1 makes more mixed variants (templates, where variety is the point)."""

    def __init__(self, lists: Mapping[str, Sequence[str]] | None = None, spread: int = 1):
        self.lists = {name: [v.lower() for v in values] for name, values in (lists or {}).items()}
        self.spread = spread
        self._done: dict[str, list[str]] = {}
        self._doing: set[str] = set()

    def expand(self, pattern: str) -> list[list[str]]:
        """The word sequences `pattern` stands for."""
        sequences: list[list[str]] = []
        for variant in self._variants(_parse(pattern.lower(), self.lists), nested=False):
            run: list[str] = []
            for token in variant.replace(GAP, f" {GAP} ").split():
                token = token if _WORD.fullmatch(token) else token.strip(",.!?;:\"")
                if token.startswith(FILL) and token[1:] in FILLERS:
                    run.append(token[1:])
                elif token == "n't" and run:  # "(not|n't)" after a space: "isn't"
                    run[-1] += token
                elif _WORD.fullmatch(token):
                    run.append(token)
                elif token:  # an open stretch, or a word made up around one
                    sequences.append(run)
                    run = []
            sequences.append(run)
        return [list(words) for words in dict.fromkeys(map(tuple, sequences)) if words]

    def _variants(self, node, nested: bool = True) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, _Opt):
            return _unique(self._variants(node.node) + [""])
        if isinstance(node, _Ref):
            return self._named(node.name)
        choices = [self._sequence(choice) for choice in node.choices]
        if not nested:
            return _unique([text for variants in choices for text in variants])
        in_turn = [variants[i] for i in range(max(map(len, choices)))
                   for variants in choices if i < len(variants)]
        return _unique(in_turn)[:max(len(choices), NESTED_VARIANTS)]

    def _named(self, name: str) -> list[str]:
        if name not in self._done:
            if name in self._doing:
                raise ValueError(f"{{{name}}} names itself")
            self._doing.add(name)
            trees = [_parse(value, self.lists) for value in self.lists[name]]
            self._done[name] = self._variants(_Alt(tuple((tree,) for tree in trees)))
            self._doing.discard(name)
        return self._done[name]

    def _sequence(self, nodes: tuple) -> list[str]:
        parts: list[list[str]] = []
        for node in nodes:
            variants = self._variants(node)
            if len(variants) == 1 and parts and len(parts[-1]) == 1:
                parts[-1] = [parts[-1][0] + variants[0]]  # plain characters: one part
            else:
                parts.append(variants)
        total = 1
        for variants in parts:
            total *= len(variants)
        if total <= FULL_PRODUCT:
            texts = [""]
            for variants in parts:
                texts = [text + variant for text in texts for variant in variants]
            return texts
        # Every variant of every part at least once, mixed so that pairs vary too.
        count = max(len(variants) for variants in parts) * self.spread
        return ["".join(variants[(k + j * (1 + k // len(variants))) % len(variants)]
                        for j, variants in enumerate(parts)) for k in range(count)]


def expand(pattern: str, lists: Mapping[str, Sequence[str]] | None = None,
           spread: int = 1) -> list[list[str]]:
    """The word sequences `pattern` stands for (see Expander)."""
    return Expander(lists, spread).expand(pattern)


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def with_short_forms(words: list[str]) -> list[str]:
    """'i do not think so' -> "i don't think so" (the words unchanged if nothing shortens)."""
    out: list[str] = []
    for word in words:
        short = SHORT_FORMS.get((out[-1], word)) if out else None
        if short:
            out[-1] = short
        else:
            out.append(word)
    return out
