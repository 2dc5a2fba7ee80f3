"""Persona files: where they live, and YAML → Persona with every failure located by line.

Every problem (bad bytes, YAML syntax, unknown key, wrong type) becomes a Problem naming the
file, line and column and the fix, collected into one PersonaError.
"""

from __future__ import annotations

import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz, process

from simulator.dialog.persona import Persona
from simulator.errors import PersonaError, Problem

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
    "name_golden": "add 'name: <what this conversation checks>'",
}


class PersonaYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `on:`, `no`, `yes` stay text."""


PersonaYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PersonaYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' — did you mean 'x'?' for a near miss, or ''."""
    alias = ALIASES.get(word.lower())
    if alias in choices:
        return f" — did you mean '{alias}'?"
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=60)
    return f" — did you mean '{best[0]}'?" if best else ""


@dataclass
class Marks:
    """Line/column (1-based) of every key and value in a YAML file, by path."""

    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def value(self, *path) -> tuple[int, int]:
        """The position of the value at path, or of its nearest located parent."""
        path = tuple(str(p) for p in path)
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, *path) -> tuple[int, int]:
        path = tuple(str(p) for p in path)
        return self.keys.get(path) or self.value(*path)


@dataclass(frozen=True)
class LoadedPersona:
    path: Path
    persona: Persona
    marks: Marks

    def problem(self, path: tuple, message: str, at_key: bool = True) -> Problem:
        line, column = self.marks.key(*path) if at_key else self.marks.value(*path)
        return Problem(str(self.path), line, column, message)


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


def _walk(node: yaml.Node, path: tuple, marks: Marks, problems: list[str | Problem], src: str):
    marks.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in seen:
                problems.append(Problem(src, line, col, f"duplicate key '{key}': keep only one"))
            seen.add(key)
            marks.keys[path + (key,)] = (line, col)
            _walk(value_node, path + (key,), marks, problems, src)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (str(index),), marks, problems, src)


def _read_yaml(path: Path) -> tuple[object, Marks]:
    src = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PersonaError([Problem(src, 1, 1, f"cannot read file ({exc.strerror})")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, col = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
        msg = f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
        raise PersonaError([Problem(src, line, col, msg)]) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        msg = "file is empty: start from a template with 'callsim personas new <id>'"
        raise PersonaError([Problem(src, 1, 1, msg)])
    try:
        node = yaml.compose(text, Loader=PersonaYamlLoader)
        data = yaml.load(text, Loader=PersonaYamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = ": ".join(str(p) for p in (exc.context, exc.problem) if p)
        msg = f"YAML syntax error: {what}: check the indentation, colons and quotes here"
        raise PersonaError([Problem(src, line, col, msg)]) from None
    except yaml.YAMLError as exc:
        raise PersonaError([Problem(src, 1, 1, f"YAML error: {exc}")]) from None
    marks = Marks()
    problems: list = []
    _walk(node, (), marks, problems, src)
    if problems:
        raise PersonaError(problems)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        kind = {"list": "a list", "str": "plain text"}.get(kind, kind)
        msg = f"expected a persona (keys like 'id:', 'name:', 'states:'), found {kind}"
        raise PersonaError([Problem(src, 1, 1, msg)])
    return data, marks


def _unwrap(annotation: object) -> tuple[object, int]:
    """Strip Optional/Annotated and list/dict wrappers; count the containers (index levels)."""
    containers = 0
    while True:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in args if a is not type(None))
        elif origin in (list, dict):
            annotation, containers = args[-1], containers + 1
        else:
            return annotation, containers


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last element of a pydantic error location."""
    model: object = Persona
    skip = 0
    for part in loc[:-1]:
        if skip:  # a list index or a dict key (a state's name), not a field
            skip -= 1
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = model.model_fields.get(str(part))
        if info is None:
            return None
        model, skip = _unwrap(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _bounds(loc: tuple) -> tuple[object, object]:
    """The ge/le limits of the numeric field at `loc`, for a "between" message."""
    model = _model_at(loc)
    info = model.model_fields.get(str(loc[-1])) if model else None
    low = high = "?"
    for meta in info.metadata if info else []:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return low, high


def _message(error: dict) -> tuple[tuple, str, bool]:
    """(location, message with the fix, whether to point at the key) for one pydantic error."""
    loc = tuple(p for p in error["loc"] if p != "[key]")
    kind, value = error["type"], error.get("input")
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)[1:] or "file"
    name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = list(model.model_fields) if model else []
        hint = suggest(name, allowed)
        return loc, f"unknown key '{name}' (allowed: {', '.join(allowed)}){hint}", True
    if kind == "missing":
        fix = FIXES.get("name_golden" if name == "name" and "golden" in loc else name)
        fix = fix or f"add '{name}:'"
        return loc[:-1], f"missing required field '{name}': {fix}", True
    if kind == "literal_error":
        known = [s.strip(" '") for s in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        what = "outcome" if "outcome" in known[0] or "hung_up" in known else "value"
        hint = suggest(str(value), known)
        at_key = "[key]" in error["loc"]
        return loc, f"unknown {what} '{value}' (known: {', '.join(known)}){hint}", at_key
    if kind == "too_short" and isinstance(value, (list, dict)):
        return loc, f"'{where}' is empty: add at least one item", False
    if kind == "string_too_short":
        return loc, f"'{where}' is blank: write the text or remove the item", False
    if kind == "string_pattern_mismatch" and name == "id":
        msg = f"id '{value}' must be lowercase words joined by hyphens, e.g. 'covered-carl'"
        return loc, msg, False
    if kind == "string_type":
        return loc, f"'{where}' expected text, got {value!r}: put it in quotes", False
    if kind in ("less_than_equal", "greater_than_equal"):
        low, high = _bounds(loc)
        return loc, f"'{where}' must be between {low} and {high} (got {value!r})", False
    if kind == "int_parsing" or kind == "int_type":
        return loc, f"'{where}' must be a whole number (got {value!r})", False
    if kind in ("bool_parsing", "bool_type"):
        return loc, f"'{where}' must be true or false (got {value!r})", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, f"'{where}' must be a mapping of keys to values (got {value!r})", False
    if kind == "list_type":
        return loc, f"'{where}' must be a list, e.g. [\"first\", \"second\"] (got {value!r})", False
    if kind == "value_error":
        return loc, f"'{where}': {error['msg'].removeprefix('Value error, ')}", False
    detail = error["msg"][0].lower() + error["msg"][1:]
    return loc, f"'{where}': {detail} (got {value!r})", False


def load_persona_file(path: Path) -> LoadedPersona:
    """Read and parse one persona file, or raise PersonaError listing every located problem."""
    data, marks = _read_yaml(path)
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc, message, at_key = _message(error)
            line, col = marks.key(*loc) if at_key else marks.value(*loc)
            problems.append(Problem(str(path), line, col, message))
        raise PersonaError(sorted(set(problems), key=lambda p: (p.line, p.column))) from None
    return LoadedPersona(path, persona, marks)
