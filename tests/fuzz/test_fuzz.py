"""Bad input anywhere gets a non-zero exit and a short plain message: no traceback, no hang, no
crash, and no saved call lost or changed.

A fixed seed and a moderate count of the generator in generate.py; `benchmarks/fuzz.py` runs
the same generator for hundreds more cases and counts the failures per family.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from random import Random

import pytest
import typer

import simulator.cli.app
from simulator.cli.app import CallsimGroup
from simulator.errors import InputError
from tests.fuzz.case import Case
from tests.fuzz.cli_cases import COMMANDS, S, Slot
from tests.fuzz.data_cases import damaged_flac_import_case
from tests.fuzz.generate import case_at, family_of
from tests.fuzz.judge import unclear
from tests.fuzz.materials import LAPTOP_CALLS, build_materials
from tests.fuzz.nasty import HUGE_DIGITS, shorten
from tests.fuzz.report import describe
from tests.fuzz.runner import run_case, warm_up

pytestmark = pytest.mark.fuzz

SEED = 20250301
COUNT = 252  # 14 rounds of the family schedule: about a minute on two cores


@pytest.fixture(scope="module")
def materials(tmp_path_factory):
    warm_up()
    return build_materials(tmp_path_factory.mktemp("fuzz-materials"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz-cases")


@pytest.mark.parametrize("index", range(COUNT), ids=[f"{family_of(i)}-{i}" for i in range(COUNT)])
def test_bad_input_gets_a_short_plain_answer_and_loses_nothing(materials, workdir, index):
    outcome = run_case(case_at(materials, SEED, index), materials, workdir)
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    assert not outcome.failures, describe(outcome)


BAD_SEEDS = ["abc", "-1", "1.5", "", "99999999999999999999", str(2**63), HUGE_DIGITS]
SEEDED = [t for t, _, _ in COMMANDS if "--seed" in t]  # practice, demo, drill


@pytest.mark.parametrize("seed", BAD_SEEDS, ids=[shorten(s, 12) for s in BAD_SEEDS])
@pytest.mark.parametrize("template", SEEDED, ids=[t[0] for t in SEEDED])
def test_a_bad_seed_gets_one_callsim_line(materials, workdir, template, seed):
    """Not click's usage block: --seed is read by callsim, as --end-silence is."""
    argv = [seed if t == S("seed", "1") else t.good if isinstance(t, Slot) else t
            for t in template]
    case = Case("seed", BAD_SEEDS.index(seed), 0, f"--seed {shorten(seed)}", tuple(argv),
                stdin=b"Thanks!\n", names=("callsim: --seed takes a whole number",))
    outcome = run_case(case, materials, workdir)
    assert (outcome.failures, outcome.exit_code) == ([], 2), describe(outcome)


@pytest.mark.parametrize("draw", range(3))
@pytest.mark.parametrize("kind", ["cut", "flip"])
def test_damaged_flac_in_a_sound_export_is_left_out_and_its_call_imported(materials, workdir,
                                                                          kind, draw):
    """FLAC cut or bit-flipped behind its intact marker: the import warns and goes on, and the
    runner finds no stored recording that does not play."""
    found = damaged_flac_import_case(Random(f"{SEED}:flac:{kind}:{draw}"), materials, kind)
    outcome = run_case(Case("flac", draw, SEED, **found), materials, workdir)
    assert (outcome.failures, outcome.exit_code) == ([], 0), describe(outcome)
    assert outcome.stderr == (f"callsim: warning: the recording of reply 1 of call "
                              f"{LAPTOP_CALLS[0][0]} in in.callsim is damaged; left out (the "
                              "call and its text are imported)\n"), describe(outcome)


# -- the harness sees each kind of failure ------------------------------------------------


def _wipe_calls() -> None:
    conn = sqlite3.connect("data/callsim.db")  # the case's directory is the working directory
    conn.execute("DELETE FROM turns")
    conn.commit()
    conn.close()


def _keep_damaged_audio() -> None:
    """A recording that starts like FLAC and is nothing more, stored with a typed reply."""
    conn = sqlite3.connect("data/callsim.db")
    call_id, index = conn.execute(
        "SELECT call_id, idx FROM turns t WHERE speaker = 'trainee' AND NOT EXISTS (SELECT 1 "
        "FROM recordings r WHERE r.call_id = t.call_id AND r.idx = t.idx) LIMIT 1").fetchone()
    conn.execute("INSERT INTO recordings VALUES (?, ?, 'flac', 16000, 0.5, ?)",
                 (call_id, index, b"fLaC" + bytes(200)))
    conn.commit()
    conn.close()


def _spin() -> None:
    while True:
        pass


def _long_error() -> None:
    raise InputError("the reply is " + "very " * 80 + "long")


