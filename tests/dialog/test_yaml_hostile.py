"""Hostile or broken trainer YAML (cases a fuzzer found): one located line, exit 1, quickly.

Persona and rubric files share one YAML reader, so every case is written as a persona and as a
rubric and must give the same `path:line:column: message` from `personas validate` (stdout),
`personas test` and `rubric validate` (stderr), well within a second and without a traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dialog_helpers import TINY_PERSONA, tiny_with
from typer.testing import CliRunner

from simulator.cli.app import app

NUL = ("file contains NUL characters, so it is not UTF-8 text (UTF-16?): save it as UTF-8")
ALIASES = "anchors and aliases (&name, *name) are not supported: write the value out in full"
DEEP = "nested more than 40 levels deep: a trainer file never needs that; flatten it"


def control(code: int) -> str:
    return f"control character U+{code:04X} is not allowed in YAML: delete it (most editors do " \
           "not show it)"


def alias_bomb(levels: int = 9, fan_out: int = 10) -> str:
    """'Billion laughs': each level is a list of `fan_out` aliases of the level before."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * fan_out) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * fan_out) + "]"
              for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


HOSTILE = [
    ("NUL character", TINY_PERSONA.replace("Tom Tiny", "Tom\0Tiny"), 2, 10, NUL),
    ("UTF-16 without a byte-order mark", TINY_PERSONA.encode("utf-16-le"), 1, 2, NUL),
    ("UTF-16 big-endian without a mark", TINY_PERSONA.encode("utf-16-be"), 1, 1, NUL),
    ("escape character", TINY_PERSONA.replace("Tom Tiny", "\x1b[31mTom"), 2, 7, control(0x1B)),
    ("control character", tiny_with(6, "briefing: You sell\x01 widgets."), 6, 19, control(1)),
    # refused at the 41st '[', or at the key of the 39th '{' (level 41 counting the file's own)
    ("5,000 nested lists", "id: " + "[" * 5000 + "]" * 5000 + "\n", 1, 5 + 40, DEEP),
    ("5,000 nested mappings", "id: " + "{a: " * 5000 + "}" * 5000 + "\n", 1, 5 + 4 * 38 + 1,
     DEEP),
    ("a list containing itself", "id: &me [*me]\n", 1, 5, ALIASES),
    ("an alias bomb (billion laughs)", alias_bomb(), 1, 5, ALIASES),
    ("an alias of nothing", tiny_with(3, "role: *buyer"), 3, 7, ALIASES),
    ("an impossible date", tiny_with(3, "role: 2024-13-45"), 3, 7,
     "cannot read the value '2024-13-45' (month must be in 1..12): put it in quotes if it is "
     "text"),
    ("a timestamp PyYAML cannot parse", tiny_with(3, "role: !!timestamp 2001-12-14 x"), 3, 7,
     "cannot read the value '2001-12-14 x' as a timestamp: put it in quotes if it is text"),
    ("a long value that is no number", tiny_with(3, "role: !!float 1 offering" + " x" * 200),
     3, 7, "cannot read the value '1 offering" + " x" * 25 + "…' (could not convert string to "
     "float: '1 offering" + " x" * 7 + "…): put it in quotes if it is text"),
]
IDS = [case[0] for case in HOSTILE]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def invoke(*args: str, env: dict | None = None):
    started = time.perf_counter()
    result = CliRunner().invoke(app, list(args), env={"CALLSIM_RUBRIC": None, **(env or {})})
    return result, time.perf_counter() - started


@pytest.mark.parametrize(("content", "line", "column", "message"),
                         [case[1:] for case in HOSTILE], ids=IDS)
def test_a_hostile_persona_gets_one_located_line_quickly(tmp_path, content, line, column,
                                                         message):
    path = write(tmp_path / "tiny-tom.yaml", content)
    expected = f"{path}:{line}:{column}: {message}\n"
    validated, seconds = invoke("personas", "validate", str(path))
    assert (validated.stdout, validated.exit_code) == (expected, 1)
    assert seconds < 1
    tested, seconds = invoke("personas", "test", env={"CALLSIM_PERSONAS": str(tmp_path)})
    assert (tested.stderr, tested.exit_code) == (expected, 1)
    assert seconds < 1
    assert "Traceback" not in validated.output + tested.output


@pytest.mark.parametrize(("content", "line", "column", "message"),
                         [case[1:] for case in HOSTILE], ids=IDS)
def test_a_hostile_rubric_gets_one_located_line_quickly(tmp_path, content, line, column,
                                                        message):
    path = write(tmp_path / "rubric.yaml", content)
    expected = f"{path}:{line}:{column}: {message}\n"
    validated, seconds = invoke("rubric", "validate", str(path))
    assert (validated.stderr, validated.stdout, validated.exit_code) == (expected, "", 1)
    assert seconds < 1
    # the data directory's rubric.yaml is what `practice` and `score` use without --rubric
    scored, seconds = invoke("score", "Thanks", env={"CALLSIM_HOME": str(tmp_path)})
    assert (scored.stderr, scored.exit_code) == (expected, 1)
    assert seconds < 1


UNKNOWN_KEYS = 2_000  # the fuzzer's 1 MB file had 80,000; the output is the same 21 lines
TOP_KEYS = ("id, name, role, company, difficulty, tags, briefing, voice, opening, patience, "
            "max_turns, start, anytime, states, outcomes, golden")


@pytest.mark.parametrize("command", ["validate", "test"])
def test_thousands_of_problems_show_the_first_twenty_and_a_count(tmp_path, command):
    first = len(TINY_PERSONA.splitlines()) + 1
    path = write(tmp_path / "tiny-tom.yaml",
                 TINY_PERSONA + "".join(f"key{n}: 1\n" for n in range(UNKNOWN_KEYS)))
    args = [str(path)] if command == "validate" else []
    result, _ = invoke("personas", command, *args, env={"CALLSIM_PERSONAS": str(tmp_path)})
    shown = result.stdout if command == "validate" else result.stderr
    assert shown.splitlines() == [
        f"{path}:{first + n}:1: unknown key 'key{n}' (allowed: {TOP_KEYS})" for n in range(20)
    ] + [f"…and {UNKNOWN_KEYS - 20} more problems"]
    assert result.exit_code == 1


def test_twenty_one_problems_say_one_more(tmp_path):
    path = write(tmp_path / "tiny-tom.yaml",
                 TINY_PERSONA + "".join(f"key{n}: 1\n" for n in range(21)))
    result, _ = invoke("personas", "validate", str(path))
    assert result.stdout.splitlines()[-1] == "…and 1 more problem"
