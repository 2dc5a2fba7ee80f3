"""The objection bank: every persona's opening rejection, each once, under a stable id.

An id is "<persona id>:<n>", n counting the persona's opening lines from 1, so it survives other
personas being added or removed. A line two personas share is kept under the first persona (by
id) that says it, so the trainee is never drilled on the same words twice as if they differed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from simulator.dialog.persona import Persona
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


def _same_words(text: str) -> str:
    return " ".join(text.casefold().split())


def objection_bank(personas: Iterable[Persona]) -> list[Objection]:
    """Every opening line of these personas, deduplicated, ordered by id."""
    bank: list[Objection] = []
    seen: set[str] = set()
    for persona in sorted(personas, key=lambda p: p.id):
        for number, line in enumerate(persona.opening, 1):
            key = _same_words(line)
            if key in seen:
                continue
            seen.add(key)
            bank.append(Objection(f"{persona.id}:{number}", line, persona.id, persona.name,
                                  persona.role, persona.company, persona.voice.settings()))
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
