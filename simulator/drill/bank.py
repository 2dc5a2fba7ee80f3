"""The objection bank: every persona's opening rejection, each once, under a stable id, and the
lines said later in a call where the trainee should close.

Each item states what it asks for (its stage, see simulator/scoring/stages.py): an opening
rejection asks for thanks, acceptance and a probe; a later line asks for a close. A later line
is one the prospect says on entering a state (not the start) in which a permission close ends the
call with a meeting and only a fault (pushing, "why"...) moves them elsewhere: the prospect has
opened up as far as they will, and it is time to ask for the next step.

An id is "<persona id>:<n>", n counting the persona's opening lines from 1, or
"<persona id>:<state>:<n>" for a later line, so it survives other personas being added or
removed. A line two personas share is kept under the first persona (by id) that says it, so the
trainee is never drilled on the same words twice as if they differed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from simulator.dialog.engine import FAULTS
from simulator.dialog.persona import Persona, Rule, State
from simulator.errors import InputError
from simulator.session.engines import VoiceSettings


@dataclass(frozen=True)
class Objection:
    """One rejection line and who says it."""

    id: str
    text: str
    persona: str
    persona_name: str
    role: str
    company: str
    voice: VoiceSettings
    stage: str = "opening"  # what the item asks for: "opening" or "close" (scoring/stages.py)


def _same_words(text: str) -> str:
    return " ".join(text.casefold().split())


def _closes_with_a_meeting(rule: Rule) -> bool:
    return rule.end == "meeting_agreed" and "permission_close" in (*rule.when.all,
                                                                   *rule.when.any)


def _last_stop(name: str, state: State) -> bool:
    """A permission close gets a meeting here, and only faults lead to another state."""
    leaves = [rule for rule in state.on if rule.goto not in (None, name)
              and not set(rule.when.all + rule.when.any) <= FAULTS]
    return not leaves and any(_closes_with_a_meeting(rule) for rule in state.on)


def _lines(persona: Persona) -> Iterable[tuple[str, str, str]]:
    """(id, line, stage) of the persona's opening lines, then of its lines later in the call."""
    for number, line in enumerate(persona.opening, 1):
        yield f"{persona.id}:{number}", line, "opening"
    for name, state in persona.states.items():
        if name == persona.start or not state.lines:
            continue
        if _last_stop(name, state):
            for number, line in enumerate(state.lines, 1):
                yield f"{persona.id}:{name}:{number}", line, "close"


def objection_bank(personas: Iterable[Persona]) -> list[Objection]:
    """Every opening and later line of these personas, deduplicated, ordered by persona id."""
    bank: list[Objection] = []
    seen: set[str] = set()
    for persona in sorted(personas, key=lambda p: p.id):
        for item_id, line, stage in _lines(persona):
            key = _same_words(line)
            if key in seen:
                continue
            seen.add(key)
            bank.append(Objection(item_id, line, persona.id, persona.name, persona.role,
                                  persona.company, persona.voice.settings(), stage))
    return bank


def load_bank(dirs: list[Path] | None = None) -> list[Objection]:
    """The bank built from the persona directories (a broken persona file is an error)."""
    from simulator.dialog.validate import load_personas

    bank = objection_bank(loaded.persona for loaded in load_personas(dirs))
    if not bank:
        raise InputError("there are no personas to drill with: create one with "
                         "`callsim personas new <id>`")
    return bank


def find_objection(bank: Iterable[Objection], text: str) -> Objection | None:
    """The objection a saved prospect line was, for drills saved without an objection id."""
    key = _same_words(text)
    return next((o for o in bank if _same_words(o.text) == key), None)
