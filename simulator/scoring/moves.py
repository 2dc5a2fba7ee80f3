"""Which phrase matches count as moves, decided by the sentence's structure.

The rubric's phrases say which words can make a move; whether they do depends on the sentence:
a "why" asks only in a question or at the head of a clause ("that's why I called" asks nothing),
an issue word explores only in a question, an "I" breaks an I-free question only when it is the
rep's own and inside the question or its asking frame, a way out offered among options is a
permission close, a question that only schedules, pitches or says goodbye discovers nothing,
and a statement that claims something for the rep's company pitches (claims.py).
"""

from __future__ import annotations

import re

from simulator.scoring.claims import rep_claims
from simulator.scoring.clauses import (
    LEAD_INS,
    asks_at,
    clause_starts,
    conditional_before,
    is_tag_only,
    question_head,
    rep_words,
    span_words,
)
from simulator.scoring.rubric import QUESTION_FRAME as FRAME
from simulator.scoring.rubric import SMALL_TALK
from simulator.scoring.text import AUXILIARIES, WH_WORDS

# Handing the choice to the prospect makes a list of options a permission close.
_HANDOVER = re.compile(r"\b(your (call|choice|decision)|up to you|you decide|whichever|either is "
                       r"fine|no hard feelings|which (one|option|would you|do you)|what would you "
                       r"prefer|whatever (suits|works|you (reckon|think|prefer|like|want))|"
                       r"you tell me)\b")
_WHY_INTERJECTION = frozenset({"thank", "thanks", "yes", "hello", "hi", "certainly", "sure"})
# "why not give it a try", "why don't I send you a case study": suggestions, not probes.
_SUGGESTED = frozenset({"give", "try", "take", "have", "let", "book", "grab", "set", "jump", "hop",
                        "pop", "come", "see", "start", "do", "check", "make", "put", "send",
                        "call", "ring", "get", "schedule", "arrange", "catch", "chat", "talk"})
_NOT_DISCOVERY = ("opt_out", "keep_us_in_mind", "imposed_next_step", "dead_end", "goodbye")
_PROBES = ("how_come", "why_question", "explore_issues")


def judge_sentence(info, scopes: dict[str, str]) -> None:
    """Decide, in place, which of a sentence's phrase matches (`info.found`) are moves, from the
    sentence alone (so the same sentence always judges the same)."""
    _shape(info)
    _keep_in_scope(info, scopes)
    _pitch(info)
    _permission(info)


def judge_reply(infos: list) -> None:
    """What the sentences of a reply do together, then which of them discover."""
    _across_sentences(infos)
    for info in infos:
        _discovery(info)


def _shape(info) -> None:
    sentence, found = info.sentence, info.found
    info.starts = clause_starts(sentence)
    info.head = question_head(sentence, info.starts)
    asks = sentence.question_mark or FRAME in found or info.head is not None
    if "why_question" in found:
        whys = [span for span in found["why_question"] if _why_asks(info, span, asks)]
        if whys:
            found["why_question"] = whys
        else:
            del found["why_question"]
    if "how_come" in found or "why_question" in found:
        asks = True  # "tell me more" and "why not" probe, punctuated or not
    info.question = asks and not is_tag_only(sentence, info.head)


def _why_asks(info, span: tuple[int, int], asks: bool) -> bool:
    """A why probes unless it is an interjection ("why, thank you"), a suggestion ("why don't
    I send it over") or inside a statement ("that's why I rang")."""
    sentence = info.sentence
    words = sentence.words()
    at = span_words(sentence, *span)[0]
    after = words[at + 1:at + 4]
    if after[:1] and after[0] in _WHY_INTERJECTION:
        return False
    if at + 1 in sentence.breaks and not sentence.question_mark:
        return False  # "Why, that's great to hear."
    if after[:2] == ["do", "not"] and after[2:3] and after[2] in {"i", "we"}:
        return False
    if after[:1] == ["not"]:
        verb = next((w for w in words[at + 2:at + 5] if w not in {"just", "simply", "maybe"}), "")
        if verb in _SUGGESTED:
            return False
    if _heads_clause(info, at):
        return True
    if not asks:
        return False
    head = info.head
    if head is not None and at >= head:
        return True
    frames = info.found.get(FRAME, [])
    if any(span[0] >= start for start, _ in frames):
        return True  # "I'd love to know why ..."
    return head is None and sentence.question_mark


def _heads_clause(info, at: int) -> bool:
    """Only lead-ins ("yeah but", "just") stand between the clause start and word `at`."""
    words = info.sentence.words()
    start = max((s for s in info.starts if s <= at), default=0)
    return all(word in LEAD_INS for word in words[start:at]) and asks_at(words, at)


