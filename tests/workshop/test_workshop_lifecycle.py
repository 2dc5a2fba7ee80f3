"""A trainer opens a workshop, trainees' calls are tagged with it, the trainer ends it.

At most one workshop is open; names match ignoring case; practising during a workshop needs
the trainee's name.
"""

from __future__ import annotations

import json

import pytest
from workshop_helpers import call, callsim

from simulator.errors import InputError
from simulator.session.call import CallOptions
from simulator.storage import CallStore
from simulator.storage.workshops import (
    Workshop,
    check_name,
    end_workshop,
    list_workshops,
    start_workshop,
)

T = {n: f"2025-03-0{n}T09:00:00.000Z" for n in range(1, 8)}

# (action, name, time, what happens): "opened"/"reopened"/"ended" or the error line.
STEPS = [
    ("start", "lisbon", T[1], "opened lisbon"),
    ("start", "porto", T[2], "workshop lisbon is still open; end it first: callsim workshop end"),
    ("start", "LISBON", T[2], "workshop lisbon is already open (since 2025-03-01 09:00 UTC)"),
    ("end", "porto", T[2], "no workshop named porto; see `callsim workshop list`"),
    ("end", "Lisbon", T[3], "ended lisbon"),
    ("end", None, T[4], "no workshop is open; see `callsim workshop list`"),
    ("end", "lisbon", T[4], "workshop lisbon already ended at 2025-03-03 09:00 UTC"),
    ("start", "  porto ", T[4], "opened porto"),
    ("end", "lisbon", T[4], "workshop lisbon already ended at 2025-03-03 09:00 UTC"),
    ("end", None, T[5], "ended porto"),
    ("start", "Lisbon", T[6], "reopened lisbon"),
]


def test_workshops_open_one_at_a_time_end_and_reopen(store: CallStore):
    for action, name, now, expected in STEPS:
        try:
            if action == "start":
                workshop, reopened = start_workshop(store, name, now)
                outcome = f"{'reopened' if reopened else 'opened'} {workshop.name}"
            else:
                outcome = f"ended {end_workshop(store, name, now).name}"
        except InputError as exc:
            outcome = str(exc)
        assert (action, name, outcome) == (action, name, expected)
    assert store.active_workshop() == "lisbon"
    assert list_workshops(store) == [
        Workshop("porto", T[4], T[5]),
        Workshop("lisbon", T[1], None),  # reopened: first start kept, open again
    ]


def test_list_counts_calls_and_trainees_ignoring_case(store: CallStore):
    start_workshop(store, "lisbon", T[1])
    store.import_calls([
        call("c1", "ana", "busy-cfo", "hung_up", 10),
        call("c2", "ANA", "busy-cfo", "hung_up", 20, workshop="LISBON"),
        call("c3", "ben", "busy-cfo", None, None),
        call("c4", "ben", "busy-cfo", "hung_up", 5, workshop="porto",
             started_at="2025-02-01T10:00:00.000Z"),
        call("c5", "cleo", "busy-cfo", "hung_up", 5, workshop=None),
    ])  # fmt: skip
    end_workshop(store, None, T[2])
    assert list_workshops(store) == [
        Workshop("lisbon", T[1], T[2], calls=3, trainees=2),
        # only named by its call (tagged by hand): it spans that call
        Workshop("porto", "2025-02-01T10:00:00.000Z", "2025-02-01T10:00:00.000Z", 1, 1),
    ]


