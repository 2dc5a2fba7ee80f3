"""What counts in progress: demo calls and calls without a reply stay in history, marked, and are
left out of progress and trends; history and progress filter by workshop and persona; a filter
that matches nothing is one stderr line and exit 1 everywhere (with --json, the empty result)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from tests.progress.histories import call, save

runner = CliRunner()


def calls():
    return [
        call(0, score=40),
        call(1, score=17, replied=False, outcome="trainee_ended"),  # a silent microphone
        call(2, score=90, mode="demo", trainee="demo"),
        call(3, score=60, outcome="interrupted"),  # interrupted after a reply: counts
        call(4, score=80, persona="gatekeeper-gail", mode="drill", outcome="answered"),
        call(5, score=None, outcome=None),  # still running
    ]


def run(tmp_path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(tmp_path)])


def test_history_keeps_every_call_and_marks_those_left_out(tmp_path):
    save(tmp_path, calls())
    result = run(tmp_path, "history")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()[1:7]
    marks = [row.partition("not counted: ")[2] or row.split()[-3] for row in rows]
    assert marks == ["unfinished", "answered", "interrupted", "demo", "no reply", "hung_up"]
    assert result.stdout.splitlines()[-1] == (
        "(calls marked 'not counted' are left out of progress, trends and boards)")


def test_history_json_says_which_calls_count(tmp_path):
    save(tmp_path, calls())
    rows = json.loads(run(tmp_path, "history", "--json").stdout)
    assert [(row["outcome"], row["replies"], row["counted"]) for row in rows] == [
        (None, 1, False), ("answered", 1, True), ("interrupted", 1, True), ("hung_up", 1, False),
        ("trainee_ended", 0, False), ("hung_up", 1, True)]


def test_progress_counts_only_calls_with_a_reply_and_no_demo(tmp_path):
    save(tmp_path, calls())
    data = json.loads(run(tmp_path, "progress", "--json").stdout)
    assert data["calls"] == 3
    assert [point["value"] for point in data["score"]["series"]] == [40, 60, 80]
    assert data["drills"] == 1
    outcomes = {row["persona"]: row["outcomes"] for row in data["outcomes"]}
    assert outcomes == {"covered-carl": {"hung_up": 1, "interrupted": 1},
                        "gatekeeper-gail": {"answered": 1}}


def test_a_call_hung_up_before_any_reply_is_saved_but_not_counted(tmp_path):
    done = run(tmp_path, "practice", "--persona", "covered-carl", "--text", "--seed", "1",
               "--trainee", "ana")
    assert done.exit_code == 0, done.output
    listed = run(tmp_path, "history")
    assert listed.stdout.splitlines()[1].endswith("not counted: no reply")
    result = run(tmp_path, "progress", "--trainee", "ana")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "callsim: no calls count in progress for trainee 'ana' yet (demo calls and calls "
        "without a reply are left out); run `callsim history` to see every saved call\n")


def workshop_calls():
    return [call(0, score=30), call(1, score=70, persona="gatekeeper-gail"),
            call(2, score=50, trainee="bob")]


def test_history_and_progress_filter_by_workshop_and_persona(tmp_path):
    save(tmp_path, workshop_calls())
    with_workshop = [call(10 + n, score=90) for n in range(2)]
    for record in with_workshop:
        object.__setattr__(record, "workshop", "Lisbon")
    save(tmp_path, with_workshop)
    history = json.loads(run(tmp_path, "history", "--json", "--workshop", "LISBON").stdout)
    assert [row["call_id"] for row in history] == [c.call_id for c in reversed(with_workshop)]
    history = json.loads(run(tmp_path, "history", "--json", "--persona", "gatekeeper-gail").stdout)
    assert [row["score"] for row in history] == [70]
    progress = json.loads(run(tmp_path, "progress", "--json", "--workshop", "lisbon").stdout)
    assert progress["calls"] == 2
    progress = json.loads(run(tmp_path, "progress", "--json", "--persona", "covered-carl",
                              "--trainee", "ana").stdout)
    assert [point["value"] for point in progress["score"]["series"]] == [30, 90, 90]


NOTHING = "run `callsim history` to see what is saved\n"


@pytest.mark.parametrize(("args", "stdout", "stderr"), [
    (["history", "--trainee", "zoe"], "", f"callsim: no calls for trainee 'zoe'; {NOTHING}"),
    (["history", "--trainee", "zoe", "--json"], "[]\n",
     f"callsim: no calls for trainee 'zoe'; {NOTHING}"),
    (["history", "--workshop", "Oslo", "--persona", "covered-carl"], "",
     f"callsim: no calls for workshop 'Oslo', persona 'covered-carl'; {NOTHING}"),
    (["progress", "--persona", "absurd-al"], "",
     f"callsim: no calls for persona 'absurd-al'; {NOTHING}"),
    (["report", "--trainee", "zoe", "--html", "r.html"], "",
     f"callsim: no calls for trainee 'zoe'; {NOTHING}"),
    (["export", "r.html", "--trainee", "zoe"], "",
     f"callsim: no calls for trainee 'zoe'; {NOTHING}"),
    (["export", "r.html", "--workshop", "oslo", "--trainee", "ana"], "",
     "callsim: no workshop named oslo; see `callsim workshop list`\n"),
])
def test_nothing_found_is_one_line_and_exit_1_everywhere(tmp_path, monkeypatch, args, stdout,
                                                         stderr):
    save(tmp_path, workshop_calls())
    monkeypatch.chdir(tmp_path)
    result = run(tmp_path, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, stdout, stderr)
    assert not (tmp_path / "r.html").exists()  # no empty report, no empty export


@pytest.mark.parametrize("command", ["history", "progress"])
def test_an_empty_store_says_how_to_start(tmp_path, command):
    result = run(tmp_path, command)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("callsim: no calls saved yet; start one: callsim practice --persona "
                             "covered-carl --text\n")
