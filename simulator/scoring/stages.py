"""What a single reply is judged on: the checks its moment in the call asks for. Pure.

A whole call is judged on every check. A single reply (`callsim score`, a drill item) is one
moment of a call, and is judged only on what that moment asks for:

- opening: the reply to the prospect's "no". Thank, accept the no, probe. A reply that probes
  (asks how come, why, or about their issues) and does not try to close (ask for or impose a
  next step, leave a "keep us in mind", offer a way out, say goodbye) is not failed for not
  closing: permission close and way out are n/a. Any other reply is judged on them, so a
  reply that just ends the call, or sets a time without asking, still fails them.
- close: later in the call, once the prospect has opened up. Ask for the next step and offer a
  way out; thanks, acceptance and the issues question belong to the first reply.
- call: every check, as for a whole call of one reply.

A check not asked for is "n/a", and n/a checks do not count in the score.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal, get_args

from simulator.scoring.detect import Detections
from simulator.scoring.rubric import CHECK_IDS, Rubric
from simulator.scoring.scorer import Scorecard, score_call

Stage = Literal["opening", "close", "call"]
STAGES: tuple[str, ...] = get_args(Stage)
CLOSING_CHECKS = frozenset({"permission_close", "opt_out"})
FIRST_REPLY_CHECKS = frozenset({"gratitude", "acknowledge", "explore_issues"})
# Detections that show the reply asks the prospect something about their side of the "no".
PROBES = frozenset({"how_come", "why_question", "discovery_question", "i_question",
                    "explore_issues"})
# Detections that show the reply tries to end the conversation or set the next step.
CLOSE_ATTEMPTS = frozenset({"permission_close", "imposed_next_step", "keep_us_in_mind",
                            "opt_out", "goodbye"})

NOT_ASKED = {
    "opening": "Not judged here: this reply answers the \"no\" and does not try to close yet. "
               "When you close, ask permission for the next step and offer a way out.",
    "close": "Not judged here: thanks, accepting the \"no\" and asking about their issues "
             "belong to your first reply; at this point of the call, close.",
}
ASKS = {
    "opening": "thank them, accept the \"no\" and ask about their issues",
    "close": "ask permission for the next step and offer a way out",
    "call": "every check",
}


def judged_checks(stage: str, names: Collection[str]) -> frozenset[str]:
    """The checks a single reply with these detections is judged on at this stage."""
    every = frozenset(CHECK_IDS)
    if stage == "close":
        return every - FIRST_REPLY_CHECKS
    if stage == "opening" and PROBES & set(names) and not CLOSE_ATTEMPTS & set(names):
        return every - CLOSING_CHECKS
    return every


def score_reply(detections: Detections, stage: str = "opening",
                rubric: Rubric | None = None) -> Scorecard:
    """The scorecard of one reply at `stage` (see the module docstring)."""
    judged = judged_checks(stage, detections.names)
    return score_call([detections], rubric, judged=judged, not_judged=NOT_ASKED.get(stage, ""))