def _keep_in_scope(info, scopes: dict[str, str]) -> None:
    """Question-only and statement-only moves, judged by clause: in "I can't help you there,
    but would you mind if I checked in?" the dead end is a statement before the question."""
    sentence, head = info.sentence, info.head
    lead = head is not None and info.question and conditional_before(sentence, head)
    for name in list(info.found):
        scope = scopes.get(name, "any")
        if scope == "any":
            continue
        kept = []
        for span in info.found[name]:
            before_head = (info.question and head is not None and not lead
                           and span_words(sentence, *span).start < head)
            if (scope == "question") == (info.question and not before_head):
                kept.append(span)
        if kept:
            info.found[name] = kept
        else:
            del info.found[name]


def _pitch(info) -> None:
    """Statements that claim something for the rep's company pitch, whatever their words; so
    does a negative question ("Wouldn't you rather pay less?", "Isn't it worth a look?")."""
    sentence = info.sentence
    head = info.head
    if (info.question and head is not None and sentence.norms[head] in AUXILIARIES
            and sentence.norms[head + 1:head + 2] == ["not"]
            and sentence.norms[head + 2:] not in (["we"], ["i"])):  # "..., can't we?" tags
        info.found.setdefault("pushing", []).append((0, len(sentence.text)))
    end = info.head if info.question and info.head is not None else len(sentence.norms)
    if info.question and conditional_before(sentence, end):
        return
    offsets, norms = sentence.offsets, sentence.norms
    for start, stop in rep_claims(norms, info.starts, end):
        span = (offsets[start], offsets[stop - 1] + len(norms[stop - 1]))
        info.found.setdefault("pushing", []).append(span)


def _permission(info) -> None:
    found, text = info.found, info.sentence.text
    asks = found.get("permission_close")
    if asks and (any(name in found for name in _PROBES)
                 or (info.head is not None and info.sentence.norms[info.head] in WH_WORDS)):
        # "what's behind that, if you don't mind?": courtesy on a question, not a next step
        asks = [a for a in asks if not text.startswith(("if ", "with your"), a[0])]
    if asks and "keep_us_in_mind" in found and not info.question:
        asks = []  # "if you fancy a chat, give me a shout" leaves the next step to them
    if asks:
        found["permission_close"] = asks
    else:
        found.pop("permission_close", None)
    info.permission = bool(asks)
    if not asks:
        return
    found.pop("imposed_next_step", None)


def _add(info, name: str) -> None:
    info.found.setdefault(name, []).append((0, len(info.sentence.text)))


def _across_sentences(infos: list) -> None:
    handover = any(_HANDOVER.search(info.sentence.text) for info in infos)
    for index, info in enumerate(infos):
        found, words = info.found, info.sentence.words()
        following = infos[index + 1:]
        # "I'll check back in May. Is that OK?" asks: the statement is not imposed.
        if "imposed_next_step" in found and following and following[0].permission:
            del found["imposed_next_step"]
        # "I can circle back in spring, or take you off our list - your call": options.
        if ("opt_out" in found and "or" in words and not info.permission
                and (info.question or handover)):
            _add(info, "permission_close")
            info.permission = True
            found.pop("imposed_next_step", None)
        # "Nothing I can do about the weather! Mind if I ring in May?" is not a dead end.
        if "dead_end" in found and (any(i.question for i in following)
                                    or (info.question and info.head is not None)):
            text = info.sentence.text
            if all(text.startswith(" about ", end) for _, end in found["dead_end"]):
                del found["dead_end"]
        # "No budget? It pays for itself." and "You're with Bupa? Then I've nothing for you."
        # echo the prospect to argue or give up; they ask nothing.
        if (info.question and following
                and ("pushing" in following[0].found or "dead_end" in following[0].found)
                and (len(words) <= 3 or (info.head is None and len(words) <= 6))
                and not any(name in found for name in ("how_come", "why_question"))):
            info.question = False
            found.pop("explore_issues", None)


def _discovery(info) -> None:
    """A question about the prospect's situation; with the rep's own "I" in it, an I-question."""
    found, sentence = info.found, info.sentence
    pitch_only = "pushing" in found and not any(name in found for name in _PROBES)
    info.discovery = (info.question and not info.permission and SMALL_TALK not in found
                      and not pitch_only and not any(name in found for name in _NOT_DISCOVERY))
    if not info.discovery:
        return
    found["discovery_question"] = [(0, len(sentence.text))]
    start = info.head
    frames = found.get(FRAME, [])
    if start is None and frames:  # "I hear you, out of interest" asks from its frame on
        start = min(span_words(sentence, *span).start for span in frames)
    elif start is None:
        start = info.starts[-1] if sentence.question_mark else 0
    mine = set(rep_words(sentence, start))
    for frame_start, frame_end in frames:
        frame_words = span_words(sentence, frame_start, frame_end)
        mine.update(i for i in rep_words(sentence, frame_words.start) if i in frame_words)
    info.has_i = bool(mine)
    if mine:
        found["i_question"] = [(0, len(sentence.text))]
