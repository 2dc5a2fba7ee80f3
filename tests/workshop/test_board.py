"""The leaderboard: per trainee calls, best, latest, improvement; ranked by latest score, then
improvement, then best.

Names match ignoring case; calls of other workshops or of no workshop, unfinished calls, demo
calls, calls without a reply and drill items are left out; calls saved without a name are one
line of their own.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from workshop_helpers import call, callsim, runner

from simulator.cli.app import app
from simulator.errors import InputError
from simulator.storage import CallStore
from simulator.storage.board import BOARD_OUTCOMES, BoardRow, build_board, workshop_board
from simulator.storage.queries import CallFacts
from simulator.storage.workshops import start_workshop

HISTORY = [  # call_id, trainee, persona, outcome, score, workshop; saved a minute apart
    ("c01", "ana", "busy-cfo", "meeting_agreed", 81, "lisbon"),
    ("c02", "ANA", "gatekeeper", "hung_up", 40, "lisbon"),
    ("c03", "ana", "busy-cfo", "opted_out", 55, "lisbon"),
    ("c04", "ben", "busy-cfo", "callback_agreed", 81, "lisbon"),
    ("c05", "ben", "gatekeeper", None, None, "lisbon"),  # still running: not counted
    ("c06", "cleo", "gatekeeper", "trainee_ended", 12, "lisbon"),
    ("c07", "cleo", "gatekeeper", "hung_up", 30, "lisbon"),
    ("c08", "dev", "busy-cfo", None, None, "lisbon"),  # no finished call: no line
    ("c09", None, "busy-cfo", "interrupted", 5, "lisbon"),  # tagged without a name
    ("c10", "eve", "busy-cfo", "max_turns", 70, "LISBON"),  # the same workshop
    ("c11", "ana", "busy-cfo", "meeting_agreed", 99, "porto"),  # another workshop
    ("c12", "ben", "gatekeeper", "meeting_agreed", 100, None),  # no workshop
]
DRILL = ("c13", "cleo", "busy-cfo", "answered", 100, "lisbon")  # one reply, not a call
NO_REPLY = ("c14", "fay", "busy-cfo", "interrupted", 0, "lisbon")  # Ctrl-C before replying
DEMO = ("c15", "gus", "busy-cfo", "hung_up", 90, "lisbon")

EXPECTED = [  # rank, trainee, calls, best, latest, improvement, best per persona, outcomes
    (1, "ben", 1, 81, 81, None, {"busy-cfo": 81}, {"callback_agreed": 1}),
    (2, "eve", 1, 70, 70, None, {"busy-cfo": 70}, {"max_turns": 1}),
    (3, "ANA", 3, 81, 55, -26, {"busy-cfo": 81, "gatekeeper": 40},
     {"meeting_agreed": 1, "hung_up": 1, "opted_out": 1}),
    (4, "cleo", 2, 30, 30, 18, {"gatekeeper": 30}, {"trainee_ended": 1, "hung_up": 1}),
    (5, None, 1, 5, 5, None, {"busy-cfo": 5}, {"interrupted": 1}),
]  # fmt: skip

CSV = (
    "rank,trainee,calls,best_score,latest_score,improvement,best_busy-cfo,best_gatekeeper,"
    "hung_up,callback_agreed,meeting_agreed,opted_out,trainee_ended,max_turns,interrupted,"
    "error\r\n"
    "1,ben,1,81,81,,81,,0,1,0,0,0,0,0,0\r\n"
    "2,eve,1,70,70,,70,,0,0,0,0,0,1,0,0\r\n"
    "3,ANA,3,81,55,-26,81,40,1,0,1,1,0,0,0,0\r\n"
    "4,cleo,2,30,30,18,,30,1,0,0,0,1,0,0,0\r\n"
    "5,,1,5,5,,5,,0,0,0,0,0,0,1,0\r\n"
)


def rows(board) -> list[tuple]:
    return [(r.rank, r.trainee, r.calls, r.best_score, r.latest_score, r.improvement,
             r.persona_best, {k: v for k, v in r.outcomes.items() if v}) for r in board.rows]


@pytest.fixture(params=[0, 1, 2], ids=lambda seed: f"saved in order {seed}")
def history(request, store: CallStore) -> CallStore:
    """HISTORY (and calls that do not count) saved in a shuffled order, in workshop "Lisbon"."""
    start_workshop(store, "Lisbon", "2025-03-01T09:00:00.000Z")
    calls = [call(i, t, p, o, s, w, f"2025-03-01T09:{n:02d}:00.000Z")
             for n, (i, t, p, o, s, w) in enumerate(HISTORY)]  # fmt: skip
    calls.append(call(*DRILL, mode="drill"))
    calls.append(call(*NO_REPLY, turn_count=1))  # the prospect spoke, the trainee never did
    calls.append(call(*DEMO, mode="demo"))
    random.Random(request.param).shuffle(calls)
    store.import_calls(calls)
    return store


def test_board_rows(history: CallStore):
    board = workshop_board(history, "lisbon")
    assert (board.workshop, board.personas) == ("Lisbon", ("busy-cfo", "gatekeeper"))
    assert rows(board) == EXPECTED


def test_board_csv_is_exact(history: CallStore):
    assert workshop_board(history, "LISBON").csv_text() == CSV


RANKS = [  # scores per trainee, oldest first -> (trainee, rank), first place first
    ({"a": [90], "b": [80], "c": [70]}, [("a", 1), ("b", 2), ("c", 3)]),
    # The latest score counts, not a lucky early best.
    ({"a": [95, 60], "b": [70]}, [("b", 1), ("a", 2)]),
    # Equal latest: the one who improved more first; no improvement yet counts as 0.
    ({"a": [80], "b": [40, 80], "c": [90, 80]}, [("b", 1), ("a", 2), ("c", 3)]),
    # Equal latest and improvement: the better best score first.
    ({"a": [50, 90, 60], "b": [50, 60]}, [("a", 1), ("b", 2)]),
    ({"b": [50], "a": [50], "c": [50]}, [("a", 1), ("b", 1), ("c", 1)]),  # all equal: shared
    ({"b": [None], "a": [0], "c": [10]}, [("c", 1), ("a", 2), ("b", None)]),  # no score
    ({"Bo": [60], "al": [60], "AL": [60]}, [("AL", 1), ("Bo", 1)]),  # al and AL: one trainee
]


def facts(scores: dict[str, list[int | None]]) -> list[CallFacts]:
    """One counted call per score, the trainees' calls interleaved in time."""
    calls = [(n, name, score) for name, series in scores.items()
             for n, score in enumerate(series)]
    return [CallFacts(f"c{i}", f"2025-03-01T09:{n:02d}:{i:02d}.000Z", name, "busy-cfo",
                      "Busy Cfo", "text", "hung_up", score, (None,) * 10, None)
            for i, (n, name, score) in enumerate(sorted(calls))]  # fmt: skip


