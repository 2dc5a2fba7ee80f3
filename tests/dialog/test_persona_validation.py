"""`callsim personas validate`: each kind of broken persona gets a located message and the fix.

Each case breaks one line of a small valid persona (tests/dialog/dialog_helpers.py TINY_PERSONA)
and expects the exact `path:line:column: message` lines on stdout and exit code 1.
"""

from __future__ import annotations

import pytest
from dialog_helpers import TINY_PERSONA, tiny_with
from typer.testing import CliRunner

from simulator.cli.app import app

KNOWN_DETECTIONS = (
    "gratitude, acknowledge, why_question, how_come, discovery_question, i_question, "
    "explore_issues, permission_close, imposed_next_step, pushing, dead_end, keep_us_in_mind, "
    "opt_out, goodbye"
)
KNOWN_OUTCOMES = "hung_up, callback_agreed, meeting_agreed, opted_out, trainee_ended, max_turns"
TOP_KEYS = (
    "id, name, role, company, difficulty, tags, briefing, voice, opening, patience, max_turns, "
    "start, anytime, states, outcomes, golden"
)

CASES = [
    ("unknown key", tiny_with(9, "stats:"), [
        "1:1: missing required field 'states': add 'states:' with at least one state",
        f"9:1: unknown key 'stats' (allowed: {TOP_KEYS}) — did you mean 'states'?",
    ]),
    ("unknown key in a rule", tiny_with(13, "        ende: hung_up"), [
        "13:9: unknown key 'ende' (allowed: goto, end, say, poor, when) — did you mean 'end'?",
    ]),
    ("missing field", tiny_with(7, None), [
        "1:1: missing required field 'opening': add a list of opening lines",
    ]),
    ("unknown detection", tiny_with(12, "      - when: {any: [thanks]}"), [
        f"12:22: unknown detection 'thanks' (known: {KNOWN_DETECTIONS}) — did you mean "
        "'gratitude'?",
    ]),
    ("misspelt detection", tiny_with(12, "      - when: {none: [pushng]}"), [
        f"12:23: unknown detection 'pushng' (known: {KNOWN_DETECTIONS}) — did you mean "
        "'pushing'?",
    ]),
    ("misspelt detection heard earlier", tiny_with(12, "      - when: {earlier: [gratitud]}"), [
        f"12:26: unknown detection 'gratitud' (known: {KNOWN_DETECTIONS}) — did you mean "
        "'gratitude'?",
    ]),
    ("detection of 200,000 characters", tiny_with(12, "      - when: {any: [" + "wh" * 100_000
                                                  + "]}"), [
        f"12:22: unknown detection '{'wh' * 30}…': detections have short names like 'gratitude' "
        "or 'pushing'; check the spelling",
    ]),
    ("goto a missing state", tiny_with(15, "        goto: opn"), [
        "15:15: 'goto: opn' names no state (states: guarded, open) — did you mean 'open'?",
    ]),
    ("start state missing", tiny_with(8, "start: guardd"), [
        "8:8: start state 'guardd' is not defined under states — did you mean 'guarded'?",
    ]),
    ("unreachable state", tiny_with(15, "        end: callback_agreed"), [
        "17:3: state 'open' is unreachable: no rule goes to it from 'guarded'; add a "
        "'goto: open' or remove it",
    ]),
    ("state that cannot end the call", tiny_with(21, "        goto: open"), [
        f"17:3: state 'open' has no way to end the call: add a rule with 'end: <outcome>' "
        f"({KNOWN_OUTCOMES}) to it or a state it leads to",
    ]),
    ("unknown outcome in a rule", tiny_with(13, "        end: hangup"), [
        f"13:14: unknown outcome 'hangup' (known: {KNOWN_OUTCOMES}) — did you mean 'hung_up'?",
    ]),
    ("unknown outcome under outcomes", tiny_with(24, '  hangup: {say: ["Bye."]}'), [
        f"24:3: unknown outcome 'hangup' (known: {KNOWN_OUTCOMES}) — did you mean 'hung_up'?",
    ]),
    ("outcome used but without a line", tiny_with(21, "        end: meeting_agreed"), [
        "21:14: 'end: meeting_agreed' has no final line: add 'meeting_agreed: {say: [...]}' "
        "under outcomes",
    ]),
    ("empty line list", tiny_with(7, "opening: []"), [
        "7:10: 'opening' is empty: add at least one item",
    ]),
    ("blank line", tiny_with(7, 'opening: ["  "]'), [
        "7:11: 'opening[0]' is blank: write the text or remove the item",
    ]),
    ("a number where text belongs", tiny_with(7, "opening: [42]"), [
        "7:11: 'opening[0]' expected text, got 42: put it in quotes",
    ]),
    ("a number as the name", tiny_with(2, "name: 42"), [
        "2:7: 'name' expected text, got 42: put it in quotes",
    ]),
    ("true as a number", tiny_with(5, "difficulty: true"), [
        "5:13: 'difficulty' must be a whole number between 1 and 5 (got true)",
    ]),
    ("a quoted number", tiny_with(5, 'difficulty: "3"'), [
        "5:13: 'difficulty' must be a whole number between 1 and 5 (got '3')",
    ]),
    ("a fraction", tiny_with(5, "difficulty: 2.5"), [
        "5:13: 'difficulty' must be a whole number between 1 and 5 (got 2.5)",
    ]),
    ("no value", tiny_with(5, "difficulty:"), [
        "5:12: 'difficulty' must be a whole number between 1 and 5 (got nothing)",
    ]),
    ("a number too long for Python", tiny_with(5, "difficulty: " + "9" * 5000), [
        "5:13: 'difficulty' must be between 1 and 5 (got a 5000-digit number)",
    ]),
    ("a voice rate too long for Python",
     tiny_with(6, "briefing: You sell widgets.\nvoice: {rate: -" + "1" * 4400 + "}"), [
        "7:15: 'voice.rate' must be between 80 and 400 (got a 4400-digit number)",
    ]),
    ("a number where true or false belongs",
     tiny_with(16, """    fallback: {say: ["I'm busy."], poor: 1}"""), [
        "16:42: 'states.guarded.fallback.poor' must be true or false (got 1)",
    ]),
    ("a long value cut short", tiny_with(5, "difficulty: " + "x" * 5000), [
        "5:13: 'difficulty' must be a whole number between 1 and 5 (got '" + "x" * 59 + "…)",
    ]),
    ("an id longer than 64 characters", tiny_with(1, "id: " + "t" * 65), [
        "1:5: 'id' is too long (65 characters; at most 64)",
    ]),
    ("silent transition", tiny_with(18, "    # no lines"), [
        "14:9: the prospect has nothing to say here: add 'say: [...]' or give state 'open' "
        "some 'lines'",
    ]),
    ("number out of range", tiny_with(5, "difficulty: 7"), [
        "5:13: 'difficulty' must be between 1 and 5 (got 7)",
    ]),
    ("rule with goto and end", tiny_with(13, "        end: hung_up\n        goto: open"), [
        "12:9: 'states.guarded.on[0]': a rule needs exactly one of 'goto: <state>' or "
        "'end: <outcome>'",
    ]),
    ("empty condition", tiny_with(12, "      - when: {}"), [
        "12:15: 'states.guarded.on[0].when': a 'when' needs at least one of all, any, none, "
        "earlier or phrases",
    ]),
    ("bad id", tiny_with(1, "id: Tiny Tom"), [
        "1:5: id 'Tiny Tom' must be lowercase words joined by hyphens, e.g. 'covered-carl'",
    ]),
    ("golden expects a missing state", tiny_with(30, "    expect: {state: closed}"), [
        "30:21: golden expects state 'closed', which is not defined",
    ]),
    ("golden expects nothing", tiny_with(30, "    expect: {}"), [
        "30:13: 'golden[0].expect': 'expect' needs exactly one of 'state: <name>' or "
        "'outcome: <name>'",
    ]),
    ("duplicate key", tiny_with(4, "name: Again"), [
        "4:1: duplicate key 'name': keep only one",
    ]),
    ("YAML syntax error", tiny_with(12, "      - when: {any: [pushing]"), [
        "13:9: YAML syntax error: while parsing a flow mapping: expected ',' or '}', but got "
        "'<scalar>': check the indentation, colons and quotes here",
    ]),
    ("empty file", "", [
        "1:1: file is empty: start from a template with 'callsim personas new <id>'",
    ]),
    ("only comments", "# to do\n\n", [
        "1:1: file is empty: start from a template with 'callsim personas new <id>'",
    ]),
    ("not a mapping", "- a\n- b\n", [
        "1:1: expected a persona (keys like 'id:', 'name:', 'states:'), found a list",
    ]),
    ("not UTF-8", TINY_PERSONA.replace("Tom Tiny", "Tom T\xffiny").encode("latin-1"), [
        "2:12: file is not UTF-8 text (byte 0xff): save it as UTF-8",
    ]),
]


