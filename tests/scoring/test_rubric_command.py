"""`callsim rubric show | validate | init` and a trainer's own rubric.

Each broken rubric changes one thing in the shipped file and expects the exact
`path:line:column: message` lines; a trainer's advice and weights reach `callsim score`; the
rubric used is --rubric, else CALLSIM_RUBRIC, else rubric.yaml in the data directory, else the
shipped one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import simulator.scoring
from simulator.cli.app import app
from simulator.scoring.rubric import load_rubric

SHIPPED = Path(simulator.scoring.__file__).with_name("rubric.yaml")
TEXT = SHIPPED.read_text(encoding="utf-8")
CHECK_IDS = ("gratitude, how_come_not_why, i_free_questions, permission_close, explore_issues, "
             "acknowledge, no_pushing, no_dead_end, no_keep_us_in_mind, opt_out")
DETECTIONS = ("gratitude, acknowledge, why_question, how_come, explore_issues, permission_close, "
              "imposed_next_step, pushing, dead_end, keep_us_in_mind, opt_out, goodbye")
TOP_KEYS = ("version, pause_seconds, fuzzy_cutoff, lexicon, slips, question_frames, small_talk, "
            "detections, checks")
GRATITUDE_FAIL = next(line for line in TEXT.splitlines() if "fail: Thank the prospect" in line)


def line_of(fragment: str) -> int:
    """The line of the shipped rubric on which `fragment` (maybe several lines) starts."""
    return TEXT[: TEXT.index(fragment)].count("\n") + 1


def edited(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def run(home: Path, *args: str, rubric_env: str | None = None):
    """Invoke callsim with a data directory of our own and CALLSIM_RUBRIC set or unset."""
    env = {"CALLSIM_HOME": str(home), "CALLSIM_RUBRIC": rubric_env, "COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


CHECKS = line_of("checks:\n  gratitude:")
GOT_IT = load_rubric(SHIPPED).detections["acknowledge"].phrases.index("got it")
BROKEN = [
    ("YAML syntax error", edited("  ok: [ok,", "  ok: [ok,,"), [
        (line_of("  ok: [ok,"), 11, "YAML syntax error: while parsing a flow node: expected the "
         "node content, but found ',': check the indentation, colons and quotes here"),
    ]),
    ("unknown key", edited("pause_seconds: 0.5", "pause_second: 0.5"), [
        (line_of("pause_seconds: 0.5"), 1, f"unknown key 'pause_second' (allowed: {TOP_KEYS}) — "
         "did you mean 'pause_seconds'?"),
    ]),
    ("unknown key in a check", edited("    weight: 20", "    weights: 20"), [
        (line_of("  gratitude:\n    title:"), 3, "missing required field 'weight': add "
         "'weight: <0..100>' saying how much the check counts"),
        (line_of("    weight: 20"), 5, "unknown key 'weights' (allowed: title, weight, advice) — "
         "did you mean 'weight'?"),
    ]),
    ("missing check", TEXT[: TEXT.index("  opt_out:\n    title:")], [
        (CHECKS, 1, "missing check 'opt_out': add 'opt_out:' under checks with a title, weight "
         "and advice"),
    ]),
    ("unknown check", edited("  gratitude:\n    title:", "  gratitud:\n    title:"), [
        (CHECKS, 1, "missing check 'gratitude': add 'gratitude:' under checks with a title, "
         "weight and advice"),
        (line_of("  gratitude:\n    title:"), 3, f"unknown check 'gratitud' (known: {CHECK_IDS}) "
         "— did you mean 'gratitude'?"),
    ]),
    ("unknown detection", edited("  goodbye:\n    phrases:", "  good_bye:\n    phrases:"), [
        (line_of("detections:\n"), 1, "missing detection 'goodbye': add 'goodbye:' under "
         "detections with its phrases"),
        (line_of("  goodbye:\n    phrases:"), 3, f"unknown detection 'good_bye' (known: "
         f"{DETECTIONS}) — did you mean 'goodbye'?"),
    ]),
    ("weight out of range", edited("weight: 20", "weight: 150"), [
        (line_of("weight: 20"), 13, "'checks.gratitude.weight' must be between 0 and 100 "
         "(got 150)"),
    ]),
    ("weight true", edited("weight: 20", "weight: true"), [
        (line_of("weight: 20"), 13, "'checks.gratitude.weight' must be a number, e.g. 10 or 2.5 "
         "(got true)"),
    ]),
    ("weight too long for Python", edited("weight: 20", "weight: " + "9" * 5000), [
        (line_of("weight: 20"), 13, "'checks.gratitude.weight' must be between 0 and 100 "
         "(got a 5000-digit number)"),
    ]),
    ("version true", edited("version: 1\n", "version: true\n"), [
        (line_of("version: 1\n"), 10, "'version': must be the number 1 (got true)"),
    ]),
    ("a number where a phrase belongs", edited('- "got it"', "- 42"), [
        (line_of('- "got it"'), 9, f"'detections.acknowledge.phrases[{GOT_IT}]' expected text, "
         "got 42: put it in quotes"),
    ]),
    ("weight not a number", edited("weight: 20", "weight: 20 points"), [
        (line_of("weight: 20"), 13, "'checks.gratitude.weight' must be a number, e.g. 10 or 2.5 "
         "(got '20 points')"),
    ]),
    ("every weight zero", re.sub(r"weight: \d+", "weight: 0", TEXT), [
        (CHECKS, 1, "every check weighs 0, so no reply can score: give at least one check a "
         "weight above 0"),
    ]),
    ("phrase that does not compile", edited('- "got it"', '- "got (it"'), [
        (line_of('- "got it"'), 9, "phrase 'got (it' is not valid (missing ), unterminated "
         "subpattern): check its brackets"),
    ]),
    ("unknown word list", edited('- "{issue_words}"', '- "{issues_words}"'), [
        (line_of('- "{issue_words}"'), 9, "unknown word list {issues_words} (the lexicon has: "
         "contact, contacting, issue_words, number, ok, product, selling, times) — did you "
         "mean "
         "'issue_words'?"),
    ]),
    ("unknown scope", edited("scope: question", "scope: questions"), [
        (line_of("scope: question"), 12, "unknown scope 'questions' (known: any, question, "
         "statement) — did you mean 'question'?"),
    ]),
    ("a scope of control characters", edited("scope: question", 'scope: "\\b\\b"'), [
        (line_of("scope: question"), 12, "unknown scope '\\x08\\x08' (known: any, question, "
         "statement)"),
    ]),
    ("a phrase of 601 characters", edited('- "got it"', '- "' + "(" * 300 + "x" + ")" * 300
                                                        + '"'), [
        (line_of('- "got it"'), 9, "phrase '" + "(" * 59 + "… nests brackets more than 20 deep: "
         "simplify it"),
    ]),
    ("unknown version", edited("version: 1\n", "version: 2\n"), [
        (line_of("version: 1\n"), 10, "unknown version '2' (known: 1)"),
    ]),
    ("advice without a fail text", edited(GRATITUDE_FAIL + "\n", ""), [
        (line_of("    advice:\n      pass: You thanked"), 5, "missing required field 'fail': "
         "add 'fail: <what the trainee reads when the check fails>'"),
    ]),
    ("blank advice", edited("      pass: You thanked the prospect.", '      pass: " "\n#'), [
        (line_of("      pass: You thanked"), 13, "'checks.gratitude.advice.pass' is blank: "
         "write the text"),
    ]),
    ("duplicate key", edited("fuzzy_cutoff: 90\n", "fuzzy_cutoff: 90\nfuzzy_cutoff: 80\n"), [
        (line_of("fuzzy_cutoff: 90\n") + 1, 1, "duplicate key 'fuzzy_cutoff': keep only one"),
    ]),
    ("not UTF-8", TEXT.encode().replace(b"You thanked", b"You th\xe4nked", 1), [
        (line_of("You thanked"), TEXT.splitlines()[line_of("You thanked") - 1].index("You th")
         + len("You th") + 1, "file is not UTF-8 text (byte 0xe4): save it as UTF-8"),
    ]),
    ("empty file", "", [
        (1, 1, "file is empty: start from the shipped rubric with 'callsim rubric init'"),
    ]),
    ("only comments", "# my rubric\n\n", [
        (1, 1, "file is empty: start from the shipped rubric with 'callsim rubric init'"),
    ]),
    ("not a mapping", "- thanks\n", [
        (1, 1, "expected a rubric (keys like 'version:', 'detections:', 'checks:'), found a list"),
    ]),
]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in BROKEN],
                         ids=[c[0] for c in BROKEN])
def test_each_broken_rubric_is_reported_at_its_line(tmp_path, content, expected):
    path = write(tmp_path / "rubric.yaml", content)
    result = run(tmp_path, "rubric", "validate", str(path))
    assert result.stderr.splitlines() == [f"{path}:{line}:{col}: {msg}"
                                          for line, col, msg in expected]
    assert (result.stdout, result.exit_code) == ("", 1)
    scored = run(tmp_path, "score", "--rubric", str(path), "Thanks")  # the same lines
    assert (scored.stderr, scored.exit_code) == (result.stderr, 1)


def test_the_shipped_rubric_is_ok(tmp_path):
    result = run(tmp_path, "rubric", "validate", str(SHIPPED))
    assert (result.stdout, result.exit_code) == (f"rubric OK: {SHIPPED}\n", 0)


@pytest.mark.parametrize(("target", "message"), [
    ("nope.yaml", "no such rubric file: check the path, or start one there with 'callsim rubric "
                  "init {path}'"),
    (".", "cannot read file (Is a directory): give the path of a YAML file"),
])
def test_a_path_that_is_no_rubric_file(tmp_path, target, message):
    path = tmp_path / target
    result = run(tmp_path, "rubric", "validate", str(path))
    assert result.stderr == f"{path}:1:1: {message.format(path=path)}\n"
    assert result.exit_code == 1


def test_words_like_yes_and_on_stay_words(tmp_path):
    path = write(tmp_path / "rubric.yaml", edited("  ok: [ok,", "  ok: [yes, on, no, ok,"))
    assert run(tmp_path, "rubric", "validate", str(path)).stdout == f"rubric OK: {path}\n"
    assert load_rubric(path).lexicon["ok"][:4] == ["yes", "on", "no", "ok"]


def trainer_rubric(path: Path, advice: str, **weights: int) -> Path:
    """The shipped rubric with the gratitude check's fail advice and some weights changed."""
    text = TEXT.replace(GRATITUDE_FAIL, f"      fail: {json.dumps(advice)}", 1)
    for check, weight in weights.items():
        text = re.sub(rf"(\n  {check}:\n    title: [^\n]*\n    weight: )\d+", rf"\g<1>{weight}",
                      text, count=1)
    return write(path, text)


