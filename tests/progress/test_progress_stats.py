"""Progress over saved calls: pass rates, first/best/latest verdicts, trends, outcomes, delivery."""

from __future__ import annotations

import sqlite3

import pytest

from simulator.errors import NothingFoundError
from simulator.progress import load_progress
from simulator.progress.chart import bar, sparkline
from simulator.progress.stats import thirds_trend
from simulator.scoring.rubric import CHECK_IDS
from simulator.storage import CallStore
from simulator.storage.queries import call_facts
from tests.progress.histories import SPOKEN, call, check_history, practice, save


@pytest.mark.parametrize(
    ("values", "threshold", "delta", "arrow"),
    [
        ([], 5, None, ""),
        ([50], 5, None, ""),
        ([40, 60], 5, 20, "↑"),
        ([40, 42], 5, 2, "→"),
        ([60, 40, 50], 5, -10, "↓"),  # thirds of 1: latest 50 minus first 60
        ([10, 20, 30, 40, 50, 60, 70], 5, 40, "↑"),  # thirds of 3: 60 - 20
        ([50, 55, 50, 45], 5, -5, "↓"),  # exactly the threshold counts
        ([50, 54.9], 5, 4.9, "→"),
        ([0, 0, 1, 1, 1, 1], 0.10, 1, "↑"),
    ],
)
def test_trend_is_latest_third_minus_first_third(values, threshold, delta, arrow):
    trend = thirds_trend(values, threshold)
    assert (trend.delta, trend.arrow) == (delta, arrow)


# Verdicts of one check over a trainee's calls, oldest first: P pass, F fail, N n/a, - absent.
@pytest.mark.parametrize(
    ("codes", "passed", "failed", "na", "rate", "first", "best", "latest", "delta", "arrow"),
    [
        ("PPPPPP", 6, 0, 0, 1.0, "pass", "pass", "pass", 0.0, "→"),
        ("FFPPPP", 4, 2, 0, 4 / 6, "fail", "pass", "pass", 1.0, "↑"),
        ("PPPFFF", 3, 3, 0, 0.5, "pass", "pass", "fail", -1.0, "↓"),
        ("PFPFPF", 3, 3, 0, 0.5, "pass", "pass", "fail", 0.0, "→"),
        ("PPPPPF", 5, 1, 0, 5 / 6, "pass", "pass", "fail", -0.5, "↓"),
        ("NFNPNP", 2, 1, 3, 2 / 3, "n/a", "pass", "pass", 1.0, "↑"),  # n/a left out
        ("NNNNNN", 0, 0, 6, None, "n/a", "n/a", "n/a", None, ""),
        ("-F----", 0, 1, 0, 0.0, "fail", "fail", "fail", None, ""),
        ("------", 0, 0, 0, None, None, None, None, None, ""),
        ("FFFNFFFFFP", 1, 8, 1, 1 / 9, "fail", "pass", "pass", round(1 / 3, 4), "↑"),
    ],
)
def test_check_progress_from_a_history(tmp_path, codes, passed, failed, na, rate, first, best,
                                       latest, delta, arrow):
    with CallStore.open(save(tmp_path, check_history("acknowledge", codes))) as store:
        result = load_progress(store, "ana")
    check = result.checks[CHECK_IDS.index("acknowledge")]
    assert (check.passed, check.failed, check.not_applicable) == (passed, failed, na)
    assert check.pass_rate == (None if rate is None else pytest.approx(rate))
    assert (check.first, check.best, check.latest) == (first, best, latest)
    assert (check.trend.delta, check.trend.arrow) == (delta, arrow)
    others = [c for c in result.checks if c.check != "acknowledge"]
    assert all(c.passed + c.failed + c.not_applicable == 0 for c in others)


def test_score_summary_and_outcomes_per_persona(tmp_path):
    records = [
        call(0, score=40, persona="covered-carl", outcome="hung_up"),
        call(1, score=90, persona="gatekeeper-gail", outcome="callback_agreed"),
        call(2, score=60, persona="covered-carl", outcome="meeting_agreed", mode="drill"),
        call(3, score=80, persona="covered-carl", outcome="hung_up"),
    ]
    with CallStore.open(save(tmp_path, records)) as store:
        result = load_progress(store, "ana")
    score = result.score
    assert (score.first, result.best_score, score.latest, score.mean) == (40, 90, 80, 67.5)
    assert (score.trend.delta, score.trend.arrow) == (5.0, "↑")  # (60+80)/2 - (40+90)/2
    assert (len(result.calls), result.drills, result.spoken) == (4, 1, 0)
    assert [p.to_json() for p in result.outcomes] == [
        {"persona": "covered-carl", "persona_name": "Covered Carl", "calls": 3,
         "outcomes": {"hung_up": 2, "meeting_agreed": 1}},
        {"persona": "gatekeeper-gail", "persona_name": "Gatekeeper Gail", "calls": 1,
         "outcomes": {"callback_agreed": 1}},
    ]


