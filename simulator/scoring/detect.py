"""Per-utterance detections: which moves a reply makes, with the words that show it.

Pure: text (and optional recognizer word timings) in, Detections out. The dialog engine reacts
to `Detections.names`; the scorer turns the detections of a whole call into verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from simulator.scoring.rubric import Rubric, load_rubric
from simulator.scoring.text import (
    AUXILIARIES,
    SUBJECTS,
    WH_WORDS,
    Sentence,
    attach_timings,
    split_sentences,
    strip_openers,
    tokenize,
)

MAX_REPLY_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Hit:
    """A detection's evidence: the matched words and their offsets in the reply."""

    name: str
    text: str
    start: int
    end: int
    sentence: int


@dataclass(slots=True)
class SentenceInfo:
    sentence: Sentence
    question: bool = False
    permission: bool = False
    discovery: bool = False
    has_i: bool = False
    names: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Detections:
    text: str
    sentences: list[SentenceInfo]
    hits: list[Hit]
    names: frozenset[str]

    def of(self, name: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.name == name]


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The rubric library calls use when given none, looked up once per process."""
    return load_rubric()


def _corrector(rubric: Rubric):
    """Fuzzy slip correction for long words only, so 'white' never becomes 'why'."""
    from rapidfuzz import fuzz, process

    vocabulary = set(rubric.vocabulary)
    slips = {k.lower(): v.lower() for k, v in rubric.slips.items()}

    @lru_cache(maxsize=8192)
    def correct(word: str) -> str:
        if word in slips:
            return slips[word]
        if len(word) < 7 or word in vocabulary or not word.isalpha():
            return word
        best = process.extractOne(word, rubric.vocabulary, scorer=fuzz.ratio,
                                  score_cutoff=rubric.fuzzy_cutoff)
        return best[0] if best else word

    return correct


_correctors: dict[int, object] = {}


def _is_question_form(words: list[str]) -> bool:
    body = strip_openers(words)
    if not body:
        return False
    head = body[0]
    if head == "if":  # a conditional that leads into a question
        return any(_is_question_form(body[i:]) for i in range(3, len(body) - 1)
                   if body[i] in WH_WORDS or body[i] in {"would", "could", "can", "will"})
    if head in WH_WORDS:
        return not (head == "what" and len(body) > 1 and body[1] == "a")
    return head in AUXILIARIES and len(body) > 1 and body[1] in SUBJECTS


def detect(text: str, words: Sequence | None = None, rubric: Rubric | None = None) -> Detections:
    """Detections for one reply. `words` are recognizer words with .text/.start/.end."""
    rubric = rubric or default_rubric()
    correct = _correctors.get(id(rubric))
    if correct is None:
        correct = _correctors[id(rubric)] = _corrector(rubric)
    tokens = tokenize(text[:MAX_REPLY_CHARS], correct)
    if words:
        attach_timings(tokens, words)
    sentences = split_sentences(tokens, rubric.pause_seconds)
    infos: list[SentenceInfo] = []
    hits: list[Hit] = []
    patterns = rubric.patterns
    for index, sentence in enumerate(sentences):
        info = SentenceInfo(sentence)
        framed = rubric.frames.search(sentence.text) is not None
        info.question = sentence.question_mark or framed or _is_question_form(sentence.words())
        found: dict[str, list[tuple[int, int]]] = {}
        for name, (pattern, exception, scope) in patterns.items():
            if scope == "question" and not info.question:
                continue
            if scope == "statement" and info.question:
                continue
            spans = _matches(pattern, exception, sentence.text)
            if spans:
                found[name] = spans
        if "how_come" in found or "why_question" in found:
            info.question = True  # "tell me more" and "why not" are probes even unpunctuated
        info.permission = "permission_close" in found
        if info.permission:
            found.pop("pushing", None)
            found.pop("imposed_next_step", None)
        small_talk = rubric.small_talk_pattern
        is_small_talk = bool(small_talk and small_talk.search(sentence.text))
        pitch_only = "pushing" in found and not (
            found.keys() & {"how_come", "why_question", "explore_issues"})
        info.discovery = (info.question and not info.permission and not is_small_talk
                          and not pitch_only and "opt_out" not in found)
        info.has_i = "i" in sentence.words()
        if info.discovery:
            found["discovery_question"] = [(0, len(sentence.text))]
            if info.has_i:
                found["i_question"] = [(0, len(sentence.text))]
        info.names = set(found)
        for name, spans in found.items():
            for start, end in spans:
                source_start, source_end = sentence.source_span(start, end)
                hits.append(Hit(name, text[source_start:source_end], source_start, source_end,
                                index))
        infos.append(info)
    _apply_permission_tags(infos, hits)
    hits = _acknowledge_first(hits)
    names = frozenset(hit.name for hit in hits)
    return Detections(text, infos, hits, names)


def _matches(pattern, exception, text: str) -> list[tuple[int, int]]:
    spans = [match.span() for match in pattern.finditer(text) if match.end() > match.start()]
    if spans and exception is not None:
        blocked = [match.span() for match in exception.finditer(text)]
        spans = [s for s in spans if not any(s[0] < b[1] and b[0] < s[1] for b in blocked)]
    return spans


def _apply_permission_tags(infos: list[SentenceInfo], hits: list[Hit]) -> None:
    """"I'll check back in May. Is that OK?" asks permission: the statement is not imposed."""
    for index, info in enumerate(infos[:-1]):
        if "imposed_next_step" in info.names and infos[index + 1].permission:
            info.names.discard("imposed_next_step")
            hits[:] = [h for h in hits
                       if not (h.name == "imposed_next_step" and h.sentence == index)]


def _acknowledge_first(hits: list[Hit]) -> list[Hit]:
    """An acknowledgement counts only before any pushing or why-question in the reply."""
    first_bad = min((h.start for h in hits if h.name in {"pushing", "why_question"}), default=None)
    if first_bad is None:
        return hits
    return [h for h in hits if not (h.name == "acknowledge" and h.start > first_bad)]