def test_a_trainers_advice_appears_on_the_scorecard_and_in_json(tmp_path):
    advice = "Playbook rule 1: thank them before anything else."
    path = trainer_rubric(tmp_path / "mine.yaml", advice)
    readable = run(tmp_path, "score", "--rubric", str(path), "Why not?")
    assert readable.exit_code == 0 and advice in readable.stdout
    card = json.loads(run(tmp_path, "score", "--json", "--rubric", str(path), "Why not?").stdout)
    assert card["checks"]["gratitude"] == {"verdict": "fail", "evidence": [], "advice": advice,
                                           "rewrite": None}


@pytest.mark.parametrize(("reply", "score"), [("Thank you.", 100), ("Why not?", 0)])
def test_a_trainers_weights_decide_the_score(tmp_path, reply, score):
    # Only gratitude weighs anything, so the score is whether the reply thanked the prospect.
    zeros = {check: 0 for check in load_rubric(SHIPPED).checks if check != "gratitude"}
    path = trainer_rubric(tmp_path / "mine.yaml", "Say thanks.", **zeros)
    result = run(tmp_path, "score", "--json", "--rubric", str(path), reply)
    assert json.loads(result.stdout)["score"] == score


RUBRICS = {"given": "given.yaml", "env": "env.yaml", "home": "home/rubric.yaml"}