NAMES = [
    ("lisbon-2025", "lisbon-2025"),
    ("  Lisboa março  ", "Lisboa março"),
    ("", "a workshop needs a name, e.g. callsim workshop start lisbon-2025"),
    ("   ", "a workshop needs a name, e.g. callsim workshop start lisbon-2025"),
    ("x" * 61, f"workshop name {'x' * 60}… is too long (at most 60 characters)"),
    ("a\tb", "workshop name 'a\\tb' contains control characters; use letters, digits, spaces "
     "and dashes"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_workshop_names(name: str, expected: str):
    try:
        assert check_name(name) == expected
    except InputError as exc:
        assert str(exc) == expected


def test_cli_start_list_end(data):
    assert callsim("workshop", "list", "--data-dir", data).stdout == (
        "No workshops yet. Start one: callsim workshop start NAME\n")
    started = callsim("workshop", "start", "lisbon", "--data-dir", data)
    assert (started.exit_code, started.stdout) == (
        0, "workshop lisbon is open; each trainee practises with --trainee NAME\n")
    again = callsim("workshop", "start", "porto", "--data-dir", data)
    assert (again.exit_code, again.stderr) == (
        1, "callsim: workshop lisbon is still open; end it first: callsim workshop end\n")
    (listed,) = json.loads(callsim("workshop", "list", "--json", "--data-dir", data).stdout)
    assert (listed["name"], listed["ended_at"], listed["calls"]) == ("lisbon", None, 0)
    table = callsim("workshop", "list", "--data-dir", data).stdout
    assert "lisbon" in table and "open" in table
    ended = callsim("workshop", "end", "--data-dir", data)
    assert (ended.exit_code, ended.stdout) == (0, "workshop lisbon ended: 0 calls by 0 trainees\n")
    (listed,) = json.loads(callsim("workshop", "list", "--json", "--data-dir", data).stdout)
    assert listed["ended_at"] >= listed["started_at"]
    none_open = callsim("workshop", "end", "--data-dir", data)
    assert (none_open.exit_code, none_open.stderr) == (
        1, "callsim: no workshop is open; see `callsim workshop list`\n")


REPLIES = "Thank you for your honesty. What issues are you facing with dispatch?\n"


def practice(data, *extra: str):
    return callsim("practice", "--persona", "covered-carl", "--text", "--seed", "1", "--json",
                   "--data-dir", data, *extra, input=REPLIES)  # fmt: skip


def test_practice_calls_are_tagged_while_a_workshop_is_open(data):
    assert callsim("workshop", "start", "lisbon", "--data-dir", data).exit_code == 0
    tagged = json.loads(practice(data, "--trainee", "ana").stdout)
    explicit = json.loads(practice(data, "--trainee", "ben", "--workshop", "porto").stdout)
    assert callsim("workshop", "end", "--data-dir", data).exit_code == 0
    after = json.loads(practice(data, "--trainee", "ana").stdout)
    assert [(c["trainee"], c["workshop"]) for c in (tagged, explicit, after)] == [
        ("ana", "lisbon"), ("ben", "porto"), ("ana", None)]


@pytest.mark.parametrize("trainee", [[], ["--trainee", ""], ["--trainee", "  "]],
                         ids=["no --trainee", "empty", "blank"])  # fmt: skip
def test_practice_without_a_name_during_a_workshop_is_refused_and_saves_nothing(data, trainee):
    assert callsim("workshop", "start", "lisbon", "--data-dir", data).exit_code == 0
    refused = practice(data, *trainee)
    # Refused before anything else: no briefing, no prospect line.
    assert refused.exit_code == 1
    assert refused.stderr == (
        "callsim: workshop lisbon is open: give your name with --trainee NAME\n")
    assert refused.stdout == ""
    with CallStore.open(data) as store:
        assert store.list_calls() == []


OPTIONS = [  # options of a new call while workshop lisbon is open -> its workshop
    (CallOptions(trainee="ana"), "lisbon"),
    (CallOptions(trainee="ana", workshop="porto"), "porto"),
    (CallOptions(trainee=None, workshop="porto"), "porto"),
    (CallOptions(trainee="demo", mode="demo"), None),  # the trainer's demo joins no workshop
    (CallOptions(trainee="ana", mode="wav"), "lisbon"),
]


@pytest.mark.parametrize(("options", "expected"), OPTIONS)
def test_the_workshop_of_a_new_call(store: CallStore, options: CallOptions, expected):
    def workshop_of_new_call():
        return store.workshop_for(options.trainee, options.workshop, options.mode)

    assert workshop_of_new_call() == options.workshop  # none open: only the one given
    start_workshop(store, "lisbon")
    assert workshop_of_new_call() == expected
