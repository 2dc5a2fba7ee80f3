"""Which objection comes next: unseen first, poorly handled ones back soon, good ones spaced out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from simulator.drill.schedule import (
    INTERVALS,
    PASS_SCORE,
    RETRY_AFTER,
    Attempt,
    next_objection,
    standings,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
BANK = [f"p{n}:1" for n in range(1, 13)]
GOOD, BAD = 90, 30


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def attempts(*rows) -> list[Attempt]:
    """rows of (objection, seconds after T0, score[, failed checks])."""
    return [Attempt(o, at(s), score, frozenset(rest[0]) if rest else frozenset())
            for o, s, score, *rest in rows]


def drill(answers: dict[str, int], items: int, seed: int = 7, step: float = 20.0):
    """Run the schedule for `items` answers, each objection always getting the same score."""
    history: list[Attempt] = []
    asked = []
    for n in range(items):
        pick = next_objection(BANK, history, at(n * step), seed)
        asked.append(pick)
        history.append(Attempt(pick.objection, at(n * step + 10),
                               answers.get(pick.objection, GOOD)))
    return asked


@pytest.mark.parametrize(("score", "failed", "well"), [
    (PASS_SCORE, set(), True),
    (PASS_SCORE - 1, set(), False),
    (100, {"explore_issues", "opt_out"}, True),  # not key checks
    (95, {"gratitude"}, False),
    (95, {"how_come_not_why"}, False),
    (95, {"i_free_questions"}, False),
    (95, {"permission_close"}, False),
])
def test_what_counts_as_handled_well(score, failed, well):
    assert Attempt("a", T0, score, frozenset(failed)).handled_well is well


def test_a_new_trainee_gets_every_objection_once_before_any_repeat():
    asked = drill({}, len(BANK))
    assert sorted(p.objection for p in asked) == sorted(BANK)
    assert {p.reason for p in asked} == {"new"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_order_of_new_objections_is_fixed_by_the_seed(seed):
    first, again = drill({}, len(BANK), seed), drill({}, len(BANK), seed)
    assert [p.objection for p in first] == [p.objection for p in again]


def test_different_seeds_give_different_orders_and_a_new_objection_keeps_the_others_order():
    orders = {tuple(p.objection for p in drill({}, len(BANK), seed)) for seed in range(5)}
    assert len(orders) == 5
    history: list[Attempt] = []
    with_extra = [*BANK, "p99:1"]
    order = []
    for n in range(len(with_extra)):
        pick = next_objection(with_extra, history, at(n), 7).objection
        order.append(pick)
        history.append(Attempt(pick, at(n), GOOD))
    assert [o for o in order if o != "p99:1"] == [p.objection for p in drill({}, len(BANK))]


def test_a_poorly_handled_objection_comes_back_after_one_other_item():
    first = drill({}, 1)[0].objection
    asked = drill({first: BAD}, 7)
    assert [p.objection for p in asked[::2]] == [first] * 4  # every other item
    assert [p.reason for p in asked[2::2]] == ["retry"] * 3
    assert {p.reason for p in asked[1::2]} == {"new"}


@pytest.mark.parametrize(("history", "seconds", "expected", "reason"), [
    # Handled poorly, nothing asked since: not again at once, but after a minute.
    ([("p1:1", 0, BAD)], 5, None, "new"),
    ([("p1:1", 0, BAD)], RETRY_AFTER.total_seconds(), "p1:1", "retry"),
    # One other objection asked since: due, ahead of unseen ones.
    ([("p1:1", 0, BAD), ("p2:1", 5, GOOD)], 6, "p1:1", "retry"),
    # A high score that failed a key check is handled poorly.
    ([("p1:1", 0, 95, {"permission_close"}), ("p2:1", 5, GOOD)], 6, "p1:1", "retry"),
    # Two due: the weaker box first, then the one practised longest ago.
    ([("p1:1", 0, BAD), ("p2:1", 5, BAD), ("p3:1", 9, GOOD)], 10, "p1:1", "retry"),
    ([("p2:1", 0, BAD), ("p1:1", 5, BAD), ("p3:1", 9, GOOD)], 10, "p2:1", "retry"),
    # Handled well: an unseen objection comes first.
    ([("p1:1", 0, GOOD)], 60, None, "new"),
])
def test_what_comes_next(history, seconds, expected, reason):
    pick = next_objection(BANK, attempts(*history), at(seconds), seed=3)
    assert pick.reason == reason
    if expected is None:
        assert pick.objection not in {row[0] for row in history}
    else:
        assert pick.objection == expected


@pytest.mark.parametrize(("streak", "box"), [(1, 1), (2, 2), (3, 3), (6, 6), (9, 9)])
def test_good_answers_in_a_row_push_an_objection_out_by_growing_intervals(streak, box):
    rows = [("p1:1", n * 10, GOOD) for n in range(streak)]
    last = at((streak - 1) * 10)
    wait = INTERVALS[min(box, len(INTERVALS)) - 1]
    (before,) = standings(attempts(*rows), last + wait - timedelta(seconds=1)).values()
    (after,) = standings(attempts(*rows), last + wait).values()
    assert before.box == after.box == box
    assert (before.due, after.due) == (False, True)
    assert list(INTERVALS) == sorted(INTERVALS)


def test_one_poor_answer_sends_an_objection_back_to_the_first_box():
    history = attempts(("p1:1", 0, GOOD), ("p1:1", 10, GOOD), ("p1:1", 20, BAD))
    assert standings(history, at(21))["p1:1"].box == 0


def test_a_review_that_is_due_comes_before_new_objections():
    history = attempts(("p1:1", 0, GOOD))
    pick = next_objection(BANK, history, at(0) + INTERVALS[0], seed=3)
    assert (pick.objection, pick.reason, pick.box) == ("p1:1", "review", 1)


def test_when_everything_is_seen_and_not_due_the_soonest_due_comes_next_never_twice_in_a_row():
    bank = ["a:1", "b:1", "c:1"]
    history = attempts(("c:1", 0, GOOD), ("c:1", 1, GOOD), ("a:1", 2, GOOD), ("b:1", 3, GOOD))
    assert next_objection(bank, history, at(4), 1).objection == "a:1"  # box 1, oldest
    assert next_objection(bank, history, at(4), 1).reason == "early"
    only_bad = attempts(("a:1", 0, GOOD), ("b:1", 1, GOOD), ("c:1", 2, BAD))
    assert next_objection(bank, only_bad, at(3), 1).objection == "a:1"


def test_a_one_objection_bank_repeats_it():
    pick = next_objection(["a:1"], attempts(("a:1", 0, BAD)), at(1), 1)
    assert (pick.objection, pick.reason) == ("a:1", "early")


def test_the_history_order_does_not_matter():
    rows = attempts(("p1:1", 0, BAD), ("p2:1", 5, GOOD), ("p3:1", 7, BAD))
    picks = {next_objection(BANK, order, at(8), 4) for order in (rows, rows[::-1])}
    assert len(picks) == 1
