"""Checks a persona's meaning (names, graph, goldens) and gives the located personas to callers.

The loader proves a file has the right shape; these checks prove it makes sense: every
detection, state and outcome named exists, every state is reachable and can end the call,
and the golden conversations reach what they claim.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from simulator.dialog.loader import (
    LoadedPersona,
    load_persona_file,
    looks_like_path,
    persona_dirs,
    persona_files,
    search_path,
)
from simulator.dialog.loader import suggest as _suggest
from simulator.dialog.persona import OUTCOME_NAMES, Persona
from simulator.errors import (
    PersonaError,
    Problem,
    UnknownPersonaError,
    escape_controls,
    shorten,
)
from simulator.scoring import DETECTION_NAMES


def _moves(persona: Persona):
    """(path in the file, move) for every rule and fallback, with the state it belongs to."""
    for index, rule in enumerate(persona.anytime):
        yield None, ("anytime", index), rule
    for name, state in persona.states.items():
        for index, rule in enumerate(state.on):
            yield name, ("states", name, "on", index), rule
        yield name, ("states", name, "fallback"), state.fallback


def _names(loaded: LoadedPersona) -> list[Problem]:
    persona, problems = loaded.persona, []
    states = list(persona.states)
    if persona.start not in persona.states:
        msg = (f"start state '{shorten(persona.start)}' is not defined under states"
               f"{_suggest(persona.start, states)}")
        problems.append(loaded.problem(("start",), msg, at_key=False))
    for owner, path, move in _moves(persona):
        when = getattr(move, "when", None)
        for part in ("all", "any", "none", "earlier"):
            for i, name in enumerate(getattr(when, part, [])):
                if name not in DETECTION_NAMES:
                    msg = _unknown_detection(name)
                    problems.append(loaded.problem(path + ("when", part, i), msg, at_key=False))
        if move.goto is not None and move.goto not in persona.states:
            msg = (f"'goto: {shorten(move.goto)}' names no state "
                   f"(states: {shorten(', '.join(states))})"
                   f"{_suggest(move.goto, states)}")
            problems.append(loaded.problem(path + ("goto",), msg, at_key=False))
        if move.end is not None and move.end not in persona.outcomes:
            msg = (f"'end: {shorten(move.end)}' has no final line: add "
                   f"'{shorten(move.end)}: {{say: [...]}}' under outcomes")
            problems.append(loaded.problem(path + ("end",), msg, at_key=False))
        target = move.goto or owner
        silent = not move.say and move.end is None and target in persona.states
        if silent and persona.states[target].lines is None:
            msg = (f"the prospect has nothing to say here: add 'say: [...]' or give "
                   f"state '{shorten(target)}' some 'lines'")
            problems.append(loaded.problem(path, msg))
    for outcome in ("hung_up", "max_turns"):
        if outcome not in persona.outcomes:
            msg = (f"outcome '{outcome}' needs a final line (patience and max_turns end calls "
                   f"this way): add '{outcome}: {{say: [...]}}' under outcomes")
            problems.append(loaded.problem(("outcomes",), msg))
    for index, golden in enumerate(persona.golden):
        wanted = golden.expect.state
        if wanted is not None and wanted not in persona.states:
            msg = (f"golden expects state '{shorten(wanted)}', which is not defined"
                   f"{_suggest(wanted, states)}")
            problems.append(loaded.problem(("golden", index, "expect", "state"), msg, False))
    return problems


def _unknown_detection(name: str) -> str:
    """The known names (185 characters) follow a name that could be a typo of one; after a
    long one they would push the line past what a terminal shows."""
    if len(name) > max(map(len, DETECTION_NAMES)) + 10:
        return (f"unknown detection '{shorten(name)}': detections have short names like "
                "'gratitude' or 'pushing'; check the spelling")
    return (f"unknown detection '{name}' (known: {', '.join(DETECTION_NAMES)})"
            f"{_suggest(name, DETECTION_NAMES)}")


def _graph(loaded: LoadedPersona) -> list[Problem]:
    """Unreachable states, and states from which no rule can ever end the call."""
    persona, problems = loaded.persona, []
    edges: dict[str, set[str]] = {name: set() for name in persona.states}
    ends: set[str] = set()
    global_end = any(rule.end for rule in persona.anytime)
    for owner, _path, move in _moves(persona):
        if owner is None:
            continue
        if move.goto in persona.states:
            edges[owner].add(move.goto)
        if move.end or global_end:
            ends.add(owner)
    for rule in persona.anytime:
        if rule.goto in persona.states:
            for name in edges:
                edges[name].add(rule.goto)
    if persona.start not in persona.states:
        return problems
    reachable, todo = {persona.start}, [persona.start]
    while todo:
        for nxt in edges[todo.pop()] - reachable:
            reachable.add(nxt)
            todo.append(nxt)
    for name in persona.states:
        if name not in reachable:
            msg = (f"state '{shorten(name)}' is unreachable: no rule goes to it from "
                   f"'{shorten(persona.start)}'; "
                   f"add a 'goto: {shorten(name)}' or remove it")
            problems.append(loaded.problem(("states", name), msg))
            continue
        seen, todo = {name}, [name]
        while todo and not seen & ends:
            for nxt in edges[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        if not seen & ends:
            msg = (f"state '{shorten(name)}' has no way to end the call: add a rule with "
                   f"'end: <outcome>' ({', '.join(OUTCOME_NAMES)}) to it or a state it leads to")
            problems.append(loaded.problem(("states", name), msg))
    return problems


def _goldens(loaded: LoadedPersona) -> list[Problem]:
    from simulator.dialog.golden import run_goldens

    problems = []
    for result in run_goldens(loaded.persona):
        if not result.passed:
            msg = (f"golden '{result.name}' fails: {result.explain()}; fix the replies or the "
                   f"rules (see: callsim personas test {loaded.persona.id})")
            problems.append(loaded.problem(("golden", result.index), msg, at_key=False))
    return problems


def check_persona(loaded: LoadedPersona, goldens: bool = True) -> list[Problem]:
    """Every problem with one parsed persona; goldens are only run when the rest is sound."""
    problems = _names(loaded)
    problems += [] if problems else _graph(loaded)
    if goldens and not problems:
        problems += _goldens(loaded)
    if loaded.persona.id != loaded.path.stem:
        msg = (f"id '{loaded.persona.id}' does not match the file name '{loaded.path.name}': "
               f"rename one so they are equal")
        problems.insert(0, loaded.problem(("id",), msg, at_key=False))
    return problems


def check_paths(
    paths: list[Path], goldens: bool = True
) -> tuple[list[LoadedPersona], list[Problem]]:
    """Load and check every persona file under `paths`; (sound personas, all problems)."""
    sound: list[LoadedPersona] = []
    problems: list[Problem] = []
    first_seen: dict[str, LoadedPersona] = {}
    for path in persona_files(paths):
        try:
            loaded = load_persona_file(path)
        except PersonaError as exc:
            problems += exc.problems
            continue
        found = check_persona(loaded, goldens)
        other = first_seen.setdefault(loaded.persona.id, loaded)
        if other is not loaded:
            msg = (f"duplicate id '{loaded.persona.id}' (also in {other.path}): give one of "
                   f"them another id and file name")
            found.append(loaded.problem(("id",), msg, at_key=False))
        problems += found
        if not found:
            sound.append(loaded)
    return sound, problems


def check_search_path(goldens: bool = True) -> tuple[list[LoadedPersona], list[Problem]]:
    """Check every persona on the search path; (the persona used for each id, all problems).

    The first persona with an id wins over the ones with that id further down the path (a
    trainer's covered-carl over the shipped one); two with one id in one folder are a problem.
    """
    winners: dict[str, LoadedPersona] = {}
    problems: list[Problem] = []
    for folder in search_path():
        sound, found = check_paths([folder.path], goldens)
        problems += found
        for loaded in sound:
            first = winners.get(loaded.persona.id)
            if first is None:
                winners[loaded.persona.id] = replace(loaded, source=folder.source)
            else:
                winners[loaded.persona.id] = replace(first, hides=first.hides + (folder.source,))
    return list(winners.values()), problems


def load_personas(dirs: list[Path] | None = None) -> list[LoadedPersona]:
    """The personas calls can use (see check_search_path), or only those in `dirs`; PersonaError
    naming every problem (goldens not run)."""
    if dirs:
        sound, problems = check_paths(dirs, goldens=False)
    else:
        sound, problems = check_search_path(goldens=False)
    if problems:
        raise PersonaError(problems)
    return sound


def get_persona(name: str, dirs: list[Path] | None = None) -> LoadedPersona:
    """The persona with this id on the search path, or in the file at this path; PersonaError
    if its file (or, when no persona has the id, any file) has problems."""
    if looks_like_path(name):
        return load_persona_path(name)
    sound, problems = check_paths(dirs, goldens=False) if dirs else check_search_path(False)
    personas = {p.persona.id: p for p in sound}
    # A broken file elsewhere (a persona half edited) does not stop a call with this one.
    if name in personas and not any(Path(p.path).stem == name for p in problems):
        return personas[name]
    if problems:
        raise PersonaError(problems)
    ids = sorted(personas)
    folders = dirs or persona_dirs()
    searched = ", ".join(str(path) for path in folders)
    if len(searched) > SHOWN_SEARCH:  # one line stays readable: the list command has them all
        searched = f"{len(folders)} folders (callsim personas list names them)"
    shown = ids if len(ids) <= SHOWN_IDS else [*ids[:SHOWN_IDS], f"… ({len(ids)} in all)"]
    raise UnknownPersonaError(
        f"unknown persona '{shorten(name)}'; "
        f"available: {', '.join(shown) or 'none (create one with: callsim personas new <id>)'}"
        f"{_suggest(name, ids)}; searched {searched}; or give its file's path"
    )


SHOWN_SEARCH = 160  # characters of searched folders named in the unknown-persona line
SHOWN_IDS = 12  # persona ids listed there


def load_persona_path(name: str) -> LoadedPersona:
    """One persona file named by its path, checked as a call needs it (goldens not run)."""
    path = Path(name)
    if not path.exists():
        raise UnknownPersonaError(f"no persona file {escape_controls(name)}: check the path, "
                                  "or give a persona id (see: callsim personas list)")
    if path.is_dir():
        raise UnknownPersonaError(f"{escape_controls(name)} is a folder, not a persona file: "
                                  "name the .yaml file in it, or pass the folder with --personas")
    loaded = load_persona_file(path)
    problems = check_persona(loaded, goldens=False)
    if problems:
        raise PersonaError(problems)
    return loaded