def test_delivery_series_come_from_spoken_calls_only(tmp_path):
    records = [
        call(0, delivery=SPOKEN),
        call(1),  # typed: no delivery figures
        call(2, delivery={**SPOKEN, "response_delay_s": None, "speaking_rate_wpm": 150,
                          "filler_words": 0}),
        call(3, delivery={**SPOKEN, "response_delay_s": 0.5, "talk_share": 0.4}),
    ]
    with CallStore.open(save(tmp_path, records)) as store:
        result = load_progress(store)
    figures = {figure.key: figure for figure in result.delivery}
    assert result.spoken == 3
    assert figures["response_delay_s"].values == [1.5, 0.5]  # call 2 has no delay
    assert figures["speaking_rate_wpm"].values == [120, 150, 120]
    assert figures["talk_share"].values == [0.6, 0.6, 0.4]
    assert figures["filler_words"].values == [3, 0, 3]
    assert (figures["response_delay_s"].trend.delta, figures["response_delay_s"].trend.arrow) \
        == (-1.0, "↓")
    assert figures["talk_share"].mean == pytest.approx(0.53)


def test_only_the_trainees_finished_calls_count_matched_ignoring_case(tmp_path):
    records = [call(0, trainee="Ana"), call(1, trainee="bob"), call(2, trainee="ANA"),
               call(3, trainee="ana", outcome=None), call(4, trainee=None)]
    with CallStore.open(save(tmp_path, records)) as store:
        assert [c.call_id for c in load_progress(store, "aNa").calls] == [
            records[0].call_id, records[2].call_id]
        assert load_progress(store, "aNa").trainee == "ANA"  # as saved on the latest call
        assert len(load_progress(store).calls) == 4  # everyone's finished calls
        with pytest.raises(NothingFoundError) as raised:
            load_progress(store, "carol")
    assert str(raised.value) == (
        "no calls for trainee 'carol'; run `callsim history` to see what is saved")


def test_a_hand_damaged_scorecard_counts_as_no_verdicts(tmp_path):
    records = [call(0, score=70), call(1, score=30)]
    save(tmp_path, records)
    with sqlite3.connect(tmp_path / "callsim.db") as conn:
        conn.execute("UPDATE calls SET scorecard = '{broken', delivery = '[1' WHERE call_id = ?",
                     (records[0].call_id,))
    with CallStore.open(tmp_path) as store:
        result = load_progress(store)
    assert result.score.values == [70, 30]
    assert [c.passed for c in result.checks] == [1] * len(CHECK_IDS)


def test_progress_of_real_calls_agrees_with_their_saved_scorecards(tmp_path):
    replies = [
        "Thank you for your honesty. Why not?\nOkay, bye.\n",
        "I can appreciate that. How come? Keep us in mind.\n",
        "Thanks! What issues are you facing with routes? Would you mind if I called back "
        "next month, or should I never contact you again?\n",
    ]
    for seed, text in enumerate(replies, start=1):
        practice(tmp_path, "dora", text, seed)
    with CallStore.open(tmp_path) as store:
        result = load_progress(store, "dora")
        cards = [store.get_call(c.call_id).scorecard for c in call_facts(store, "dora")]
    assert len(cards) == 3
    for check in result.checks:
        verdicts = [card["checks"][check.check]["verdict"] for card in cards]
        assert (check.passed, check.failed, check.not_applicable) == (
            verdicts.count("pass"), verdicts.count("fail"), verdicts.count("n/a"))
        assert (check.first, check.latest) == (verdicts[0], verdicts[-1])
    assert result.score.values == [card["score"] for card in cards]


@pytest.mark.parametrize(
    ("values", "low", "high", "width", "line"),
    [
        ([0, 25, 50, 75, 100], 0, 100, 60, "▁▃▅▆█"),  # 8 levels: 50 -> 3.5 -> 4
        ([5, 5, 5], None, None, 60, "▄▄▄"),
        ([], 0, 100, 60, ""),
        ([0, 100, 0, 100, 100, 100], 0, 100, 3, "▅▅█"),  # runs of two averaged
        ([-10, 150], 0, 100, 60, "▁█"),  # clipped to the range
    ],
)
def test_sparkline(values, low, high, width, line):
    assert sparkline(values, low, high, width) == line


@pytest.mark.parametrize(("fraction", "cells"),
                         [(0.0, "░░░░░░░░░░"), (0.7, "███████░░░"), (1.0, "██████████"),
                          (0.04, "░░░░░░░░░░"), (None, "          ")])
def test_bar(fraction, cells):
    assert bar(fraction) == cells
