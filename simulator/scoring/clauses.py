"""The shape of a sentence: where its question starts, whether it asks at all, whose "I" is in it.

Works on normalized words (see text.py) and the clause breaks a typed reply's commas and dashes
give; a recognizer's output has none, so the same rules must hold on the bare words.
"""

from __future__ import annotations

from simulator.scoring.text import AUXILIARIES, WH_WORDS, Sentence

# Words that open a clause without being part of it ("so", "look", "mate").
LEAD_INS = frozenset({
    "so", "and", "but", "well", "ok", "oh", "ah", "now", "just", "also", "then", "hey", "really",
    "right", "yeah", "yes", "yep", "sure", "great", "cool", "look", "listen", "actually",
    "honestly", "anyway", "anyways", "though", "mate", "sir", "madam", "maam", "ma'am", "love",
    "hmm", "interesting", "like", "or", "quick", "question", "plus", "because", "cause",
    "please", "kindly", "see", "cheers", "ta", "lovely", "brilliant", "fine", "good",
})
PERSONAL_SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she"})
_SUBJECT = [[word] for word in ("i", "you", "we", "they", "it", "that", "there")]
# "tell me", "let me", "help me": asking the prospect to talk, not making it about the rep.
_ME_IS_FINE_AFTER = frozenset({"tell", "let", "help", "show", "walk", "remind", "give", "get",
                               "telling", "showing", "walking"})
_REP_WORDS = frozenset({"i", "me", "my", "mine", "myself"})
# Question tags: "keep us in mind, yeah?" asks nothing.
TAGS = frozenset({"yeah", "right", "eh", "ok", "yes", "no", "hey", "innit", "hmm", "yep",
                  "aye", "mate", "sir"})
_TAG_PAIRS = frozenset({("is", "there"), ("is", "it"), ("are", "you"), ("will", "you"),
                        ("would", "you"), ("do", "you"), ("did", "you"), ("you", "know"),
                        ("is", "not", "it"), ("was", "it"), ("can", "you"), ("have", "you"),
                        ("does", "it"), ("is", "that"), ("is", "he"), ("is", "she")})
# Elliptical questions a recognizer gives without the auxiliary: "want me to ring you".
_ELLIPTICAL = (("want", "me"), ("want", "us"), ("mind", "if"), ("mind", "me"), ("fancy",),
               ("reckon",), ("any", "chance"), ("ok", "if"), ("ok", "to"), ("all", "right", "if"),
               ("all", "right", "to"), ("how", "about"), ("what", "about"), ("you", "happy"),
               ("happy", "for"), ("worth", "a"), ("anything",), ("got", "a"))
_ELLIPTICAL_BY_HEAD: dict[str, list[tuple[str, ...]]] = {}
for _start in _ELLIPTICAL:
    _ELLIPTICAL_BY_HEAD.setdefault(_start[0], []).append(_start)
_NOT_A_HEAD_AFTER_WH = frozenset({"a", "an"})  # "what a day"
# An auxiliary before these is emphatic or elliptical, not a question: "do keep us in mind",
# "have a good day", "can do", "would be great".
_NOT_ASKING_AFTER_AUX = frozenset({
    "keep", "let", "call", "ring", "get", "feel", "be", "do", "give", "take", "come", "try",
    "make", "remember", "think", "say", "tell", "send", "drop", "reach", "bear", "check", "see",
    "look", "go", "hold", "stay", "a", "an", "fun", "to", "been", "fine", "good", "great", "ok",
    "hope", "appreciate", "understand", "apologise", "apologize", "agree", "need", "want",
    "love", "like", "hate", "really", "totally", "definitely", "certainly", "also",
})


def clause_starts(sentence: Sentence) -> list[int]:
    """Where each clause begins: sentence start, after commas and dashes, after "but"."""
    words = sentence.words()
    starts = {0, *sentence.breaks}
    starts.update(i + 1 for i, word in enumerate(words[:-1])
                  if word in {"but", "and", "so", "or", "though", "however"})
    return sorted(starts)


