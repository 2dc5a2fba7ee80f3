"""Verdicts for a whole call: the trainee's replies in, a scorecard out. Pure, deterministic.

A single reply given on its own is a whole call (stages.py judges one moment of a call). In a
call of several replies, thanks and acceptance count only in the first reply (the seeds: thank
first); the other checks look at every reply, so a permission close in the last reply counts.
Each check gets `pass`, `fail` or `n/a`, its evidence (the matched words with offsets into the
reply, and the turn for multi-turn calls), advice from the rubric and, where the fix is
mechanical, a rewrite of the trainee's sentence.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from simulator.scoring import rewrite
from simulator.scoring.detect import Detections, Hit, default_rubric, detect
from simulator.scoring.rubric import CHECK_IDS, Rubric


@dataclass(slots=True)
class CheckResult:
    verdict: str
    evidence: list[dict] = field(default_factory=list)
    advice: str = ""
    rewrite: str | None = None
    heard: str | None = None  # "unclear": a FAIL resting on unsure recognized words (unclear.py)

    def to_json(self) -> dict:
        data = {"verdict": self.verdict, "evidence": self.evidence, "advice": self.advice,
                "rewrite": self.rewrite}
        if self.heard:
            data["heard"] = self.heard
        return data


@dataclass(slots=True)
class Scorecard:
    score: int
    checks: dict[str, CheckResult]

    def to_json(self) -> dict:
        return {"score": self.score,
                "checks": {check: result.to_json() for check, result in self.checks.items()}}


@dataclass(slots=True)
class _Turns:
    """Detections of every trainee turn, searchable by detection name."""

    turns: list[Detections]
    multi: bool
    by_name: dict[str, list[tuple[int, Hit]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for turn, det in enumerate(self.turns):
            for hit in det.hits:
                self.by_name.setdefault(hit.name, []).append((turn, hit))

    def hits(self, *names: str) -> list[tuple[int, Hit]]:
        if len(names) == 1:
            return self.by_name.get(names[0], [])
        return [(turn, hit) for turn, det in enumerate(self.turns) for hit in det.hits
                if hit.name in names]

    def evidence(self, *names: str) -> list[dict]:
        pairs = self.hits(*names)
        if not pairs:
            return []
        seen, out = set(), []
        for turn, hit in pairs:
            key = (turn, hit.start, hit.end)
            if key in seen:
                continue
            seen.add(key)
            item = {"text": hit.text, "start": hit.start, "end": hit.end}
            if self.multi:
                item["turn"] = turn
            out.append(item)
        return out

    def sentence_words(self, turn: int, hit: Hit) -> list[str]:
        return self.turns[turn].sentences[hit.sentence].sentence.written_words()


def score_text(text: str, words: Sequence | None = None, rubric: Rubric | None = None) -> Scorecard:
    return score_call([detect(text, words, rubric)], rubric)


def score_replies(replies: Sequence[str], rubric: Rubric | None = None) -> Scorecard:
    return score_call([detect(text, None, rubric) for text in replies], rubric)


# Checks judged on the first reply only: thanks and acceptance that come late do not count.
FIRST_REPLY_ONLY = frozenset({"gratitude", "acknowledge"})


def score_call(turns: Sequence[Detections], rubric: Rubric | None = None,
               judged: Collection[str] | None = None, not_judged: str = "") -> Scorecard:
    """Verdicts for a call; checks outside `judged` (when given) are n/a with `not_judged`."""
    rubric = rubric or default_rubric()
    calls = _Turns(list(turns), len(turns) > 1)
    first = _Turns(calls.turns[:1], calls.multi)
    results: dict[str, CheckResult] = {}
    for check in CHECK_IDS:
        if judged is not None and check not in judged:
            results[check] = CheckResult(
                "n/a", [], not_judged or rubric.checks[check].advice.for_verdict("n/a"))
            continue
        view = first if check in FIRST_REPLY_ONLY else calls
        verdict, evidence, rewritten = _JUDGES[check](view, rubric)
        advice = rubric.checks[check].advice.for_verdict(verdict)
        results[check] = CheckResult(verdict, evidence, advice, rewritten)
    return Scorecard(_score(results, rubric), results)


class OtherWording:
    """A call scored again with one reply worded another way (a reply heard differently); each
    wording is scored once, and the call's own replies are detected when first needed."""

    def __init__(self, texts: Sequence[str], rubric: Rubric):
        self.texts, self.rubric = list(texts), rubric
        self._detections: list[Detections] | None = None
        self._cards: dict[tuple[int, str], Scorecard] = {}

    def card(self, turn: int, text: str) -> Scorecard:
        """The call's scorecard with reply `turn` reading `text`."""
        if (turn, text) not in self._cards:
            if self._detections is None:
                self._detections = [detect(reply, None, self.rubric) for reply in self.texts]
            detections = list(self._detections)
            detections[turn] = detect(text, None, self.rubric)
            self._cards[turn, text] = score_call(detections, self.rubric)
        return self._cards[turn, text]


