"""The one loader for trainer-written YAML (personas, the rubric): strict models, located errors.

Every failure (unreadable file, bad bytes, YAML syntax, duplicate key, unknown key, wrong type)
becomes a Problem naming the file, line and column and the fix, collected into the format's
FileProblemsError subclass. A FileFormat holds what differs per format: its error class, what
the file is called, the fix for each missing field and the aliases behind "did you mean".
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from simulator.errors import FileProblemsError, Problem, shorten
from simulator.yamlsafe import (
    RefusedYaml,
    TooLongNumber,
    TrainerYamlLoader,
    Yaml12Loader,
    reader_problem,
)

__all__ = ["FileFormat", "Marks", "Yaml12Loader", "load_model", "read_yaml", "suggest"]

Model = TypeVar("Model", bound=BaseModel)


def suggest(word: str, choices: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """' — did you mean 'x'?' for a known alias or a near miss, or ''."""
    from rapidfuzz import fuzz, process

    alias = (aliases or {}).get(word.lower())
    if alias in choices:
        return f" — did you mean '{alias}'?"
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=60)
    return f" — did you mean '{best[0]}'?" if best else ""


@dataclass(frozen=True)
class FileFormat:
    """What differs between the YAML formats trainers write."""

    error: type[FileProblemsError]
    called: str  # for "expected <called>, found a list"
    empty_fix: str  # how to start a file that is empty
    fixes: Mapping[str, str] = field(default_factory=dict)  # field name or "parent.field" → fix
    aliases: Mapping[str, str] = field(default_factory=dict)  # words trainers reach for → name
    value_kinds: Mapping[str, str] = field(default_factory=dict)  # a known value → its kind

    def suggest(self, word: str, choices: Sequence[str]) -> str:
        return suggest(word, choices, self.aliases)

    def fix(self, loc: tuple) -> str:
        """The fix for a missing field: the most specific "a.b.name" entry, else "add 'name:'"."""
        names = [str(part) for part in loc if not isinstance(part, int)]
        for start in range(len(names)):
            if ".".join(names[start:]) in self.fixes:
                return self.fixes[".".join(names[start:])]
        return f"add '{names[-1]}:'"


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

    def at(self, source: str, path: tuple, message: str, at_key: bool = True) -> Problem:
        line, column = self.key(*path) if at_key else self.value(*path)
        return Problem(source, line, column, message)


def _walk(node: yaml.Node, path: tuple, marks: Marks, problems: list[Problem], src: str):
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


def read_yaml(path: Path, fmt: FileFormat) -> tuple[dict, Marks]:
    """The mapping in the file and where each key and value is, or raise fmt.error."""
    src, fail = str(path), fmt.error
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read file ({exc.strerror}): give the path of a YAML file"
        raise fail([Problem(src, 1, 1, msg)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, col = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
        msg = f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
        raise fail([Problem(src, line, col, msg)]) from None
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise fail([Problem(src, 1, 1, f"file is empty: {fmt.empty_fix}")])
    try:
        loader = TrainerYamlLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character, or UTF-16 read as UTF-8
        raise fail([Problem(src, *reader_problem(text, exc))]) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = ": ".join(str(p) for p in (exc.context, exc.problem) if p)
        msg = f"YAML syntax error: {what}: check the indentation, colons and quotes here"
        if isinstance(exc, RefusedYaml):  # valid YAML, but nothing a trainer file needs
            msg = exc.problem
        raise fail([Problem(src, line, col, msg)]) from None
    except yaml.YAMLError as exc:
        raise fail([Problem(src, 1, 1, f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    marks, problems = Marks(), []
    if node is not None:
        _walk(node, (), marks, problems, src)
    if problems:
        raise fail(problems)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        kind = {"list": "a list", "str": "plain text"}.get(kind, kind)
        raise fail([Problem(src, 1, 1, f"expected {fmt.called}, found {kind}")])
    return data, marks


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the name written in the file (the alias, if it has one)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


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


def _is_model(thing: object) -> bool:
    return isinstance(thing, type) and issubclass(thing, BaseModel)


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last element of a pydantic error location."""
    model: object = root
    skip = 0
    for part in loc[:-1]:
        if skip:  # a list index or a dict key (a state's name), not a field
            skip -= 1
            continue
        info = _fields(model).get(str(part)) if _is_model(model) else None
        if info is None:
            return None
        model, skip = _unwrap(info.annotation)
    return model if _is_model(model) else None


