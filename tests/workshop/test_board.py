"""The leaderboard: per trainee best score, calls, best per persona, outcomes; best first.

Equal best scores share a rank; names match ignoring case; calls of other workshops, of no
workshop, still running, or without a name are each counted where they belong; drill items
are not calls and are left out.
"""

from __future__ import annotations

import json
import random

import pytest
from workshop_helpers import call, callsim, runner

from simulator.cli.app import app
from simulator.errors import InputError
from simulator.storage import CallStore
from simulator.storage.board import BOARD_OUTCOMES, BoardRow, build_board, workshop_board
from simulator.storage.workshops import start_workshop

HISTORY = [  # call_id, trainee, persona, outcome, score, workshop
    ("c01", "ana", "busy-cfo", "meeting_agreed", 81, "lisbon"),
    ("c02", "ANA", "gatekeeper", "hung_up", 40, "lisbon"),
    ("c03", "ana", "busy-cfo", "opted_out", 55, "lisbon"),
    ("c04", "ben", "busy-cfo", "callback_agreed", 81, "lisbon"),
    ("c05", "ben", "gatekeeper", None, None, "lisbon"),  # still running
    ("c06", "cleo", "gatekeeper", "trainee_ended", 12, "lisbon"),
    ("c07", "cleo", "gatekeeper", "hung_up", 30, "lisbon"),
    ("c08", "dev", "busy-cfo", None, None, "lisbon"),  # no finished call: no rank
    ("c09", None, "busy-cfo", "interrupted", 5, "lisbon"),  # tagged without a name
    ("c10", "eve", "busy-cfo", "max_turns", 70, "LISBON"),  # the same workshop
    ("c11", "ana", "busy-cfo", "meeting_agreed", 99, "porto"),  # another workshop
    ("c12", "ben", "gatekeeper", "meeting_agreed", 100, None),  # no workshop
]
DRILL = ("c13", "cleo", "busy-cfo", "trainee_ended", 100, "lisbon")  # one reply, not a call

EXPECTED = [  # rank, trainee, best, calls, best per persona, outcomes (the others are 0)
    (1, "ANA", 81, 3, {"busy-cfo": 81, "gatekeeper": 40},
     {"meeting_agreed": 1, "hung_up": 1, "opted_out": 1}),
    (1, "ben", 81, 2, {"busy-cfo": 81, "gatekeeper": None},
     {"callback_agreed": 1, "unfinished": 1}),
    (3, "eve", 70, 1, {"busy-cfo": 70}, {"max_turns": 1}),
    (4, "cleo", 30, 2, {"gatekeeper": 30}, {"trainee_ended": 1, "hung_up": 1}),
    (5, None, 5, 1, {"busy-cfo": 5}, {"interrupted": 1}),
    (None, "dev", None, 1, {"busy-cfo": None}, {"unfinished": 1}),
]  # fmt: skip

CSV = (
    "rank,trainee,best_score,calls,best_busy-cfo,best_gatekeeper,hung_up,callback_agreed,"
    "meeting_agreed,opted_out,trainee_ended,max_turns,interrupted,error,unfinished\r\n"
    "1,ANA,81,3,81,40,1,0,1,1,0,0,0,0,0\r\n"
    "1,ben,81,2,81,,0,1,0,0,0,0,0,0,1\r\n"
    "3,eve,70,1,70,,0,0,0,0,0,1,0,0,0\r\n"
    "4,cleo,30,2,,30,1,0,0,0,1,0,0,0,0\r\n"
    "5,,5,1,5,,0,0,0,0,0,0,1,0,0\r\n"
    ",dev,,1,,,0,0,0,0,0,0,0,0,1\r\n"
)


def rows(board) -> list[tuple]:
    return [(r.rank, r.trainee, r.best_score, r.calls, r.persona_best,
             {k: v for k, v in r.outcomes.items() if v}) for r in board.rows]  # fmt: skip


@pytest.fixture(params=[0, 1, 2], ids=lambda seed: f"saved in order {seed}")
def history(request, store: CallStore) -> CallStore:
    """HISTORY saved in a shuffled order, in a workshop named "Lisbon"."""
    start_workshop(store, "Lisbon", "2025-03-01T09:00:00.000Z")
    calls = [call(i, t, p, o, s, w, f"2025-03-01T09:{n:02d}:00.000Z")
             for n, (i, t, p, o, s, w) in enumerate(HISTORY)]  # fmt: skip
    calls.append(call(*DRILL, mode="drill"))
    random.Random(request.param).shuffle(calls)
    store.import_calls(calls)
    return store


def test_board_rows(history: CallStore):
    board = workshop_board(history, "lisbon")
    assert (board.workshop, board.personas) == ("Lisbon", ("busy-cfo", "gatekeeper"))
    assert rows(board) == EXPECTED


def test_board_csv_is_exact(history: CallStore):
    assert workshop_board(history, "LISBON").csv_text() == CSV


