"""`callsim score` judges one reply on what its moment in the call asks for (--stage), and its
readable scorecard opens with what to work on first."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.scoring.rubric import load_rubric
from simulator.scoring.stages import NOT_ASKED

runner = CliRunner()
FAIL_ADVICE = {check: spec.advice.fail for check, spec in load_rubric().checks.items()}
PROBE = "Thank you for your honesty. What issues are you facing as it relates to dispatch?"
CLOSE = "Would you mind if I circled back in a few months, or would you rather I never " \
        "contacted you again?"


def verdicts(*args: str) -> dict[str, str]:
    result = runner.invoke(app, ["score", "--json", *args])
    assert result.exit_code == 0, result.output
    return {check: r["verdict"] for check, r in json.loads(result.stdout)["checks"].items()}


@pytest.mark.parametrize(("args", "expected"), [
    # the default, opening: a reply that only probes is not failed for not closing
    ([PROBE], {"gratitude": "pass", "permission_close": "n/a", "opt_out": "n/a"}),
    # ... a close attempt is judged
    ([CLOSE], {"gratitude": "fail", "permission_close": "pass", "opt_out": "pass"}),
    (["Thanks, I'll call you next week."], {"permission_close": "fail", "opt_out": "fail"}),
    # ... and so is a reply that does not probe: it ends the call, or sets a time unasked
    (["Anyway, thanks for your time."], {"permission_close": "fail", "opt_out": "fail"}),
    (["Does Tuesday or Thursday work better for a quick fifteen minutes?"],
     {"permission_close": "fail", "opt_out": "fail"}),
    # close: later in the call, the thanks and the issues question are not asked for
    (["--stage", "close", CLOSE], {"gratitude": "n/a", "acknowledge": "n/a",
                                   "explore_issues": "n/a", "permission_close": "pass"}),
    # call: every check, as a whole call of one reply
    (["--stage", "call", PROBE], {"permission_close": "fail", "opt_out": "fail"}),
])
def test_a_reply_is_judged_on_what_its_stage_asks_for(args, expected):
    got = verdicts(*args)
    assert {check: got[check] for check in expected} == expected


def test_a_check_not_asked_for_says_why_and_does_not_count():
    result = runner.invoke(app, ["score", "--json", PROBE])
    card = json.loads(result.stdout)
    assert card["checks"]["permission_close"] == {
        "verdict": "n/a", "evidence": [], "advice": NOT_ASKED["opening"], "rewrite": None}
    whole = json.loads(runner.invoke(app, ["score", "--json", "--stage", "call", PROBE]).stdout)
    assert card["score"] > whole["score"]


def test_a_jsonl_batch_is_judged_at_the_stage_given():
    lines = f'{{"text": "{PROBE}"}}\n'
    default, whole = (
        json.loads(runner.invoke(app, ["score", "--jsonl", "-", *extra], input=lines).stdout)
        for extra in ([], ["--stage", "call"]))
    assert default["checks"]["permission_close"]["verdict"] == "n/a"
    assert whole["checks"]["permission_close"]["verdict"] == "fail"


def test_an_unknown_stage_is_refused():
    result = runner.invoke(app, ["score", "--stage", "middle", PROBE])
    assert result.exit_code == 2
    assert result.stderr == ("callsim: --stage takes one of opening, close or call, not middle; "
                             "see `callsim score --help`\n")


def test_the_scorecard_opens_with_the_heaviest_failures_quoted_and_rewritten():
    result = runner.invoke(app, ["score", CLOSE], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert ("╯\nWork on this first\n"
            ' 1. Thank them for the "no"\n'
            f"    {FAIL_ADVICE['gratitude']}\n"
            f'    You said: "{CLOSE}"\n'
            f"    Try instead: Thank you for your honesty. {CLOSE}\n"
            " 2. Explore their issues\n"
            f"    {FAIL_ADVICE['explore_issues']}\n"
            f'    You said: "{CLOSE}"\n'
            "    Try instead: If you could change one thing about how you handle this today, what "
            f"would it be? {CLOSE}\n"
            "\n┏") in result.stdout


def test_a_failure_without_a_rewrite_has_no_try_instead_row():
    result = runner.invoke(app, ["score", "--stage", "close",
                                 "Would you mind if I called back? Our price is the lowest."],
                           env={"COLUMNS": "300"})
    assert (" 1. No pushing after the \"no\"\n"
            f"    {FAIL_ADVICE['no_pushing']}\n"
            '    You said: "Our price is the lowest"\n'
            " 2. Offer a way out\n") in result.stdout
    assert "Try instead: -" not in result.stdout


def test_the_way_out_advice_gives_the_three_options_in_full():
    advice = FAIL_ADVICE["opt_out"]
    assert ("explain briefly what we do (5 minutes), circle back at a later time, or never "
            "contact you again") in advice
    result = runner.invoke(app, ["score", "--stage", "close",
                                 "Thanks, would you mind if I called back?"],
                           env={"COLUMNS": "300"})
    assert f" 1. Offer a way out\n    {advice}\n" in result.stdout