@pytest.mark.parametrize(("present", "used", "origin"), [
    (("given", "env", "home"), "given", "given with --rubric"),
    (("env", "home"), "env", "named by CALLSIM_RUBRIC"),
    (("home",), "home", "the trainer's rubric in the data directory"),
    ((), None, "the shipped default; start your own with 'callsim rubric init'"),
])
def test_which_rubric_is_used(tmp_path, present, used, origin):
    files = {name: trainer_rubric(tmp_path / RUBRICS[name], f"Advice from the {name} rubric.")
             for name in present}
    args = ["--rubric", str(files["given"])] if "given" in files else []
    env_rubric = str(files["env"]) if "env" in files else None
    home = tmp_path / "home"
    card = json.loads(run(home, "score", "--json", *args, "Why not?",
                          rubric_env=env_rubric).stdout)
    expected = (f"Advice from the {used} rubric." if used
                else load_rubric(SHIPPED).checks["gratitude"].advice.fail)
    assert card["checks"]["gratitude"]["advice"] == expected
    shown = run(home, "rubric", "show", *args, rubric_env=env_rubric).stdout.splitlines()[0]
    assert shown == f"rubric: {files[used] if used else SHIPPED} ({origin})"


def test_validate_without_a_path_checks_the_rubric_in_use(tmp_path):
    broken = write(tmp_path / "broken.yaml", edited("weight: 20", "weight: 150"))
    result = run(tmp_path, "rubric", "validate", rubric_env=str(broken))
    assert result.stderr == (f"{broken}:{line_of('weight: 20')}:13: 'checks.gratitude.weight' "
                             "must be between 0 and 100 (got 150)\n")
    missing = run(tmp_path, "rubric", "validate", rubric_env=str(tmp_path / "gone.yaml"))
    assert missing.stderr == (f"{tmp_path / 'gone.yaml'}:1:1: no such rubric file (named by "
                              "CALLSIM_RUBRIC): fix the path or unset CALLSIM_RUBRIC\n")
    assert (missing.exit_code, run(tmp_path, "rubric", "validate").stdout) == (
        1, f"rubric OK: {SHIPPED}\n")


