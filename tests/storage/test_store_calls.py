"""CallStore: what goes in comes out identical; lists are newest first and filter exactly."""

from __future__ import annotations

import random
import sqlite3

import pytest
from store_helpers import make_record, make_turn

from simulator.errors import InputError, StorageError, UnknownCallError
from simulator.storage import CallRecord, CallStore, TurnRecord

RECORDS = [
    make_record("20250301-093000-0a1b2c3d", "2025-03-01T09:30:00.000Z"),
    make_record(
        "20250301-100000-0a1b2c3e",
        "2025-03-01T10:00:00.000Z",
        seed=None, trainee=None, workshop=None, ended_at=None, outcome=None, score=None,
        turns=[], scorecard=None, delivery=None,
    ),
    make_record("20250302-080000-99ffee00", "2025-03-02T08:00:00.000Z",
                turns=[make_turn(i) for i in range(30)]),
]  # fmt: skip


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.call_id)
def test_saved_call_reads_back_identical(store: CallStore, record: CallRecord):
    assert store.import_calls([record]) == 1
    assert store.get_call(record.call_id) == record
    assert store.get_call(record.call_id).to_json() == record.to_json()


def test_call_built_turn_by_turn_reads_back_identical(tmp_path):
    with CallStore.open(tmp_path) as store:
        call = store.start_call("busy-cfo", "Dana Ortiz", 42, "ana", "lisbon-2025", "mic")
        assert (call.outcome, call.ended_at, call.turns) == (None, None, [])
        assert store.get_call(call.call_id) == call
        turns = [make_turn(i) for i in range(6)]
        for turn in turns:
            store.add_turn(call.call_id, turn)
        scorecard = {"score": 81, "per_turn": [{"turn": 1, "hits": ["gratitude"]}]}
        store.finish_call(call.call_id, "meeting_agreed", scorecard, {"wpm": 140.25})
    with CallStore.open(tmp_path) as reopened:
        saved = reopened.get_call(call.call_id)
    assert saved.turns == turns
    assert (saved.outcome, saved.score, saved.scorecard) == ("meeting_agreed", 81, scorecard)
    assert saved.delivery == {"wpm": 140.25}
    assert saved.ended_at is not None and saved.ended_at >= saved.started_at
    assert (saved.persona, saved.persona_name, saved.seed) == ("busy-cfo", "Dana Ortiz", 42)
    assert (saved.trainee, saved.workshop, saved.mode) == ("ana", "lisbon-2025", "mic")