MISBEHAVIOUR = [  # what the command does, what the harness must call it
    ("spins forever", _spin, "hang"),
    ("dies of SIGSEGV", lambda: os.kill(os.getpid(), signal.SIGSEGV), "crash"),
    ("raises KeyError", lambda: {}["missing"], "traceback"),
    ("deletes turns", _wipe_calls, "data lost"),
    ("says 400 characters", _long_error, "unclear message"),
    ("fails silently", lambda: (_ for _ in ()).throw(typer.Exit(1)), "unclear message"),
    ("accepts anything", lambda: None, "accepted bad input"),
    ("keeps a damaged recording", _keep_damaged_audio, "damaged audio kept"),
]


@pytest.mark.parametrize(("behaviour", "action", "kind"), MISBEHAVIOUR,
                         ids=[m[0] for m in MISBEHAVIOUR])
def test_the_harness_catches(materials, workdir, monkeypatch, behaviour, action, kind):
    app = typer.Typer(cls=CallsimGroup)
    app.command("misbehave")(lambda: action())
    app.command("other")(lambda: None)
    monkeypatch.setattr(simulator.cli.app, "app", app)  # the forked child imports it from there
    case = Case("harness", 0, 0, behaviour, ("misbehave",), expect="error")
    outcome = run_case(case, materials, workdir, limit=2)
    assert kind in [k for k, _ in outcome.failures], describe(outcome)


def _revise_a_reply(earlier: bool = True, extra: str | None = None) -> None:
    """What `correct` does to the first saved reply, keeping what it said in "earlier" or not;
    `extra` replaces the turn's extra JSON whole."""
    conn = sqlite3.connect("data/callsim.db")
    call_id, index, text, saved = conn.execute(
        "SELECT call_id, idx, text, extra FROM turns WHERE speaker = 'trainee' "
        "ORDER BY call_id, idx LIMIT 1").fetchone()
    kept = json.loads(saved)
    if earlier:
        kept["earlier"] = [*kept.get("earlier", []), {"text": text, "by": "pocketsphinx"}]
    conn.execute("UPDATE turns SET text = ?, extra = ? WHERE call_id = ? AND idx = ?",
                 ("what I really said", extra or json.dumps(kept), call_id, index))
    conn.commit()
    conn.close()


REVISIONS = [  # what a successful `correct` does to a saved call, what the harness calls it
    ("keeps the old text in earlier", _revise_a_reply, None),
    ("forgets the old text", lambda: _revise_a_reply(earlier=False), "data lost"),
    ("leaves the call unreadable", lambda: _revise_a_reply(extra="{not json"), "data lost"),
]


@pytest.mark.parametrize(("behaviour", "action", "kind"), REVISIONS,
                         ids=[r[0] for r in REVISIONS])
def test_a_correction_may_change_a_call_but_lose_nothing(materials, workdir, monkeypatch,
                                                         behaviour, action, kind):
    app = typer.Typer(cls=CallsimGroup)
    app.command("correct")(lambda: action())
    app.command("other")(lambda: None)
    monkeypatch.setattr(simulator.cli.app, "app", app)
    outcome = run_case(Case("harness", 0, 0, behaviour, ("correct",), expect="any"), materials,
                       workdir, limit=2)
    assert [k for k, _ in outcome.failures] == ([kind] if kind else []), describe(outcome)


MESSAGES = [  # message, why it is unclear (None: it is clear)
    ("callsim: no such file: a.jsonl", None),
    ("callsim: `callsim score` has no option --frob; see `callsim score --help`", None),
    ("Usage: callsim score [OPTIONS] [TEXT]\nTry 'callsim score --help' for help.\n\n"
     "Error: No such option: --frob", "3 lines (one 'callsim: ' line, or located 'path:line: ' "
                                      "lines)"),
    ("\n".join(f"p.yaml:{n}:3: unknown key 'x{n}'" for n in range(1, 23)), None),
    ("\n".join(f"p.yaml:{n}:3: unknown key 'x{n}'" for n in range(1, 24)),
     "23 lines (at most 22)"),
    ("", "no message at all"),
    ("callsim: one\ncallsim: two", "2 lines (one 'callsim: ' line, or located 'path:line: ' "
                                    "lines)"),
    ("No Vosk speech model is installed, so PocketSphinx is used\ncallsim: no such call",
     "2 lines (one 'callsim: ' line, or located 'path:line: ' lines)"),
    ("no such call", "a line that does not start with 'callsim: '"),
    ("Usage: callsim play [OPTIONS] CALL_ID\nError: Missing argument 'CALL_ID'.",
     "2 lines (one 'callsim: ' line, or located 'path:line: ' lines)"),
    ("Error: Option '--data-dir' requires an argument.",
     "a line that does not start with 'callsim: '"),
    ("callsim: " + "x" * 300, "a line of 309 characters (at most 300)"),
    ("callsim: ValueError: bad", "Python internals in the message ('ValueError')"),
    ("callsim: cannot read a ([Errno 2] No such file)",
     "Python internals in the message ('[Errno 2]')"),
    ("callsim: unknown persona '\x1b[2J'", "a raw control character '\\x1b' in the message"),
]


@pytest.mark.parametrize(("message", "why"), MESSAGES)
def test_what_counts_as_a_clear_message(message, why):
    assert unclear(message) == why
