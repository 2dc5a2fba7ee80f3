"""Turn a reply (typed, or a recognizer's lower-case unpunctuated output) into sentences.

Tokens keep character offsets into the original text so evidence can point at the trainee's own
words. Normalization makes typed and recognized text look alike: lower case, straight apostrophes,
contractions expanded ("you're" -> "you are"), fillers dropped ("um", a "like" or "you know"
between commas), stutters and false starts folded ("we're - we're"), and long words fuzzily
corrected against the rubric's vocabulary ("apreciate" -> "appreciate"). Words inside quotation
marks are marked as someone else's.
Sentences end at sentence punctuation when the reply has any; commas and dashes only break
clauses inside a sentence. A recognizer's output has neither, so there pauses in word timings
(when the caller passes them) and clause starts ("how come", "would you", "thank you", but never
between "thank" and "you") end sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from simulator.scoring.words import CONTRACTIONS, FILLERS

_WORD = re.compile(
    r"[A-Za-z0-9$%£€]+(?:['’][A-Za-z]+)*"  # a word, apostrophes inside it kept
    r"|\.\.\.|…|[,:;()—–]|(?<!\w)-+(?!\w)"  # a clause break inside a sentence
    r"|[.?!]"  # a sentence end
    r"|(?<![A-Za-z])['‘](?=[A-Za-z])|(?<=[A-Za-z.?!,])['’](?![A-Za-z])|[\"“”]"  # a quote mark
)
_CLAUSE_BREAKS = frozenset(",:;()—–…") | {"..."}
_QUOTE_MARKS = frozenset("\"“”‘'")
_IS_BEFORE_S = frozenset({"that", "what", "it", "now", "who", "where", "there", "here", "how",
                          "whichever", "whatever",
                          "this", "everyone", "everybody", "nobody", "someone", "something",
                          "anyone", "anything", "nothing", "one", "either", "neither", "which"})
_REPEATABLE = frozenset({"that", "no", "very", "really"})

WH_WORDS = frozenset({"what", "why", "how", "where", "when", "who", "which", "whose"})
AUXILIARIES = frozenset({"would", "could", "can", "may", "might", "is", "are", "do", "does",
                         "did", "have", "has", "will", "should", "shall", "was", "were"})
SUBJECTS = frozenset({"you", "i", "we", "it", "that", "this", "there", "they", "he", "she",
                      "your", "the", "anything", "anyone", "now"})
# A wh-word right after one of these is embedded ("tell me what", "wondering why"), not a start.
EMBEDDERS = frozenset({"know", "wondering", "wonder", "understand", "learn", "hear", "ask",
                       "asked", "asking", "tell", "me", "about", "see", "curious", "sure",
                       "explain", "discuss", "share", "find", "figure", "decide", "matter",
                       "idea", "on", "is", "are", "out", "exactly", "us", "him", "her",
                       "them", "clue", "remember", "forget", "wonderinging", "unsure",
                       "seen", "saw", "heard", "shown", "showed", "notice", "noticed", "get"})
# Words that open a new sentence in unpunctuated text (matched on normalized tokens).
CLAUSE_STARTS = (
    ("how", "come"), ("thank", "you"), ("thanks",), ("i", "can", "appreciate"),
    ("i", "appreciate"), ("i", "understand"), ("i", "totally"), ("i", "completely"),
    ("i", "respect"), ("understood",), ("fair", "enough"), ("got", "it"), ("no", "worries"),
    ("no", "problem"), ("makes", "sense"), ("that", "makes", "sense"), ("i", "was", "wondering"),
    ("i", "was", "hoping"), ("i", "would", "love"), ("i", "would", "like"), ("i", "want"),
    ("i", "will"), ("keep", "us"), ("keep", "me"), ("tell", "me"), ("everybody",),
    ("everyone",), ("if", "you", "would", "rather"), ("have", "a", "good"),
    ("have", "a", "great"), ("goodbye",), ("bye",), ("take", "care"), ("just", "give"),
    ("you", "should"), ("you", "really"), ("are", "you", "sure"), ("well", "i"),
    ("let", "me"), ("i", "am", "curious"), ("can", "we"), ("i", "get", "it"),
    ("and", "if"), ("but", "if"), ("so", "if"), ("mind", "if"), ("mind", "me", "asking"),
    ("want", "me", "to"), ("want", "us", "to"), ("any", "chance"), ("fancy", "a"),
)
_SUBORDINATORS = frozenset({"when", "where", "which", "who", "whose"})
_PERSONAL = frozenset({"i", "you", "we", "they", "he", "she"})
# Only these after an auxiliary start a new question mid-text ("our price is the lowest" stays).
_SPLIT_SUBJECTS = frozenset({"you", "i", "we", "it", "there"})
_INVERTED_SUBJECTS = frozenset({"you", "i", "we", "they", "your", "the", "our", "their"})
_STARTS_BY_HEAD: dict[str, tuple[tuple[str, ...], ...]] = {}
for _start in CLAUSE_STARTS:
    _STARTS_BY_HEAD[_start[0]] = (*_STARTS_BY_HEAD.get(_start[0], ()), _start)
_OPENERS = frozenset({"so", "and", "but", "well", "ok", "oh", "now", "just", "also", "then",
                      "hey", "really", "right", "yeah", "yes", "sure", "great", "cool"})
_NO_BREAK_BEFORE = frozenset({"if", "that", "so", "because", "when", "before", "until", "as",
                              "what", "and", "to", "i", "you", "we", "for", "not", "the",
                              "about", "with", "of", "in", "on", "from", "at", "by", "into",
                              "hear", "hearing", "using", "take", "than", "like", "whether"})


@dataclass(slots=True)
class Token:
    norm: str
    start: int  # character offsets of the source word in the original text
    end: int
    time: float | None = None  # seconds, when the recognizer gave word timings
    gap_before: float = 0.0
    typed: str | None = None  # the word as written, when slip correction changed it
    quoted: bool = False  # inside quotation marks: someone else's words


@dataclass(slots=True)
class Sentence:
    tokens: list[Token]
    question_mark: bool = False
    text: str = ""
    offsets: list[int] = field(default_factory=list)  # start of each token in `text`
    breaks: frozenset[int] = frozenset()  # tokens that start a clause after a comma or dash
    norms: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        norms = self.norms = self.norms or [token.norm for token in self.tokens]
        self.offsets = list(accumulate([len(norm) + 1 for norm in norms[:-1]], initial=0))
        self.text = " ".join(norms)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of `text` back to character offsets in the original reply."""
        offsets = self.offsets
        first = max(bisect_right(offsets, start) - 1, 0)
        if offsets[first] + len(self.norms[first]) <= start and first + 1 < len(offsets):
            first += 1  # the span starts at the space after a word
        last = max(bisect_left(offsets, end) - 1, first)
        return self.tokens[first].start, self.tokens[last].end

    def words(self) -> list[str]:
        return self.norms

    def written_words(self) -> list[str]:
        """Words for rewrites: normalized, but with the trainee's own spelling kept."""
        return [token.typed or token.norm for token in self.tokens]


