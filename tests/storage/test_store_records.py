"""Call records: an exact JSON form, and one plain line for anything malformed."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from store_helpers import make_record, make_turn

from simulator.errors import InputError
from simulator.session.engines import Word
from simulator.storage import CallRecord, TurnRecord, new_call_id, utc_timestamp

RECORDS = {
    "finished, every field": make_record("20250301-093000-0a1b2c3d", "2025-03-01T09:30:00.000Z"),
    "unfinished, optional fields empty": make_record(
        "20250301-093000-0a1b2c3e",
        "2025-03-01T09:30:00.000Z",
        seed=None,
        trainee=None,
        workshop=None,
        ended_at=None,
        outcome=None,
        score=None,
        turns=[],
        scorecard=None,
        delivery=None,
    ),
    "twelve turns, integer and float timings": make_record(
        "x",
        "2025-03-01T09:30:00.000Z",
        turns=[make_turn(i) for i in range(11)]
        + [TurnRecord(11, "trainee", "ok", words=[Word("ok", 0, 1, 1)], extra={"n": [1, 2.5]})],
    ),
}


@pytest.mark.parametrize("record", RECORDS.values(), ids=RECORDS.keys())
def test_json_round_trip_is_exact(record: CallRecord):
    data = record.to_json()
    text = json.dumps(data)
    assert CallRecord.from_json(json.loads(text)) == record
    assert CallRecord.from_json(json.loads(text)).to_json() == data
    assert json.dumps(CallRecord.from_json(json.loads(text)).to_json()) == text


def test_json_form_is_json_native():
    data = make_record("a", "2025-03-01T09:30:00.000Z").to_json()
    assert list(data) == [
        "call_id", "persona", "persona_name", "seed", "trainee", "workshop", "mode",
        "started_at", "ended_at", "outcome", "score", "turns", "scorecard", "delivery",
    ]  # fmt: skip
    first_word = {"text": "thank", "start": 0.1, "end": 0.35, "conf": 0.93}
    assert data["turns"][1]["words"][0] == first_word
    assert json.loads(json.dumps(data)) == data


def _call_json(**changes):
    data = make_record("a", "2025-03-01T09:30:00.000Z").to_json()
    data.update(changes)
    return data


def _turn_json(**changes):
    data = make_turn(1).to_json()
    data.update(changes)
    return data


BAD_CALLS = [
    ({"mode": "phone"},
     "call record: mode must be one of text, wav, mic, demo, drill, not 'phone'"),
    ({"outcome": "won"}, "call record: outcome must be one of hung_up, callback_agreed, "
     "meeting_agreed, opted_out, trainee_ended, max_turns, interrupted, error, answered, "
     "not 'won'"),
    ({"started_at": "2025-03-01 09:30"},
     "call record: started_at must be a UTC time like 2025-03-01T09:30:00.125Z, "
     "not '2025-03-01 09:30'"),
    ({"seed": "7"}, "call record: seed must be a whole number, not str"),
    ({"score": True}, "call record: score must be a whole number, not bool"),
    ({"call_id": ""}, "call record: call_id must not be empty"),
    ({"scorecard": [1, 2]}, "call record: scorecard must be a JSON object, not list"),
    ({"colour": "red"}, "call record: call has unknown field colour (written by a newer callsim?)"),
    ({"turns": [_turn_json(speaker="coach")]},
     "call record: turn 1 speaker must be one of prospect, trainee, not 'coach'"),
    ({"turns": [_turn_json(index=-1)]}, "call record: turn index must be 0 or more, not -1"),
    ({"turns": [_turn_json(words=[{"text": "hi", "start": "0", "end": 1, "conf": 1}])]},
     "call record: turn 1 word.start must be a number, not str"),
    ({"turns": [_turn_json(detections="gratitude")]},
     "call record: turn 1 detections must be a list of names"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), BAD_CALLS)
def test_malformed_records_are_refused_in_one_line(changes, message):
    with pytest.raises(InputError) as caught:
        CallRecord.from_json(_call_json(**changes))
    assert str(caught.value) == message


def test_missing_fields_are_named():
    data = _call_json()
    del data["persona"], data["mode"]
    with pytest.raises(InputError, match=r"^call record: call is missing mode, persona$"):
        CallRecord.from_json(data)


def test_turn_round_trip_alone():
    turn = make_turn(3)
    assert TurnRecord.from_json(json.loads(json.dumps(turn.to_json()))) == turn


TIMES = [
    (datetime(2025, 3, 1, 9, 30, 0, 125999, tzinfo=timezone.utc), "2025-03-01T09:30:00.125Z"),
    (datetime(2025, 12, 31, 23, 59, 59, 0, tzinfo=timezone.utc), "2025-12-31T23:59:59.000Z"),
    (datetime.fromisoformat("2025-03-01T11:30:00.500+02:00"), "2025-03-01T09:30:00.500Z"),
]


@pytest.mark.parametrize(("moment", "text"), TIMES)
def test_timestamps_are_utc_with_milliseconds(moment, text):
    assert utc_timestamp(moment) == text


def test_call_ids_sort_by_time_and_differ():
    early = datetime(2025, 3, 1, 9, 30, 0, tzinfo=timezone.utc)
    late = datetime(2025, 3, 1, 9, 30, 1, tzinfo=timezone.utc)
    ids = [new_call_id(early) for _ in range(1000)]
    assert all(re.fullmatch(r"20250301-093000-[0-9a-f]{8}", i) for i in ids)
    assert len(set(ids)) == 1000
    assert max(ids) < new_call_id(late)
