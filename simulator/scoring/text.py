"""Turn a reply (typed, or a recognizer's lower-case unpunctuated output) into sentences.

Tokens keep character offsets into the original text so evidence can point at the trainee's own
words. Normalization makes typed and recognized text look alike: lower case, straight apostrophes,
contractions expanded ("you're" -> "you are"), fillers dropped, stutters folded, and long words
fuzzily corrected against the rubric's vocabulary ("apreciate" -> "appreciate").
Sentence boundaries come from punctuation when there is any, from pauses in word timings when the
caller passes them, and from clause starts ("how come", "would you", "thank you") otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_WORD = re.compile(r"[A-Za-z0-9$%]+(?:['’][A-Za-z]+)*|[.?!;]")

CONTRACTIONS = {
    "i'm": "i am", "i'd": "i would", "i've": "i have", "i'll": "i will",
    "you're": "you are", "you'd": "you would", "you've": "you have", "you'll": "you will",
    "we're": "we are", "we'd": "we would", "we've": "we have", "we'll": "we will",
    "they're": "they are", "they'd": "they would", "they've": "they have",
    "they'll": "they will", "it's": "it is", "it'll": "it will", "that's": "that is",
    "that'll": "that will", "what's": "what is", "what're": "what are", "there's": "there is",
    "here's": "here is", "who's": "who is", "how's": "how is", "where's": "where is",
    "he's": "he is", "she's": "she is", "let's": "let us", "can't": "can not",
    "cannot": "can not", "won't": "will not", "don't": "do not", "doesn't": "does not",
    "didn't": "did not", "isn't": "is not", "aren't": "are not", "wasn't": "was not",
    "weren't": "were not", "wouldn't": "would not", "couldn't": "could not",
    "shouldn't": "should not", "haven't": "have not", "hasn't": "has not",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "okay": "ok",
    "alright": "all right", "thankyou": "thank you", "im": "i am", "ive": "i have",
    "dont": "do not", "cant": "can not", "thats": "that is", "whats": "what is",
    "youre": "you are", "id": "i would", "ill": "i will", "u": "you", "ya": "you",
    "candour": "candor", "why's": "why is", "whys": "why is", "why'd": "why did",
    "how'd": "how did",
    "what'd": "what did", "where'd": "where did", "who'd": "who would", "howcome": "how come",
    "there're": "there are", "ok'd": "ok would",
}
FILLERS = frozenset({"um", "uh", "erm", "er", "uhm", "umm", "hmm", "mm", "mhm", "ah"})
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
                       "them", "clue", "remember", "forget", "wonderinging", "unsure"})
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
)
_SUBORDINATORS = frozenset({"when", "where", "which", "who", "whose"})
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


@dataclass(slots=True)
class Sentence:
    tokens: list[Token]
    question_mark: bool = False
    text: str = ""
    offsets: list[int] = field(default_factory=list)  # start of each token in `text`

    def __post_init__(self) -> None:
        parts, position = [], 0
        for token in self.tokens:
            self.offsets.append(position)
            parts.append(token.norm)
            position += len(token.norm) + 1
        self.text = " ".join(parts)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of `text` back to character offsets in the original reply."""
        first = last = None
        for index, offset in enumerate(self.offsets):
            token_end = offset + len(self.tokens[index].norm)
            if first is None and token_end > start:
                first = index
            if offset < end:
                last = index
        first = 0 if first is None else first
        last = first if last is None or last < first else last
        return self.tokens[first].start, self.tokens[last].end

    def words(self) -> list[str]:
        return [token.norm for token in self.tokens]

    def written_words(self) -> list[str]:
        """Words for rewrites: normalized, but with the trainee's own spelling kept."""
        return [token.typed or token.norm for token in self.tokens]


