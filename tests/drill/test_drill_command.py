"""`callsim drill --text`: one objection, one reply, verdicts, next; saved and scheduled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

import simulator.scoring
from simulator.cli.app import app
from simulator.cli.drill import STAGE_LABELS
from simulator.drill.bank import load_bank
from simulator.scoring.detect import detect
from simulator.scoring.rubric import load_rubric
from simulator.scoring.stages import score_reply
from simulator.storage.calls import CallStore

runner = CliRunner()
BANK = {objection.id: objection for objection in load_bank()}
RUBRIC = load_rubric()
TITLES = {check: spec.title for check, spec in RUBRIC.checks.items()}
FAILED = {check: spec.advice.fail for check, spec in RUBRIC.checks.items()}
BAD = "Why not?"
GOOD = ("Thank you for your honesty. How come you feel that way? Would it be ok if I checked "
        "back in a few months?")
PROBE = ("Thank you for your honesty, I can appreciate that. What issues are you facing as it "
         "relates to your business today?")
RUN_DRILL = ("from simulator.cli import drill; from simulator.cli.app import app\n"
             "if 'drill' not in {c.name for c in app.registered_commands}: drill.register(app)\n"
             "app(prog_name='callsim')")


def piped(replies) -> bytes:
    return b"".join(r if isinstance(r, bytes) else f"{r}\n".encode() for r in replies)


def drill(data_dir, replies, *extra, seed=1, trainee="ann", as_json=True):
    args = ["drill", "--text", "--seed", str(seed), "--data-dir", str(data_dir), *extra]
    args += ["--trainee", trainee] if trainee else []
    args += ["--json"] if as_json else []
    return runner.invoke(app, args, input=piped(replies), env={"COLUMNS": "200"})


def saved_calls(data_dir):
    with CallStore.open(data_dir) as store:
        return [store.get_call(s.call_id) for s in reversed(store.list_calls())]


def card_for(objection_id: str, reply: str) -> dict:
    """The scorecard a drill gives: judged on what the item asks for."""
    return score_reply(detect(reply), BANK[objection_id].stage).to_json()


def test_each_objection_is_said_answered_scored_at_once_and_saved_as_a_drill_call(tmp_path):
    result = drill(tmp_path, [BAD, GOOD], as_json=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    calls = saved_calls(tmp_path)
    assert len(calls) == 2  # the third objection was asked when the input ended: not saved
    for number, (call, reply) in enumerate(zip(calls, [BAD, GOOD], strict=True), 1):
        objection = BANK[call.turns[0].extra["objection"]]
        card = card_for(objection.id, reply)
        assert (f"{number}. new · {objection.role} at {objection.company} · "
                f"{STAGE_LABELS[objection.stage]}\n") in out
        assert f"{objection.persona_name}: {objection.text}" in out
        assert f"You: {reply}\nScore: {card['score']}/100" in out
        assert (call.mode, call.outcome, call.trainee, call.seed) == ("drill", "answered",
                                                                      "ann", 1)
        assert (call.persona, call.persona_name) == (objection.persona, objection.persona_name)
        assert [(t.speaker, t.text) for t in call.turns] == [("prospect", objection.text),
                                                              ("trainee", reply)]
        assert call.scorecard == card and call.score == card["score"]
        assert call.turns[1].extra == {"source": "text"}
    first = BANK[calls[0].turns[0].extra["objection"]]  # asked again: handled poorly
    assert f"3. again: handled poorly last time · {first.role} at {first.company}" in out
    assert out.count(f"{first.persona_name}: {first.text}") == 2
    assert [BANK[c.turns[0].extra["objection"]].stage for c in calls] == ["close", "opening"]
    # Each failure with its advice, the words said and a rewrite, the heaviest first.
    assert (f"You: {BAD}\nScore: 42/100\n"
            f"  FAIL {TITLES['permission_close']}\n    {FAILED['permission_close']}\n"
            f'    You said: "{BAD}"\n'
            "    Try instead: … Would you mind if I circled back in a few months?\n"
            f"  FAIL {TITLES['how_come_not_why']}\n    {FAILED['how_come_not_why']}\n"
            '    You said: "Why"\n    Try instead: How come?\n') in out
    # A missing move: the reply it belongs in, with the move added where it goes.
    assert (f"  FAIL {TITLES['acknowledge']}\n    {FAILED['acknowledge']}\n"
            f'    You said: "{GOOD}"\n    Try instead: I can appreciate that. {GOOD}\n') in out
    assert "Try:" not in out and "Try instead: -" not in out
    average = sum(card_for(c.turns[0].extra["objection"], r)["score"]
                  for c, r in zip(calls, [BAD, GOOD], strict=True)) / 2
    assert f"Drill over (end of input): 2 objections, average score {average:g}/100." in out
    assert f"Weakest: {TITLES['opt_out']} (failed 2 of 2), " in out
    assert "gratitude" in calls[1].turns[1].detections


def test_the_json_summary_lists_every_answered_item(tmp_path):
    result = drill(tmp_path, [BAD, GOOD, GOOD])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    calls = saved_calls(tmp_path)
    assert [i["call_id"] for i in summary["items"]] == [c.call_id for c in calls]
    assert [i["objection"] for i in summary["items"]] == [c.turns[0].extra["objection"]
                                                         for c in calls]
    assert [i["score"] for i in summary["items"]] == [card_for(i["objection"], r)["score"]
                                                     for i, r in zip(summary["items"],
                                                                     (BAD, GOOD, GOOD),
                                                                     strict=True)]
    assert [i["stage"] for i in summary["items"]] == [BANK[c.turns[0].extra["objection"]].stage
                                                     for c in calls]
    assert summary["stopped"] == "end_of_input" and summary["seed"] == 1
    assert summary["items"][0]["failed"] == ["how_come_not_why", "permission_close", "opt_out"]
    assert {"check": "opt_out", "failed": 3, "of": 3} in summary["weakest"]


def test_a_good_first_reply_is_not_failed_for_not_closing(tmp_path):
    items = json.loads(drill(tmp_path, [PROBE] * 6, seed=3).stdout)["items"]
    openings = [i for i in items if i["stage"] == "opening"]
    closes = [i for i in items if i["stage"] == "close"]
    assert openings and closes
    for item in openings:  # judged on thanks, acceptance and the probe: handled well
        card = saved_card(tmp_path, item["call_id"])
        assert card["score"] == 100 and item["failed"] == []
        assert {card["checks"][c]["verdict"] for c in ("permission_close", "opt_out")} == {"n/a"}
    for item in closes:  # where a close is asked for, a probe alone is not enough
        assert {"permission_close", "opt_out"} <= set(item["failed"])
    retried = {i["objection"] for i in items if i["reason"] == "retry"}
    assert retried and retried <= {i["objection"] for i in closes}


def saved_card(data_dir, call_id):
    with CallStore.open(data_dir) as store:
        return store.get_call(call_id).scorecard


def test_the_next_drill_starts_with_the_objection_handled_poorly(tmp_path):
    first = json.loads(drill(tmp_path, [BAD, GOOD]).stdout)["items"]
    poorly, well = first[0]["objection"], first[1]["objection"]
    second = json.loads(drill(tmp_path, [GOOD] * 4).stdout)["items"]
    assert (second[0]["objection"], second[0]["reason"]) == (poorly, "retry")
    assert [i["reason"] for i in second[1:]] == ["new"] * 3
    assert poorly not in [i["objection"] for i in second[1:]]  # handled well now: spaced out
    assert well not in [i["objection"] for i in second]
    # Another trainee's history is their own: a new trainee starts on new objections.
    newcomer = json.loads(drill(tmp_path, [GOOD], trainee="zoe").stdout)["items"]
    assert (newcomer[0]["objection"], newcomer[0]["reason"]) == (poorly, "new")


def test_unnamed_drills_schedule_from_unnamed_drills_only(tmp_path):
    first = json.loads(drill(tmp_path, [BAD, GOOD], trainee=None).stdout)["items"]
    again = json.loads(drill(tmp_path, [GOOD], trainee=None).stdout)["items"]
    named = json.loads(drill(tmp_path, [GOOD], trainee="ann").stdout)["items"]
    assert again[0]["reason"] == "retry" and again[0]["objection"] == first[0]["objection"]
    assert named[0]["reason"] == "new"
    assert [c.trainee for c in saved_calls(tmp_path)] == [None, None, None, "ann"]


def test_a_poorly_handled_objection_comes_back_within_the_same_drill(tmp_path):
    items = json.loads(drill(tmp_path, [BAD, GOOD, GOOD, GOOD]).stdout)["items"]
    assert items[2]["objection"] == items[0]["objection"] and items[2]["reason"] == "retry"
    assert items[3]["objection"] not in {items[0]["objection"], items[1]["objection"]}


def test_minutes_0_stops_after_the_first_answer(tmp_path):
    result = drill(tmp_path, [GOOD] * 3, "--minutes", "0", as_json=False)
    assert result.exit_code == 0, result.output
    assert "Drill over (time is up): 1 objection, average score" in result.stdout
    assert "2. " not in result.stdout
    assert len(saved_calls(tmp_path)) == 1


def test_no_reply_at_all_saves_nothing(tmp_path):
    result = drill(tmp_path, [], as_json=False)
    assert result.exit_code == 0, result.output
    assert "Drill over (end of input): no objection answered, nothing saved." in result.stdout
    assert saved_calls(tmp_path) == []


def test_a_reply_that_is_not_utf8_is_one_line_and_answered_items_are_kept(tmp_path):
    result = drill(tmp_path, [GOOD, b"caf\xe9\n", GOOD], as_json=False)
    assert result.exit_code == 1
    assert result.stderr == ("callsim: reply line 2 is not valid UTF-8 text: type or save "
                             "replies as UTF-8\n")
    assert "1. new" in result.stdout and f"You: {GOOD}\nScore: " in result.stdout
    assert [c.turns[1].text for c in saved_calls(tmp_path)] == [GOOD]


def test_negative_minutes_are_refused(tmp_path):
    result = drill(tmp_path, [GOOD], "--minutes", "-1", as_json=False)
    assert result.exit_code == 2
    assert result.stderr == ("callsim: --minutes takes a number of 0 or more, not -1; see "
                             "`callsim drill --help`\n")
    assert not (tmp_path / "callsim.db").exists()


def test_ctrl_c_ends_the_drill_keeping_every_answered_item(tmp_path):
    env = {**os.environ, "CALLSIM_HOME": str(tmp_path), "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-c", RUN_DRILL, "drill", "--text", "--seed", "2"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        proc.stdin.write(piped([BAD, GOOD]))
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while len(_finished(tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)  # while the third objection waits for its answer
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert b"Drill over (stopped): 2 objections" in out
    calls = saved_calls(tmp_path)
    assert [c.turns[1].text for c in calls] == [BAD, GOOD]
    assert all(c.outcome == "answered" for c in calls)


def _finished(data_dir):
    if not (data_dir / "callsim.db").exists():
        return []
    with CallStore.open(data_dir) as store:
        return [s for s in store.list_calls() if s.outcome is not None]


def trainers_rubric(data_dir) -> Path:
    """The data directory's rubric.yaml: "how come" renamed and weighing 60 instead of 15."""
    shipped = (Path(simulator.scoring.__file__).parent / "rubric.yaml").read_text()
    old = '    title: Ask "how come", not "why"\n    weight: 15\n'
    assert old in shipped
    path = data_dir / "rubric.yaml"
    path.write_text(shipped.replace(old, "    title: Never ask why\n    weight: 60\n"))
    return path