def recount_score(card: Scorecard, rubric: Rubric) -> Scorecard:
    """`card` with its score worked out again from its verdicts (after one was changed)."""
    card.score = _score(card.checks, rubric)
    return card


def _score(results: dict[str, CheckResult], rubric: Rubric) -> int:
    judged = [(check, r.verdict) for check, r in results.items() if r.verdict != "n/a"]
    total = sum(rubric.checks[check].weight for check, _ in judged)
    if total == 0:
        return 0
    earned = sum(rubric.checks[check].weight for check, verdict in judged if verdict == "pass")
    return round(100 * earned / total)


def _present(name: str):
    def judge(calls: _Turns, rubric: Rubric):
        evidence = calls.evidence(name)
        return ("pass" if evidence else "fail"), evidence, None
    return judge


def _absent(name: str, rewriter=None):
    def judge(calls: _Turns, rubric: Rubric):
        evidence = calls.evidence(name)
        if not evidence:
            return "pass", [], None
        turn, hit = calls.hits(name)[0]
        return "fail", evidence, rewriter(calls.sentence_words(turn, hit)) if rewriter else None
    return judge


def _how_come_not_why(calls: _Turns, rubric: Rubric):
    whys = calls.hits("why_question")
    if whys:
        turn, hit = whys[0]
        return "fail", calls.evidence("why_question"), rewrite.why_to_how_come(
            calls.sentence_words(turn, hit))
    probes = calls.evidence("how_come")
    return ("pass" if probes else "n/a"), probes, None


def _i_free_questions(calls: _Turns, rubric: Rubric):
    with_i = calls.hits("i_question")
    if with_i:
        turn, hit = with_i[0]
        words = calls.sentence_words(turn, hit)
        return "fail", calls.evidence("i_question"), _rewrite_i_question(words, rubric)
    questions = calls.evidence("discovery_question")
    return ("pass" if questions else "n/a"), questions, None


def _rewrite_i_question(words: list[str], rubric: Rubric) -> str | None:
    text = " ".join(words)
    match = rubric.frames.search(text)
    if match:
        frame_end = len(text[: match.end()].split())
        return rewrite.indirect_to_direct(words, frame_end)
    if "why" in words:
        return rewrite.why_to_how_come(words)
    return None


def _permission_close(calls: _Turns, rubric: Rubric):
    asks = calls.evidence("permission_close")
    if asks:
        return "pass", asks, None
    imposed = calls.hits("imposed_next_step")
    if imposed:
        turn, hit = imposed[0]
        return "fail", calls.evidence("imposed_next_step", "keep_us_in_mind"), \
            rewrite.imposed_to_permission(calls.sentence_words(turn, hit))
    passive = calls.hits("keep_us_in_mind")
    if passive:
        turn, hit = passive[0]
        return "fail", calls.evidence("keep_us_in_mind"), \
            rewrite.keep_in_mind_to_permission(calls.sentence_words(turn, hit))
    return "fail", [], None


def _dead_end_rewrite(words: list[str]) -> str:
    return "Oh really? Tell me more about that."


_JUDGES = {
    "gratitude": _present("gratitude"),
    "how_come_not_why": _how_come_not_why,
    "i_free_questions": _i_free_questions,
    "permission_close": _permission_close,
    "explore_issues": _present("explore_issues"),
    "acknowledge": _present("acknowledge"),
    "no_pushing": _absent("pushing"),
    "no_dead_end": _absent("dead_end", _dead_end_rewrite),
    "no_keep_us_in_mind": _absent("keep_us_in_mind", rewrite.keep_in_mind_to_permission),
    "opt_out": _present("opt_out"),
}
