"""A command line that cannot work is refused before anything of the call is shown: one line on
stderr, exit code 2 (a usage error), no briefing, nothing saved."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app

runner = CliRunner()
ENGINE = "callsim: unknown speech recognizer 'kaldi'; choose one of: whisper, vosk, pocketsphinx\n"
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
    assert refused(tmp_path, [*call, "--engine", "kaldi"]) == ENGINE


@pytest.mark.parametrize("call", [["practice", "--text"], ["practice", "--no-voice"],
                                  ["practise", "--no-voice"], ["demo", "--no-voice"]])
def test_an_unknown_persona_is_refused(tmp_path, call):
    stderr = refused(tmp_path, [*call, "--persona", "dental-dana"])
    assert stderr.startswith("callsim: unknown persona 'dental-dana'; available: absurd-al, ")
    assert stderr.count("\n") == 1


SEED = ("callsim: --seed takes a whole number from 0 to 9223372036854775807, not {}; "
        "e.g. --seed 42 to get the same call again\n")
BAD_SEEDS = [  # --seed as typed -> as the message quotes it
    ("abc", "abc"), ("-1", "-1"), ("99999999999999999999", "99999999999999999999"),
    (str(2**63), str(2**63)), ("1.5", "1.5"), ("1e3", "1e3"), ("", "''"), ("  ", "''"),
    ("9" * 70, "9" * 60 + "…"), ("٣", "٣")]


@pytest.mark.parametrize(("seed", "shown"), BAD_SEEDS, ids=[s for s, _ in BAD_SEEDS])
@pytest.mark.parametrize("call", [*CALLS, ["drill", "--text"]],
                         ids=[*(c[0] for c in CALLS), "drill --text"])
def test_a_bad_seed_is_one_plain_line(tmp_path, call, seed, shown):
    assert refused(tmp_path, [*call, "--seed", seed]) == SEED.format(shown)


@pytest.mark.parametrize(("value", "shown"), [("abc", "abc"), ("", "''"), ("1e309", "1e309"),
                                              ("0x1p-2", "0x1p-2")])
def test_an_end_silence_that_is_no_number_is_one_plain_line(tmp_path, value, shown):
    stderr = refused(tmp_path, [*CALLS[0], "--end-silence", value])
    assert stderr == (f"callsim: --end-silence takes 0.2 to 3 seconds, not {shown}; e.g. "
                      "--end-silence 1 to wait longer before the prospect answers\n")


@pytest.mark.parametrize(("seed", "saved"), [("0", 0), ("+7", 7), (" 007 ", 7),
                                             (str(2**63 - 1), 2**63 - 1)])
def test_a_whole_seed_is_taken(tmp_path, seed, saved):
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--text", "--json",
                                 "--seed", seed, "--data-dir", str(tmp_path)], input="Thanks!\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["seed"] == saved


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


def see(command: str = "") -> str:
    return f"see `{' '.join(['callsim', *command.split()])} --help`"


def guess(likely: str, command: str = "") -> str:
    """click's "did you mean", kept before where to look."""
    return f"did you mean {likely}? S{see(command)[1:]}"


# click's usage errors, each as one line: (arguments, what stderr says). Read before anything
# runs: no data directory, no call, no briefing.
CLICK_ERRORS = [
    # an option the command does not have; click's "did you mean", kept
    (["drill", "--frob"], f"`callsim drill` has no option --frob; {see('drill')}"),
    (["history", "-Z"], f"`callsim history` has no option -Z; {see('history')}"),
    (["--frob"], f"`callsim` has no option --frob; {see()}"),
    (["drill", "--minuts", "3"],
     f"`callsim drill` has no option --minuts; {guess('--minutes', 'drill')}"),
    (["practice", "--persona-id", "x"], "`callsim practice` has no option --persona-id; "
                                        f"{guess('--persona or --personas', 'practice')}"),
    (["history", "--tra\udcedinee", "ana"],  # not UTF-8: escaped
     f"`callsim history` has no option --tra\\xedinee; {guess('--trainee', 'history')}"),
    # an option without its value
    (["drill", "--minutes"], f"--minutes needs a value after it; {see('drill')}"),
    (["play", "abc", "--turn"], f"--turn needs a value after it; {see('play')}"),
    (["workshop", "board", "x", "--csv"], f"--csv needs a value after it; {see('workshop board')}"),
    # a number out of range, or no number
    (["drill", "--minutes", "-1"],
     f"--minutes takes a number of 0 or more, not -1; {see('drill')}"),
    (["drill", "--minutes", "soon"],
     f"--minutes takes a number of 0 or more, not soon; {see('drill')}"),
    (["drill", "--minutes", ""], f"--minutes takes a number of 0 or more, not ''; {see('drill')}"),
    (["play", "abc", "--turn", "0"],
     f"--turn takes a whole number of 1 or more, not 0; {see('play')}"),
    (["play", "abc", "--turn", "1.5"],
     f"--turn takes a whole number of 1 or more, not 1.5; {see('play')}"),
    (["history", "--limit", "0"],
     f"--limit takes a whole number of 1 or more, not 0; {see('history')}"),
    (["correct", "abc", "x", "--turn", "one"],
     f"--turn takes a whole number, not one; {see('correct')}"),
    (["score", "--stage", "middle", "hi"],
     f"--stage takes one of opening, close or call, not middle; {see('score')}"),
    # a switch given a value
    (["practice", "--text=yes"], f"--text takes no value, not yes; give --text alone "
                                 f"({see('practice')})"),
    # a missing argument or required option
    (["play"], f"`callsim play` needs CALL_ID; {see('play')}"),
    (["correct", "abc"], f"`callsim correct` needs TEXT; {see('correct')}"),
    (["personas", "show"], f"`callsim personas show` needs ID|PATH; {see('personas show')}"),
    (["practice"], f"`callsim practice` needs --persona ID|PATH; {see('practice')}"),
    # an argument too many
    (["show", "abc", "def"], f"`callsim show` takes no more arguments, not def; {see('show')}"),
    # a command there is not; "did you mean" kept
    (["frobnicate"], f"`callsim` has no command 'frobnicate'; {see()}"),
    (["practis"],
     f"`callsim` has no command 'practis'; {guess('practise or practice')}"),
    (["personas", "shw"],
     f"`callsim personas` has no command 'shw'; {guess('show', 'personas')}"),
]


@pytest.mark.parametrize(("args", "line"), CLICK_ERRORS, ids=[" ".join(a) for a, _ in CLICK_ERRORS])
def test_a_usage_error_is_one_plain_line(tmp_path, args, line):
    """Not click's usage block, hint and `Error: `: the option, argument or command, the value
    given, and where to look."""
    result = runner.invoke(app, args, env={"CALLSIM_HOME": str(tmp_path / "home")},
                           input="Thanks!\n")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"callsim: {line}\n")
    assert not (tmp_path / "home").exists()  # nothing saved, not even a data directory


@pytest.mark.parametrize("args", [[], ["personas"], ["workshop"]])
def test_a_group_without_its_command_still_shows_its_help(args):
    result = runner.invoke(app, args)
    assert result.stderr.startswith(f"Usage: {' '.join(['callsim', *args])} [OPTIONS] COMMAND")
