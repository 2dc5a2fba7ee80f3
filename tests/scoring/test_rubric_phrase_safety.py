"""A trainer's rubric phrase can never hang the scorer.

Phrases are regular expressions run by Python's backtracking engine, where `(a+)+b` takes
longer than the age of the universe on 40 a's. `rubric validate` and `score` refuse each shape
that backtracks catastrophically at the phrase's line, in well under a second; the shapes the
shipped rubric uses stay allowed and fast on replies built to make them backtrack.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import simulator.scoring
from simulator.cli.app import app

SHIPPED = Path(simulator.scoring.__file__).with_name("rubric.yaml")
TEXT = SHIPPED.read_text(encoding="utf-8")
ANCHOR = "  gratitude:\n    phrases:\n"
PHRASE_LINE = TEXT[: TEXT.index(ANCHOR)].count("\n") + 3
HANGS = ", which can make scoring hang on some replies: "
NESTED = "nests a repeat inside a repeat, like '(a+)+'" + HANGS + (
    "repeat a group of plain words, e.g. '(very |really )*'")
AMBIGUOUS = "repeats alternatives that can match the same text, like '(a|ab)*'" + HANGS + (
    "make no alternative the start of another, e.g. '(very |really )*'")
ADJACENT = "has repeats in a row that can match the same text, like '\\w+ ?\\w+'" + HANGS + (
    "put a word that neither repeat matches between them")


def with_phrase(tmp_path: Path, phrase: str) -> Path:
    """The shipped rubric with `phrase` as the first gratitude phrase (line PHRASE_LINE)."""
    path = tmp_path / "rubric.yaml"
    text = TEXT.replace(ANCHOR, f"{ANCHOR}      - {json.dumps(phrase)}\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str):
    started = time.perf_counter()
    result = CliRunner().invoke(app, list(args), env={"CALLSIM_RUBRIC": None})
    return result, time.perf_counter() - started


REFUSED = [
    ("(a+)+b", NESTED, "a" * 40),
    ("(a*)*b", NESTED, "a" * 40),
    ("(\\w+ )*x", NESTED, "a " * 40),
    ("(a?a?)+b", NESTED, "a" * 40),
    ("(a{1,2}){1,30}b", NESTED, "a" * 40),
    ("(a|a)*b", AMBIGUOUS, "a" * 40),
    ("(a|aa)+b", AMBIGUOUS, "a" * 40),
    ("(really |really really )*good", AMBIGUOUS, "really " * 40),
    ("(thanks|)*!", AMBIGUOUS, "thanks" * 40),
    ("\\w+\\s?\\w+x", ADJACENT, "a" * 3000),
    ("\\w*\\w*\\w*\\w*x", ADJACENT, "a" * 200),
    (".{1,40}.{1,40}.{1,40}x", ADJACENT, "a" * 3000),
    ("thanks (a|b)\\1", "refers back to a group (\\1), which phrases do not support: write the "
     "words out", "thanks a a"),
    ("(" * 21 + "thanks" + ")" * 21, "nests brackets more than 20 deep: simplify it", "thanks"),
]


@pytest.mark.parametrize(("phrase", "message", "reply"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_phrase_that_could_hang_scoring_is_refused_at_its_line(tmp_path, phrase, message,
                                                                 reply):
    path = with_phrase(tmp_path, phrase)
    expected = f"{path}:{PHRASE_LINE}:9: phrase {phrase!r} {message}\n"
    validated, seconds = invoke("rubric", "validate", str(path))
    assert (validated.stderr, validated.exit_code, seconds < 1) == (expected, 1, True)
    scored, seconds = invoke("score", "--rubric", str(path), reply)
    assert (scored.stderr, scored.exit_code, seconds < 1) == (expected, 1, True)


ALLOWED = [  # shapes the shipped rubric uses, with the reply that makes each work hardest
    ("(can |totally |really )*appreciate that", "really can totally " * 100),
    ("(does|would) (that|\\w+|\\w+ \\w+|\\w+ \\w+ \\w+) work for you", "does " * 400),
    ("how (is|are) .{1,40} working( out)?( for you)?$", "how is " * 300),
    ("holding \\w+ back", "holding " * 250),
    ("\\$?\\d+ (a|per) (day|month)", "1 " * 1000),
    ("how .{1,40} .{1,40} sound", "how a " * 300),
    ("(ab|a[^b])*c", "ab" * 1000),
    ("[a-z]+[0-9]+x", "a1" * 1000),
]


@pytest.mark.parametrize(("phrase", "reply"), ALLOWED, ids=[c[0] for c in ALLOWED])
def test_a_phrase_that_backtracks_only_a_little_is_allowed_and_fast(tmp_path, phrase, reply):
    path = with_phrase(tmp_path, phrase)
    assert invoke("rubric", "validate", str(path))[0].stdout == f"rubric OK: {path}\n"
    scored, seconds = invoke("score", "--json", "--rubric", str(path), reply)
    assert (scored.exit_code, seconds < 1) == (0, True)
