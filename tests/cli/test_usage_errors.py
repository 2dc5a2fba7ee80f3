"""A command line that cannot work is refused before anything of the call is shown: one line on
stderr, exit code 2 (a usage error), no briefing, nothing saved."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app

runner = CliRunner()
ENGINE = "callsim: unknown speech recognizer 'whisper'; choose one of: vosk, pocketsphinx\n"
# The commands that start calls, each as it would speak (--no-voice keeps the tests quiet).
CALLS = [["practice", "--persona", "covered-carl", "--no-voice"],
         ["practise", "--persona", "covered-carl", "--no-voice"],
         ["drill", "--no-voice"],
         ["demo", "--no-voice"]]


def refused(tmp_path, args: list[str], stdin: str = "Thanks!\n"):
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path / "data")], input=stdin)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert not (tmp_path / "data").exists()  # nothing saved, not even a data directory
    return result.stderr


@pytest.mark.parametrize("call", CALLS, ids=[c[0] for c in CALLS])
def test_an_unknown_engine_is_refused(tmp_path, call):
    assert refused(tmp_path, [*call, "--engine", "whisper"]) == ENGINE


@pytest.mark.parametrize("call", [["practice", "--text"], ["practice", "--no-voice"],
                                  ["practise", "--no-voice"], ["demo", "--no-voice"]])
def test_an_unknown_persona_is_refused(tmp_path, call):
    stderr = refused(tmp_path, [*call, "--persona", "dental-dana"])
    assert stderr.startswith("callsim: unknown persona 'dental-dana'; available: absurd-al, ")
    assert stderr.count("\n") == 1


@pytest.mark.parametrize("seed", ["-1", str(2**63), "soon"])
@pytest.mark.parametrize("call", [CALLS[0], ["drill", "--text"]], ids=["practice", "drill"])
def test_a_bad_seed_is_refused(tmp_path, call, seed):
    stderr = refused(tmp_path, [*call, "--seed", seed])
    assert stderr.splitlines()[-1].startswith("Error: Invalid value for '--seed': ")


@pytest.mark.sound
@pytest.mark.parametrize("call", CALLS, ids=[c[0] for c in CALLS])
@pytest.mark.parametrize(("option", "kind"), [("--input-device", "input"),
                                              ("--output-device", "output")])
def test_a_device_there_is_not_is_refused(tmp_path, call, option, kind):
    speaks = kind == "output" or call[0] == "demo"  # a demo listens only while it speaks
    args = [a for a in call if a != "--no-voice"] if speaks else call
    stderr = refused(tmp_path, [*args, option, "99"])
    assert stderr.startswith(f"callsim: no {kind} device number 99; available: ")
    assert stderr.count("\n") == 1


@pytest.mark.sound
def test_a_device_of_a_mode_that_does_not_use_it_is_not_looked_up(tmp_path):
    """--text uses neither microphone nor speakers; --no-voice no speakers."""
    for extra in (["--text", "--input-device", "99"], ["--text", "--output-device", "99"]):
        result = runner.invoke(app, ["practice", "--persona", "covered-carl", *extra,
                                     "--data-dir", str(tmp_path)], input="Thanks!\n")
        assert result.exit_code == 0, result.output
