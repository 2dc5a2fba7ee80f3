"""Personas and the dialog engine: scripted prospects that react to what the trainee says."""

from __future__ import annotations

from simulator.dialog.engine import DialogState, Reaction, end_call, open_call, step
from simulator.dialog.persona import OUTCOME_NAMES, Persona
from simulator.dialog.validate import get_persona, load_personas

__all__ = [
    "OUTCOME_NAMES",
    "DialogState",
    "Persona",
    "Reaction",
    "end_call",
    "get_persona",
    "load_personas",
    "open_call",
    "step",
]
