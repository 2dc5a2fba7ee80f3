"""Mechanical rewrites of a trainee's own sentence (None where the fix is not mechanical).

"Why aren't you interested?"            -> "How come you're not interested?"
"I was wondering what issues you face"  -> "What issues are you facing?"
"I'll call you Tuesday."                 -> "Is it OK if I call you Tuesday?"
"Keep us in mind if anything changes."   -> "Would you mind if I circled back if anything changes?"
"""

from __future__ import annotations

import re

from simulator.scoring.text import WH_WORDS

_BE = {"am", "is", "are", "was", "were"}
_MODALS = {"would", "could", "should", "will", "can", "have", "has", "might", "must"}
_OBJECT = {"you": "you", "they": "them", "he": "him", "she": "her", "we": "us", "i": "me",
           "it": "it", "that": "that", "this": "this"}
_PRONOUNS = {"you", "they", "we", "he", "she", "it", "i", "that", "this", "there"}
_DETERMINERS = {"your", "the", "our", "their", "his", "her", "my", "this", "that", "these"}
_PROGRESSIVE = {"face": "facing", "see": "seeing", "experience": "experiencing",
                "run": "running", "deal": "dealing", "struggle": "struggling", "hit": "hitting",
                "encounter": "encountering", "handle": "handling", "go": "going"}
_PROPER = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                     r"february|march|april|june|july|august|september|october|november|"
                     r"december)\b")
_THIRD_PERSON = re.compile(r"(?<=[sxz])es$|(?<=ch)es$|(?<=sh)es$|s$")
_CONTRACT = [("you are", "you're"), ("they are", "they're"), ("we are", "we're"),
             ("it is", "it's"), ("that is", "that's"), ("what is", "what's"), ("i am", "I'm"),
             ("do not", "don't"), ("does not", "doesn't"), ("did not", "didn't"),
             ("is not", "isn't"), ("can not", "can't"), ("will not", "won't"),
             ("i will", "I'll"), ("i would", "I'd")]


_SHORT = {long: short for long, short in _CONTRACT} | {"i": "I", "ok": "OK"}
_IMPOSED = re.compile(r"\b(i|we) (?:will|am going to|are going to|plan to) (?:just )?(.+)")
_LET_ME = re.compile(r"\blet (me|us) (?:just )?(.+)")
_KEEP_IN = re.compile(r"\b(?:mind|mine|radar|file)\b(.*)$")
_LONG = re.compile(r"\b(" + "|".join(sorted(_SHORT, key=len, reverse=True)) + r")\b")


def finish(words: list[str], end: str = "?") -> str:
    text = " ".join(w for w in words if w not in {".", "?", "!", ";"})
    text = _LONG.sub(lambda m: _SHORT[m.group()], text)
    text = _PROPER.sub(lambda m: m.group().capitalize(), text)
    return (text[:1].upper() + text[1:]).rstrip(" ,") + end


def _split_subject(words: list[str]) -> tuple[list[str], list[str]]:
    if words and words[0] in _PRONOUNS:
        return words[:1], words[1:]
    if len(words) > 1 and words[0] in _DETERMINERS:
        return words[:2], words[2:]
    return [], words


def why_to_how_come(words: list[str]) -> str | None:
    """Rewrite the why-clause of a sentence as a how-come question."""
    if "why" not in words:
        return None
    tail = [w for w in words[words.index("why") + 1:] if w not in {".", "?", "!"}]
    if not tail or tail in (["not"], ["is", "that"], ["is", "this"], ["so"]):
        return "How come?"
    if tail[0] in _BE | _MODALS | {"do", "does", "did"}:
        aux, rest = tail[0], tail[1:]
        negative = bool(rest) and rest[0] == "not"
        if negative:
            rest = rest[1:]
        subject, rest = _split_subject(rest)
        if not subject:
            return "How come?"
        if aux in {"do", "does"}:
            middle = [aux, "not"] if negative else []
            return finish(["how", "come", *subject, *middle, *rest])
        if aux == "did" and not negative and len(subject) == 1:
            return finish(["what", "made", _OBJECT.get(subject[0], subject[0]), *rest])
        return finish(["how", "come", *subject, aux, *(["not"] if negative else []), *rest])
    return finish(["how", "come", *tail])


def indirect_to_direct(words: list[str], frame_end: int) -> str | None:
    """Drop an I-frame ("I was wondering", "can I ask") and ask the embedded question directly."""
    rest = [w for w in words[frame_end:] if w not in {".", "?", "!"}]
    if rest[:1] == ["you"] and len(rest) > 1 and rest[1] in WH_WORDS:
        rest = rest[1:]
    if not rest:
        return None
    if rest[0] == "why":
        return why_to_how_come(rest)
    if rest[:2] == ["more", "about"] or rest[0] == "about":
        return finish(["tell", "me", *(["more"] if rest[0] == "about" else []), *rest], ".")
    if rest[0] not in WH_WORDS:
        return None
    subject_at = next((i for i, w in enumerate(rest[1:5], 1)
                       if w in _PRONOUNS | _DETERMINERS and w not in {"that", "this"}), None)
    if subject_at is None:
        return finish(rest)  # "what is driving that decision" is already a direct question
    question, tail = rest[:subject_at], rest[subject_at:]
    subject, tail = _split_subject(tail)
    if not subject or not tail:
        return finish(rest)
    verb, after = tail[0], tail[1:]
    if verb in _BE | _MODALS - {"has", "have"}:  # "has" here is "possesses", not an auxiliary
        return finish([*question, verb, *subject, *after])
    if len(subject) == 1 and subject[0] in {"you", "they", "we", "i"}:
        if verb in _PROGRESSIVE:
            return finish([*question, "are", *subject, _PROGRESSIVE[verb], *after])
        return finish([*question, "do", *subject, verb, *after])
    if verb.endswith("s"):
        base = "have" if verb == "has" else _THIRD_PERSON.sub("", verb)
        return finish([*question, "does", *subject, base, *after])
    return None


def imposed_to_permission(words: list[str]) -> str | None:
    """"I'll call you Tuesday" -> "Is it OK if I call you Tuesday?"."""
    text = " ".join(words)
    match = _IMPOSED.search(text)
    if not match:
        match = _LET_ME.search(text)
        if not match:
            return None
    who = {"me": "i", "us": "we"}.get(match.group(1), match.group(1))
    action = match.group(2).split()
    return finish(["is", "it", "ok", "if", who, *action])


def keep_in_mind_to_permission(words: list[str]) -> str:
    text = " ".join(w for w in words if w not in {".", "?", "!"})
    match = _KEEP_IN.search(text)
    tail = match.group(1).split() if match and match.group(1).strip() else ["in", "a", "few",
                                                                              "months"]
    return finish(["would", "you", "mind", "if", "i", "circled", "back", *tail])
