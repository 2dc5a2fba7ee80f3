"""The call loop, written once: prospect speaks, trainee replies, persona reacts, until an outcome.

Engines plug in at both ends (TraineeInput, ProspectOutput), so typed text, WAV files and the
microphone all run through this same loop. Every turn is saved as it happens; whatever stops the
call (the trainee hanging up, end of input, Ctrl-C, a lost microphone) the call so far is kept
and scored.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from simulator.dialog.engine import DialogState, end_call, open_call, step
from simulator.dialog.persona import Persona
from simulator.errors import CallsimError
from simulator.scoring.detect import Detections, detect
from simulator.scoring.rubric import Rubric
from simulator.scoring.scorer import score_call
from simulator.scoring.unclear import mark_heard
from simulator.session.delivery import delivery_figures
from simulator.session.engines import Audio, ProspectOutput, Reply, TraineeInput
from simulator.storage.calls import CallStore
from simulator.storage.records import CallRecord, TurnRecord, utc_timestamp


@dataclass
class CallOptions:
    seed: int | None = None
    trainee: str | None = None
    workshop: str | None = None
    mode: str = "text"
    rubric: Rubric | None = None
    record: bool = True  # keep each spoken reply's audio with its turn (--no-record: False)


@dataclass
class _Progress:
    """What has been said so far (for scoring and delivery figures)."""

    turns: int = 0
    detections: list[Detections] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    reply_turns: list[int] = field(default_factory=list)  # the turn each reply was saved as
    prospect_seconds: float = 0.0


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


class CallSession:
    """Runs one call between a persona and a trainee and keeps it in the store."""

    def __init__(self, persona: Persona, store: CallStore, trainee: TraineeInput,
                 prospect: ProspectOutput, options: CallOptions | None = None,
                 on_turn: Callable[[TurnRecord], None] | None = None):
        self.persona = persona
        self.store = store
        self.trainee = trainee
        self.prospect = prospect
        self.options = options or CallOptions()
        self.seed = self.options.seed if self.options.seed is not None else new_seed()
        self.on_turn = on_turn
        self._progress = _Progress()
        self.call_id: str | None = None
        self.unrecorded: str | None = None  # why replies' audio stopped being kept, if it did

    def run(self) -> CallRecord:
        record = self.store.start_call(self.persona.id, self.persona.name, self.seed,
                                       self.options.trainee, self.store.workshop_for(
                                           self.options.trainee, self.options.workshop,
                                           self.options.mode),
                                       self.options.mode)
        self.call_id = record.call_id
        state, opening = open_call(self.persona, self.seed)
        outcome = "interrupted"
        try:
            self._prospect_says(opening, state)
            state = self._converse(state)
            outcome = state.outcome or "trainee_ended"
        except KeyboardInterrupt:
            outcome = self._trainee_hung_up(state)
        except CallsimError:
            self._finish("interrupted")
            raise
        except Exception:  # a bug, not the trainee: still keep and score the call so far
            self._finish("error")
            raise
        return self._finish(outcome)

    def _converse(self, state: DialogState) -> DialogState:
        while not state.ended:
            try:
                reply = self.trainee.next_reply()
            except KeyboardInterrupt:
                reply = None
            if reply is None:
                self._trainee_hung_up(state)
                return end_call(self.persona, state).new_state
            detections = detect(reply.text, reply.words, self.options.rubric)
            self._progress.detections.append(detections)
            self._progress.replies.append(reply)
            self._progress.reply_turns.append(self._progress.turns)
            reaction = step(self.persona, state, reply.text, detections.names)
            self._save("trainee", reply.text, reaction.new_state.state, sorted(detections.names),
                       reply)
            state = reaction.new_state
            if reaction.prospect_line:
                self._prospect_says(reaction.prospect_line, state)
            self._settle_hearings()
        return state

    def _settle_hearings(self) -> None:
        """Hearings of a reply still coming when it was saved (a slower recognizer pass, not
        waited for while the trainee waits for the prospect) are added to its turn now."""
        progress = self._progress
        for at, reply in enumerate(progress.replies):
            if reply.pending_hearings is None:
                continue
            heard = reply.hearings()
            progress.replies[at] = replace(reply, also_heard=heard, pending_hearings=None)
            if heard != reply.also_heard:
                self.store.set_hearings(self.call_id, progress.reply_turns[at], list(heard))

    def _trainee_hung_up(self, state: DialogState) -> str:
        reaction = end_call(self.persona, state)
        if reaction.prospect_line:
            with contextlib.suppress(KeyboardInterrupt, CallsimError):
                self._prospect_says(reaction.prospect_line, reaction.new_state)
        return "trainee_ended"

    def _prospect_says(self, line: str, state: DialogState) -> None:
        started = time.monotonic()
        # Saved first, so a line is on record even if playing it fails.
        self._save("prospect", line, state.state, [], None)
        self.prospect.say(line, self.persona.voice.settings())
        self._progress.prospect_seconds += time.monotonic() - started

    def _save(self, speaker: str, text: str, state: str | None, detections: list[str],
              reply: Reply | None) -> None:
        extra = {}
        if reply is not None:
            extra = {key: value for key, value in (("delay", reply.delay),
                                                   ("duration", reply.duration),
                                                   ("source", reply.source))
                     if value is not None}
            if reply.words and self._engine():
                extra["engine"] = self._engine()  # whose confidence scale the words carry
            if reply.also_heard:
                extra["also_heard"] = list(reply.also_heard)  # rescoring gives the same card
        now = utc_timestamp()
        turn = TurnRecord(index=self._progress.turns, speaker=speaker, text=text,
                          started_at=now, ended_at=now, state=state, detections=detections,
                          words=list(reply.words) if reply else [], extra=extra)
        self.store.add_turn(self.call_id, turn)
        self._progress.turns += 1
        if reply is not None and reply.audio is not None and reply.audio.pcm:
            self._record(turn.index, reply.audio)
        if self.on_turn:
            self.on_turn(turn)

    def _record(self, index: int, audio: Audio) -> None:
        """Keep the reply's audio; a failure (full disk, no soundfile) costs the audio only."""
        if not self.options.record or self.unrecorded is not None:
            return
        from simulator.storage.recordings import save_recording

        try:
            save_recording(self.store, self.call_id, index, audio)
        except CallsimError as exc:
            self.unrecorded = str(exc)

    def _engine(self) -> str | None:
        """The recognizer's name when replies are spoken (its confidences mark unsure words)."""
        return getattr(getattr(self.trainee, "recognizer", None), "name", None)

    def _finish(self, outcome: str) -> CallRecord:
        self._settle_hearings()
        progress = self._progress
        heard = [(reply.text, reply.words, self._engine(), reply.also_heard)
                 for reply in progress.replies]
        card = mark_heard(score_call(progress.detections, self.options.rubric), heard,
                          self.options.rubric).to_json()
        delivery = delivery_figures(progress.replies, progress.prospect_seconds)
        self.store.finish_call(self.call_id, outcome, card, delivery, score=card["score"])
        return self.store.get_call(self.call_id)
