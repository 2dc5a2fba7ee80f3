"""Per-utterance detections: which moves a reply makes, with the words that show it.

Pure: text (and optional recognizer word timings) in, Detections out. The rubric's phrases find
the candidate words of each move; the sentence's structure (moves.py) decides which of them
count: whether a clause asks, who the subject is, whose "I" it is. The dialog engine reacts to
`Detections.names`; the scorer turns the detections of a whole call into verdicts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from simulator.scoring import moves
from simulator.scoring.matcher import NUMBER
from simulator.scoring.rubric import QUESTION_FRAME, SMALL_TALK, Rubric, load_rubric
from simulator.scoring.text import Sentence, attach_timings, split_sentences, tokenize

MAX_REPLY_CHARS = 20_000
_MEMO_SIZE = 8192  # sentences remembered per rubric
_NUMBER_STARTS = frozenset("0123456789$£€")


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
    head: int | None = None  # the word at which the question starts
    starts: list[int] = field(default_factory=list)  # the word at which each clause starts
    found: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # spans in .text
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
    infos = _judged_sentences(rubric, sentences)
    moves.judge_reply(infos)
    hits: list[Hit] = []
    for index, info in enumerate(infos):
        for name, spans in info.found.items():
            if name in (QUESTION_FRAME, SMALL_TALK):
                continue
            info.names.add(name)
            for start, end in spans:
                source_start, source_end = info.sentence.source_span(start, end)
                hits.append(Hit(name, text[source_start:source_end], source_start, source_end,
                                index))
    hits = _acknowledge_first(hits)
    return Detections(text, infos, hits, frozenset(hit.name for hit in hits))


def _judged_sentences(rubric: Rubric, sentences: list[Sentence]) -> list[SentenceInfo]:
    """Each sentence's moves on its own. A sentence judges the same wherever it stands, and
    replies repeat sentences ("Thank you for your honesty."), so judgements are remembered."""
    memo = rubric.sentence_memo
    infos: list[SentenceInfo | None] = []
    missing: list[int] = []
    for index, sentence in enumerate(sentences):
        known = memo.get((sentence.text, sentence.question_mark, sentence.breaks))
        if known is None:
            missing.append(index)
            infos.append(None)
            continue
        found, question, permission, head, starts = known
        infos.append(SentenceInfo(sentence, question, permission, False, False, head, starts,
                                  {name: list(spans) for name, spans in found.items()}))
    if missing:
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        chosen = [sentences[index] for index in missing]
        for index, sentence, found in zip(missing, chosen, _phrase_matches(rubric, chosen),
                                          strict=True):
            info = SentenceInfo(sentence, found=found)
            moves.judge_sentence(info, rubric.scopes)
            memo[sentence.text, sentence.question_mark, sentence.breaks] = (
                {name: tuple(spans) for name, spans in found.items()}, info.question,
                info.permission, info.head, info.starts)
            infos[index] = info
    return infos  # type: ignore[return-value]


def _phrase_matches(rubric: Rubric, sentences: list[Sentence]
                    ) -> list[dict[str, list[tuple[int, int]]]]:
    """Every rubric phrase's matches, per sentence: the reply's sentences are matched at once,
    one per line (a phrase never spans two sentences)."""
    found: list[dict[str, list[tuple[int, int]]]] = [{} for _ in sentences]
    if not sentences:
        return found
    matcher = rubric.matcher
    keys, pair_heads = matcher.keys, matcher.pair_heads
    starts: list[int] = []
    positions: dict[str, list[int]] = {}  # where each word (and pair) some phrase starts with is
    position = 0
    for sentence in sentences:
        starts.append(position)
        norms, offsets = sentence.norms, sentence.offsets
        last = len(norms) - 1
        for index, word in enumerate(norms):
            if word in keys:
                positions.setdefault(word, []).append(position + offsets[index])
            if word in pair_heads and index < last:
                pair = f"{word} {norms[index + 1]}"
                if pair in keys:
                    positions.setdefault(pair, []).append(position + offsets[index])
            if word[0] in _NUMBER_STARTS:
                positions.setdefault(NUMBER, []).append(position + offsets[index])
        position += len(sentence.text) + 1
    joined = "\n".join(sentence.text for sentence in sentences)
    for name, spans in matcher.find(joined, positions).items():
        for start, end in spans:
            index = bisect_right(starts, start) - 1
            offset = starts[index]
            found[index].setdefault(name, []).append((start - offset, end - offset))
    return found


def _acknowledge_first(hits: list[Hit]) -> list[Hit]:
    """An acknowledgement counts only before any pushing or why-question in the reply."""
    first_bad = min((h.start for h in hits if h.name in {"pushing", "why_question"}), default=None)
    if first_bad is None:
        return hits
    return [h for h in hits if not (h.name == "acknowledge" and h.start > first_bad)]
