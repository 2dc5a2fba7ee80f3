"""Moves found in another hearing of a spoken reply. Pure.

A recognizer may give, beside its transcript, other hearings of the same audio (PocketSphinx:
the other language model's words and the domain model's next-best hypotheses, asr_sphinx.py).
A move the rubric asks for - thanks, an acknowledgement, an issues question, a permission
close, an opt-out, a how-come probe - is often said and then misheard ("thank you" as "and
you", "understood" as "wonderful"), and a FAIL for a move the rep made teaches them to stop
making it. So a check that failed (or, for the probe, was not judged) for want of such a move
passes when another hearing of a reply it judges makes the move. Its evidence quotes that
hearing (with "heard": the hearing, and no offsets, as the words are not in the transcript),
and the result is marked heard = ALSO_HEARD.

Measured with benchmarks/asr_wer.py (929 labelled replies spoken by espeak-ng in four voices,
verdicts compared with the typed replies'): 89.3% -> 90.1% of verdicts the same as typed (72
put right, 18 put wrong); every set gains. A FAIL for what was said (a why, a push, "keep us in
mind") is never changed this way: a hearing that drops the words would hide a real fault (and
taking faults from other hearings, measured, puts more verdicts wrong than right).
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.scoring.rubric import Rubric
from simulator.scoring.scorer import (
    FIRST_REPLY_ONLY,
    CheckResult,
    OtherWording,
    Scorecard,
    recount_score,
)

ALSO_HEARD = "also heard"
# The checks a move passes, and their verdict for want of it (words misheard, maybe): a how-come
# probe passes "how come, not why", which is n/a with neither a probe nor a why (a why fails it).
MOVE_CHECKS = {"gratitude": "fail", "acknowledge": "fail", "explore_issues": "fail",
               "permission_close": "fail", "opt_out": "fail", "how_come_not_why": "n/a"}
MOST_HEARINGS = 4  # other hearings of a reply looked at, most likely first


def mark_also_heard(card: Scorecard, texts: Sequence[str],
                    hearings: Sequence[Sequence[str]], rubric: Rubric) -> Scorecard:
    """`card` with each move check that wants its move passed when another hearing of a reply
    has the move; `hearings[t]` are the other hearings of `texts[t]` (none for a typed reply)."""
    if not any(hearings):
        return card
    calls = _Hearings(texts, hearings, rubric)
    multi = len(texts) > 1
    for check, wanting in MOVE_CHECKS.items():
        if card.checks[check].verdict != wanting:
            continue
        turns = range(1 if check in FIRST_REPLY_ONLY else len(texts))
        found = next((hit for turn in turns if (hit := calls.passing(check, turn))), None)
        if found is not None:
            turn, heard, result = found
            evidence = [{"text": item["text"], "heard": heard} | ({"turn": turn} if multi else {})
                        for item in result.evidence]
            card.checks[check] = CheckResult(
                "pass", evidence, rubric.checks[check].advice.for_verdict("pass"),
                heard=ALSO_HEARD)
    return recount_score(card, rubric)


def hearing_of(result: dict) -> str | None:
    """The other hearing a saved check result passed on (its JSON form), if it did."""
    if result.get("verdict") != "pass" or result.get("heard") != ALSO_HEARD:
        return None
    return next((str(item["heard"]) for item in result.get("evidence") or []
                 if isinstance(item, dict) and "heard" in item), None)


class _Hearings:
    """The hearings of each reply that a move check may take (the first few real texts)."""

    def __init__(self, texts: Sequence[str], hearings: Sequence[Sequence[str]], rubric: Rubric):
        self.hearings = [[h for h in list(others)[:MOST_HEARINGS] if isinstance(h, str)
                          and h.strip()] for others in hearings]
        self._wordings = OtherWording(texts, rubric)

    def passing(self, check: str, turn: int) -> tuple[int, str, CheckResult] | None:
        """(turn, hearing, result) of the first hearing of reply `turn` that passes `check`."""
        for heard in self.hearings[turn] if turn < len(self.hearings) else ():
            result = self._wordings.card(turn, heard).checks[check]
            if result.verdict == "pass":
                return turn, heard, result
        return None