def tokenize(text: str, correct: Callable[[str], str] = lambda w: w) -> list[Token]:
    """Normalized tokens; sentence ends ('.', '?', '!') and clause breaks (',') are tokens of
    their own, quote marks are not but the words between them are marked `quoted`."""
    tokens: list[Token] = []
    append = tokens.append
    quoted = False
    previous = ""
    lowered = text.lower() if text.isascii() else None  # same offsets, lowered in one go
    for match in _WORD.finditer(text):
        start, end = match.span()
        raw = lowered[start:end] if lowered is not None else match.group().lower()
        kind = _KINDS.get(raw[0], _WORD_KIND)
        if kind is _WORD_KIND:
            words, typed = _normal(raw, correct)
            for word in words:
                if word == previous and word not in _REPEATABLE:
                    continue  # recognizer stutter: "the the"
                append(Token(word, start, end, None, 0.0, typed, quoted))
                previous = word
        elif kind == "end" and raw != "...":
            append(Token(raw, start, end))
            quoted, previous = False, raw
        elif kind == "break" or kind == "end":
            append(Token(",", start, end))
            previous = ","
        elif raw == '"':
            quoted = not quoted
        else:  # an opening quote mark stands before a letter, a closing one after
            quoted = raw in "‘“" or (raw in "'’" and text[end:end + 1].isalpha())
    return _drop_filler_like(tokens)