PREFIX_IDS = ["20250301-093000-aaaa1111", "20250301-093000-aaaa2222", "20250302-101500-b0b0b0b0"]
LOOKUPS = [
    ("20250301-093000-aaaa1111", "20250301-093000-aaaa1111"),
    ("20250301-093000-aaaa2", "20250301-093000-aaaa2222"),
    ("20250302", "20250302-101500-b0b0b0b0"),
    ("nope", "no call with id nope; run `callsim history` to list calls"),
    ("", "no call with id ''; run `callsim history` to list calls"),
    ("20250303", "no call with id 20250303; run `callsim history` to list calls"),
    ("20250301-093000-aaaa1111x", "no call with id 20250301-093000-aaaa1111x; "
     "run `callsim history` to list calls"),
    ("2025030_", "no call with id 2025030_; run `callsim history` to list calls"),
    ("20250301", "call id 20250301 is ambiguous (20250301-093000-aaaa1111, "
     "20250301-093000-aaaa2222); type more of the id, see `callsim history`"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LOOKUPS)
def test_calls_are_found_by_id_or_unique_prefix(store: CallStore, text: str, expected: str):
    store.import_calls(make_record(i, "2025-03-01T09:30:00.000Z") for i in PREFIX_IDS)
    if expected in PREFIX_IDS:
        assert store.get_call(text).call_id == expected
        assert store.resolve_id(text) == expected
    else:
        with pytest.raises(UnknownCallError) as caught:
            store.get_call(text)
        assert str(caught.value) == expected


def test_ambiguous_prefix_lists_three_then_ellipsis(store: CallStore):
    store.import_calls(make_record(f"20250301-0930{i:02d}-x", "2025-03-01T09:30:00.000Z")
                       for i in range(5))  # fmt: skip
    with pytest.raises(UnknownCallError) as caught:
        store.get_call("2025")
    assert str(caught.value) == (
        "call id 2025 is ambiguous (20250301-093000-x, 20250301-093001-x, 20250301-093002-x, "
        "...); type more of the id, see `callsim history`"
    )


ORDER = [  # (call_id, started_at) in the expected newest-first order
    ("c-late", "2025-03-09T08:00:00.000Z"),
    ("c-tie-b", "2025-03-02T12:00:00.500Z"),
    ("c-tie-a", "2025-03-02T12:00:00.500Z"),
    ("c-ms", "2025-03-02T12:00:00.499Z"),
    ("c-early", "2024-12-31T23:59:59.999Z"),
]


def test_list_is_newest_first_ties_by_id(store: CallStore):
    shuffled = ORDER[:]
    random.Random(3).shuffle(shuffled)
    store.import_calls(make_record(i, t) for i, t in shuffled)
    assert [s.call_id for s in store.list_calls()] == [i for i, _ in ORDER]
    assert [s.call_id for s in store.list_calls(limit=2)] == ["c-late", "c-tie-b"]
    assert [r.call_id for r in store.iter_calls(limit=3)] == ["c-late", "c-tie-b", "c-tie-a"]


FILTER_CALLS = [  # call_id, trainee, workshop, persona
    ("f1", "ana", "lisbon", "busy-cfo"),
    ("f2", "Ana", "porto", "gatekeeper"),
    ("f3", "ben", "lisbon", "gatekeeper"),
    ("f4", None, None, "busy-cfo"),
    ("f5", "ana", "lisbon", "gatekeeper"),
]
FILTERS = [
    ({}, ["f5", "f4", "f3", "f2", "f1"]),
    ({"trainee": "ana"}, ["f5", "f2", "f1"]),
    ({"trainee": "ANA"}, ["f5", "f2", "f1"]),
    ({"trainee": "an"}, []),
    ({"workshop": "lisbon"}, ["f5", "f3", "f1"]),
    ({"persona": "gatekeeper"}, ["f5", "f3", "f2"]),
    ({"persona": "Gatekeeper"}, []),
    ({"trainee": "ana", "workshop": "lisbon"}, ["f5", "f1"]),
    ({"trainee": "ana", "workshop": "lisbon", "persona": "busy-cfo"}, ["f1"]),
    ({"trainee": "ana", "limit": 1}, ["f5"]),
    ({"limit": 0}, []),
    ({"trainee": "nobody"}, []),
]


@pytest.mark.parametrize(("filters", "expected"), FILTERS, ids=str)
def test_filters(store: CallStore, filters: dict, expected: list[str]):
    store.import_calls(
        make_record(c, f"2025-03-0{n}T09:00:00.000Z", trainee=t, workshop=w, persona=p)
        for n, (c, t, w, p) in enumerate(FILTER_CALLS, start=1)
    )
    assert [s.call_id for s in store.list_calls(**filters)] == expected
    assert [r.call_id for r in store.iter_calls(**filters)] == expected


def test_summary_reads_columns(store: CallStore):
    store.import_calls(RECORDS)
    summaries = {s.call_id: s for s in store.list_calls()}
    for record in RECORDS:
        summary = summaries[record.call_id]
        assert summary.turns == len(record.turns)
        assert (summary.started_at, summary.trainee, summary.workshop) == (
            record.started_at, record.trainee, record.workshop)  # fmt: skip
        assert (summary.persona, summary.persona_name, summary.mode) == (
            record.persona, record.persona_name, record.mode)  # fmt: skip
        assert (summary.outcome, summary.score) == (record.outcome, record.score)


SCORES = [  # scorecard, explicit score, saved score
    ({"score": 64}, None, 64),
    ({"score": 64}, 70, 70),
    ({"score": 64.5}, None, None),
    ({"score": True}, None, None),
    ({"total": 64}, None, None),
    (None, 12, 12),
    (None, None, None),
]


@pytest.mark.parametrize(("scorecard", "score", "saved"), SCORES)
def test_finish_call_score_column(store: CallStore, scorecard, score, saved):
    call = store.start_call("busy-cfo", "Dana", None, "ana", None, "text")
    store.finish_call(call.call_id, "hung_up", scorecard, None, score=score)
    assert store.list_calls()[0].score == saved
    assert store.get_call(call.call_id).score == saved


WRONG_USE = [
    (lambda s, c: s.add_turn("nope", make_turn(0)), UnknownCallError,
     "no call with id nope; run `callsim history` to list calls"),
    (lambda s, c: s.finish_call("nope", "hung_up"), UnknownCallError,
     "no call with id nope; run `callsim history` to list calls"),
    (lambda s, c: s.add_turn(c, make_turn(0)), StorageError,
     "call {c} already has a turn 0; saved turns are never overwritten (number turns 0, 1, 2...)"),
    (lambda s, c: s.finish_call(c, "won"), InputError,
     "call record: outcome must be one of hung_up, callback_agreed, meeting_agreed, opted_out, "
     "trainee_ended, max_turns, interrupted, error, answered, not 'won'"),
    (lambda s, c: s.finish_call(c, "hung_up", {"per_turn": (1, 2)}), InputError,
     "the scorecard does not read back the same from JSON (tuples or non-text keys?)"),
    (lambda s, c: s.finish_call(c, "hung_up", None, {"wpm": float("nan")}), InputError,
     "call record: delivery holds a number that is not finite (infinity or NaN)"),
    (lambda s, c: s.add_turn(c, TurnRecord(1, "trainee", "hi", extra={"audio": b"x"})),
     InputError, "turn 1 extra cannot be saved as JSON: Object of type bytes is not JSON "
     "serializable"),
    (lambda s, c: s.start_call("p", "P", None, None, None, "phone"), InputError,
     "call record: mode must be one of text, wav, mic, demo, drill, not 'phone'"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "error", "message"), WRONG_USE)
def test_wrong_use_is_refused_and_changes_nothing(store: CallStore, action, error, message):
    call = store.start_call("busy-cfo", "Dana", None, "ana", None, "text")
    store.add_turn(call.call_id, make_turn(0))
    before = store.get_call(call.call_id)
    with pytest.raises(error) as caught:
        action(store, call.call_id)
    assert str(caught.value) == message.format(c=call.call_id)
    assert store.get_call(call.call_id) == before
    assert len(store.list_calls()) == 1


def test_import_skips_ids_already_saved(tmp_path, store: CallStore):
    assert store.import_calls(RECORDS) == 3
    assert store.import_calls(RECORDS) == 0
    changed = make_record(RECORDS[0].call_id, "2030-01-01T00:00:00.000Z", trainee="zed")
    assert store.import_calls([changed, make_record("new", "2025-01-01T00:00:00.000Z")]) == 1
    assert store.get_call(RECORDS[0].call_id) == RECORDS[0]
    assert len(store.list_calls()) == 4


def test_merging_another_store(tmp_path):
    with CallStore.open(tmp_path / "laptop-a") as a, CallStore.open(tmp_path / "laptop-b") as b:
        a.import_calls(RECORDS[:2])
        b.import_calls(RECORDS[1:])
        assert a.import_calls(b.iter_calls()) == 1
        assert list(a.iter_calls()) == sorted(RECORDS, key=lambda r: r.started_at, reverse=True)


def test_damaged_row_is_a_storage_error(store: CallStore):
    store.import_calls(RECORDS[:1])
    raw = sqlite3.connect(store.path)
    raw.execute("UPDATE turns SET words = 'not json' WHERE idx = 1")
    raw.commit()
    raw.close()
    with pytest.raises(StorageError) as caught:
        store.get_call(RECORDS[0].call_id)
    assert str(caught.value) == (
        f"{store.path}: saved call {RECORDS[0].call_id} is damaged (Expecting value: line 1 "
        "column 1 (char 0)); export the other calls and move the file aside"
    )
    assert len(store.list_calls()) == 1
