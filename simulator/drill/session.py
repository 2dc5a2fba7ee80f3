"""The drill loop: the prospect says one objection, the trainee replies once, verdicts, next.

Each answered objection is saved at once as a one-reply call (mode "drill", the objection's id
in the prospect turn's extra), so it counts in the trainee's progress and schedules the next
drills. Whatever stops the drill (time up, end of input, Ctrl-C, bad input, a lost microphone),
every answered objection is kept; one asked but not answered is not saved.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from simulator.drill.bank import Objection, find_objection
from simulator.drill.schedule import Attempt, Pick, next_objection
from simulator.scoring.detect import detect
from simulator.scoring.rubric import CHECK_IDS, Rubric
from simulator.scoring.stages import score_reply
from simulator.scoring.unclear import UNCLEAR, mark_heard
from simulator.session.delivery import delivery_figures
from simulator.session.engines import ProspectOutput, Reply, TraineeInput
from simulator.storage.calls import CallStore
from simulator.storage.records import CallRecord, TurnRecord, utc_timestamp

# A drill item is a one-reply call; its outcome says the objection was answered.
DRILL_OUTCOME = "answered"


@dataclass
class DrillOptions:
    minutes: float = 10.0
    seed: int | None = None
    trainee: str | None = None
    workshop: str | None = None
    rubric: Rubric | None = None
    record: bool = True  # keep each spoken answer's audio (--no-record: False)


@dataclass(frozen=True)
class DrillItem:
    """One answered objection, as saved."""

    number: int
    objection: Objection
    pick: Pick
    call_id: str
    reply: Reply
    scorecard: dict

    @property
    def score(self) -> int:
        return self.scorecard["score"]

    @property
    def failed(self) -> list[str]:
        """The checks failed on words heard clearly."""
        return failed_checks(self.scorecard)

    @property
    def unclear(self) -> list[str]:
        """The FAILs resting on words the recognizer was unsure of ("heard unclearly")."""
        return failed_checks(self.scorecard, heard=UNCLEAR)

    def attempt(self, at: datetime) -> Attempt:
        return Attempt(self.objection.id, at, self.score, frozenset(self.failed),
                       frozenset(self.unclear))

    def to_json(self) -> dict:
        return {"number": self.number, "call_id": self.call_id, "objection": self.objection.id,
                "stage": self.objection.stage, "persona": self.objection.persona,
                "prospect": self.objection.text,
                "reason": self.pick.reason, "reply": self.reply.text, "score": self.score,
                "failed": self.failed, "unclear": self.unclear}


@dataclass
class DrillResult:
    seed: int
    items: list[DrillItem] = field(default_factory=list)
    stopped: str = "end_of_input"  # or "time" (the minutes are up), "interrupted" (Ctrl-C)

    @property
    def average(self) -> float | None:
        if not self.items:
            return None
        return round(sum(item.score for item in self.items) / len(self.items), 1)

    def weakest(self, limit: int = 3) -> list[tuple[str, int]]:
        """The checks failed most often: (check id, how many items failed it)."""
        counts = Counter(check for item in self.items for check in item.failed)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], CHECK_IDS.index(kv[0])))
        return ranked[:limit]

    def to_json(self) -> dict:
        return {"seed": self.seed, "stopped": self.stopped,
                "items": [item.to_json() for item in self.items],
                "average_score": self.average,
                "weakest": [{"check": c, "failed": n, "of": len(self.items)}
                            for c, n in self.weakest()]}


def failed_checks(card: dict, heard: str | None = None) -> list[str]:
    """The FAILs of a saved scorecard heard clearly (heard=None) or heard unclearly."""
    checks = (card or {}).get("checks", {})
    return [check for check, result in checks.items() if isinstance(result, dict)
            and result.get("verdict") == "fail" and result.get("heard") == heard]


def _utc(timestamp: str) -> datetime:
    return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def attempt_of(record: CallRecord, bank: Sequence[Objection]) -> Attempt | None:
    """A saved drill call as an attempt at a bank objection (None if it is not in the bank)."""
    prospect = next((t for t in record.turns if t.speaker == "prospect"), None)
    if prospect is None or record.score is None or record.outcome is None:
        return None
    objection = find_objection(bank, prospect.text)  # the words decide; the id if they changed
    if objection is None:
        saved_id = prospect.extra.get("objection")
        objection = next((o for o in bank if o.id == saved_id), None)
    if objection is None:
        return None
    card = record.scorecard or {}
    return Attempt(objection.id, _utc(record.ended_at or record.started_at), record.score,
                   frozenset(failed_checks(card)), frozenset(failed_checks(card, UNCLEAR)))


def drill_history(store: CallStore, trainee: str | None,
                  bank: Sequence[Objection]) -> list[Attempt]:
    """The trainee's past drill answers (without a name: the unnamed drills)."""
    summaries = [s for s in reversed(store.list_calls(trainee=trainee))  # oldest first
                 if s.mode == "drill" and (trainee is not None or s.trainee is None)]
    attempts = (attempt_of(store.get_call(s.call_id), bank) for s in summaries)
    return [a for a in attempts if a is not None]


