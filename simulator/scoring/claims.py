"""Claims about the rep's own company: the commonest way to keep pitching after a "no".

A statement whose subject is the rep's side ("we", "our platform", "our customers") and that
asserts something ("we've cut costs for practices like yours", "our support team is available
24/7") pitches, whatever the words. It does not when it is negated ("we're not for everyone"),
looks ahead ("we'll be in touch", "we could talk in May"), acknowledges, thanks or apologises
("we understand", "we appreciate it"), reports contact ("we spoke last week") or limits what the
rep does ("we only work with bigger firms": a dead end, not a pitch).
"""

from __future__ import annotations

_ADVERBS = frozenset({
    "also", "really", "just", "genuinely", "actually", "basically", "literally", "now", "already",
    "even", "honestly", "truly", "certainly", "definitely", "still", "typically", "usually",
    "often", "all", "currently", "recently", "probably", "totally",
})
_NEGATORS = frozenset({"not", "never", "no", "nothing", "hardly", "nobody", "none", "neither"})
# What the rep's side says that is not a claim: looking ahead, acknowledging, reporting contact.
_NOT_CLAIMS = frozenset({
    "will", "would", "shall", "should", "could", "might", "may", "must", "can", "understand",
    "appreciate", "respect", "get", "hear", "see", "know", "hope", "wish", "thank", "apologise",
    "apologize", "spoke", "talked", "met", "called", "rang", "emailed", "sent", "tried", "were",
    "was", "only", "last", "both", "had", "did", "agree", "feel", "love", "like", "want",
    "need", "look", "wonder", "wondered", "think", "thought", "totally", "completely", "value",
    "take", "pride", "wanted", "hoped", "figured", "noticed", "saw", "reached", "wrote",
    "messaged", "dropped", "popped", "happened", "came", "realised", "realized", "assumed",
    "guessed", "understood", "heard", "checked", "looked", "asked", "mentioned", "said", "told",
    "decided", "reckoned", "meant", "mean", "say", "ask", "try", "call", "ring", "email", "reach",
    "hate", "promise", "tend", "usually", "normally", "go", "got", "mostly", "mainly",
    "generally", "started", "began", "leave", "stop", "delete", "remove",
})
# "we are ..." / "we have ..." followed by these is not a claim either.
_NOT_CLAIMS_AFTER_BE = frozenset({
    "here", "around", "available", "about", "done", "finished", "happy", "glad", "sorry",
    "wondering", "hoping", "trying", "wasting", "going", "in", "always", "still", "been", "both",
    "all", "on", "off", "sure", "aware", "grateful", "thankful", "keen", "calling", "ringing",
    "reaching", "getting", "checking", "following", "looking", "just", "only", "speaking",
    "talking", "chatting", "not", "a", "an",
})
_BE_HAVE = frozenset({"are", "have", "is", "has", "do", "does"})
_OUR_SUBJECTS = frozenset({"customers", "clients", "users", "prices", "price", "pricing", "rates",
                           "product", "platform", "software", "system", "service", "team", "app",
                           "tool", "solution", "plan", "plans", "support", "engine", "version",
                           "dashboard", "features", "results", "reviews"})
_THEIRS = frozenset({"my", "our"})
_SUBORDINATORS = frozenset({"if", "when", "unless", "whether", "once", "until", "before", "after",
                            "case", "should", "whenever", "than", "like", "what", "where", "who",
                            "suppose", "supposing", "assuming", "or"})
# "we're probably more expensive": owning a weakness is not a pitch
_MODEST = frozenset({"expensive", "pricier", "dearer", "smaller", "slower", "newer", "biased",
                     "behind", "busy", "small", "tiny"})


def rep_claims(words: list[str], starts: list[int], end: int) -> list[tuple[int, int]]:
    """Word ranges [start, stop) of the clauses before word `end` that claim something for the
    rep's company ("that's why we offer a free month" too, but not "if we can help")."""
    bounds = [s for s in starts if s < end] + [end]
    out = []
    for start, stop in zip(bounds, bounds[1:], strict=False):
        for index in range(start, stop):
            if words[index] in _SUBORDINATORS or words[index] in _NEGATORS:
                break  # "if we ever can", "I can't promise we're a fit": not a claim
            predicate = _predicate(words, index, stop)
            if predicate is not None:
                if _claims(words, predicate, stop):
                    out.append((index, stop))
                break
    return out


def _predicate(words: list[str], index: int, stop: int) -> int | None:
    """Where the predicate starts, if the clause's subject is the rep's side."""
    if words[index] == "we":
        return index + 1
    if words[index] in _THEIRS:  # "our (lite) plan", "my last client"
        for offset in (1, 2):
            at = index + offset
            if at < stop and words[at].rstrip("s") in {w.rstrip("s") for w in _OUR_SUBJECTS}:
                return at + 1
            if at < stop and words[at] == "client":
                return at + 1
    return None


def _claims(words: list[str], at: int, stop: int) -> bool:
    while at < stop and words[at] in _ADVERBS:
        at += 1
    if at >= stop or any(word in _NEGATORS for word in words[at:stop]):
        return False
    first = words[at]
    if first in _NOT_CLAIMS or any(word in _MODEST for word in words[at:stop]):
        return False
    if first in _BE_HAVE:
        after = at + 1
        while after < stop and words[after] in _ADVERBS - {"just", "only"}:
            after += 1
        return after < stop and words[after] not in _NOT_CLAIMS_AFTER_BE | _NOT_CLAIMS
    return True
