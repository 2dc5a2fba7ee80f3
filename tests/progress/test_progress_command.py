"""`callsim progress`: the text a trainer reads, the JSON a script reads, and its errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.scoring.rubric import CHECK_IDS
from tests.progress.histories import SPOKEN, call, save

runner = CliRunner()
GRATITUDE_AND_CLOSE = ("gratitude", "permission_close")


def history():
    """ana: four calls, improving on gratitude, one drill, two spoken; bob: one call."""
    codes = ["FN", "FF", "PP", "PP"]
    records = [
        call(n, score=score, mode=mode, delivery=delivery, outcome=outcome,
             verdicts=dict(zip(GRATITUDE_AND_CLOSE, pair, strict=True)))
        for n, (score, pair, mode, delivery, outcome) in enumerate(zip(
            [40, 90, 60, 80], codes, ["text", "mic", "drill", "mic"],
            [None, SPOKEN, None, {**SPOKEN, "response_delay_s": 0.5, "filler_words": 1}],
            ["hung_up", "callback_agreed", "hung_up", "meeting_agreed"], strict=True))
    ]
    return [*records, call(9, trainee="bob", score=10, persona="gatekeeper-gail")]


def progress(tmp_path, *args: str):
    save(tmp_path, history())
    return runner.invoke(app, ["progress", "--data-dir", str(tmp_path), *args])


def test_text_shows_rates_trends_outcomes_delivery_and_charts(tmp_path):
    result = progress(tmp_path, "--trainee", "ANA")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for line in [
        "Progress of ana: 4 calls (1 drill, 2 spoken), 2025-03-01 to 2025-03-01",
        "Score: first 40, best 90, latest 80, mean 67.5, trend ↑ +5",
        "  ▄▇▅▇",  # 40 90 60 80 on ▁..█ for 0..100
        'Thank them for the "no"       █████░░░░░  50%       2/4    0  fail   pass   pass    '
        "↑ +100",
        "Close by asking permission    ███████░░░  67%       2/3    1  n/a    pass   pass    "
        "↑ +100",
        "Explore their issues                        -       0/0    0  -      -      -       -",
        "Trend: mean of the latest third of calls minus mean of the first third.",
        "  covered-carl (Covered Carl): 4 calls: hung_up 2, callback_agreed 1, meeting_agreed 1",
        "Delivery (2 spoken calls)    first  latest    mean  trend      over calls",
        "  Response delay (s)          1.50    0.50    1.00  ↓ -1.00    █▁  (lower is better)",
        "  Filler words                   3       1     2.0  ↓ -2.0     █▁  (lower is better)",
    ]:
        assert line in lines
    assert "bob" not in result.stdout and "gatekeeper" not in result.stdout


def test_without_trainee_every_call_counts(tmp_path):
    result = progress(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Progress of all trainees: 5 calls (1 drill, 2 spoken), 2025-03-01 to 2025-03-01\n")
    assert "  gatekeeper-gail (Gatekeeper Gail): 1 call: hung_up 1" in result.stdout.splitlines()


def test_json_shape(tmp_path):
    result = progress(tmp_path, "--trainee", "ana", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"trainee", "calls", "drills", "spoken_calls", "first_call",
                         "latest_call", "trend_method", "score", "checks", "outcomes",
                         "delivery"}
    assert (data["trainee"], data["calls"], data["drills"], data["spoken_calls"]) == (
        "ana", 4, 1, 2)
    assert (data["first_call"], data["latest_call"]) == (
        "2025-03-01T09:00:00.000Z", "2025-03-01T09:03:00.000Z")
    assert [c["check"] for c in data["checks"]] == list(CHECK_IDS)
    assert data["checks"][0] == {
        "check": "gratitude", "pass": 2, "fail": 2, "n/a": 0, "pass_rate": 0.5,
        "first": "fail", "best": "pass", "latest": "pass",
        "trend": {"delta": 1.0, "arrow": "↑"}}
    score = data["score"]
    assert {k: score[k] for k in ("key", "calls", "first", "best", "latest", "mean")} == {
        "key": "score", "calls": 4, "first": 40, "best": 90, "latest": 80, "mean": 67.5}
    assert [p["value"] for p in score["series"]] == [40, 90, 60, 80]
    assert [d["key"] for d in data["delivery"]] == [
        "response_delay_s", "speaking_rate_wpm", "talk_share", "filler_words"]
    assert data["delivery"][0]["series"][1] == {"call_id": "20250301-000003-0000abcd",
                                                "value": 0.5}
    assert data["outcomes"] == [{"persona": "covered-carl", "persona_name": "Covered Carl",
                                 "calls": 4, "outcomes": {"hung_up": 2, "callback_agreed": 1,
                                                          "meeting_agreed": 1}}]


def test_unknown_trainee_is_one_line(tmp_path):
    result = progress(tmp_path, "--trainee", "x")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "callsim: no calls for trainee 'x'; run `callsim history` to see what is saved"]


def test_unknown_trainee_with_json_still_prints_the_empty_result(tmp_path):
    result = progress(tmp_path, "--trainee", "x", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["calls"] == 0
    assert result.stderr.splitlines() == [
        "callsim: no calls for trainee 'x'; run `callsim history` to see what is saved"]


def test_no_calls_at_all(tmp_path):
    result = runner.invoke(app, ["progress", "--data-dir", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "callsim: no calls saved yet; start one: callsim practice --persona covered-carl --text\n")
