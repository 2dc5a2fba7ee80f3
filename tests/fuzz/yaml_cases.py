"""Persona and rubric files with nasty content, read through every command that reads them."""

from __future__ import annotations

import json
import re
from random import Random

from tests.fuzz.materials import PERSONA_ID, Materials
from tests.fuzz.nasty import alias_bomb, mutate_bytes, shorten, yaml_value

KEY_LINE = re.compile(r"^(\s*(?:- )?)([\w/-]+):(?:\s|$)")
NUMBER_VALUE = re.compile(r":\s*-?\d+(?:\.\d+)?(?=\s*(?:#.*)?$)")
BLOCK_START = re.compile(r":\s*[|>][-+]?\s*(?:#.*)?$")

# Whole-file replacements: (what, text, always invalid)
WHOLE_FILES = [
    ("a top-level list", "- a\n- b\n", True),
    ("a plain scalar", "just some words\n", True),
    ("only comments", "# nothing here\n#\n", True),
    ("a top-level alias bomb", f"bomb: {alias_bomb()}\n", True),
    ("a recursive top-level mapping", "&top {self: *top}\n", True),
    ("two documents", "a: 1\n---\nb: 2\n", True),
    ("tab indentation", "id: x\nvoice:\n\trate: 1\n", True),
    ("5,000 nested mappings", "a: " + "{b: " * 5000 + "}" * 5000 + "\n", True),
]

RUBRIC_PHRASES = [  # regex-shaped phrases a trainer could write; some backtrack badly
    "(\\w+ ?)+z", "(a|aa)+$", "((a*)*)*c", "(" * 300 + "a" + ")" * 300, "(((", "{nolist}",
    "\\", "?", "[a-", "(?P<x>a)(?P=x)", "(?=a)", "\\1", "a{1000000}", "(x+x+)+y",
]
SLOW_REPLY = "a " * 40 + "!"  # what a backtracking phrase chokes on


def key_lines(lines: list[str]) -> list[int]:
    """Indexes of `key: value` lines, skipping comments and block scalars' text."""
    found, block_indent = [], None
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if KEY_LINE.match(line) and not line.lstrip().startswith("#"):
            found.append(number)
            if BLOCK_START.search(line):
                block_indent = indent
    return found


def mutate_yaml(rng: Random, base: bytes) -> tuple[str, bytes, bool]:
    """(what, content, always invalid) for one nasty version of a YAML file."""
    roll = rng.random()
    if roll < 0.1:  # `true` where a number goes
        lines = base.decode().split("\n")
        numbers = [n for n in key_lines(lines) if NUMBER_VALUE.search(lines[n])]
        number = rng.choice(numbers)
        flag = rng.choice(["true", "false"])
        lines[number] = NUMBER_VALUE.sub(f": {flag}", lines[number])
        return f"line {number + 1} number set to {flag}", "\n".join(lines).encode(), True
    if roll < 0.5:
        lines = base.decode().split("\n")
        number = rng.choice(key_lines(lines))
        prefix, key = KEY_LINE.match(lines[number]).groups()
        nasty = yaml_value(rng)
        lines[number] = f"{prefix}{key}: {nasty.value}"
        what = f"line {number + 1} '{key}' set to {nasty.kind} {shorten(nasty.value)}"
        return what, "\n".join(lines).encode("utf-8", "surrogatepass"), nasty.invalid
    if roll < 0.85:
        mutation = mutate_bytes(rng, base)
        return mutation.what, mutation.data, mutation.breaks_text
    what, text, invalid = rng.choice(WHOLE_FILES)
    return what, text.encode(), invalid


def persona_case(rng: Random, m: Materials) -> dict:
    what, content, invalid = mutate_yaml(rng, m.persona)
    path = f"personas/{PERSONA_ID}.yaml"
    surface = rng.choice(["validate", "validate", "practice", "test", "show", "list"])
    argv = {
        "validate": ("personas", "validate", path),
        "practice": ("practice", "--persona", PERSONA_ID, "--text", "--data-dir", "{data}"),
        "test": ("personas", "test", PERSONA_ID),
        "show": ("personas", "show", PERSONA_ID),
        "list": ("personas", "list"),
    }[surface]
    shelf = {"CALLSIM_PERSONAS": "{case}/personas"}
    if surface != "validate" and rng.random() < 0.5:  # found through --personas instead
        shelf, argv = {}, (*argv, "--personas", "{case}/personas")
        surface += " --personas"
    return dict(what=f"persona YAML ({surface}): {what}", argv=argv, files={path: content},
                env=shelf, stdin=b"Thank you for your honesty.\n",
                expect="error" if invalid else "any",
                names=(f"{PERSONA_ID}.yaml",) if invalid else ())


def rubric_case(rng: Random, m: Materials) -> dict:
    if rng.random() < 0.15:
        text = m.rubric.decode()
        phrase = rng.choice(RUBRIC_PHRASES)
        content = text.replace('- "thank you"\n', f"- {json.dumps(phrase)}\n", 1)
        what, invalid = f"a phrase {shorten(phrase)}", False
        content_bytes = content.encode()
    else:
        what, content_bytes, invalid = mutate_yaml(rng, m.rubric)
    surface = rng.choice(["score", "validate", "show", "env", "data-dir practice",
                          "data-dir show", "data-dir validate", "data-dir call"])
    given = "rubric.yaml"
    argv = {
        "score": ("score", SLOW_REPLY, "--rubric", given),
        "validate": ("rubric", "validate", given),
        "show": ("rubric", "show", "--rubric", given),
        "env": ("score", "--json", "Thanks! How come?"),
        "data-dir practice": ("practice", "--persona", PERSONA_ID, "--text", "--data-dir",
                              "{data}"),
        "data-dir show": ("rubric", "show", "--data-dir", "{data}"),
        "data-dir validate": ("rubric", "validate", "--data-dir", "{data}"),
        "data-dir call": ("show", "{call}", "--data-dir", "{data}"),
    }[surface]
    where = "{data}/rubric.yaml" if surface.startswith("data-dir") else given
    env = {"CALLSIM_RUBRIC": "{case}/rubric.yaml"} if surface == "env" else {}
    return dict(what=f"rubric YAML ({surface}): {what}", argv=argv, files={where: content_bytes},
                env=env, stdin=(SLOW_REPLY + "\n").encode(),
                expect="error" if invalid else "any",
                names=("rubric.yaml",) if invalid else ())
