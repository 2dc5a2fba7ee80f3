"""Revising what a saved call's replies said: a rep's correction, or a re-transcription.

A revised turn keeps every earlier version in `extra["earlier"]` (oldest first: text, words,
who produced it, when, what else it heard), says who produced the current text in
`extra["by"]` ("correction" or a recognizer's name) and when in `extra["at"]`. The call is
then scored again from its replies as they now read; its outcome stays what happened on the
call. Pure: records in, records out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from simulator.errors import InputError, UsageError
from simulator.scoring.confidence import DEFAULT_ENGINE
from simulator.scoring.detect import detect
from simulator.scoring.replies import check_reply
from simulator.scoring.rubric import Rubric
from simulator.scoring.unclear import score_heard
from simulator.session.delivery import delivery_figures
from simulator.session.engines import Reply, Word
from simulator.session.text_io import CONTROL_CHARACTER, ESCAPE_SEQUENCE
from simulator.storage.records import CallRecord, TurnRecord, utc_timestamp, word_to_json

CORRECTION = "correction"
CORRECTABLE_MODES = ("wav", "mic", "demo")  # modes whose replies a recognizer heard
# Delivery figures that depend on the words (the rest are timings, unchanged by a revision).
TEXT_FIGURES = ("speaking_rate_wpm", "pace", "filler_words")


def replies_of(record: CallRecord) -> list[TurnRecord]:
    """The trainee's turns, in order: reply 1, reply 2, ... as transcripts number them."""
    return [turn for turn in record.turns if turn.speaker == "trainee"]


def engine_of(turn: TurnRecord) -> str | None:
    """The recognizer whose confidences the turn's words carry (None for typed text)."""
    if not turn.words:
        return None
    return turn.extra.get("engine") or DEFAULT_ENGINE


def check_spoken(record: CallRecord) -> None:
    """InputError unless the call is finished and its replies were heard by a recognizer."""
    if record.mode not in CORRECTABLE_MODES:
        kind = "a drill" if record.mode == "drill" else "typed"
        raise InputError(f"call {record.call_id} was {kind}: its replies are what was typed, "
                         "so nothing was misheard; only spoken calls can be corrected")
    if record.outcome is None:
        raise InputError(f"call {record.call_id} is not finished; correct it once it has ended")


def chosen_reply(record: CallRecord, number: int) -> TurnRecord:
    """Reply `number` (1-based) of a spoken call, or one line saying what to give instead."""
    check_spoken(record)
    replies = replies_of(record)
    if not replies:
        raise InputError(f"call {record.call_id} has no replies to correct")
    if not 1 <= number <= len(replies):
        raise UsageError(f"call {record.call_id} has {_replies(len(replies))}; --turn takes "
                         f"1 to {len(replies)} (the number beside 'You' in `callsim show`)")
    return replies[number - 1]


def also_heard_of(turn: TurnRecord) -> tuple[str, ...]:
    """The recognizer's other hearings of the turn (checked when the record was loaded)."""
    return tuple(turn.extra.get("also_heard", ()))


def revised(turn: TurnRecord, text: str, words: Sequence[Word], by: str, rubric: Rubric,
            also_heard: Sequence[str] = ()) -> TurnRecord:
    """`turn` saying `text` (produced by `by`, who also heard `also_heard`), with what it said
    before kept in "earlier"; a correction is what was said, so it has no other hearings."""
    # As for typed replies: escape codes (a pasted coloured line) go, other controls are spaces.
    text = " ".join(CONTROL_CHARACTER.sub(" ", ESCAPE_SEQUENCE.sub("", text)).split())
    if not text:
        raise UsageError("the corrected reply is empty; give what you said, in quotes")
    check_reply(text, "the corrected reply")  # as long as a reply may be, and valid text
    before = {"text": turn.text, "words": [word_to_json(w) for w in turn.words],
              "by": turn.extra.get("by") or engine_of(turn) or "typed",
              "at": turn.extra.get("at") or turn.ended_at}
    if also_heard_of(turn):
        before["also_heard"] = list(also_heard_of(turn))
    extra: dict[str, Any] = {**turn.extra, "earlier": [*turn.extra.get("earlier", []), before],
                             "by": by, "at": utc_timestamp()}
    extra.pop("also_heard", None)
    if also_heard:
        extra["also_heard"] = list(also_heard)
    if words:
        extra["engine"] = by
    else:
        extra.pop("engine", None)
    names = sorted(detect(text, words, rubric).names)
    return replace(turn, text=text, words=list(words), detections=names, extra=extra)


def rescored(record: CallRecord, changed: Sequence[TurnRecord], rubric: Rubric
             ) -> tuple[list[TurnRecord], dict[str, Any], dict[str, Any] | None]:
    """(changed turns, scorecard, delivery) of `record` with `changed` in place of its turns."""
    by_index = {turn.index: turn for turn in changed}
    replies = [by_index.get(turn.index, turn) for turn in replies_of(record)]
    card = score_heard([(t.text, t.words, engine_of(t), also_heard_of(t)) for t in replies],
                       rubric).to_json()
    return list(changed), card, _delivery(record.delivery, replies)


def corrected_by_hand(turn: TurnRecord) -> bool:
    return turn.extra.get("by") == CORRECTION


def _delivery(delivery: dict[str, Any] | None, replies: Sequence[TurnRecord]
              ) -> dict[str, Any] | None:
    if not delivery:
        return delivery
    spoken = [Reply(t.text, duration=t.extra.get("duration"), delay=t.extra.get("delay"))
              for t in replies]
    figures = delivery_figures(spoken, 0.0) or {}
    return {**delivery, **{key: figures[key] for key in TEXT_FIGURES if key in figures}}


def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"
