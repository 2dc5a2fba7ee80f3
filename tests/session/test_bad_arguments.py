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
from simulator.errors import printable, shorten
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
    (["personas", "show", UNDECODABLE], "ID|PATH"),
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
    assert echoed.stderr == f"callsim: no such WAV file: {tmp_path}/reply\\xff.wav\n".encode()
    assert saved_calls(tmp_path) == []


LONG_ARGS = [
    (["practice", "--persona", LONG, "--text"],
     f"callsim: unknown persona '{SHOWN}'; available: absurd-al, covered-carl, "),
    (["personas", "show", LONG], f"callsim: unknown persona '{SHOWN}'; available: "),
    (["show", LONG], f"callsim: no call with id {SHOWN}; run `callsim history` to list calls"),
    (["report", LONG, "--html", "out.html"],
     f"callsim: no call with id {SHOWN}; run `callsim history` to list calls"),
    (["progress", "--trainee", LONG],
     f"callsim: no calls for trainee '{SHOWN}'; run `callsim history` to see what is saved"),
    (["workshop", "board", LONG],
     f"callsim: no workshop named {SHOWN}; see `callsim workshop list`"),
    (["workshop", "end", LONG], f"callsim: no workshop named {SHOWN}; see `callsim workshop list`"),
    (["workshop", "start", LONG],
     f"callsim: workshop name {SHOWN} is too long (at most 60 characters)"),
    (["practice", "--persona", "covered-carl", "--no-voice", "--engine", LONG],
     f"callsim: unknown speech recognizer '{SHOWN}'; choose one of: whisper, vosk, pocketsphinx"),
]


USAGE_ERRORS = ("callsim: unknown persona", "callsim: unknown speech recognizer")  # exit 2


@pytest.mark.parametrize(("args", "message"), LONG_ARGS, ids=[" ".join(a[:2])[:30] for a, _ in
                                                               LONG_ARGS])
def test_a_long_argument_is_echoed_cut_short(tmp_path, args, message):
    result = runner.invoke(app, args, env={"CALLSIM_HOME": str(tmp_path)})
    assert result.exit_code == (2 if message.startswith(USAGE_ERRORS) else 1)
    last = result.stderr.splitlines()[-1]
    assert last.startswith(message) and len(last) < 300
    assert LONG[:61] not in result.output
    assert saved_calls(tmp_path) == []


