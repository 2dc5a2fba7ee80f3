"""Progress over a trainee's calls: pure computations over CallFacts, oldest call first.

Trends compare the latest third of the calls with the first third (the mean of the last
ceil(n/3) values minus the mean of the first ceil(n/3)); with fewer than 2 values there is no
trend. A difference smaller than the figure's threshold shows as → (steady).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.scoring.rubric import CHECK_IDS
from simulator.storage.queries import DELIVERY_KEYS, CallFacts
from simulator.storage.records import OUTCOMES

TREND_METHOD = "mean of the latest third of calls minus mean of the first third"
UP, DOWN, STEADY = "↑", "↓", "→"
CHECK_TREND_THRESHOLD = 0.10  # pass rate, i.e. 10 percentage points
SCORE_TREND_THRESHOLD = 5.0  # points out of 100
VERDICT_RANK = {"pass": 2, "fail": 1, "n/a": 0}


@dataclass(frozen=True)
class DeliveryKind:
    key: str
    label: str
    threshold: float  # smallest change that counts as a trend
    digits: int  # decimals shown for a call's value
    trend_digits: int  # decimals shown for a trend (a change smaller than one filler word)
    hint: str  # which way is better


DELIVERY_KINDS: tuple[DeliveryKind, ...] = (
    DeliveryKind("response_delay_s", "Response delay (s)", 0.1, 2, 2, "lower is better"),
    DeliveryKind("speaking_rate_wpm", "Speaking rate (wpm)", 5.0, 0, 0, "140-160 is good"),
    DeliveryKind("talk_share", "Talk share", 0.05, 2, 2, "listen more than you talk"),
    DeliveryKind("filler_words", "Filler words", 1.0, 0, 1, "lower is better"),
)
assert tuple(kind.key for kind in DELIVERY_KINDS) == DELIVERY_KEYS


@dataclass(frozen=True)
class Trend:
    delta: float | None  # None: fewer than 2 values
    arrow: str  # ↑ ↓ →, or "" without a trend

    def to_json(self) -> dict[str, Any]:
        return {"delta": self.delta, "arrow": self.arrow}


def thirds_trend(values: Sequence[float], threshold: float) -> Trend:
    """Mean of the latest third minus mean of the first third, with its arrow."""
    if len(values) < 2:
        return Trend(None, "")
    k = math.ceil(len(values) / 3)
    delta = round(sum(values[-k:]) / k - sum(values[:k]) / k, 4)
    arrow = UP if delta >= threshold else DOWN if delta <= -threshold else STEADY
    return Trend(delta, arrow)


@dataclass(frozen=True)
class CheckProgress:
    check: str
    passed: int
    failed: int
    not_applicable: int
    first: str | None  # verdicts; None when no scorecard had this check
    best: str | None
    latest: str | None
    trend: Trend

    @property
    def pass_rate(self) -> float | None:
        judged = self.passed + self.failed
        return None if judged == 0 else self.passed / judged

    def to_json(self) -> dict[str, Any]:
        rate = self.pass_rate
        return {"check": self.check, "pass": self.passed, "fail": self.failed,
                "n/a": self.not_applicable, "pass_rate": None if rate is None else round(rate, 4),
                "first": self.first, "best": self.best, "latest": self.latest,
                "trend": self.trend.to_json()}


@dataclass(frozen=True)
class SeriesFigure:
    """A number over calls (the score, a delivery figure) with its summary."""

    key: str
    points: tuple[tuple[str, float], ...]  # (call_id, value), oldest first
    trend: Trend

    @property
    def values(self) -> list[float]:
        return [value for _, value in self.points]

    @property
    def first(self) -> float | None:
        return self.points[0][1] if self.points else None

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None

    @property
    def mean(self) -> float | None:
        return round(sum(self.values) / len(self.points), 2) if self.points else None

    def to_json(self, best: float | None = None) -> dict[str, Any]:
        data = {"key": self.key, "calls": len(self.points), "first": self.first,
                "latest": self.latest, "mean": self.mean, "trend": self.trend.to_json(),
                "series": [{"call_id": call_id, "value": value} for call_id, value in self.points]}
        if best is not None:
            data["best"] = best
        return data


@dataclass(frozen=True)
class PersonaOutcomes:
    persona: str
    persona_name: str
    counts: dict[str, int]  # outcome -> calls, in OUTCOMES order, only outcomes that happened

    @property
    def calls(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        return {"persona": self.persona, "persona_name": self.persona_name,
                "calls": self.calls, "outcomes": dict(self.counts)}


@dataclass(frozen=True)
class Progress:
    trainee: str | None
    calls: tuple[CallFacts, ...]
    score: SeriesFigure
    checks: tuple[CheckProgress, ...]
    outcomes: tuple[PersonaOutcomes, ...]
    delivery: tuple[SeriesFigure, ...]
    drills: int = field(default=0)

    @property
    def spoken(self) -> int:
        return sum(1 for call in self.calls if call.delivery is not None)

    @property
    def best_score(self) -> float | None:
        return max(self.score.values) if self.score.points else None

    def to_json(self) -> dict[str, Any]:
        return {
            "trainee": self.trainee,
            "calls": len(self.calls),
            "drills": self.drills,
            "spoken_calls": self.spoken,
            "first_call": self.calls[0].started_at if self.calls else None,
            "latest_call": self.calls[-1].started_at if self.calls else None,
            "trend_method": TREND_METHOD,
            "score": self.score.to_json(best=self.best_score),
            "checks": [check.to_json() for check in self.checks],
            "outcomes": [persona.to_json() for persona in self.outcomes],
            "delivery": [figure.to_json() for figure in self.delivery],
        }


def check_progress(calls: Sequence[CallFacts], position: int) -> CheckProgress:
    verdicts = [call.verdicts[position] for call in calls if call.verdicts[position] is not None]
    judged = [1.0 if v == "pass" else 0.0 for v in verdicts if v != "n/a"]
    return CheckProgress(
        check=CHECK_IDS[position],
        passed=verdicts.count("pass"),
        failed=verdicts.count("fail"),
        not_applicable=verdicts.count("n/a"),
        first=verdicts[0] if verdicts else None,
        best=max(verdicts, key=VERDICT_RANK.__getitem__) if verdicts else None,
        latest=verdicts[-1] if verdicts else None,
        trend=thirds_trend(judged, CHECK_TREND_THRESHOLD),
    )


def outcomes_by_persona(calls: Sequence[CallFacts]) -> tuple[PersonaOutcomes, ...]:
    """Per persona (sorted by id), how each call ended; the persona's latest name is shown."""
    names: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for call in calls:
        names[call.persona] = call.persona_name
        tally = counts.setdefault(call.persona, {})
        tally[call.outcome] = tally.get(call.outcome, 0) + 1
    order = {outcome: n for n, outcome in enumerate(OUTCOMES)}
    return tuple(
        PersonaOutcomes(persona, names[persona],
                        dict(sorted(counts[persona].items(),
                                    key=lambda item: (order.get(item[0], len(order)), item[0]))))
        for persona in sorted(counts)
    )


def series(key: str, points: list[tuple[str, Any]], threshold: float) -> SeriesFigure:
    return SeriesFigure(key, tuple(points), thirds_trend([v for _, v in points], threshold))


def progress(calls: Sequence[CallFacts], trainee: str | None = None) -> Progress:
    """Everything `callsim progress` and the HTML report show, from finished calls oldest first."""
    calls = tuple(calls)
    scores = [(call.call_id, call.score) for call in calls if call.score is not None]
    delivery = []
    for position, kind in enumerate(DELIVERY_KINDS):
        points = [(call.call_id, call.delivery[position]) for call in calls
                  if call.delivery is not None and call.delivery[position] is not None]
        delivery.append(series(kind.key, points, kind.threshold))
    return Progress(
        trainee=trainee,
        calls=calls,
        score=series("score", scores, SCORE_TREND_THRESHOLD),
        checks=tuple(check_progress(calls, n) for n in range(len(CHECK_IDS))),
        outcomes=outcomes_by_persona(calls),
        delivery=tuple(delivery),
        drills=sum(1 for call in calls if call.mode == "drill"),
    )
