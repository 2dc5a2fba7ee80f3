"""A YAML loader for trainer files that a hostile or broken file cannot hang or crash.

Trainer files are small and flat, so what only a hostile or broken file needs is refused with
a located reason: anchors and aliases (alias bombs, self-referencing lists), nesting deeper than
MAX_DEPTH, and values no constructor can build. Integers too long to turn into a number become
a TooLongNumber, which the models reject with the field's own message.
"""

from __future__ import annotations

import re

import yaml

from simulator.errors import shorten

MAX_DEPTH = 40  # a persona nests about 8 levels deep; the rubric about 5
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep: a trainer file never needs that; flatten it"
MAX_NUMBER_CHARS = 40  # longer integers are never meant (Python refuses above 4,300 digits)


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `on:`, `no`, `yes` stay text."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class TooLongNumber:
    """An integer written with too many digits to be meant; shown as 'a 5000-digit number'."""

    def __init__(self, text: str):
        self.digits = sum(ch.isalnum() for ch in text)

    def __repr__(self) -> str:
        return f"a {self.digits}-digit number"

    __str__ = __repr__


class RefusedYaml(yaml.MarkedYAMLError):
    """Something trainer files never need, refused where it starts."""

    def __init__(self, mark: yaml.Mark, problem: str):
        super().__init__(problem=problem, problem_mark=mark)


class TrainerYamlLoader(Yaml12Loader):
    """Yaml12Loader refusing anchors, aliases and deep nesting; located errors for bad values."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise RefusedYaml(event.start_mark, "anchors and aliases (&name, *name) are not "
                              "supported: write the value out in full")
        if self.depth >= MAX_DEPTH:
            raise RefusedYaml(event.start_mark, TOO_DEEP)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def fetch_flow_collection_start(self, token_class):
        # the scanner looks ahead for keys at every open bracket: 5,000 '[' take it seconds
        if self.flow_level >= MAX_DEPTH:
            raise RefusedYaml(self.get_mark(), TOO_DEEP)
        super().fetch_flow_collection_start(token_class)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # e.g. the date 2024-13-45
            raise RefusedYaml(node.start_mark, f"cannot read the value '{_shown(node)}' "
                              f"({shorten(exc)}): put it in quotes if it is text") from None
        except (TypeError, AttributeError, LookupError):  # PyYAML's own bugs: !!timestamp 1 x
            tag = node.tag.rsplit(":", 1)[-1]
            raise RefusedYaml(node.start_mark, f"cannot read the value '{_shown(node)}' as a "
                              f"{shorten(tag)}: put it in quotes if it is text") from None

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if len(text.replace("_", "")) > MAX_NUMBER_CHARS:
            return TooLongNumber(text)
        return super().construct_yaml_int(node)


def _shown(node: yaml.Node) -> str:
    """A node's value as it reads in the file, shortened for a one-line message."""
    if isinstance(node, yaml.ScalarNode):
        return shorten(node.value)
    return "[…]" if isinstance(node, yaml.SequenceNode) else "{…}"


TrainerYamlLoader.add_constructor("tag:yaml.org,2002:int", TrainerYamlLoader.construct_yaml_int)


def reader_problem(text: str, exc: yaml.reader.ReaderError) -> tuple[int, int, str]:
    """(line, column, message) for a character YAML does not allow (a control character)."""
    before = text[: exc.position]
    line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    if exc.character in (0, "\0"):
        return line, column, "file contains NUL characters, so it is not UTF-8 text (UTF-16?): " \
                             "save it as UTF-8"
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return line, column, (f"control character U+{code:04X} is not allowed in YAML: delete it "
                          "(most editors do not show it)")