def _limits(root: type[BaseModel], loc: tuple) -> str:
    """"between 1 and 5" or "more than 0 and at most 5": the limits of the number at `loc`."""
    model = _model_at(root, loc)
    info = _fields(model).get(str(loc[-1])) if model else None
    bounds: dict[str, object] = {}
    for meta in info.metadata if info else []:
        bounds.update({k: getattr(meta, k) for k in ("ge", "gt", "le", "lt") if hasattr(meta, k)})
    if "ge" in bounds and "le" in bounds:
        return f"between {bounds['ge']} and {bounds['le']}"
    words = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
    return " and ".join(f"{words[k]} {v}" for k, v in bounds.items()) or "in range"


def _shown(value: object) -> str:
    """A wrong value as the trainer wrote it: true/false, not True/False; long ones cut short."""
    if isinstance(value, bool):
        return str(value).lower()
    return "nothing" if value is None else shorten(repr(value))


def _message(error: dict, root: type[BaseModel], fmt: FileFormat) -> tuple[tuple, str, bool]:
    """(location, message with the fix, whether to point at the key) for one pydantic error."""
    loc = tuple(p for p in error["loc"] if p != "[key]")
    kind, value = error["type"], error.get("input")
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)[1:] or "file"
    name = shorten(str(loc[-1])) if loc else ""
    if kind == "extra_forbidden":
        model = _model_at(root, loc)
        allowed = list(_fields(model)) if model else []
        hint = fmt.suggest(name, allowed)
        return loc, f"unknown key '{name}' (allowed: {', '.join(allowed)}){hint}", True
    if kind == "missing":
        return loc[:-1], f"missing required field '{name}': {fmt.fix(loc)}", True
    if kind == "literal_error":
        known = [s.strip(" '") for s in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        what = next((fmt.value_kinds[k] for k in known if k in fmt.value_kinds), "value")
        value, hint = shorten(str(value)), fmt.suggest(shorten(str(value)), known)
        at_key = "[key]" in error["loc"]
        return loc, f"unknown {what} '{value}' (known: {', '.join(known)}){hint}", at_key
    if kind == "too_short" and isinstance(value, (list, dict)):
        return loc, f"'{where}' is empty: add at least one item", False
    if kind == "string_too_short":
        fix = "write the text or remove the item" if isinstance(loc[-1], int) else "write the text"
        return loc, f"'{where}' is blank: {fix}", False
    if kind == "string_too_long":
        most = error["ctx"]["max_length"]
        return loc, f"'{where}' is too long ({len(value)} characters; at most {most})", False
    if kind == "string_pattern_mismatch" and name == "id":
        msg = (f"id '{shorten(value)}' must be lowercase words joined by hyphens, "
               "e.g. 'covered-carl'")
        return loc, msg, False
    if kind == "string_type":
        return loc, f"'{where}' expected text, got {_shown(value)}: put it in quotes", False
    limits = _limits(root, loc) if loc else "in range"
    if isinstance(value, TooLongNumber) and limits != "in range":  # a number, just far too big
        return loc, f"'{where}' must be {limits} (got {value})", False
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return loc, f"'{where}' must be {limits} (got {_shown(value)})", False
    if kind in ("int_parsing", "int_type", "int_from_float"):
        limits = "" if limits == "in range" else f" {limits}"
        return loc, f"'{where}' must be a whole number{limits} (got {_shown(value)})", False
    if kind in ("float_parsing", "float_type"):
        return loc, f"'{where}' must be a number, e.g. 10 or 2.5 (got {_shown(value)})", False
    if kind in ("bool_parsing", "bool_type"):
        return loc, f"'{where}' must be true or false (got {_shown(value)})", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, f"'{where}' must be a mapping of keys to values (got {_shown(value)})", False
    if kind == "list_type":
        example = '["first", "second"]'
        return loc, f"'{where}' must be a list, e.g. {example} (got {_shown(value)})", False
    if kind == "value_error":
        return loc, f"'{where}': {error['msg'].removeprefix('Value error, ')}", False
    detail = error["msg"][0].lower() + error["msg"][1:]
    return loc, f"'{where}': {detail} (got {_shown(value)})", False


def load_model(path: Path, model: type[Model], fmt: FileFormat) -> tuple[Model, Marks]:
    """Read and validate one file into `model`, or raise fmt.error listing every located problem."""
    data, marks = read_yaml(path, fmt)
    try:
        return model.model_validate(data), marks
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc, message, at_key = _message(error, model, fmt)
            problems.append(marks.at(str(path), loc, message, at_key))
        problems = sorted(set(problems), key=lambda p: (p.line, p.column, p.message))
        raise fmt.error(problems) from None