def asks_at(words: list[str], index: int) -> bool:
    """Does a direct question start at words[index]?"""
    if index >= len(words):
        return False
    head = words[index]
    after = words[index + 1] if index + 1 < len(words) else ""
    if head in WH_WORDS:
        if head == "how" and after == "come":
            return True
        if after in _NOT_A_HEAD_AFTER_WH:
            return False
        if head == "why":
            return after not in {"thank", "thanks", "yes", "hello", "hi", "certainly"}
        if head in {"when", "where"} and after not in AUXILIARIES:
            return False  # "when you're ready, give me a shout" is a condition
        if head == "which" and after in {"is", "was"}:
            return False  # "which is why I rang" goes on from what was said before
        # "what i would like to do is ..." is a statement; "what issues are you facing" asks
        return after not in PERSONAL_SUBJECTS
    if head in AUXILIARIES:
        if after == "not":  # "don't you want ..." asks; "don't hesitate to ..." tells
            return index + 2 < len(words) and words[index + 2] in PERSONAL_SUBJECTS | {"it"}
        return bool(after) and after not in _NOT_ASKING_AFTER_AUX
    return any(tuple(words[index:index + len(e)]) == e for e in _ELLIPTICAL_BY_HEAD.get(head, ()))


def question_head(sentence: Sentence, starts: list[int] | None = None) -> int | None:
    """The word at which the sentence's question starts, or None if it asks nothing directly."""
    words = sentence.words()
    for index in clause_starts(sentence) if starts is None else starts:
        while True:  # past lead-ins: "so, um, what's behind that"
            if asks_at(words, index) and not (words[index] == "why" and index + 1 in sentence.breaks
                                              and not sentence.question_mark):
                return index  # (but "Why, that's great to hear" exclaims)
            if words[index] == "if":  # "if you could change one thing what would it be"
                found = next((i for i in range(index + 3, len(words)) if asks_at(words, i)
                              and (words[i] in WH_WORDS or words[i + 1:i + 2] in _SUBJECT)),
                             None)
                if found is not None:
                    return found
                break
            if index >= len(words) - 1 or words[index] not in LEAD_INS:
                break
            index += 1
    return None


def conditional_before(sentence: Sentence, head: int) -> bool:
    """Is what comes before the question an if-clause leading into it?"""
    words = sentence.words()
    index = 0
    while index < head and words[index] in LEAD_INS:
        index += 1
    return index < head and words[index] == "if"


def is_tag_only(sentence: Sentence, head: int | None) -> bool:
    """A statement with a tag ("..., yeah?", "no point, is there"): no real question."""
    words = sentence.words()
    if not words:
        return False
    last = len(words) - 1
    if words[last] in TAGS and (head is None or head >= last):
        return True
    for size in (2, 3):
        if tuple(words[-size:]) in _TAG_PAIRS and (head is None or head >= len(words) - size):
            return len(words) > size
    return False


def rep_words(sentence: Sentence, start: int) -> list[int]:
    """Indices of the rep's own I/me/my from `start` on, leaving out quoted words and the "me"
    of "tell me" / "let me"."""
    tokens = sentence.tokens
    out = []
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.norm not in _REP_WORDS or token.quoted:
            continue
        if token.norm == "me" and index > 0 and tokens[index - 1].norm in _ME_IS_FINE_AFTER:
            continue
        out.append(index)
    return out


def span_words(sentence: Sentence, start: int, end: int) -> range:
    """Token indices covered by the character span [start, end) of `sentence.text`."""
    offsets = sentence.offsets
    first = next((i for i, o in enumerate(offsets) if o + len(sentence.tokens[i].norm) > start),
                 len(offsets))
    last = next((i for i in range(len(offsets) - 1, -1, -1) if offsets[i] < end), -1)
    return range(first, last + 1)
