"""Persona files: where they live, and YAML → Persona through the shared loader (yamlfile).

Only what is particular to personas is here: the folders searched, the fix for each missing
field, and the words trainers reach for behind "did you mean".
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import simulator
from simulator.dialog.persona import Persona
from simulator.errors import PersonaError, Problem, UsageError, escape_controls
from simulator.yamlfile import FileFormat, Marks, Yaml12Loader, load_model
from simulator.yamlfile import suggest as _suggest

PersonaYamlLoader = Yaml12Loader  # YAML 1.2 booleans: `on:` and `no` stay text

ENV = "CALLSIM_PERSONAS"
SHIPPED_DIR = Path(simulator.__file__).resolve().parents[1] / "personas"
SUFFIXES = (".yaml", ".yml")
# Where a persona came from, as `personas list` shows it.
OPTION, DATA, HERE, SHIPPED, PATH = "--personas", "data dir", "./personas", "shipped", "path"
SOURCES = (OPTION, ENV, DATA, HERE, SHIPPED, PATH)

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
    source: str = PATH  # where it was found: one of SOURCES
    hides: tuple[str, ...] = ()  # sources of the personas with its id it wins over

    def problem(self, path: tuple, message: str, at_key: bool = True) -> Problem:
        return self.marks.at(str(self.path), path, message, at_key)


@dataclass(frozen=True)
class PersonaDir:
    """A folder (or file) on the persona search path, and why it is there."""

    path: Path
    source: str


@dataclass(frozen=True)
class SearchOptions:
    """What the command line adds to the search path: --personas DIR..., --data-dir."""

    personas: tuple[Path, ...] = ()
    data_dir: Path | None = None


# Set by the CLI for one command, so every reader of persona_dirs() (the dialog, the drill
# bank, the recognizer's language model) sees the same search path.
SEARCH_OPTIONS: ContextVar[SearchOptions | None] = ContextVar("persona_search", default=None)


def search_path(options: SearchOptions | None = None) -> list[PersonaDir]:
    """Where personas are looked for, first match wins: --personas DIR..., $CALLSIM_PERSONAS,
    <data dir>/personas, ./personas (when it holds persona files), the shipped folder."""
    options = options or SEARCH_OPTIONS.get() or SearchOptions()
    named = [PersonaDir(Path(p), OPTION) for p in options.personas]
    named += [PersonaDir(Path(p), ENV) for p in os.environ.get(ENV, "").split(os.pathsep) if p]
    for folder in named:
        if not folder.path.exists():
            raise UsageError(_missing(folder))
    data = data_personas_dir(options.data_dir)
    here = Path("personas").absolute()
    found = list(named)
    if data.is_dir():
        found.append(PersonaDir(data, DATA))
    if _holds_personas(here) and here.resolve() != SHIPPED_DIR:
        found.append(PersonaDir(here, HERE))
    if SHIPPED_DIR.is_dir():
        found.append(PersonaDir(SHIPPED_DIR, SHIPPED))
    unique: dict[Path, PersonaDir] = {}
    for folder in found:
        unique.setdefault(folder.path.resolve(), folder)  # a folder named twice is read once
    return list(unique.values())


def persona_dirs(options: SearchOptions | None = None) -> list[Path]:
    """The folders (and files) of the search path, in order: see search_path()."""
    return [folder.path for folder in search_path(options)]


def data_personas_dir(data_dir: Path | None = None) -> Path:
    """<data dir>/personas: where `personas new` writes (the folder may not exist yet)."""
    from simulator.storage.paths import data_dir_path

    return data_dir_path(data_dir) / "personas"


def _holds_personas(folder: Path) -> bool:
    return folder.is_dir() and any(p.suffix in SUFFIXES for p in folder.iterdir())


def _missing(folder: PersonaDir) -> str:
    where = escape_controls(str(folder.path))  # a path is shown whole, unlike a typed value
    if folder.source == OPTION:
        return f"--personas {where}: no such folder; give a folder holding persona files"
    return (f"{ENV} names {where}, which does not exist; fix the path in {ENV} or unset it")


def looks_like_path(name: str) -> bool:
    """A persona named by its file (./dana.yaml, dana.yml, folder/dana) rather than its id."""
    return "/" in name or os.sep in name or name.endswith(SUFFIXES)


def persona_files(paths: list[Path]) -> list[Path]:
    """The .yaml/.yml files named, or found directly in the directories named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
        else:
            files.append(path)
    return files


def load_persona_file(path: Path) -> LoadedPersona:
    """Read and parse one persona file, or raise PersonaError listing every located problem."""
    persona, marks = load_model(path, Persona, PERSONA_FORMAT)
    return LoadedPersona(path, persona, marks)