@pytest.mark.parametrize(("scores", "expected"), RANKS)
def test_ranks(scores: dict, expected: list):
    assert [(r.trainee, r.rank) for r in build_board("w", facts(scores)).rows] == expected


def test_empty_and_unknown_workshops(store: CallStore):
    start_workshop(store, "lisbon")
    board = workshop_board(store, "lisbon")
    assert (board.workshop, board.personas, board.rows) == ("lisbon", (), [])
    assert board.csv_text() == ("rank,trainee,calls,best_score,latest_score,improvement,"
                                + ",".join(BOARD_OUTCOMES) + "\r\n")
    with pytest.raises(InputError) as caught:
        workshop_board(store, "porto")
    assert str(caught.value) == "no workshop named porto; see `callsim workshop list`"


def test_board_row_json():
    row = BoardRow("ana", 3, [40, 81, 55], {"gatekeeper": None, "busy-cfo": 81}, rank=1)
    row.outcomes["meeting_agreed"] = 2
    assert row.to_json() == {
        "rank": 1, "trainee": "ana", "calls": 3, "best_score": 81, "first_score": 40,
        "latest_score": 55, "improvement": 15,
        "persona_best": {"busy-cfo": 81, "gatekeeper": None},
        "outcomes": {"hung_up": 0, "callback_agreed": 0, "meeting_agreed": 2, "opted_out": 0,
                     "trainee_ended": 0, "max_turns": 0, "interrupted": 0, "error": 0},
    }  # fmt: skip


# -- the command ---------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TERMINAL_80 = {"TTY_COMPATIBLE": "1", "COLUMNS": "80", "LINES": "40"}  # rich: a real terminal
RANK_NOTE = "Ranked by latest score, then improvement (latest minus first), then best score."


def board_lines(data, *args: str, env: dict[str, str] | None = None) -> list[str]:
    result = runner.invoke(app, ["workshop", "board", "lisbon", *args, "--data-dir", str(data)],
                           env=env or {})
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout).splitlines()


def cells(line: str, bar: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip(bar).split(bar)]


def test_cli_board_fits_an_80_column_terminal(history: CallStore, data):
    lines = board_lines(data, env=TERMINAL_80)
    assert lines[0].strip() == "Lisbon leaderboard"
    assert cells(lines[2], "┃") == ["#", "Trainee", "Calls", "Best", "Latest", "Improvement"]
    assert [cells(line, "│") for line in lines[4:-2]] == [
        ["1", "ben", "1", "81", "81", "-"],
        ["2", "eve", "1", "70", "70", "-"],
        ["3", "ANA", "3", "81", "55", "-26"],
        ["4", "cleo", "2", "30", "30", "+18"],
        ["5", "(no name)", "1", "5", "5", "-"],
    ]
    assert lines[-1] == RANK_NOTE
    assert max(map(len, lines)) <= 80 and "…" not in "".join(lines)


