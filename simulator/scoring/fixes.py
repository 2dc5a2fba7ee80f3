"""What to work on first: the failed checks that matter most, with the rep's words and a rewrite.

Failed checks are ranked by their rubric weight (ties keep the rubric's check order); the first
one or two open every scorecard. A FAIL heard unclearly (unclear.py: it rests on words the
recognizer was unsure of) is never one of them: the next heaviest clear FAIL takes its place, and
the scorecard says it was heard unclearly (say it again, or correct the reply). Each fix quotes
what the rep said: the words that broke the check or, for a move that is missing, the reply it
belongs in (the first reply for thanks, acceptance and the issues question, the last for the
close). Its rewrite is the scorer's rewrite
of the rep's own sentence when there is one, else that reply with the missing move added where
it goes (only "…" stands for the reply when the reply breaks another check, so a rewrite never
repeats a fault); a fix with neither has no rewrite (nothing is shown rather than "-").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.scoring.rubric import CHECK_IDS, Rubric
from simulator.scoring.stages import FIRST_REPLY_CHECKS
from simulator.scoring.unclear import UNCLEAR

WORK_FIRST = 2  # how many fixes open the scorecard
THANKS = "Thank you for your honesty."
ACCEPT = "I can appreciate that."
EXPLORE = "If you could change one thing about how you handle this today, what would it be?"
PERMISSION = "Would you mind if I circled back in a few months?"
THREE_OPTIONS = ("Would you like me to explain briefly what we do (5 minutes), circle back at a "
                 "later time, or never contact you again?")
WAY_OUT = "Or would you rather I never contacted you again?"


@dataclass(frozen=True)
class Fix:
    check: str
    title: str
    advice: str
    quote: str  # the rep's own words
    turn: int  # which of the rep's replies the quote is from, counting from 0
    rewrite: str | None


def ranked_failures(checks: Mapping[str, Any], rubric: Rubric) -> list[str]:
    """The failed checks, the heaviest first."""
    failed = [check for check, result in checks.items()
              if isinstance(result, dict) and result.get("verdict") == "fail"
              and check in rubric.checks]
    order = {check: n for n, check in enumerate(CHECK_IDS)}
    return sorted(failed, key=lambda c: (-rubric.checks[c].weight, order.get(c, len(order))))


def _joined(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def _added(check: str, reply: str, asked_permission: bool, close_at: int | None) -> str | None:
    """The reply with the missing move added, where the move has a standard wording.

    `close_at` is where a close starts in the reply: the issues question goes before it when it
    starts a sentence (ask, then close), else at the end.
    """
    if check == "gratitude":
        return _joined(THANKS, reply)
    if check == "acknowledge":
        return _joined(ACCEPT, reply)
    if check == "explore_issues":
        before = reply[:close_at].rstrip() if close_at is not None else None
        if before is not None and (not before or before[-1] in ".!?"):
            return _joined(before, EXPLORE, reply[close_at:])
        return _joined(reply, EXPLORE)
    if check == "permission_close":
        return _joined(reply, PERMISSION)
    if check == "opt_out":
        return _joined(reply, WAY_OUT if asked_permission else THREE_OPTIONS)
    return None


def _items(result: Any) -> list[dict]:
    """A saved check result's evidence items (saved data may be damaged: skip what is not)."""
    evidence = result.get("evidence") if isinstance(result, dict) else None
    return [item for item in evidence or [] if isinstance(item, dict)]


def _turn(item: dict, last: int) -> int:
    turn = item.get("turn", 0)
    return min(max(turn, 0), last) if isinstance(turn, int) else 0


def heard_unclearly(result: Any) -> bool:
    return isinstance(result, dict) and result.get("heard") == UNCLEAR


def work_first(card: Mapping[str, Any], replies: Sequence[str], rubric: Rubric,
               limit: int = WORK_FIRST) -> tuple[list[Fix], list[Fix]]:
    """What to work on first: the `limit` heaviest FAILs heard clearly; and the FAILs heard
    unclearly that would have been among the `limit` heaviest (to say again or correct)."""
    checks = card.get("checks") or {}
    unclear = [check for check in ranked_failures(checks, rubric)[:limit]
               if heard_unclearly(checks[check])]
    found = fixes(card, replies, rubric, limit, clear_only=True)
    skipped = [fix for fix in fixes(card, replies, rubric) if fix.check in unclear]
    return found, skipped


def unclear_advice(fix: Fix, call_id: str | None = None) -> str:
    """What to do about a FAIL heard unclearly: say it again, or correct the reply."""
    if call_id is None:
        return f"{fix.title} was heard unclearly: say it again."
    return (f"{fix.title} was heard unclearly: say it again or correct it with `callsim correct "
            f"{call_id} --turn {fix.turn + 1} \"what you said\"`.")


def fixes(card: Mapping[str, Any], replies: Sequence[str], rubric: Rubric,
          limit: int | None = None, clear_only: bool = False) -> list[Fix]:
    """A fix for each failed check (the `limit` heaviest; `clear_only`: of those not heard
    unclearly), in the order to work on them."""
    checks = card.get("checks") or {}
    if not replies:
        return []
    last = len(replies) - 1
    faulty = {_turn(item, last) for result in checks.values() for item in _items(result)
              if result.get("verdict") == "fail"}
    permission = checks.get("permission_close") or {}
    asked = permission.get("verdict") == "pass"
    closes = {_turn(item, last): item["start"] for item in reversed(_items(permission))
              if asked and isinstance(item.get("start"), int)}  # the first close of each reply
    found = []
    ranked = [check for check in ranked_failures(checks, rubric)
              if not (clear_only and heard_unclearly(checks[check]))]
    for check in ranked[:limit]:
        result = checks[check]
        evidence = _items(result)
        if evidence:
            turn = _turn(evidence[0], last)
            quote, rewrite = str(evidence[0].get("text", "")), result.get("rewrite")
        else:
            turn = 0 if check in FIRST_REPLY_CHECKS else last
            quote = replies[turn]
            rewrite = result.get("rewrite") or _added(
                check, "…" if turn in faulty else quote, last in closes, closes.get(turn))
        found.append(Fix(check, rubric.checks[check].title, str(result.get("advice") or ""),
                         quote, turn, str(rewrite) if rewrite else None))
    return found
