"""Which objection to drill next: a Leitner scheme over the trainee's past answers. Pure.

Each objection sits in a box: box 0 when it was handled poorly the last time, box k after k good
answers in a row. A poorly handled one is due again as soon as one other objection has been
asked (or a minute has passed), so a weak spot keeps coming back within the same session; a well
handled one is pushed out by a growing interval. Due objections come first (weakest box, then the
longest unpractised), then unseen ones in an order fixed by the seed, then the one due soonest.
A poor answer with a FAIL heard unclearly (scoring/unclear.py) does not count either way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PASS_SCORE = 70
KEY_CHECKS = frozenset({"gratitude", "how_come_not_why", "i_free_questions", "permission_close"})
RETRY_AFTER = timedelta(minutes=1)
# The wait before a review after 1, 2, 3... good answers in a row (the last one repeats).
INTERVALS = (timedelta(minutes=10), timedelta(days=1), timedelta(days=3), timedelta(days=7),
             timedelta(days=21), timedelta(days=60))

REASONS = ("retry", "review", "new", "early")


@dataclass(frozen=True)
class Attempt:
    """One past answer to an objection."""

    objection: str
    at: datetime
    score: int
    failed: frozenset[str] = frozenset()  # the checks that failed (heard clearly)
    unclear: frozenset[str] = frozenset()  # FAILs resting on unsure words (heard unclearly)

    @property
    def handled_well(self) -> bool:
        return self.score >= PASS_SCORE and not self.failed & KEY_CHECKS

    @property
    def counts(self) -> bool:
        """Whether the answer says how the objection was handled: a poor one whose FAILs may
        have been misheard says nothing (the trainee may well have said it right)."""
        return self.handled_well or not self.unclear


@dataclass(frozen=True)
class Standing:
    """Where one objection stands after its attempts so far."""

    objection: str
    box: int
    last: datetime
    due: bool
    due_at: datetime


@dataclass(frozen=True)
class Pick:
    """The next objection and why: retry (handled poorly), review (due again), new, early."""

    objection: str
    reason: str
    box: int | None = None


def seeded_rank(objection: str, seed: int) -> str:
    """A per-objection rank fixed by the seed (adding an objection leaves the others' order)."""
    return hashlib.sha256(f"{seed}:{objection}".encode()).hexdigest()


def standings(history: Iterable[Attempt], now: datetime) -> dict[str, Standing]:
    """Box and due time of every objection in the history (attempts in any order)."""
    attempts = sorted(history, key=lambda a: a.at)  # stable: equal times keep their order
    boxes: dict[str, int] = {}
    last: dict[str, datetime] = {}
    for attempt in (a for a in attempts if a.counts):
        streak = boxes.get(attempt.objection, 0)
        boxes[attempt.objection] = streak + 1 if attempt.handled_well else 0
        last[attempt.objection] = attempt.at
    latest = attempts[-1].objection if attempts else None
    result = {}
    for objection, box in boxes.items():
        wait = RETRY_AFTER if box == 0 else INTERVALS[min(box, len(INTERVALS)) - 1]
        due_at = last[objection] + wait
        # A poor answer is due again once another objection has been asked since.
        due = now >= due_at or (box == 0 and objection != latest)
        result[objection] = Standing(objection, box, last[objection], due, due_at)
    return result


def next_objection(bank: Sequence[str], history: Iterable[Attempt], now: datetime,
                   seed: int) -> Pick:
    """The objection to drill next out of `bank` (ids, at least one), given every past attempt."""
    history = sorted(history, key=lambda a: a.at)
    known = standings(history, now)
    latest = history[-1].objection if history else None

    def order(objection: str) -> tuple:
        rank = seeded_rank(objection, seed)
        standing = known.get(objection)
        if standing is None:
            return (1, rank)
        if standing.due:
            return (0, standing.box, standing.last, rank)
        # Nothing due and nothing new: the one due soonest, but not the same one twice in a row.
        return (2, objection == latest, standing.due_at, rank)

    chosen = min(dict.fromkeys(bank), key=order)
    standing = known.get(chosen)
    if standing is None:
        return Pick(chosen, "new")
    reason = ("retry" if standing.box == 0 else "review") if standing.due else "early"
    return Pick(chosen, reason, standing.box)