def test_a_rubric_in_the_data_directory_is_the_one_drills_use(tmp_path):
    rubric = load_rubric(trainers_rubric(tmp_path))
    result = drill(tmp_path, [BAD], as_json=False)
    assert result.exit_code == 0, result.output
    (call,) = saved_calls(tmp_path)
    stage = BANK[call.turns[0].extra["objection"]].stage
    card = score_reply(detect(BAD, rubric=rubric), stage, rubric).to_json()
    assert card["score"] != card_for(call.turns[0].extra["objection"], BAD)["score"]
    assert call.scorecard == card
    assert f"You: {BAD}\nScore: {card['score']}/100\n" in result.stdout
    assert "  FAIL Never ask why\n" in result.stdout
    assert "Weakest: " in result.stdout and "Never ask why (failed 1 of 1)" in result.stdout
    assert TITLES["how_come_not_why"] not in result.stdout


def test_rubric_given_on_the_command_line_wins_over_the_data_directorys(tmp_path):
    trainers_rubric(tmp_path)
    shipped = Path(simulator.scoring.__file__).parent / "rubric.yaml"
    result = drill(tmp_path, [BAD], "--rubric", str(shipped), as_json=False)
    assert result.exit_code == 0, result.output
    (call,) = saved_calls(tmp_path)
    assert call.scorecard == card_for(call.turns[0].extra["objection"], BAD)
    assert f"  FAIL {TITLES['how_come_not_why']}\n" in result.stdout
    assert "Never ask why" not in result.stdout


def test_help_says_the_defaults_and_what_json_prints_in_plain_words():
    page = " ".join(runner.invoke(app, ["drill", "--help"]).stdout.split())  # unwrapped
    assert "--minutes MINUTES How long to drill (default: 10; checked after each answer). " in page
    assert ("--json Print the drill's summary as JSON (the drill itself goes to stderr). "
            in page)
    assert "10.0" not in page and "instead of a table" not in page
