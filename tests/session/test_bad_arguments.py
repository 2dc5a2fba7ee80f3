"""Command-line arguments that are not valid text, too long to echo, or out of range: one plain
line, a non-zero exit, no traceback and nothing saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.storage.calls import CallStore

runner = CliRunner()
UNDECODABLE = os.fsdecode(b"ann\xff")  # how Python hands over a Latin-1 "annÿ" typed in UTF-8
NOT_TEXT = ("is not valid UTF-8 text; type it again (check the terminal's encoding, e.g. "
            "LANG=C.UTF-8)")
LONG = "a" * 10_000
SHOWN = "a" * 60 + "…"


def saved_calls(data_dir) -> list:
    if not (data_dir / "callsim.db").exists():
        return []
    with CallStore.open(data_dir) as store:
        return store.list_calls()


NOT_TEXT_ARGS = [
    (["show", UNDECODABLE], "CALL_ID"),
    (["report", UNDECODABLE, "--html", "out.html"], "CALL_ID"),
    (["report", "--trainee", UNDECODABLE, "--html", "out.html"], "--trainee"),
    (["practice", "--persona", "covered-carl", "--text", "--trainee", UNDECODABLE], "--trainee"),
    (["practice", f"--persona={UNDECODABLE}", "--text"], "--persona"),
    (["drill", "--text", "--trainee", UNDECODABLE], "--trainee"),
    (["progress", "--trainee", UNDECODABLE], "--trainee"),
    (["history", "--trainee", UNDECODABLE], "--trainee"),
    (["workshop", "board", UNDECODABLE], "NAME"),
    (["workshop", "start", UNDECODABLE], "NAME"),
    (["personas", "show", UNDECODABLE], "ID"),
    (["score", UNDECODABLE], "TEXT"),
]


@pytest.mark.parametrize(("args", "name"), NOT_TEXT_ARGS, ids=[" ".join(a[:2]) for a, _ in
                                                                NOT_TEXT_ARGS])
def test_an_undecodable_name_is_refused_by_its_option_before_anything_runs(tmp_path, args, name):
    result = runner.invoke(app, args, input="Thanks!\n", env={"CALLSIM_HOME": str(tmp_path)})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"callsim: {name} {NOT_TEXT}\n"
    assert not (tmp_path / "callsim.db").exists()


def test_paths_may_hold_any_bytes(tmp_path):
    data_dir = tmp_path / UNDECODABLE
    replies = tmp_path / f"{UNDECODABLE}.jsonl"
    replies.write_text('{"text": "Thank you."}\n')
    scored = runner.invoke(app, ["score", "--jsonl", str(replies)])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["checks"]["gratitude"]["verdict"] == "pass"
    called = runner.invoke(app, ["practice", "--persona", "covered-carl", "--text", "--data-dir",
                                 str(data_dir)], input="Thanks!\n")
    assert called.exit_code == 0, called.output
    assert len(saved_calls(data_dir)) == 1


def run_callsim(*args: bytes | str, env=None) -> subprocess.CompletedProcess:
    """The real console entry point, with argument bytes as a terminal would pass them."""
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=120, check=False)


def test_the_console_script_refuses_undecodable_bytes_and_prints_paths_escaped(tmp_path):
    data = {"CALLSIM_HOME": str(tmp_path)}
    refused = run_callsim("progress", "--trainee", b"ann\xff", env=data)
    assert (refused.returncode, refused.stdout) == (2, b"")
    assert refused.stderr == f"callsim: --trainee {NOT_TEXT}\n".encode()
    missing = os.path.join(os.fsencode(tmp_path), b"reply\xff.wav")
    echoed = run_callsim("practice", "--persona", "covered-carl", "--no-voice", "--wav", missing,
                         env=data)
    assert echoed.returncode == 1
    assert echoed.stderr == f"callsim: no such WAV file: {tmp_path}/reply\\udcff.wav\n".encode()
    assert saved_calls(tmp_path) == []


LONG_ARGS = [
    (["practice", "--persona", LONG, "--text"],
     f"callsim: unknown persona '{SHOWN}'; available: absurd-al, covered-carl, "),
    (["personas", "show", LONG], f"callsim: unknown persona '{SHOWN}'; available: "),
    (["show", LONG], f"callsim: no call with id {SHOWN}; run `callsim history` to list calls"),
    (["report", LONG, "--html", "out.html"],
     f"callsim: no call with id {SHOWN}; run `callsim history` to list calls"),
    (["progress", "--trainee", LONG],
     f"callsim: no calls for trainee '{SHOWN}'; run `callsim history` to see trainees"),
    (["workshop", "board", LONG],
     f"callsim: no workshop named {SHOWN}; see `callsim workshop list`"),
    (["workshop", "end", LONG], f"callsim: no workshop named {SHOWN}; see `callsim workshop list`"),
    (["workshop", "start", LONG],
     f"callsim: workshop name {SHOWN} is too long (at most 60 characters)"),
    (["practice", "--persona", "covered-carl", "--no-voice", "--engine", LONG],
     f"callsim: unknown speech recognizer '{SHOWN}'; choose one of: vosk, pocketsphinx"),
]


@pytest.mark.parametrize(("args", "message"), LONG_ARGS, ids=[" ".join(a[:2])[:30] for a, _ in
                                                               LONG_ARGS])
def test_a_long_argument_is_echoed_cut_short(tmp_path, args, message):
    result = runner.invoke(app, args, env={"CALLSIM_HOME": str(tmp_path)})
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(message) and len(last) < 300
    assert LONG[:61] not in result.output
    assert saved_calls(tmp_path) == []


def test_history_cuts_a_long_trainee_name_short(tmp_path):
    result = runner.invoke(app, ["history", "--trainee", LONG, "--data-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"No calls saved for trainee '{SHOWN}' yet.")


@pytest.mark.parametrize("command", [["practice", "--persona", "covered-carl"], ["drill"]])
@pytest.mark.parametrize("seed", ["99999999999999999999999999", str(2**63), "-1"])
def test_a_seed_sqlite_cannot_hold_is_a_usage_error(tmp_path, command, seed):
    result = runner.invoke(app, [*command, "--text", "--seed", seed, "--data-dir",
                                 str(tmp_path)], input="Thanks!\n")
    assert result.exit_code == 2
    assert "Invalid value for '--seed'" in result.stderr
    assert "Traceback" not in result.output
    assert saved_calls(tmp_path) == []


def test_the_largest_seed_is_saved_and_read_back(tmp_path):
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--text", "--json",
                                 "--seed", str(2**63 - 1), "--data-dir", str(tmp_path)],
                           input="Thanks!\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["seed"] == 2**63 - 1
    (saved,) = saved_calls(tmp_path)
    with CallStore.open(tmp_path) as store:
        assert store.get_call(saved.call_id).seed == 2**63 - 1
