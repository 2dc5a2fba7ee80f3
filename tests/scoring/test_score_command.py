"""`callsim score`: the readable scorecard, --json, --jsonl batches, and every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import simulator.scoring
from simulator.cli.app import app

runner = CliRunner()
CHECKS = ["gratitude", "how_come_not_why", "i_free_questions", "permission_close",
          "explore_issues", "acknowledge", "no_pushing", "no_dead_end", "no_keep_us_in_mind",
          "opt_out"]


def test_readable_scorecard_shows_score_verdicts_advice_and_rewrite():
    result = runner.invoke(app, ["score", "Why aren't you interested?"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Score:" in result.stdout
    assert "FAIL" in result.stdout and "PASS" in result.stdout
    assert "How come you're not interested?" in result.stdout
    assert "Ask \"how come\", not \"why\"" in result.stdout


def test_json_has_the_exact_shape():
    result = runner.invoke(app, ["score", "--json", "Thanks! How come it's not a fit?"])
    assert result.exit_code == 0
    card = json.loads(result.stdout)
    assert set(card) == {"score", "checks"}
    assert isinstance(card["score"], int) and 0 <= card["score"] <= 100
    assert list(card["checks"]) == CHECKS
    for check in card["checks"].values():
        assert set(check) == {"verdict", "evidence", "advice", "rewrite"}
        assert check["verdict"] in {"pass", "fail", "n/a"}
        for item in check["evidence"]:
            assert set(item) == {"text", "start", "end"}
    assert card["checks"]["gratitude"]["evidence"] == [{"text": "Thanks", "start": 0, "end": 6}]


def test_jsonl_scores_each_line_and_passes_other_fields_through(tmp_path):
    path = tmp_path / "replies.jsonl"
    path.write_text('{"id": 1, "text": "Thanks!"}\n\n{"id": 2, "text": "why not"}\n')
    result = runner.invoke(app, ["score", "--jsonl", str(path)])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [1, 2]
    assert "text" not in lines[0]
    assert lines[1]["checks"]["how_come_not_why"]["verdict"] == "fail"


def test_jsonl_from_stdin():
    result = runner.invoke(app, ["score", "--jsonl", "-"], input='{"text": "Thank you."}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["checks"]["gratitude"]["verdict"] == "pass"


ONE_OBJECT = 'write one object per line, like {"text": "Thanks!"}'
BAD_LINES = [
    (b"not json", f"not JSON (Expecting value at column 1): {ONE_OBJECT}"),
    (b'{"txt": "hi"}', 'no "text" field: add the reply as "text"'),
    (b'["text"]', 'not a JSON object: write {"text": "..."}'),
    (b'{"text": 5}', '"text" must be a string'),
    (b'{"text": "  "}', '"text" is empty: give the words the trainee said'),
    (b'{"text": "caf\xe9"}', "not valid UTF-8 (byte 14): save the file as UTF-8"),
    (b'{"text": "' + b"a" * 1_000_000 + b'"}',
     "the line is too long (1,000,012 bytes; the limit is 131,072): split it into separate "
     "lines"),
    (b'{"text": "' + b"a" * 70_000 + b'"}', '"text" is too long (70,000 bytes; a reply may have '
     "at most 65,536): split it into separate replies"),
    (b'{"text": "hi", "tags": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
     f"nests deeper than 32 levels: {ONE_OBJECT}"),
    (b"[" * 33 + b"]" * 33, f"nests deeper than 32 levels: {ONE_OBJECT}"),
    (b'{"text": "hi", "id": ' + b"9" * 5_000 + b"}",
     "a number has 5,000 digits (at most 4,300 can be read): write it as a string, in quotes"),
    (b'{"text": "hi", "id": 1e999}',
     "the number 1e999 is too large to read: write it as a string, in quotes"),
    (b'{"text": "hi", "id": NaN}', "NaN is not a JSON number: write it as a string, in quotes"),
    (b'{"text": "\\ud83d"}', "holds a lone surrogate escape (like \\ud83d), which is not a "
     "character: write the character itself"),
    (b'{"text": "hi", "id": {"\\udc80": 1}}', "holds a lone surrogate escape (like \\ud83d), "
     "which is not a character: write the character itself"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES, ids=[m[:30] for _, m in BAD_LINES])
def test_a_bad_line_is_located_and_the_batch_goes_on(tmp_path, bad, message):
    path = tmp_path / "replies.jsonl"
    path.write_bytes(b'{"text": "Thanks."}\n' + bad + b'\n{"text": "Why?", "id": [1, 2.5]}\n')
    result = runner.invoke(app, ["score", "--jsonl", str(path)])
    assert result.exit_code == 1
    scored = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in scored] == [None, [1, 2.5]]  # lines 1 and 3 still scored
    assert result.stderr.splitlines() == [f"{path}:2: {message}",
                                          "callsim: 1 of 3 lines failed"]
    assert "Traceback" not in result.output


def test_past_twenty_bad_lines_only_the_count_of_the_rest_is_said(tmp_path):
    path = tmp_path / "status.txt"  # e.g. --jsonl /proc/self/status: 60 lines, none JSON
    path.write_text("".join(f"Line{n}:\t{n}\n" for n in range(1, 61)))
    result = runner.invoke(app, ["score", "--jsonl", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[19].startswith(f"{path}:20: not JSON")
    assert lines[20] == "callsim: 60 of 60 lines failed (…and 40 more bad lines)"


def test_bad_lines_from_stdin_are_located_on_stdin():
    result = runner.invoke(app, ["score", "--jsonl", "-"], input='{"text": "Thanks"}\n[]\n')
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ['<stdin>:2: not a JSON object: write {"text": "..."}',
                                          "callsim: 1 of 2 lines failed"]


@pytest.mark.parametrize(("args", "message"), [
    (["score", ""], "callsim: the reply is empty: give the words the trainee said"),
    (["score", "   "], "callsim: the reply is empty: give the words the trainee said"),
    (["score", "caf\udce9"], "callsim: TEXT is not valid UTF-8 text; type it again (check the "
                             "terminal's encoding, e.g. LANG=C.UTF-8)"),
    (["score", "a" * 1_000_000], "callsim: the reply is too long (1,000,000 bytes; a reply may "
                                 "have at most 65,536): split it into separate replies"),
    (["score"], 'callsim: give the reply to score: callsim score "Thanks for your honesty..."'),
    (["score", "--jsonl", "/no/such/file"], "callsim: no such file: /no/such/file"),
])
def test_bad_input_gets_one_line_and_a_nonzero_exit(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.output


def test_a_broken_rubric_is_reported_with_file_and_line(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    shipped = (Path(simulator.scoring.__file__).parent / "rubric.yaml").read_text()
    rubric.write_text(shipped.replace("  gratitude:\n    phrases:", "  gratitude:\n    phrase:", 1)
                      .replace("weight: 20", "weight: heavy", 1))
    lines = shipped.splitlines()
    typo = next(i for i, line in enumerate(lines, 1) if line == "    phrases:")
    weight = next(i for i, line in enumerate(lines, 1) if "weight: 20" in line)
    result = runner.invoke(app, ["score", "--rubric", str(rubric), "Thanks"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{rubric}:{typo - 1}:3: missing required field 'phrases': add 'phrases: [...]' with at "
        "least one phrase",
        f"{rubric}:{typo}:5: unknown key 'phrase' (allowed: phrases, except, scope) — did you "
        "mean 'phrases'?",
        f"{rubric}:{weight}:13: 'checks.gratitude.weight' must be a number, e.g. 10 or 2.5 "
        "(got 'heavy')",
    ]


def test_python_dash_m_simulator_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "simulator", "score", "--json", "Thanks"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["checks"]["gratitude"]["verdict"] == "pass"


def test_a_rubric_phrase_that_does_not_compile_is_located(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    shipped = (Path(simulator.scoring.__file__).parent / "rubric.yaml").read_text()
    rubric.write_text(shipped.replace('- "got it"', '- "got (it"', 1))
    line = next(i for i, text in enumerate(shipped.splitlines(), 1) if text.endswith('"got it"'))
    result = runner.invoke(app, ["score", "--rubric", str(rubric), "Thanks"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{rubric}:{line}:9: phrase 'got (it' is not valid (missing ), unterminated subpattern): "
        "check its brackets"]


def test_a_missing_rubric_file():
    result = runner.invoke(app, ["score", "--rubric", "/no/rubric.yaml", "Thanks"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "/no/rubric.yaml:1:1: no such rubric file: check the path, or start one there with "
        "'callsim rubric init /no/rubric.yaml'"]
