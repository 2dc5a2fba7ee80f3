"""What a saved call is: plain dataclasses with an exact JSON form.

`to_json()` gives JSON-native dicts (the export and merge format); `from_json()` checks every
field so a record copied from another laptop is either taken exactly or refused with one line.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from simulator.errors import InputError, shorten
from simulator.session.engines import Word
from simulator.storage.limits import INT_RANGE, fits_integer, has_surrogate, json_value_problem

MODES: tuple[str, ...] = ("text", "wav", "mic", "demo", "drill")
SPEAKERS: tuple[str, ...] = ("prospect", "trainee")
OUTCOMES: tuple[str, ...] = (
    "hung_up",
    "callback_agreed",
    "meeting_agreed",
    "opted_out",
    "trainee_ended",
    "max_turns",
    "interrupted",
    "error",
    "answered",  # a drill item: one objection, one reply
)

_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def utc_timestamp(moment: datetime | None = None) -> str:
    """ISO-8601 UTC with milliseconds, e.g. 2025-03-01T09:30:00.125Z (sorts as text)."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def is_timestamp(value: Any) -> bool:
    """Whether `value` is a time as `utc_timestamp()` writes it."""
    return isinstance(value, str) and _TIMESTAMP.fullmatch(value) is not None


def new_call_id(moment: datetime | None = None) -> str:
    """Time-sortable and unique across machines: YYYYMMDD-HHMMSS-<8 random hex digits>."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)


def _fail(where: str, message: str) -> InputError:
    return InputError(f"call record: {where} {message}")


def _check_str(where: str, value: Any, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise _fail(where, f"must be text, not {type(value).__name__}")
    if has_surrogate(value):
        raise _fail(where, "is not valid Unicode text (it holds a lone surrogate)")


def _check_timestamp(where: str, value: Any, optional: bool = False) -> None:
    _check_str(where, value, optional)
    if value is not None and not _TIMESTAMP.fullmatch(value):
        raise _fail(where, "must be a UTC time like 2025-03-01T09:30:00.125Z, "
                           f"not {shorten(repr(value))}")


def _check_choice(where: str, value: Any, choices: tuple[str, ...], optional: bool = False) -> None:
    _check_str(where, value, optional)
    if value is not None and value not in choices:
        # the choices take 100 characters of the line: the wrong value gets a short quote
        raise _fail(where, f"must be one of {', '.join(choices)}, not {shorten(repr(value), 30)}")


def _check_number(where: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"must be a number, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(where, "must be a finite number (not infinity or NaN)")


def _check_int(where: str, value: Any, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"must be a whole number, not {type(value).__name__}")
    if not fits_integer(value):
        raise _fail(where, f"must be {INT_RANGE}")


def _check_dict(where: str, value: Any, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, dict):
        raise _fail(where, f"must be a JSON object, not {type(value).__name__}")
    problem = json_value_problem(value)
    if problem:
        raise _fail(where, problem)


def _check_keys(where: str, data: Any, required: set[str], allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise _fail(where, f"must be a JSON object, not {type(data).__name__}")
    missing = sorted(required - data.keys())
    if missing:
        raise _fail(where, f"is missing {', '.join(missing)}")
    unknown = sorted(data.keys() - allowed)
    if unknown:
        raise _fail(where, f"has unknown field {', '.join(unknown)} (written by a newer callsim?)")


def word_to_json(word: Word) -> dict[str, Any]:
    return {"text": word.text, "start": word.start, "end": word.end, "conf": word.conf}


def word_from_json(data: Any, where: str) -> Word:
    keys = {"text", "start", "end", "conf"}
    _check_keys(where, data, keys, keys)
    _check_str(f"{where}.text", data["text"])
    for name in ("start", "end", "conf"):
        _check_number(f"{where}.{name}", data[name])
    return Word(data["text"], data["start"], data["end"], data["conf"])


@dataclass
class TurnRecord:
    """One line of the call, said by the prospect or the trainee."""

    index: int
    speaker: str
    text: str
    started_at: str | None = None
    ended_at: str | None = None
    state: str | None = None  # dialog state name at this turn
    detections: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # audio figures (delay, rms, ...)

    def __post_init__(self) -> None:
        _check_int("turn index", self.index)
        if self.index < 0:
            raise _fail("turn index", f"must be 0 or more, not {self.index}")
        where = f"turn {self.index}"
        _check_choice(f"{where} speaker", self.speaker, SPEAKERS)
        _check_str(f"{where} text", self.text)
        _check_timestamp(f"{where} started_at", self.started_at, optional=True)
        _check_timestamp(f"{where} ended_at", self.ended_at, optional=True)
        _check_str(f"{where} state", self.state, optional=True)
        if not isinstance(self.detections, list):
            raise _fail(f"{where} detections", "must be a list of names")
        for name in self.detections:
            _check_str(f"{where} detection", name)
        if not isinstance(self.words, list) or not all(isinstance(w, Word) for w in self.words):
            raise _fail(f"{where} words", "must be a list of Word")
        for word in self.words:
            _check_str(f"{where} word", word.text)
        _check_dict(f"{where} extra", self.extra)
        also_heard = self.extra.get("also_heard", [])
        if not isinstance(also_heard, list) or not all(isinstance(h, str) for h in also_heard):
            raise _fail(f"{where} extra.also_heard", "must be a list of texts (the recognizer's "
                        "other hearings of the reply)")

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "speaker": self.speaker,
            "text": self.text,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "state": self.state,
            "detections": list(self.detections),
            "words": [word_to_json(w) for w in self.words],
            "extra": self.extra,
        }

    @classmethod
    def from_json(cls, data: Any) -> TurnRecord:
        keys = {"index", "speaker", "text", "started_at", "ended_at", "state"}
        keys |= {"detections", "words", "extra"}
        _check_keys("turn", data, {"index", "speaker", "text"}, keys)
        words = data.get("words", [])
        if not isinstance(words, list):
            raise _fail(f"turn {data['index']} words", "must be a list")
        return cls(
            index=data["index"],
            speaker=data["speaker"],
            text=data["text"],
            started_at=data.get("started_at"),
            ended_at=data.get("ended_at"),
            state=data.get("state"),
            detections=data.get("detections", []),
            words=[word_from_json(w, f"turn {data['index']} word") for w in words],
            extra=data.get("extra", {}),
        )


_CALL_FIELDS = ("call_id", "persona", "persona_name", "seed", "trainee", "workshop", "mode",
                "started_at", "ended_at", "outcome", "score")  # fmt: skip


@dataclass
class CallRecord:
    """A whole call; `outcome` and `ended_at` stay None until the call is finished."""

    call_id: str
    persona: str
    persona_name: str
    mode: str
    started_at: str
    seed: int | None = None
    trainee: str | None = None
    workshop: str | None = None
    ended_at: str | None = None
    outcome: str | None = None
    score: int | None = None  # the scorecard's total, kept apart so lists need no JSON
    turns: list[TurnRecord] = field(default_factory=list)
    scorecard: dict[str, Any] | None = None
    delivery: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        _check_str("call_id", self.call_id)
        if not self.call_id:
            raise _fail("call_id", "must not be empty")
        for name in ("persona", "persona_name"):
            _check_str(name, getattr(self, name))
        _check_choice("mode", self.mode, MODES)
        _check_timestamp("started_at", self.started_at)
        _check_timestamp("ended_at", self.ended_at, optional=True)
        _check_int("seed", self.seed, optional=True)
        _check_str("trainee", self.trainee, optional=True)
        _check_str("workshop", self.workshop, optional=True)
        _check_choice("outcome", self.outcome, OUTCOMES, optional=True)
        _check_int("score", self.score, optional=True)
        if not all(isinstance(t, TurnRecord) for t in self.turns):
            raise _fail("turns", "must be a list of TurnRecord")
        numbers: set[int] = set()
        for turn in self.turns:  # the (call, index) key: a second one would clash when saved
            if turn.index in numbers:
                raise _fail("call", f"has two turns numbered {turn.index}")
            numbers.add(turn.index)
        _check_dict("scorecard", self.scorecard, optional=True)
        _check_dict("delivery", self.delivery, optional=True)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in _CALL_FIELDS}
        data["turns"] = [t.to_json() for t in self.turns]
        data["scorecard"] = self.scorecard
        data["delivery"] = self.delivery
        return data

    @classmethod
    def from_json(cls, data: Any) -> CallRecord:
        required = {"call_id", "persona", "persona_name", "mode", "started_at"}
        _check_keys("call", data, required, {*_CALL_FIELDS, "turns", "scorecard", "delivery"})
        turns = data.get("turns", [])
        if not isinstance(turns, list):
            raise _fail("turns", "must be a list")
        values = {name: data.get(name) for name in _CALL_FIELDS}
        return cls(
            **values,
            turns=[TurnRecord.from_json(t) for t in turns],
            scorecard=data.get("scorecard"),
            delivery=data.get("delivery"),
        )


def check_ending(outcome: str, score: Any, ended_at: Any, scorecard: Any, delivery: Any) -> None:
    """The same checks a loaded record gets, for the fields set when a call finishes."""
    _check_choice("outcome", outcome, OUTCOMES)
    _check_int("score", score, optional=True)
    _check_timestamp("ended_at", ended_at)
    _check_dict("scorecard", scorecard, optional=True)
    _check_dict("delivery", delivery, optional=True)


@dataclass(frozen=True)
class CallSummary:
    """One row of `callsim history`: read from columns only, no JSON parsed."""

    call_id: str
    started_at: str
    trainee: str | None
    workshop: str | None
    persona: str
    persona_name: str
    mode: str
    outcome: str | None
    score: int | None
    turns: int
    replies: int = 0  # the trainee's non-empty replies

    @property
    def not_counted(self) -> str | None:
        """Why this call is left out of progress, trends and boards (None: it counts)."""
        if self.outcome is None:
            return "unfinished"
        if self.mode == "demo":
            return "demo"
        if self.replies == 0:
            return "no reply"
        return None
