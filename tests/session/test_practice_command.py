"""`callsim practice --text`: whole calls through the CLI, saved as they happen, read back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.dialog.validate import load_personas
from simulator.scoring.rubric import load_rubric
from simulator.storage.calls import CallStore

runner = CliRunner()
GOLDENS = [(p.persona.id, g) for p in load_personas() for g in p.persona.golden
           if g.expect.outcome]


def practice(data_dir, persona, replies, seed=1, *extra):
    args = ["practice", "--persona", persona, "--text", "--seed", str(seed), "--json",
            "--data-dir", str(data_dir), *extra]
    return runner.invoke(app, args, input="".join(f"{r}\n" for r in replies))


@pytest.mark.parametrize(("persona", "golden"), GOLDENS,
                         ids=[f"{p}:{g.expect.outcome}:{g.name[:30]}" for p, g in GOLDENS])
def test_a_scripted_call_reaches_the_goldens_outcome(tmp_path, persona, golden):
    result = practice(tmp_path, persona, golden.replies, golden.seed)
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    assert call["outcome"] == golden.expect.outcome
    assert call["persona"] == persona and call["seed"] == golden.seed


def test_every_kind_of_outcome_is_reached(tmp_path):
    reached = {json.loads(practice(tmp_path, p, g.replies, g.seed).stdout)["outcome"]
               for p, g in GOLDENS}
    reached.add(json.loads(practice(tmp_path, "covered-carl", ["How come?"] * 3 +
                                    ["What issues are you facing with dispatch?"] * 8
                                    ).stdout)["outcome"])
    assert reached >= {"hung_up", "callback_agreed", "meeting_agreed", "opted_out",
                       "trainee_ended", "max_turns"}


def test_the_call_record_has_the_documented_shape_and_reads_back_identical(tmp_path):
    result = practice(tmp_path, "covered-carl",
                      ["Thank you for your honesty. What issues are you facing with dispatch?",
                       "Would you mind if I circled back in a few months?"], 3, "--trainee", "ann")
    call = json.loads(result.stdout)
    assert {"call_id", "persona", "seed", "outcome", "turns", "scorecard"} <= set(call)
    assert [t["speaker"] for t in call["turns"]][:3] == ["prospect", "trainee", "prospect"]
    trainee_turn = call["turns"][1]
    assert {"started_at", "ended_at", "detections"} <= set(trainee_turn)
    assert {"gratitude", "explore_issues"} <= set(trainee_turn["detections"])
    assert set(call["scorecard"]) == {"score", "checks"}
    shown = runner.invoke(app, ["show", call["call_id"], "--json", "--data-dir", str(tmp_path)])
    assert json.loads(shown.stdout) == call
    listed = json.loads(runner.invoke(app, ["history", "--json", "--trainee", "ann",
                                            "--data-dir", str(tmp_path)]).stdout)
    assert [c["call_id"] for c in listed] == [call["call_id"]]


def test_the_same_seed_and_replies_give_the_same_call(tmp_path):
    replies = ["Why not?", "How come?", "Thanks, goodbye."]
    first, second = (json.loads(practice(tmp_path, "covered-carl", replies, 42).stdout)
                     for _ in range(2))
    assert [t["text"] for t in first["turns"]] == [t["text"] for t in second["turns"]]
    assert first["scorecard"] == second["scorecard"]


def test_end_of_input_mid_call_ends_saves_and_scores_what_was_said(tmp_path):
    call = json.loads(practice(tmp_path, "covered-carl", ["Thanks for letting me know."]).stdout)
    assert call["outcome"] == "trainee_ended"
    assert call["scorecard"]["checks"]["gratitude"]["verdict"] == "pass"


def readable(data_dir, persona, replies, seed=1, columns=200):
    args = ["practice", "--persona", persona, "--text", "--seed", str(seed),
            "--data-dir", str(data_dir)]
    return runner.invoke(app, args, input="".join(f"{r}\n" for r in replies),
                         env={"COLUMNS": str(columns)})


def test_readable_scorecard_with_per_turn_notes_and_rewrite(tmp_path):
    result = readable(tmp_path, "covered-carl", ["Why aren't you interested?"])
    assert result.exit_code == 0
    assert "Per-turn notes" in result.stdout
    assert 'Reply 1: "Why" (Ask "how come", not "why")  Try: How come you\'re not interested?' \
        in result.stdout


def test_the_scorecard_opens_with_the_two_heaviest_failures_to_work_on(tmp_path):
    result = readable(tmp_path, "covered-carl", ["Why aren't you interested?"])
    out = result.stdout
    advice = {check: spec.advice.fail for check, spec in load_rubric().checks.items()}
    assert ("╯\nWork on this first\n"
            ' 1. Thank them for the "no"\n'
            f"    {advice['gratitude']}\n"
            '    You said: "Why aren\'t you interested?"\n'
            "    Try instead: Thank you for your honesty. …\n"
            " 2. Close by asking permission\n"
            f"    {advice['permission_close']}\n"
            '    You said: "Why aren\'t you interested?"\n'
            "    Try instead: … Would you mind if I circled back in a few months?\n"
            "\n╭─ Per-turn notes") in out
    assert out.index("Work on this first") < out.index("┃ Check")  # then the rest
    call_id = json.loads(runner.invoke(app, ["history", "--json", "--data-dir",
                                             str(tmp_path)]).stdout)[0]["call_id"]
    shown = runner.invoke(app, ["show", call_id, "--data-dir", str(tmp_path)],
                          env={"COLUMNS": "200"})
    assert "Work on this first\n 1. Thank them for the \"no\"\n" in shown.stdout


CARL_THANKS_FIRST = ["Thank you for your honesty, I can appreciate that.",
                     "What issues are you facing as it relates to dispatch?",
                     "Would you mind if we talked again next week?"]


def test_thanks_first_then_his_issues_then_a_permission_close_gets_carl_to_a_meeting(tmp_path):
    result = readable(tmp_path, "covered-carl", CARL_THANKS_FIRST, columns=300)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert ("Carl Jensen: Yeah, we already have something for that. Not interested.\n"
            "Carl Jensen: Yeah, okay. What do you want to know?\n"
            "Carl Jensen: Well... honestly our dispatch is a mess. Drivers call in all day asking "
            "where to go next.\n"
            "Carl Jensen: Okay. Send me a time next week and we'll talk.\n") in out
    assert "outcome: meeting_agreed  Score: 96/100" in out
    # The only miss, quoted from the last reply, with the way out added.
    opt_out = load_rubric().checks["opt_out"].advice.fail
    assert ("Work on this first\n 1. Offer a way out\n"
            f"    {opt_out}\n"
            '    You said (reply 3): "Would you mind if we talked again next week?"\n'
            "    Try instead: Would you mind if we talked again next week? Or would you rather I "
            "never contacted you again?\n\n") in out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_carl_remembers_the_thanks_whatever_he_says(tmp_path, seed):
    call = json.loads(practice(tmp_path, "covered-carl", CARL_THANKS_FIRST, seed).stdout)
    assert call["outcome"] == "meeting_agreed"
    said = [t["text"] for t in call["turns"] if t["speaker"] == "prospect"]
    assert said[1] in ("Uh-huh. So what is it you wanted?",
                       "Yeah, okay. What do you want to know?")  # courteous: not a poor reply
    assert [t["state"] for t in call["turns"] if t["speaker"] == "trainee"] == [
        "guarded", "open", "open"]
    verdicts = {check: result["verdict"] for check, result in call["scorecard"]["checks"].items()}
    assert (verdicts["gratitude"], verdicts["acknowledge"], verdicts["explore_issues"],
            verdicts["permission_close"]) == ("pass", "pass", "pass", "pass")


@pytest.mark.parametrize(("args", "stdin", "message", "code"), [
    (["--persona", "nobody"], "", "callsim: unknown persona 'nobody'; available: absurd-al, ",
     2),  # a usage error: refused before the briefing
    (["--persona", "covered-carl"], b"caf\xe9\n", "callsim: reply line 1 is not valid UTF-8 "
     "text: type or save replies as UTF-8", 1),
])
def test_bad_input_is_one_line_and_the_call_is_kept(tmp_path, args, stdin, message, code):
    result = runner.invoke(app, ["practice", "--text", "--data-dir", str(tmp_path), *args],
                           input=stdin)
    assert result.exit_code == code
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1
    if "covered-carl" in args:
        with CallStore.open(tmp_path) as store:
            (saved,) = store.list_calls()
            assert saved.outcome == "interrupted" and saved.turns == 1


def _start_call_process(tmp_path):
    env = {**os.environ, "CALLSIM_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "practice", "--persona",
                             "covered-carl", "--text", "--seed", "5"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    replies = ["Thank you for your honesty.", "How come you feel covered?"]
    for reply in replies:
        proc.stdin.write(f"{reply}\n".encode())
    proc.stdin.flush()
    return proc, replies


def _wait_for_turns(tmp_path, count, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (tmp_path / "callsim.db").exists():
            with CallStore.open(tmp_path) as store:
                calls = store.list_calls()
                if calls and calls[0].turns >= count:
                    return store.get_call(calls[0].call_id)
        time.sleep(0.05)
    raise AssertionError(f"the call never reached {count} turns")


def test_killing_the_process_mid_call_keeps_every_finished_turn(tmp_path):
    proc, replies = _start_call_process(tmp_path)
    try:
        call = _wait_for_turns(tmp_path, 5)  # opening + 2 x (reply, reaction)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    with CallStore.open(tmp_path) as store:
        saved = store.get_call(call.call_id)
    assert [t.text for t in saved.turns if t.speaker == "trainee"] == replies
    assert saved.outcome is None  # killed: never finished, but nothing said was lost


def test_ctrl_c_mid_call_ends_saves_and_scores(tmp_path):
    proc, replies = _start_call_process(tmp_path)
    try:
        _wait_for_turns(tmp_path, 5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    with CallStore.open(tmp_path) as store:
        (saved,) = store.list_calls()
        call = store.get_call(saved.call_id)
    assert call.outcome == "trainee_ended"
    assert call.scorecard["checks"]["gratitude"]["verdict"] == "pass"


def test_history_table_shows_the_newest_calls_and_says_how_many_more(tmp_path):
    for seed in (1, 2, 3):
        practice(tmp_path, "covered-carl", ["Thanks, goodbye."], seed, "--trainee", "ann")
    result = runner.invoke(app, ["history", "--limit", "2", "--data-dir", str(tmp_path)])
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["call", "started", "(UTC)", "trainee", "persona", "outcome",
                                "score", "turns"]  # and a last column, blank unless not counted
    assert len(lines) == 4
    assert lines[-1] == "(newest 2 of 3 calls; --limit N or --all for more)"
    everything = runner.invoke(app, ["history", "--all", "--data-dir", str(tmp_path)])
    assert len(everything.stdout.splitlines()) == 4
    nobody = runner.invoke(app, ["history", "--trainee", "zoe", "--data-dir", str(tmp_path)])
    assert (nobody.exit_code, nobody.stdout) == (1, "")
    assert nobody.stderr == ("callsim: no calls for trainee 'zoe'; run `callsim history` to see "
                             "what is saved\n")