def tokenize(text: str, correct: Callable[[str], str] = lambda w: w) -> list[Token]:
    """Normalized tokens, punctuation kept as its own tokens ('.', '?', '!', ';')."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        raw = match.group().lower().replace("’", "'")
        if raw in ".?!;":
            tokens.append(Token(raw, match.start(), match.end()))
            continue
        if raw in FILLERS:
            continue
        expanded = CONTRACTIONS.get(raw)
        if expanded is None and raw.endswith("'s") and raw[:-2] in {"that", "what", "it"}:
            expanded = f"{raw[:-2]} is"
        words = expanded.split() if expanded else [correct(raw)]
        typed = raw if not expanded and words[0] != raw else None
        for word in words:
            previous = tokens[-1].norm if tokens else ""
            if word == previous and word not in {"that", "no", "very", "really"}:
                continue  # recognizer stutter: "the the"
            tokens.append(Token(word, match.start(), match.end(), typed=typed))
    return _drop_filler_like(tokens)


def _drop_filler_like(tokens: list[Token]) -> list[Token]:
    """'like' is a filler at a sentence start or beside punctuation, not in 'would you like'."""
    kept = []
    for index, token in enumerate(tokens):
        if token.norm == "like":
            before = kept[-1].norm if kept else "."
            after = tokens[index + 1].norm if index + 1 < len(tokens) else "."
            if before in ".?!;" or before in _OPENERS or after in ".?!;" or after == "like":
                continue
        kept.append(token)
    return kept


def attach_timings(tokens: list[Token], words: Sequence) -> None:
    """Copy recognizer word timings onto tokens, in order; pauses become sentence breaks."""
    timed = [w for w in words if getattr(w, "text", "").strip()]
    cursor, previous_end = 0, None
    for token in tokens:
        if token.norm in ".?!;":
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


def _starts_clause(tokens: list[Token], index: int, sentence_start: int) -> bool:
    words = [t.norm for t in tokens[index:index + 5]]
    if index == sentence_start or not words:
        return False
    previous = tokens[index - 1].norm
    head = words[0]
    if words[:2] == ["how", "come"]:
        return True
    sentence_words = [t.norm for t in tokens[sentence_start:index]]
    conditional = sentence_words[0] == "if"  # "if you could change one thing, what would it be"
    if head in WH_WORDS:
        if previous in WH_WORDS or conditional:
            return False
        if head in _SUBORDINATORS and (len(words) < 2 or words[1] not in AUXILIARIES):
            return False  # "keep us in mind when your contract is up" is one sentence
        if previous in EMBEDDERS and not (previous in {"me", "know", "about"}
                                          and _inverted(words)):
            return False
        return not (head == "what" and len(words) > 1 and words[1] == "a")
    if head in AUXILIARIES and len(words) > 1 and words[1] in _SPLIT_SUBJECTS:
        if (previous in _NO_BREAK_BEFORE or previous in AUXILIARIES or previous in WH_WORDS
                or conditional):
            return False
        # inside "what issues are you facing" the auxiliary belongs to the wh-question
        return not (sentence_words and sentence_words[0] in WH_WORDS and len(sentence_words) <= 4)
    if previous in _NO_BREAK_BEFORE and head != "thank":
        return False
    return any(tuple(words[:len(start)]) == start for start in _STARTS_BY_HEAD.get(head, ()))


def _inverted(words: list[str]) -> bool:
    """A wh-phrase followed by auxiliary + subject: "what issues are you" asks directly."""
    return any(words[i] in AUXILIARIES and words[i + 1] in _INVERTED_SUBJECTS
               for i in range(1, min(len(words) - 1, 3)))


def split_sentences(tokens: list[Token], pause: float = 0.5) -> list[Sentence]:
    """Sentences from punctuation, pauses and clause starts."""
    sentences: list[Sentence] = []
    current: list[Token] = []
    start_index = 0

    def close(question_mark: bool = False) -> None:
        nonlocal current
        if current:
            sentences.append(Sentence(current, question_mark))
        current = []

    content = [t for t in tokens if t.norm not in ",;"]
    for index, token in enumerate(content):
        if token.norm in ".?!;":
            close(token.norm == "?")
            start_index = index + 1
            continue
        if current and (token.gap_before >= pause or _starts_clause(content, index, start_index)):
            close()
            start_index = index
        current.append(token)
    close()
    return sentences


def strip_openers(words: list[str]) -> list[str]:
    """Drop discourse openers ("so", "and", "well") from the front of a sentence."""
    index = 0
    while index < len(words) - 1 and words[index] in _OPENERS:
        index += 1
    return words[index:]