def long_history(store: CallStore) -> None:
    """A workshop whose names and persona ids are far longer than an 80-column screen likes."""
    start_workshop(store, "lisbon", "2025-03-01T09:00:00.000Z")
    names = ["Maximiliana Fernández-Oliveira de Vasconcelos", "Jean-Baptiste Emmanuel Zorg",
             "Bo"]
    personas = ["covered-carl-the-procurement-director", "gatekeeper-gina-at-the-front-desk",
                "busy-cfo"]
    store.import_calls([
        call(f"c{n:02d}", names[n % 3], personas[n % 3], outcome, 10 + 7 * n, "lisbon",
             f"2025-03-01T09:{n:02d}:00.000Z")
        for n, outcome in enumerate(["callback_agreed", "opted_out", "hung_up", "trainee_ended",
                                     "meeting_agreed", "max_turns", "interrupted", "error"])])


HEADERS = ["#", "Trainee", "Calls", "Best", "Latest", "Improvement"]
WIDE_HEADERS = [*HEADERS, "busy-cfo", "covered-carl-the-procurement-director",
                "gatekeeper-gina-at-the-front-desk", "Outcomes"]


@pytest.mark.parametrize(("args", "env", "headers", "widest", "one_line"), [
    ((), TERMINAL_80, HEADERS, 80, False),  # a terminal: long names wrap within 80 columns
    ((), {"COLUMNS": "40"}, HEADERS, None, True),  # piped: a row per line, however wide
    (("--wide",), TERMINAL_80, WIDE_HEADERS, None, False),  # too wide for 80: wider, not cut
    (("--wide",), {}, WIDE_HEADERS, None, True),
], ids=["terminal", "piped", "wide terminal", "wide piped"])
def test_cli_board_never_cuts_a_header_or_a_name(store: CallStore, data, args, env, headers,
                                                  widest, one_line):
    long_history(store)
    lines = board_lines(data, *args, env=env)
    assert cells(lines[2], "┃") == headers
    assert "…" not in "".join(lines)
    table = [cells(line, "│") for line in lines[4:-2]]
    names = "".join("".join(row[1] for row in table).split())
    for name in ("Maximiliana Fernández-Oliveira de Vasconcelos", "Jean-Baptiste Emmanuel Zorg"):
        assert "".join(name.split()) in names  # wrapped perhaps, never cut
    assert len(set(map(len, lines[1:-2]))) == 1  # every table line whole, none cropped
    if widest is not None:
        assert max(map(len, lines)) <= widest
    assert (len(table) == 3) == one_line


def test_cli_board_table_lists_trainees_best_first(history: CallStore, data):
    lines = board_lines(data, "--wide", env={"COLUMNS": "160"})  # a projector: no cell wraps
    assert lines[0].strip() == "Lisbon leaderboard"
    assert cells(lines[2], "┃") == [*HEADERS, "busy-cfo", "gatekeeper", "Outcomes"]
    assert [cells(line, "│") for line in lines[4:-2]] == [
        ["1", "ben", "1", "81", "81", "-", "81", "", "1 callback"],
        ["2", "eve", "1", "70", "70", "-", "70", "", "1 max turns"],
        ["3", "ANA", "3", "81", "55", "-26", "81", "40", "1 hung up, 1 meeting, 1 opted out"],
        ["4", "cleo", "2", "30", "30", "+18", "", "30", "1 hung up, 1 ended"],
        ["5", "(no name)", "1", "5", "5", "-", "5", "", "1 interrupted"],
    ]


def test_cli_board_json_and_default_workshop(history: CallStore, data):
    result = callsim("workshop", "board", "--json", "--data-dir", data)  # the open one
    board = json.loads(result.stdout)
    assert (board["workshop"], board["personas"]) == ("Lisbon", ["busy-cfo", "gatekeeper"])
    assert [(t["rank"], t["trainee"], t["calls"], t["best_score"], t["latest_score"],
             t["improvement"], t["persona_best"], {k: v for k, v in t["outcomes"].items() if v})
            for t in board["trainees"]] == EXPECTED  # fmt: skip
    assert board["rank_rule"] == ("rank: latest score, then improvement (latest minus first "
                                  "score), then best score")


def test_cli_board_csv_file(history: CallStore, data, tmp_path):
    target = tmp_path / "board.csv"
    target.write_text("an older board")
    result = callsim("workshop", "board", "lisbon", "--csv", target, "--data-dir", data)
    assert (result.exit_code, result.stdout) == (
        0, f"wrote the board of 5 trainees to {target}\n")
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
