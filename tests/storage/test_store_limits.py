"""Values the store cannot hold (beyond SQLite's integers, lone surrogates, deep nesting) are
refused in one line before anything is written, whichever way they come in."""

from __future__ import annotations

import pytest
from store_helpers import dump, make_record, make_turn
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.errors import InputError
from simulator.storage import CallStore, TurnRecord

TOO_BIG = 10**30
RANGE = "a whole number from -9223372036854775808 to 9223372036854775807"
SURROGATE = "is not valid Unicode text (it holds a lone surrogate)"


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


REFUSED = [  # what is tried on a store holding one call {c} with turn 0 -> the one line
    (lambda s, c: s.start_call("p", "P", 2**63), f"call record: seed must be {RANGE}"),
    (lambda s, c: s.start_call("p", "P", -(2**63) - 1), f"call record: seed must be {RANGE}"),
    (lambda s, c: s.start_call("p", "P", None, "an\udcffa"), f"call record: trainee {SURROGATE}"),
    (lambda s, c: s.add_turn(c, TurnRecord(2**63, "trainee", "hi")),
     f"call record: turn index must be {RANGE}"),
    (lambda s, c: s.add_turn(c, TurnRecord(1, "trainee", "a\ud800b")),
     f"call record: turn 1 text {SURROGATE}"),
    (lambda s, c: s.add_turn(c, TurnRecord(1, "trainee", "hi", extra=nested(40))),
     "call record: turn 1 extra nests deeper than 32 levels"),
    (lambda s, c: s.add_turn(c, TurnRecord(1, "trainee", "hi", extra={"also_heard": "hi"})),
     "call record: turn 1 extra.also_heard must be a list of texts (the recognizer's other "
     "hearings of the reply)"),
    (lambda s, c: s.add_turn(c, TurnRecord(1, "trainee", "hi", extra={"also_heard": [1]})),
     "call record: turn 1 extra.also_heard must be a list of texts (the recognizer's other "
     "hearings of the reply)"),
    (lambda s, c: s.finish_call(c, "hung_up", score=TOO_BIG),
     f"call record: score must be {RANGE}"),
    (lambda s, c: s.finish_call(c, "hung_up", {"score": TOO_BIG}),  # the score column's default
     f"call record: score must be {RANGE}"),
    (lambda s, c: s.finish_call(c, "hung_up", nested(33)),
     "call record: scorecard nests deeper than 32 levels"),
    (lambda s, c: s.finish_call(c, "hung_up", nested(10_000)),  # not a RecursionError
     "call record: scorecard nests deeper than 32 levels"),
    (lambda s, c: s.finish_call(c, "hung_up", {"\ud800": 1}),
     "call record: scorecard holds text that is not valid Unicode (a lone surrogate)"),
    (lambda s, c: s.import_calls([make_record("x", "2025-03-01T09:30:00.000Z",
                                              turns=[make_turn(0), make_turn(0)])]),
     "call record: call has two turns numbered 0"),
    # Past the records, the store's last guard: reads with values SQLite cannot take.
    (lambda s, c: s.list_calls(limit=TOO_BIG),
     f"a number is too large for {{path}}: it must be {RANGE}; give a smaller one"),
    (lambda s, c: s.list_calls(trainee="\udcff"),
     "text holding a lone surrogate (not valid Unicode, e.g. a badly encoded name) cannot be "
     "saved or searched; retype it"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "message"), REFUSED)
def test_unsavable_values_are_refused_and_change_nothing(store: CallStore, action, message):
    call = store.start_call("busy-cfo", "Dana", 7, "ana", None, "text")
    store.add_turn(call.call_id, make_turn(0))
    before = dump(store.path)
    with pytest.raises(InputError) as caught:
        action(store, call.call_id)
    assert str(caught.value) == message.format(path=store.path)
    assert dump(store.path) == before


def test_big_numbers_inside_json_columns_are_kept_exactly(store: CallStore):
    call = store.start_call("busy-cfo", "Dana", 7, "ana", None, "text")
    store.finish_call(call.call_id, "hung_up", {"score": 5, "samples": TOO_BIG}, {"n": -TOO_BIG})
    saved = store.get_call(call.call_id)
    assert (saved.scorecard, saved.delivery) == ({"score": 5, "samples": TOO_BIG}, {"n": -TOO_BIG})


SEEDS = ["99999999999999999999999999", "9223372036854775808", "-1"]  # SQLite holds none


@pytest.mark.parametrize("seed", SEEDS)
def test_practice_refuses_a_seed_it_could_not_save(tmp_path, seed):
    result = CliRunner().invoke(app, ["practice", "--persona", "covered-carl", "--text",
                                      "--seed", seed, "--data-dir", str(tmp_path)],
                                input="Thank you.\n")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (f"callsim: --seed takes a whole number from 0 to {2**63 - 1}, "
                             f"not {seed}; e.g. --seed 42 to get the same call again\n")
    assert not (tmp_path / "callsim.db").exists()  # refused before the call started


def test_the_largest_seed_is_saved(tmp_path):
    result = CliRunner().invoke(app, ["practice", "--persona", "covered-carl", "--text", "--json",
                                      "--seed", str(2**63 - 1), "--data-dir", str(tmp_path)],
                                input="Thank you.\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    with CallStore.open(tmp_path) as store:
        (saved,) = store.list_calls()
        assert store.get_call(saved.call_id).seed == 2**63 - 1
