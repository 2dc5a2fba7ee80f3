"""Load a trainer-written YAML file into a strict pydantic model, with located errors.

Every YAML or validation failure becomes a Problem naming `path:line:column`, collected into the
caller's FileProblemsError subclass (PersonaError, RubricError). Line numbers come from a
SafeLoader that remembers where each mapping key and sequence item started.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from simulator.errors import FileProblemsError, Problem

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[int, int]  # 1-based line, column
Loc = tuple[Any, ...]


class _MarkedLoader(yaml.SafeLoader):
    """Records the start of every node by its path of keys/indices from the root."""

    def __init__(self, stream):
        super().__init__(stream)
        self.node_marks: dict[Loc, Location] = {}

    def construct_document(self, node):
        self._record(node, ())
        return super().construct_document(node)

    def _record(self, node, path: Loc) -> None:
        self.node_marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                self.node_marks[(*path, key)] = (key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1)
                self.node_marks[(*path, key, "<value>")] = (value_node.start_mark.line + 1,
                                                       value_node.start_mark.column + 1)
                self._record(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._record(item, (*path, index))


def _no_duplicate_keys(loader: _MarkedLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}': each key may appear once",
                key_node.start_mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_MarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def read_text(path: Path, error_cls: type[FileProblemsError]) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problem = Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror}")
        raise error_cls([problem]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error_cls([Problem(str(path), line, column,
                                 "the file is not UTF-8 text: save it as UTF-8")]) from None


def parse_yaml(text: str, path: str, error_cls: type[FileProblemsError]):
    """Return (data, marks). YAML syntax errors become one located Problem."""
    loader = _MarkedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem or exc.context}"
        raise error_cls([Problem(path, line, column, message)]) from None
    except yaml.YAMLError as exc:
        raise error_cls([Problem(path, 1, 1, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if data is None:
        raise error_cls([Problem(path, 1, 1, "the file is empty: see the shipped examples")])
    if not isinstance(data, dict):
        raise error_cls([Problem(path, 1, 1, "the file must be a mapping of keys to values")])
    return data, loader.node_marks


def locate(marks: dict[Loc, Location], loc: Loc, key_itself: bool = False) -> Location:
    """The closest recorded position for a pydantic error location."""
    loc = tuple(loc)
    while loc:
        if not key_itself and (*loc, "<value>") in marks:
            return marks[(*loc, "<value>")]
        if loc in marks:
            return marks[loc]
        loc = loc[:-1]
    return marks.get((), (1, 1))


def _describe(error: dict, model: type[BaseModel]) -> str:
    loc = ".".join(str(part) for part in error["loc"]) or "file"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{error['loc'][-1]}': remove it or check its spelling"
    if kind == "missing":
        return f"missing required field '{loc}': add it"
    message = error["msg"].removeprefix("Value error, ")
    return f"{loc}: {message}"


def problems_from_validation(exc: ValidationError, path: str,
                             marks: dict[Loc, Location], model: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
        if error["type"] == "missing":  # point at the mapping that lacks the field
            line, column = locate(marks, loc[:-1], key_itself=True)
        else:
            line, column = locate(marks, loc, key_itself=error["type"] == "extra_forbidden")
        problems.append(Problem(path, line, column, _describe({**error, "loc": loc}, model)))
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))


def load_model(path: Path, model: type[Model], error_cls: type[FileProblemsError]):
    """Read, parse and validate `path`; return (instance, marks) or raise error_cls."""
    text = read_text(path, error_cls)
    data, marks = parse_yaml(text, str(path), error_cls)
    try:
        return model.model_validate(data), marks
    except ValidationError as exc:
        raise error_cls(problems_from_validation(exc, str(path), marks, model)) from None