def validate(*args: str):
    return CliRunner().invoke(app, ["personas", "validate", *args])


@pytest.mark.parametrize("content, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_broken_file_is_reported_at_its_line(tmp_path, content, expected):
    path = tmp_path / "tiny-tom.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = validate(str(path))
    assert result.stdout.splitlines() == [f"{path}:{line}" for line in expected]
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_the_valid_persona_is_ok(tmp_path):
    path = tmp_path / "tiny-tom.yaml"
    path.write_text(TINY_PERSONA, encoding="utf-8")
    result = validate(str(path))
    assert (result.stdout, result.exit_code) == ("1 persona OK\n", 0)


def test_id_must_match_the_file_name(tmp_path):
    path = tmp_path / "tiny-tim.yaml"
    path.write_text(TINY_PERSONA, encoding="utf-8")
    result = validate(str(path))
    assert result.stdout == (
        f"{path}:1:5: id 'tiny-tom' does not match the file name 'tiny-tim.yaml': "
        f"rename one so they are equal\n"
    )
    assert result.exit_code == 1


def test_duplicate_ids_across_folders(tmp_path):
    first, second = tmp_path / "shipped", tmp_path / "mine"
    for folder in (first, second):
        folder.mkdir()
        (folder / "tiny-tom.yaml").write_text(TINY_PERSONA, encoding="utf-8")
    result = validate(str(first), str(second))
    assert result.stdout == (
        f"{second}/tiny-tom.yaml:1:5: duplicate id 'tiny-tom' (also in {first}/tiny-tom.yaml): "
        f"give one of them another id and file name\n"
    )
    assert result.exit_code == 1


def test_a_golden_that_reaches_something_else_fails(tmp_path):
    path = tmp_path / "tiny-tom.yaml"
    path.write_text(tiny_with(30, "    expect: {outcome: callback_agreed}"), encoding="utf-8")
    result = validate(str(path))
    [line] = result.stdout.splitlines()
    assert line.startswith(
        f"{path}:28:5: golden 'pushing gets a hang-up' fails: expected outcome callback_agreed, "
        f"reached outcome hung_up (reply 1: ["
    )
    assert line.endswith(
        "pushing] -> states.guarded.on[0]); fix the replies or the rules "
        "(see: callsim personas test tiny-tom)"
    )
    assert result.exit_code == 1


def test_a_golden_with_replies_after_the_call_ended_fails(tmp_path):
    path = tmp_path / "tiny-tom.yaml"
    text = tiny_with(29, '    replies: ["Are you sure? We can save you a lot of money.", "Hello?"]')
    path.write_text(text, encoding="utf-8")
    [line] = validate(str(path)).stdout.splitlines()
    assert "reached outcome hung_up after reply 1, so the last 1 reply was never heard" in line


def test_every_problem_in_every_file_is_reported(tmp_path):
    (tmp_path / "tiny-tom.yaml").write_text(tiny_with(5, "difficulty: 0"), encoding="utf-8")
    (tmp_path / "other.yaml").write_text("- a\n", encoding="utf-8")
    result = validate(str(tmp_path))
    assert result.stdout.splitlines() == [
        f"{tmp_path}/other.yaml:1:1: expected a persona (keys like 'id:', 'name:', 'states:'), "
        f"found a list",
        f"{tmp_path}/tiny-tom.yaml:5:13: 'difficulty' must be between 1 and 5 (got 0)",
    ]


def test_a_missing_path_is_a_plain_error(tmp_path):
    result = validate(str(tmp_path / "nope.yaml"))
    assert result.stderr == f"callsim: no such file or folder: {tmp_path / 'nope.yaml'}\n"
    assert result.exit_code == 1