_WORD_KIND = "word"
_KINDS = {".": "end", "?": "end", "!": "end", **{mark: "break" for mark in ",:;()—–…-"},
          **{mark: "quote" for mark in "\"“”‘'’"}}


@lru_cache(maxsize=16384)
def _normal(raw: str, correct: Callable[[str], str]) -> tuple[tuple[str, ...], str | None]:
    """A written word as normalized words, and the word as written when correction changed it."""
    raw = raw.replace("’", "'")
    if raw in FILLERS:
        return (), None
    expanded = CONTRACTIONS.get(raw)
    if expanded is None and raw.endswith("'s") and raw[:-2] in _IS_BEFORE_S:
        expanded = f"{raw[:-2]} is"
    if expanded:
        return tuple(expanded.split()), None
    word = correct(raw)
    return (word,), (raw if word != raw else None)


def _drop_filler_like(tokens: list[Token]) -> list[Token]:
    """Spoken fillers and false starts out: 'like' at a sentence start or beside punctuation (not
    in 'would you like'), 'you know' and 'I mean' between commas, a repeated 'we're - we're'."""
    kept: list[Token] = []
    count = len(tokens)
    index = 0
    while index < count:
        token = tokens[index]
        norm = token.norm
        if norm in _FILLER_STARTS or (len(kept) >= 2 and kept[-2].norm == norm) or (
                len(kept) >= 3 and kept[-1].norm == "," and kept[-3].norm == norm):
            after = tokens[index + 1].norm if index + 1 < count else "."
            before = kept[-1].norm if kept else "."
            if norm == "like" and (before in _EDGES or before in _OPENERS or after in _EDGES
                                   or after == "like"):
                index += 1
                continue
            if (norm, after) in _FILLER_PAIRS:
                beyond = tokens[index + 2].norm if index + 2 < count else "."
                if before in _EDGES and beyond in _EDGES:  # ", you know," / "I mean, ..."
                    if before == "," and beyond == ",":
                        kept.pop()  # "we're, you know, the cheapest" reads on as one clause
                    index += 3 if beyond == "," else 2
                    continue
            if (len(kept) >= 2 and index + 1 < count and before not in _EDGES
                    and (kept[-2].norm, before) == (norm, after)):
                index += 2  # "we are we are": a false start repeated
                continue
            if (len(kept) >= 3 and before == "," and index + 1 < count
                    and (kept[-3].norm, kept[-2].norm) == (norm, after)):
                del kept[-3:]  # "we're - we're probably ...": the first go was abandoned
        kept.append(token)
        index += 1
    return kept


_EDGES = frozenset(".?!,")
_FILLER_PAIRS = frozenset({("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of")})
_FILLER_STARTS = frozenset({"like", "you", "i", "kind", "sort"})


def attach_timings(tokens: list[Token], words: Sequence) -> None:
    """Copy recognizer word timings onto tokens, in order; pauses become sentence breaks."""
    timed = [w for w in words if getattr(w, "text", "").strip()]
    cursor, previous_end = 0, None
    for token in tokens:
        if token.norm in ".?!,":
            continue
        while cursor < len(timed):
            word = timed[cursor]
            if token.start >= 0 and _same_word(word.text, token.norm):
                token.time = word.start
                if previous_end is not None:
                    token.gap_before = max(0.0, word.start - previous_end)
                previous_end = word.end
                cursor += 1
                break
            cursor += 1
        else:
            return


def _same_word(recognized: str, norm: str) -> bool:
    word = recognized.lower().replace("’", "'")
    return word == norm or norm in CONTRACTIONS.get(word, "").split() or word.startswith(norm)