RANKS = [  # best score per trainee, in any order -> (trainee, rank) best first
    ({"a": 90, "b": 80, "c": 70}, [("a", 1), ("b", 2), ("c", 3)]),
    ({"b": 90, "a": 90, "c": 80}, [("a", 1), ("b", 1), ("c", 3)]),
    ({"a": 50, "b": 50, "c": 50}, [("a", 1), ("b", 1), ("c", 1)]),
    ({"b": None, "a": 0, "c": 10}, [("c", 1), ("a", 2), ("b", None)]),
    ({"Bo": 60, "al": 60, "AL": 60}, [("AL", 1), ("Bo", 1)]),  # al and AL: one trainee
]


@pytest.mark.parametrize(("best", "expected"), RANKS)
def test_ranks(best: dict, expected: list):
    groups = [(name, "busy-cfo", "hung_up", 1, score) for name, score in best.items()]
    assert [(r.trainee, r.rank) for r in build_board("w", groups).rows] == expected


def test_empty_and_unknown_workshops(store: CallStore):
    start_workshop(store, "lisbon")
    board = workshop_board(store, "lisbon")
    assert (board.workshop, board.personas, board.rows) == ("lisbon", (), [])
    assert board.csv_text() == (
        "rank,trainee,best_score,calls," + ",".join(BOARD_OUTCOMES) + "\r\n")
    with pytest.raises(InputError) as caught:
        workshop_board(store, "porto")
    assert str(caught.value) == "no workshop named porto; see `callsim workshop list`"


def test_board_row_json():
    row = BoardRow("ana", 2, 81, {"gatekeeper": None, "busy-cfo": 81}, rank=1)
    row.outcomes["meeting_agreed"] = 2
    assert row.to_json() == {
        "rank": 1, "trainee": "ana", "best_score": 81, "calls": 2,
        "persona_best": {"busy-cfo": 81, "gatekeeper": None},
        "outcomes": {"hung_up": 0, "callback_agreed": 0, "meeting_agreed": 2, "opted_out": 0,
                     "trainee_ended": 0, "max_turns": 0, "interrupted": 0, "error": 0,
                     "unfinished": 0},
    }  # fmt: skip


# -- the command ---------------------------------------------------------------------------


def cells(line: str, bar: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip(bar).split(bar)]


def test_cli_board_table_lists_trainees_best_first(history: CallStore, data):
    result = runner.invoke(app, ["workshop", "board", "lisbon", "--data-dir", str(data)],
                           env={"COLUMNS": "160"})  # a projector: no cell wraps
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Lisbon leaderboard"
    assert cells(lines[2], "┃") == [
        "#", "Trainee", "Best", "Calls", "busy-cfo", "gatekeeper", "Outcomes"]
    assert [cells(line, "│") for line in lines[4:-1]] == [
        ["1", "ANA", "81", "3", "81", "40", "1 hung up, 1 meeting, 1 opted out"],
        ["1", "ben", "81", "2", "81", "-", "1 callback, 1 unfinished"],
        ["3", "eve", "70", "1", "70", "", "1 max turns"],
        ["4", "cleo", "30", "2", "", "30", "1 hung up, 1 ended"],
        ["5", "(no name)", "5", "1", "5", "", "1 interrupted"],
        ["-", "dev", "-", "1", "-", "", "1 unfinished"],
    ]


def test_cli_board_json_and_default_workshop(history: CallStore, data):
    result = callsim("workshop", "board", "--json", "--data-dir", data)  # the open one
    board = json.loads(result.stdout)
    assert (board["workshop"], board["personas"]) == ("Lisbon", ["busy-cfo", "gatekeeper"])
    assert [(t["rank"], t["trainee"], t["best_score"], t["calls"], t["persona_best"],
             {k: v for k, v in t["outcomes"].items() if v}) for t in board["trainees"]
            ] == EXPECTED  # fmt: skip


def test_cli_board_csv_file(history: CallStore, data, tmp_path):
    target = tmp_path / "board.csv"
    target.write_text("an older board")
    result = callsim("workshop", "board", "lisbon", "--csv", target, "--data-dir", data)
    assert (result.exit_code, result.stdout) == (
        0, f"wrote the board of 6 trainees to {target}\n")
    assert target.read_bytes() == b"\xef\xbb\xbf" + CSV.encode()  # UTF-8 with a BOM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.csv", "data"]  # no leftovers


def test_cli_board_errors_are_one_line(history: CallStore, data, tmp_path):
    cases = [
        (["faro"], "callsim: no workshop named faro; see `callsim workshop list`"),
        (["lisbon", "--csv", str(tmp_path / "missing" / "b.csv")],
         f"callsim: cannot write {tmp_path / 'missing' / 'b.csv'} (No such file or directory); "
         "choose a file in a writable directory"),
        (["lisbon", "--csv", str(tmp_path)],
         f"callsim: cannot write {tmp_path}: it is a directory; give a file name"),
    ]  # fmt: skip
    for args, message in cases:
        result = callsim("workshop", "board", *args, "--data-dir", data)
        assert (result.exit_code, result.stderr) == (1, message + "\n")
    callsim("workshop", "end", "--data-dir", data)
    result = callsim("workshop", "board", "--data-dir", data)
    assert result.stderr == "callsim: no workshop is open; name one: callsim workshop board NAME\n"
