"""`callsim rescore`: hear a call's recorded replies again with a (better) recognizer.

Each recorded reply is decoded afresh; a changed transcript replaces the turn's text and words,
the old ones stay in the turn's "earlier" list, and the call is scored again. A reply the rep
corrected by hand (`callsim correct`) is never overwritten: the rep's word beats a recognizer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from simulator.errors import NoRecordingError
from simulator.scoring.rubric import Rubric
from simulator.session.engines import Audio, Recognizer, Transcript
from simulator.session.revision import (
    check_spoken,
    corrected_by_hand,
    replies_of,
    rescored,
    revised,
)
from simulator.storage.calls import CallStore
from simulator.storage.records import CallRecord

CHUNK_SECONDS = 0.03  # fed as a microphone would deliver it


@dataclass
class Rescored:
    call_id: str
    before: int | None
    after: int | None
    engine: str
    reheard: list[int] = field(default_factory=list)  # reply numbers with a new transcript
    kept: list[int] = field(default_factory=list)  # corrected by hand: left as the rep said
    unchanged: list[int] = field(default_factory=list)  # heard the same (or nothing) again

    def line(self) -> str:
        parts = [f"{self.call_id}: score {_score(self.before)} -> {_score(self.after)}"]
        if self.reheard:
            parts.append(f"re-heard by {self.engine}: {_numbers(self.reheard)}")
        if self.unchanged:
            parts.append(f"heard the same: {_numbers(self.unchanged)}")
        if self.kept:
            parts.append(f"corrected by hand, kept: {_numbers(self.kept)}")
        return "; ".join(parts)


def recorded_call(store: CallStore, call_id: str) -> bool:
    """Whether the call has a recorded reply that rescore could hear again."""
    from simulator.storage.recordings import recorded_turns

    return bool(recorded_turns(store, call_id))


def hearable_call(store: CallStore, call_id: str) -> tuple[CallRecord, set[int]]:
    """The call and the indexes of its recorded replies, or one line saying why rescore cannot
    hear it again (checked before a recognizer is loaded)."""
    from simulator.storage.recordings import recorded_turns

    record = store.get_call(call_id)
    check_spoken(record)
    recorded = set(recorded_turns(store, record.call_id))
    if not any(turn.index in recorded for turn in replies_of(record)):
        raise NoRecordingError(f"call {record.call_id} has no recorded replies (recorded with "
                               "--no-record, or imported without audio); nothing to hear again")
    return record, recorded


def rescore_call(store: CallStore, call_id: str, recognizer: Recognizer, rubric: Rubric
                 ) -> Rescored:
    from simulator.storage.recordings import load_recording

    record, recorded = hearable_call(store, call_id)
    replies = replies_of(record)
    result = Rescored(record.call_id, record.score, record.score, recognizer.name)
    heard: dict[int, Transcript] = {}
    for number, turn in enumerate(replies, start=1):
        if turn.index not in recorded:
            continue
        if corrected_by_hand(turn):
            result.kept.append(number)
            continue
        audio = load_recording(store, record.call_id, turn.index)
        transcript = transcribe(recognizer, audio) if audio is not None else None
        if transcript is None or not transcript.text.strip() or (
                transcript.text.strip() == turn.text
                and turn.extra.get("engine") == recognizer.name):
            result.unchanged.append(number)
            continue
        heard[turn.index] = transcript
        result.reheard.append(number)

    def revise(current):
        changed = [revised(turn, heard[turn.index].text, heard[turn.index].words,
                           recognizer.name, rubric, heard[turn.index].also_heard)
                   for turn in replies_of(current)
                   if turn.index in heard and not corrected_by_hand(turn)]
        return rescored(current, changed, rubric)

    result.after = store.revise_call(record.call_id, revise).score
    return result


def transcribe(recognizer: Recognizer, audio: Audio) -> Transcript:
    step = max(int(audio.rate * CHUNK_SECONDS) * 2, 2)
    recognizer.live = False  # a recording is decoded once, whole
    recognizer.start(audio.rate)
    for at in range(0, len(audio.pcm), step):
        recognizer.accept(audio.pcm[at:at + step])
    transcript = recognizer.finish()
    return replace(transcript, also_heard=transcript.hearings(), pending_hearings=None)


def _score(score: int | None) -> str:
    return "-" if score is None else str(score)


def _numbers(numbers: list[int]) -> str:
    return ("reply " if len(numbers) == 1 else "replies ") + ", ".join(map(str, numbers))