def _starts_clause(norms: list[str], index: int, sentence_start: int) -> bool:
    head = norms[index]
    if index == sentence_start or not (head in WH_WORDS or head in AUXILIARIES
                                       or head in _STARTS_BY_HEAD):
        return False
    words = norms[index:index + 5]
    previous = norms[index - 1]
    if previous == "thank":  # "thank you really", "thank you should i call back"
        return False
    if head in {"thank", "thanks"} and previous in {"no", "a", "why", "but", "say", "the"}:
        return False  # "no thanks", "thanks but no thanks", "why thank you"
    if words[:2] == ["how", "come"]:  # but "mind me asking how come" is one question
        before = norms[index - 2] if index >= 2 else ""
        return not (previous in {"ask", "asking", "asked", "wondering", "wonder", "why",
                                 "understand", "curious", "hear", "learn", "is", "partly",
                                 "exactly", "precisely"}
                    or (previous == "know" and before in {"to", "i", "may"}))
    sentence_words = norms[sentence_start:index]
    # "if you could change one thing, what would it be"; "and if i can come back would you"
    conditional = strip_openers(sentence_words)[0] == "if"
    if head in WH_WORDS:
        if previous in WH_WORDS or previous in {"the", "a", "an"} or conditional:
            return False
        if head != "why" and len(words) > 1 and words[1] in _PERSONAL:
            return False  # "half what you're paying": what the prospect pays, not a question
            return False
        if head in _SUBORDINATORS and (len(words) < 2 or words[1] not in AUXILIARIES):
            return False  # "keep us in mind when your contract is up" is one sentence
        if previous in EMBEDDERS and not (previous in {"me", "know", "about"}
                                          and _inverted(words)):
            return False
        return not (head == "what" and len(words) > 1 and words[1] == "a")
    if head in AUXILIARIES and len(words) > 1 and words[1] in _SPLIT_SUBJECTS:
        # "what's the biggest issue and would you be open to a chat": a second question
        if ((previous in _NO_BREAK_BEFORE and previous not in {"and", "so"}) or previous == "or"
                or previous in AUXILIARIES or previous in WH_WORDS or conditional):
            return False
        # inside "what issues are you facing" the auxiliary belongs to the wh-question
        return not (sentence_words and sentence_words[0] in WH_WORDS and len(sentence_words) <= 4)
    if previous in _NO_BREAK_BEFORE and head != "thank":
        return False
    if previous in AUXILIARIES and head in _PERSONAL:
        return False  # "do i understand right", "can we agree": one question
    if words[:3] == ["let", "me", "know"]:  # "if anything changes just let me know"
        return False
    return any(tuple(words[:len(start)]) == start for start in _STARTS_BY_HEAD.get(head, ()))


def _inverted(words: list[str]) -> bool:
    """A wh-phrase followed by auxiliary + subject: "what issues are you" asks directly; so
    does "why aren't you" ("are not you" once the contraction is spelt out)."""
    return any(words[i] in AUXILIARIES and (
        words[i + 1] in _INVERTED_SUBJECTS
        or words[i + 1] == "not" and words[i + 2:i + 3] and words[i + 2] in _INVERTED_SUBJECTS)
        for i in range(1, min(len(words) - 1, 3)))


def split_sentences(tokens: list[Token], pause: float = 0.5) -> list[Sentence]:
    """Sentences from punctuation and pauses; from clause starts too where nothing ends a
    sentence (a recognizer's output). Commas and dashes become clause breaks in a sentence."""
    content: list[Token] = []
    norms: list[str] = []
    after_comma: set[int] = set()
    for token in tokens:
        if token.norm == ",":
            after_comma.add(len(content))
        else:
            content.append(token)
            norms.append(token.norm)
    guess = not ("." in norms or "?" in norms or "!" in norms)
    sentences: list[Sentence] = []
    first = 0  # where the sentence being read starts
    breaks: list[int] = []
    for index, norm in enumerate(norms):
        if norm in ".?!":
            if index > first:
                sentences.append(Sentence(content[first:index], norm == "?",
                                          breaks=frozenset(breaks), norms=norms[first:index]))
            first, breaks = index + 1, []
        elif index > first and (content[index].gap_before >= pause
                                or (guess and _starts_clause(norms, index, first))):
            sentences.append(Sentence(content[first:index], False, breaks=frozenset(breaks),
                                      norms=norms[first:index]))
            first, breaks = index, []
        elif index > first and index in after_comma:
            breaks.append(index - first)
    if first < len(norms):
        sentences.append(Sentence(content[first:], False, breaks=frozenset(breaks),
                                  norms=norms[first:]))
    return sentences


def strip_openers(words: list[str]) -> list[str]:
    """Drop discourse openers ("so", "and", "well") from the front of a sentence."""
    index = 0
    while index < len(words) - 1 and words[index] in _OPENERS:
        index += 1
    return words[index:]
