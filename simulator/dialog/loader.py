"""Persona files: where they live, and YAML → Persona through the shared loader (yamlfile).

Only what is particular to personas is here: the folders searched, the fix for each missing
field, and the words trainers reach for behind "did you mean".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from simulator.dialog.persona import Persona
from simulator.errors import PersonaError, Problem
from simulator.yamlfile import FileFormat, Marks, Yaml12Loader, load_model
from simulator.yamlfile import suggest as _suggest

PersonaYamlLoader = Yaml12Loader  # YAML 1.2 booleans: `on:` and `no` stay text

# Words trainers reach for, mapped to the name the format uses (for "did you mean").
ALIASES = {
    "thanks": "gratitude", "thank_you": "gratitude", "thank": "gratitude",
    "why": "why_question", "push": "pushing", "pitch": "pushing", "bye": "goodbye",
    "how": "how_come", "tell_me_more": "how_come", "question": "discovery_question",
    "permission": "permission_close", "hangup": "hung_up", "hang_up": "hung_up",
    "callback": "callback_agreed", "meeting": "meeting_agreed", "opt_out": "opted_out",
    "opt-out": "opted_out", "stats": "states", "transitions": "on", "rules": "on",
}

FIXES = {
    "id": "add 'id: <file name without .yaml>'",
    "name": "add the prospect's name, e.g. 'name: Carl Jensen'",
    "role": "add the prospect's job title, e.g. 'role: Operations Manager'",
    "company": "add the prospect's company, e.g. 'company: Jensen Freight'",
    "difficulty": "add 'difficulty: <1..5>'",
    "briefing": "add a briefing for the trainee ('briefing: |' then the text)",
    "opening": "add a list of opening lines",
    "start": "add 'start: <state name>' naming the state the call starts in",
    "states": "add 'states:' with at least one state",
    "outcomes": "add 'outcomes:' with a final line for each way the call can end",
    "fallback": "add 'fallback: {say: [...], poor: true}' for replies no rule matches",
    "when": "add 'when: {any: [...]}' saying which replies trigger the rule",
    "say": "add 'say: [...]' with at least one line",
    "replies": "add 'replies: [...]' with the trainee's replies",
    "expect": "add 'expect: {outcome: <name>}' or 'expect: {state: <name>}'",
    "golden.name": "add 'name: <what this conversation checks>'",
}

PERSONA_FORMAT = FileFormat(
    error=PersonaError,
    called="a persona (keys like 'id:', 'name:', 'states:')",
    empty_fix="start from a template with 'callsim personas new <id>'",
    fixes=FIXES,
    aliases=ALIASES,
    value_kinds={"hung_up": "outcome"},
)


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' — did you mean 'x'?' for a near miss, or ''."""
    return _suggest(word, choices, ALIASES)


@dataclass(frozen=True)
class LoadedPersona:
    path: Path
    persona: Persona
    marks: Marks

    def problem(self, path: tuple, message: str, at_key: bool = True) -> Problem:
        return self.marks.at(str(self.path), path, message, at_key)


def persona_dirs() -> list[Path]:
    """CALLSIM_PERSONAS (os.pathsep-separated) or the shipped dir plus the user's, if present."""
    env = os.environ.get("CALLSIM_PERSONAS")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    from platformdirs import user_data_dir

    import simulator

    dirs = [Path(simulator.__file__).resolve().parents[1] / "personas"]
    user = Path(user_data_dir("callsim")) / "personas"
    return dirs + [user] if user.is_dir() else dirs


def persona_files(paths: list[Path]) -> list[Path]:
    """The .yaml/.yml files named, or found directly in the directories named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def load_persona_file(path: Path) -> LoadedPersona:
    """Read and parse one persona file, or raise PersonaError listing every located problem."""
    persona, marks = load_model(path, Persona, PERSONA_FORMAT)
    return LoadedPersona(path, persona, marks)
