"""The dialog engine: a pure state machine over a persona.

It never scores anything itself: the caller passes the scorer's detections for each reply.
The state remembers every move detected so far (`heard`), so a rule can react to what the
trainee did earlier in the call (`when: {earlier: [...]}`).
All randomness (which line variant is said) comes from a Random seeded with the call's seed and
the turn number, so the same seed and the same replies always give the same call.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from simulator.dialog.persona import Fallback, Persona, Rule, When

# A phrase this short (in letters) must occur as whole words: "yes" must not match "yesterday".
SHORT_PHRASE = 6
# A reply that thanks or accepts the "no" and breaks no check is courteous: never a poor reply,
# whatever the rule says (a trainer's fallback must not punish good manners).
COURTESY = frozenset({"gratitude", "acknowledge"})
FAULTS = frozenset({"pushing", "why_question", "dead_end", "i_question", "imposed_next_step",
                    "keep_us_in_mind"})


@dataclass(frozen=True)
class DialogState:
    """Where a call stands: the prospect's state, replies heard, poor replies, the outcome.

    `heard` holds every detection of the replies so far (what `when.earlier` looks at).
    """

    state: str
    seed: int
    turn: int = 0
    poor: int = 0
    outcome: str | None = None
    heard: frozenset[str] = frozenset()

    @property
    def ended(self) -> bool:
        return self.outcome is not None


@dataclass(frozen=True)
class Reaction:
    """The prospect's reaction to one reply.

    `matched_rule` locates the rule in the persona file, e.g. "states.guarded.on[1]",
    "anytime[0]" or "states.guarded.fallback".
    """

    new_state: DialogState
    prospect_line: str | None
    outcome: str | None
    poor: bool
    matched_rule: str | None


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; apostrophes kept ("don't")."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")))


def phrase_in(phrase: str, text: str, threshold: int = 90) -> bool:
    """Whether `phrase` occurs in `text`, tolerating small misspellings or mishearings.

    Scores the phrase against every run of whole words of about its length (a word-aligned
    partial_ratio), so a phrase never matches inside a longer word.
    """
    wanted, words = normalize(phrase), normalize(text).split()
    if not wanted or not words:
        return False
    size = len(wanted.split())
    if len(wanted.replace(" ", "")) <= SHORT_PHRASE:
        threshold = 100  # one wrong letter in a short word is another word ("now" / "no")
    for n in {max(1, size - 1), size, size + 1}:
        for i in range(len(words) - n + 1):
            if fuzz.ratio(wanted, " ".join(words[i : i + n])) >= threshold:
                return True
    return False


def courteous(detections: frozenset[str]) -> bool:
    """Thanks or acknowledgement, and nothing the scorer counts against the trainee."""
    return bool(detections & COURTESY) and not detections & FAULTS


def matches(
    when: When, reply_text: str, detections: frozenset[str], earlier: frozenset[str] = frozenset()
) -> bool:
    """Every part of the condition that is given holds (`earlier`: moves of previous replies)."""
    return (
        all(name in detections for name in when.all)
        and (not when.any or any(name in detections for name in when.any))
        and not any(name in detections for name in when.none)
        and (not when.earlier or any(name in earlier for name in when.earlier))
        and (
            not when.phrases
            or any(phrase_in(p, reply_text, when.threshold) for p in when.phrases)
        )
    )


def turn_rng(seed: int, turn: int) -> random.Random:
    """The Random for one turn, derived from the call's seed (string seeds are stable)."""
    return random.Random(f"{seed}:{turn}")


def open_call(persona: Persona, seed: int) -> tuple[DialogState, str]:
    """The call's first state and the prospect's opening rejection."""
    line = turn_rng(seed, 0).choice(persona.opening)
    return DialogState(state=persona.start, seed=seed), line


def choose(persona: Persona, state: DialogState, reply_text: str, detections: frozenset[str]):
    """The first matching rule of the state, then of `anytime`, else the state's fallback."""
    current = persona.states[state.state]
    for index, rule in enumerate(current.on):
        if matches(rule.when, reply_text, detections, state.heard):
            return rule, f"states.{state.state}.on[{index}]"
    for index, rule in enumerate(persona.anytime):
        if matches(rule.when, reply_text, detections, state.heard):
            return rule, f"anytime[{index}]"
    return current.fallback, f"states.{state.state}.fallback"


def step(
    persona: Persona,
    state: DialogState,
    reply_text: str,
    detections: frozenset[str],
    rng: random.Random | None = None,
) -> Reaction:
    """React to one trainee reply. A call that has already ended does not change."""
    if state.ended:
        return Reaction(state, None, state.outcome, False, None)
    rng = rng or turn_rng(state.seed, state.turn + 1)
    detections = frozenset(detections)
    move: Rule | Fallback
    move, where = choose(persona, state, reply_text, detections)
    target = move.goto or state.state
    is_poor = move.poor and not courteous(detections)
    turn, poor = state.turn + 1, state.poor + (1 if is_poor else 0)
    outcome: str | None = move.end
    if move.say:
        line: str | None = rng.choice(move.say)
    elif outcome:
        line = final_line(persona, outcome, rng)
    else:
        line = rng.choice(persona.states[target].lines or [""]) or None
    # Patience and the turn limit end the call after the rule's own line, if it had one.
    forced = None
    if outcome is None and is_poor and poor >= persona.patience:
        forced = "hung_up"
    elif outcome is None and turn >= persona.max_turns:
        forced = "max_turns"
    if forced:
        outcome = forced
        ending = final_line(persona, forced, rng)
        line = " ".join(part for part in (line if move.say else None, ending) if part) or None
    new_state = replace(state, state=target, turn=turn, poor=poor, outcome=outcome,
                        heard=state.heard | detections)
    return Reaction(new_state, line, outcome, is_poor, where)


def end_call(persona: Persona, state: DialogState) -> Reaction:
    """The trainee hung up: the call ends as trainee_ended, with its line if the persona has one."""
    if state.ended:
        return Reaction(state, None, state.outcome, False, None)
    line = final_line(persona, "trainee_ended", turn_rng(state.seed, state.turn + 1))
    return Reaction(replace(state, outcome="trainee_ended"), line, "trainee_ended", False, None)


def final_line(persona: Persona, outcome: str, rng: random.Random) -> str | None:
    ending = persona.outcomes.get(outcome)
    return rng.choice(ending.say) if ending else None
