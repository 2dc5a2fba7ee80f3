"""The sentences the domain language model learns from: what this product's calls contain.

Three sources, each written the way the recognizer writes words (text.py):
- the rubric's phrases (every detection, exception, question frame and small-talk phrase),
  expanded from their patterns, also with the short forms people say ("do not" -> "don't");
- every persona's lines, briefing and golden replies (a whole golden reply is one utterance);
- the template grammar of sales replies in templates.yaml, good replies and bad ones.
The labelled reply sets (tests/data/*.jsonl) are evaluation data and never part of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from simulator.voice.domain_lm.phrases import Expander, with_short_forms
from simulator.voice.domain_lm.text import sentences_of

TEMPLATES = Path(__file__).with_name("templates.yaml")
TEMPLATE_SPREAD = 2  # templates: twice as many mixed variants as the longest list needs
GOLDEN_TIMES = 2  # golden replies are what reps say on these calls: counted twice

Sentence = tuple[tuple[str, ...], int]  # (words, times)


class Templates(BaseModel):
    """templates.yaml: word lists, families of replies, and replies made of several moves."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    lists: dict[str, list[str]] = Field(min_length=1)
    families: dict[str, list[str]] = Field(min_length=1)
    combined: list[str] = []


def load_templates(path: Path = TEMPLATES) -> Templates:
    with open(path, encoding="utf-8") as file:
        return Templates.model_validate(yaml.safe_load(file))


def template_sentences(templates: Templates) -> Iterator[Sentence]:
    expander = Expander({**templates.lists, **templates.families}, spread=TEMPLATE_SPREAD)
    patterns = [p for family in templates.families.values() for p in family]
    for pattern in patterns + templates.combined:
        for words in expander.expand(pattern):
            yield tuple(words), 1


def rubric_sentences(rubric) -> Iterator[Sentence]:
    """The rubric's phrase patterns expanded; written out in full and with short forms."""
    patterns = list(rubric.question_frames) + list(rubric.small_talk)
    for rule in rubric.detections.values():
        patterns += list(rule.phrases) + list(rule.except_)
    expander = Expander(rubric.lexicon)
    for pattern in patterns:
        for words in expander.expand(pattern):
            yield tuple(words), 1
            short = with_short_forms(words)
            if short != words:
                yield tuple(short), 1


def persona_texts(persona) -> Iterator[tuple[tuple, str, int]]:
    """(where in the file, text, times) for every line a persona holds."""
    yield ("name",), persona.name, 1
    yield ("company",), persona.company, 1
    yield ("role",), persona.role, 1
    yield ("briefing",), persona.briefing, 1
    for i, line in enumerate(persona.opening):
        yield ("opening", i), line, 1
    moves = [(("anytime", i), rule) for i, rule in enumerate(persona.anytime)]
    for name, state in persona.states.items():
        for i, line in enumerate(state.lines or []):
            yield ("states", name, "lines", i), line, 1
        moves += [(("states", name, "on", i), rule) for i, rule in enumerate(state.on)]
        moves.append((("states", name, "fallback"), state.fallback))
    for where, move in moves:
        for i, line in enumerate(move.say or []):
            yield where + ("say", i), line, 1
        when = getattr(move, "when", None)
        for i, phrase in enumerate(when.phrases if when else []):
            yield where + ("when", "phrases", i), phrase, GOLDEN_TIMES
    for outcome, ending in persona.outcomes.items():
        for i, line in enumerate(ending.say):
            yield ("outcomes", outcome, "say", i), line, 1
    for g, golden in enumerate(persona.golden):
        for i, reply in enumerate(golden.replies):
            yield ("golden", g, "replies", i), reply, GOLDEN_TIMES


def persona_sentences(persona) -> Iterator[Sentence]:
    for _where, text, times in persona_texts(persona):
        for sentence, _ in _spoken(text):
            yield sentence, times
        words = tuple(w for s in sentences_of(text) for w in s)
        if len(sentences_of(text)) > 1:
            yield words, times  # heard as one utterance too


def _spoken(text: str) -> Iterator[Sentence]:
    for words in sentences_of(text):
        yield tuple(words), 1