def test_history_cuts_a_long_trainee_name_short(tmp_path):
    result = runner.invoke(app, ["history", "--trainee", LONG, "--data-dir", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"callsim: no calls for trainee '{SHOWN}'; run `callsim history` "
                             "to see what is saved\n")


@pytest.mark.parametrize("command", [["practice", "--persona", "covered-carl"], ["drill"]])
@pytest.mark.parametrize("seed", ["99999999999999999999999999", str(2**63), "-1"])
def test_a_seed_sqlite_cannot_hold_is_a_usage_error(tmp_path, command, seed):
    result = runner.invoke(app, [*command, "--text", "--seed", seed, "--data-dir",
                                 str(tmp_path)], input="Thanks!\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("callsim: --seed takes a whole number from 0 to ")
    assert result.stderr.count("\n") == 1
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


def too_long(path: str) -> str:
    return (f"callsim: the path '{shorten(path)}' is too long for the file system; use a "
            "shorter one\n")


DIGITS = "1" + "0" * 5_000  # one name of 5,001 bytes
ACCENTS = "é" * 10_000  # 20,000 bytes
DEEP = "x/" * 5_000  # short names, but 10,000 bytes in all
PATH_ARGS = [  # the arguments, the path they name
    (["drill", "--text", "--data-dir", DIGITS], DIGITS),
    (["progress", "--data-dir", DEEP], DEEP),
    (["report", "--html", "out.html", "--data-dir", ACCENTS], ACCENTS),
    (["export", "out.callsim", "--data-dir", DIGITS], DIGITS),
    (["workshop", "start", "lisbon", "--data-dir", DIGITS], DIGITS),
    (["workshop", "board", "lisbon", "--data-dir", DEEP], DEEP),
    (["personas", "validate", ACCENTS], ACCENTS),
    (["personas", "validate", "a" * 300 + "/b"], "a" * 300 + "/b"),
    (["personas", "new", "dental-dana", "--dir", DIGITS], DIGITS),
    (["personas", "new", "dental-dana", "--dir", DEEP], DEEP),
    (["models", "install", DIGITS, "--name", "mine"], DIGITS),
    (["report", "--trainee", "ana", "--html", "7" * 10_000], "7" * 10_000),
    (["rubric", "init", DIGITS], DIGITS),
    (["rubric", "show", "--rubric", ACCENTS], ACCENTS),
    (["score", "--jsonl", DEEP], DEEP),
]


@pytest.mark.parametrize(("args", "path"), PATH_ARGS,
                         ids=[f"{' '.join(a[:2])} {len(p.encode())}B" for a, p in PATH_ARGS])
def test_a_path_too_long_for_the_file_system_is_one_line(tmp_path, monkeypatch, args, path):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, env={"CALLSIM_HOME": str(tmp_path / "data")})
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", too_long(path))
    assert list(tmp_path.iterdir()) == []  # nothing created, not even the data directory


def test_a_callsim_home_too_long_is_one_line(tmp_path):
    result = runner.invoke(app, ["history"], env={"CALLSIM_HOME": str(tmp_path / DIGITS)})
    assert (result.exit_code, result.stderr) == (2, too_long(tmp_path / DIGITS))


CONTROL_ARGS = [  # control characters in a value are echoed escaped, never raw
    (["personas", "validate", "x\ry"], "callsim: no such file or folder: x\\ry\n"),
    (["rubric", "show", "--rubric", "\x01"], "\\x01:1:1: no such rubric file: check the "
                                             "path, or start one there with 'callsim rubric "
                                             "init \\x01'\n"),
    (["workshop", "board", "\x01"], "callsim: no workshop named \\x01; see `callsim workshop "
                                    "list`\n"),
    (["progress", "--trainee", "\x1b[2J"], "callsim: no calls for trainee '\\x1b[2J'; run "
                                           "`callsim history` to see what is saved\n"),
    (["personas", "new", "a\x7fb"], "callsim: persona id 'a\\x7fb' must be lowercase letters and "
                                    "digits in words joined by hyphens, at most 64 characters, "
                                    "e.g. 'covered-carl'\n"),
]


@pytest.mark.parametrize(("args", "message"), CONTROL_ARGS,
                         ids=[" ".join(a[:2]) for a, _ in CONTROL_ARGS])
def test_control_characters_are_echoed_escaped(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, env={"CALLSIM_HOME": str(tmp_path)})
    assert result.exit_code in (1, 2)
    assert result.stderr == message


@pytest.mark.parametrize("extra", ["x/" * 5_000, "1" + "0" * 5_000])
def test_a_long_unexpected_argument_is_cut_in_the_usage_error(tmp_path, extra):
    result = runner.invoke(app, ["drill", "--text", extra, "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (f"callsim: `callsim drill` takes no more arguments, not "
                             f"{extra[:60]}…; see `callsim drill --help`\n")
    assert saved_calls(tmp_path) == []


def test_a_path_with_undecodable_bytes_is_echoed_escaped_by_a_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"\xf8\x88\x80\x80\x80")
    result = runner.invoke(app, ["rubric", "init", name])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "created \\udcf8\\udc88\\udc80\\udc80\\udc80"
    assert (tmp_path / name).read_bytes().startswith(b"#")


ESCAPED = [  # what a user gave, how an error line quotes it, how the line prints it anyway
    ("x\ry", "x\\ry", "x\\ry"),
    ("tab\there", "tab\\there", "tab\there"),
    ("\x1b[2J\x9b", "\\x1b[2J\\x9b", "\\x1b[2J\\x9b"),
    (os.fsdecode(b"a\xff"), "a\\xff", "a\\xff"),
    ("z" * 61, "z" * 60 + "…", "z" * 61),
    ("z" * 500, "z" * 60 + "…", "z" * 60 + "…" + "z" * 20),
    ("p " * 200, "p " * 30 + "…", "p " * 200),
]


@pytest.mark.parametrize(("value", "quoted", "printed"), ESCAPED)
def test_values_are_quoted_short_and_lines_printed_safe(value, quoted, printed):
    assert shorten(value) == quoted
    assert printable(value) == printed
