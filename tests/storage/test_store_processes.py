"""Real processes: a killed call keeps every turn said; two writers at once lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from store_helpers import python

from simulator.storage import CallStore

KILLED_CALL = """
import sys
from simulator.storage import CallStore, TurnRecord

store = CallStore.open(sys.argv[1])
call = store.start_call("busy-cfo", "Dana Ortiz", 11, "ana", "lisbon", "mic")
for i in range(int(sys.argv[2])):
    speaker = "prospect" if i % 2 == 0 else "trainee"
    store.add_turn(call.call_id, TurnRecord(i, speaker, f"turn {i} of the killed call"))
print(call.call_id, flush=True)
sys.stdin.read()  # blocks until killed
"""


@pytest.mark.parametrize("turns", [0, 1, 25])
def test_killed_process_loses_no_turn(tmp_path: Path, turns: int):
    process = python(KILLED_CALL, str(tmp_path), str(turns),
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    try:
        call_id = process.stdout.readline().strip()
        assert call_id, "the writer died before saving"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert (tmp_path / "callsim.db-wal").exists()  # not closed cleanly: SQLite recovers the log
    with CallStore.open(tmp_path) as store:
        call = store.get_call(call_id)
        expected = [f"turn {i} of the killed call" for i in range(turns)]
        assert [t.text for t in call.turns] == expected
        assert [t.speaker for t in call.turns] == ["prospect", "trainee"] * (turns // 2) + (
            ["prospect"] if turns % 2 else []
        )
        assert (call.outcome, call.ended_at, call.trainee) == (None, None, "ana")
        assert store.list_calls()[0].turns == turns
        store.finish_call(call_id, "interrupted")
        assert store.get_call(call_id).outcome == "interrupted"


WRITER = """
import sys, time
from pathlib import Path
from simulator.storage import CallStore, TurnRecord, utc_timestamp

data, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
go = Path(data).parent / "go"
print("ready", flush=True)
while not go.exists():  # both start opening and writing at the same moment
    time.sleep(0.001)
with CallStore.open(data) as store:
    call = store.start_call("busy-cfo", "Dana", None, name, "lisbon", "text")
    for i in range(count):
        now = utc_timestamp()
        store.add_turn(call.call_id, TurnRecord(i, "trainee", f"{name} {i}", now, now))
        time.sleep(0.002)  # a pause between turns, as in a call, lets the other writer in
    print(call.call_id, flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    data, count = tmp_path / "data", 200
    writers = {
        name: python(WRITER, str(data), name, str(count), stdout=subprocess.PIPE)
        for name in ("ana", "ben")
    }
    for process in writers.values():
        assert process.stdout.readline() == "ready\n"
    (tmp_path / "go").touch()
    call_ids = {}
    for name, process in writers.items():
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        call_ids[name] = out.strip()
    with CallStore.open(data) as store:
        calls = {name: store.get_call(call_id) for name, call_id in call_ids.items()}
        assert sorted(s.turns for s in store.list_calls()) == [count, count]
    for name, call in calls.items():
        assert call.trainee == name
        assert [t.text for t in call.turns] == [f"{name} {i}" for i in range(count)]
    ana, ben = (calls[name].turns for name in ("ana", "ben"))
    # The two writers really ran at the same time: their turn times overlap.
    assert ana[0].started_at <= ben[-1].started_at and ben[0].started_at <= ana[-1].started_at