def test_show_lists_each_check_with_weight_share_and_advice(tmp_path):
    path = trainer_rubric(tmp_path / "mine.yaml", "Thank them.", gratitude=100,
                          permission_close=40)  # total 200
    lines = run(tmp_path, "rubric", "show", "--rubric", str(path)).stdout.splitlines()
    assert lines[:9] == [
        f"rubric: {path} (given with --rubric)",
        "checks: 10, total weight 200 (a check's share is of a call where every check applies)",
        "",
        'gratitude: Thank them for the "no"',
        "  weight 100 (50% of the score)",
        "  pass: You thanked the prospect. Gratitude for a \"no\" changes the tone and plants a "
        "seed for the next call.",
        "  fail: Thank them.",
        "  n/a: Not applicable to this call.",
        "",
    ]
    rubric = load_rubric(path)
    headings = [line.split(":")[0] for line in lines if line and not line.startswith(" ")]
    assert headings[2:] == list(rubric.checks)
    shares = [line for line in lines if line.startswith("  weight ")]
    assert shares[1] == f"  weight 15 ({15 / 2:g}% of the score)"


def test_show_json_is_a_rubric_file_itself(tmp_path):
    dumped = run(tmp_path, "rubric", "show", "--json").stdout
    copy = write(tmp_path / "copy.yaml", dumped)
    assert run(tmp_path, "rubric", "validate", str(copy)).stdout == f"rubric OK: {copy}\n"
    assert load_rubric(copy).model_dump() == load_rubric(SHIPPED).model_dump()
    assert json.loads(dumped)["checks"]["opt_out"]["advice"]["n/a"] == (
        load_rubric(SHIPPED).checks["opt_out"].advice.na)


def test_init_copies_the_shipped_rubric_into_the_data_directory_once(tmp_path):
    home = tmp_path / "new-home"
    target = home / "rubric.yaml"
    result = run(home, "rubric", "init")
    assert result.stdout.splitlines() == [
        f"created {target}",
        "callsim scores with it whenever no --rubric or CALLSIM_RUBRIC is given; edit the "
        "weights and advice, then run 'callsim rubric validate'",
    ]
    assert target.read_bytes() == SHIPPED.read_bytes()
    assert run(home, "rubric", "show").stdout.splitlines()[0] == (
        f"rubric: {target} (the trainer's rubric in the data directory)")
    again = run(home, "rubric", "init")
    assert (again.stderr, again.exit_code) == (
        f"callsim: {target} already exists: edit it, or give another PATH (init never "
        "overwrites a file)\n", 2)


def test_init_to_a_path(tmp_path):
    target = tmp_path / "team" / "playbook.yaml"
    result = run(tmp_path, "rubric", "init", str(target))
    assert result.stdout.splitlines() == [
        f"created {target}",
        f"edit it, check it with 'callsim rubric validate {target}', then use it with "
        f"--rubric {target} or CALLSIM_RUBRIC={target}",
    ]
    assert run(tmp_path, "rubric", "validate", str(target)).stdout == f"rubric OK: {target}\n"
    blocked = write(tmp_path / "file", "not a folder")
    failed = run(tmp_path, "rubric", "init", str(blocked / "rubric.yaml"))
    assert (failed.stderr, failed.exit_code) == (
        f"callsim: cannot create the folder {blocked} (File exists): give a PATH in a writable "
        "directory\n", 1)