class DrillSession:
    """Runs drill items until the time is up or the trainee stops, saving each answer."""

    def __init__(self, bank: Sequence[Objection], store: CallStore, trainee: TraineeInput,
                 prospect: ProspectOutput, options: DrillOptions | None = None,
                 on_ask: Callable[[int, Objection, Pick], None] | None = None,
                 on_item: Callable[[DrillItem], None] | None = None):
        self.bank = {objection.id: objection for objection in bank}
        self.store = store
        self.trainee = trainee
        self.prospect = prospect
        self.options = options or DrillOptions()
        seed = self.options.seed
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000)
        self.on_ask = on_ask
        self.on_item = on_item
        self.result = DrillResult(self.seed)  # filled as items are answered
        self.unrecorded: str | None = None  # why answers' audio stopped being kept, if it did

    def run(self) -> DrillResult:
        # Drills join the open workshop too (checked before the first objection is asked).
        self.workshop = self.store.workshop_for(self.options.trainee, self.options.workshop,
                                                "drill")
        history = drill_history(self.store, self.options.trainee, list(self.bank.values()))
        started = time.monotonic()
        while True:
            try:  # Ctrl-C at any point between saved answers ends the drill, keeping them
                pick = next_objection(list(self.bank), history, datetime.now(timezone.utc),
                                      self.seed)
                objection = self.bank[pick.objection]
                number = len(self.result.items) + 1
                if self.on_ask:
                    self.on_ask(number, objection, pick)
                asked_at = utc_timestamp()
                speaking = time.monotonic()
                self.prospect.say(objection.text, objection.voice)
                said_at, prospect_seconds = utc_timestamp(), time.monotonic() - speaking
                reply = self.trainee.next_reply()
            except KeyboardInterrupt:
                self.result.stopped = "interrupted"
                break
            if reply is None:
                self.result.stopped = "end_of_input"
                break
            item = self._save(number, objection, pick, reply, (asked_at, said_at),
                              prospect_seconds)
            self.result.items.append(item)
            history.append(item.attempt(datetime.now(timezone.utc)))
            try:
                if self.on_item:
                    self.on_item(item)
            except KeyboardInterrupt:  # while the verdicts were shown: the answer is saved
                self.result.stopped = "interrupted"
                break
            if time.monotonic() - started >= self.options.minutes * 60:
                self.result.stopped = "time"
                break
        return self.result

    def _save(self, number: int, objection: Objection, pick: Pick, reply: Reply,
              said: tuple[str, str], prospect_seconds: float) -> DrillItem:
        rubric = self.options.rubric
        detections = detect(reply.text, reply.words, rubric)
        hearings = reply.hearings()  # the verdict is shown now: every hearing is waited for
        # Judged on what the item asks for: an opening is not failed for not closing.
        engine = getattr(getattr(self.trainee, "recognizer", None), "name", None)
        card = mark_heard(score_reply(detections, objection.stage, rubric),
                          [(reply.text, reply.words, engine, hearings)], rubric).to_json()
        record = self.store.start_call(objection.persona, objection.persona_name, self.seed,
                                       self.options.trainee, self.workshop, "drill")
        self.store.add_turn(record.call_id, TurnRecord(
            0, "prospect", objection.text, started_at=said[0], ended_at=said[1],
            extra={"objection": objection.id, "reason": pick.reason}))
        now = utc_timestamp()
        audio = {key: value for key, value in (("delay", reply.delay),
                                               ("duration", reply.duration),
                                               ("source", reply.source)) if value is not None}
        if reply.words and engine:
            audio["engine"] = engine  # whose confidence scale the words carry
        if hearings:
            audio["also_heard"] = list(hearings)
        self.store.add_turn(record.call_id, TurnRecord(
            1, "trainee", reply.text, started_at=now, ended_at=now,
            detections=sorted(detections.names), words=list(reply.words), extra=audio))
        self._record(record.call_id, reply)
        self.store.finish_call(record.call_id, DRILL_OUTCOME, card,
                               delivery_figures([reply], prospect_seconds))
        return DrillItem(number, objection, pick, record.call_id, reply, card)

    def _record(self, call_id: str, reply: Reply) -> None:
        """Keep the answer's audio; a failure (full disk, no soundfile) costs the audio only."""
        if (not self.options.record or self.unrecorded is not None or reply.audio is None
                or not reply.audio.pcm):
            return
        from simulator.errors import CallsimError
        from simulator.storage.recordings import save_recording

        try:
            save_recording(self.store, call_id, 1, reply.audio)
        except CallsimError as exc:
            self.unrecorded = str(exc)
