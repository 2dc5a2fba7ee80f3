"""The families of nasty content every input is mutated with, driven by one random.Random.

Byte mutations (`mutate_bytes`) work on any file; `yaml_value`, `json_value` and `arg_value`
give a nasty value in the syntax of the place it goes. Each returns (what, value): `what` names
the mutation in reports so a failing case says what it fed in.
"""

from __future__ import annotations

import os
from random import Random
from typing import NamedTuple

CONTROL = ["\x00", "\x01", "\x1b[2J\x1b[31m", "\x7f", "\x08\x08\x08", "\r", "\x0c", "\u2028"]
PRINTABLE_CONTROL = {"\r", "\u2028"}  # YAML reads these; the others are refused anywhere
HUGE_DIGITS = "1" + "0" * 5000  # 10**5000: past int()'s 4,300-digit limit
NOT_UTF8 = [b"\xff\xfe\x80", b"caf\xe9", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]
LONG = 200_000  # characters in a "very long line"


def shorten(value: str | bytes, keep: int = 40) -> str:
    """repr(value), cut in the middle when long: reports stay readable."""
    if len(value) <= keep:
        return repr(value)
    return f"{value[:keep // 2]!r}...{value[-8:]!r} ({len(value):,} long)"


def alias_bomb(depth: int = 9, width: int = 9) -> str:
    """Billion laughs in one flow sequence: 9 anchors, each 9 times the one before."""
    layers = ['&a0 [' + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, depth):
        layers.append(f"&a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "[" + ", ".join(layers) + f", *a{depth - 1}]"


def deep_nesting(rng: Random, closed: bool) -> str:
    depth = rng.choice([1_000, 5_000, 20_000])
    return "[" * depth + ("]" * depth if closed else "")


class Mutation(NamedTuple):
    kind: str
    what: str  # shown in reports
    data: bytes
    breaks_text: bool  # no YAML text can hold it (NUL, non-UTF-8, a raw control char)
    inserted: str = ""  # the control character put in, for formats with other rules (JSON)


class Nasty(NamedTuple):
    kind: str
    value: str
    invalid: bool  # no field of the format accepts it, whatever its type


# -- bytes --------------------------------------------------------------------------------


def flip_bytes(rng: Random, data: bytes, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def mutate_bytes(rng: Random, data: bytes) -> Mutation:
    """One whole-file mutation of `data`."""
    kind = rng.choice(["truncate", "flip", "flip", "control", "utf16", "not-utf8", "long-line",
                       "empty", "nul-run", "splice"])
    at = rng.randrange(len(data) + 1)
    if kind == "truncate":
        return Mutation(kind, f"truncated at byte {at} of {len(data)}", data[:at], False)
    if kind == "flip":
        count = rng.choice([1, 2, 8, 64])
        return Mutation(kind, f"{count} random byte flips", flip_bytes(rng, data, count), False)
    if kind == "control":
        char = rng.choice(CONTROL)
        return Mutation(kind, f"{char!r} inserted at byte {at}",
                        data[:at] + char.encode() + data[at:], char not in PRINTABLE_CONTROL,
                        char)
    if kind == "utf16":
        text = data.decode("utf-8", "replace")
        return Mutation(kind, "re-encoded as UTF-16-LE without BOM", text.encode("utf-16-le"),
                        bool(text))
    if kind == "not-utf8":
        bad = rng.choice(NOT_UTF8)
        return Mutation(kind, f"non-UTF-8 bytes {bad!r} at byte {at}", data[:at] + bad + data[at:],
                        True)
    if kind == "long-line":
        return Mutation(kind, f"a {LONG:,}-character line at byte {at}",
                        data[:at] + b"x" * LONG + data[at:], False)
    if kind == "empty":
        return Mutation(kind, "empty file", b"", False)
    if kind == "nul-run":
        return Mutation(kind, f"4096 NUL bytes at byte {at}", data[:at] + bytes(4096) + data[at:],
                        True)
    end = min(len(data), at + rng.randrange(1, 400))
    return Mutation(kind, f"bytes {at}..{end} repeated 3 times",
                    data[:end] + data[at:end] * 3 + data[end:], False)


# -- values in a syntax -------------------------------------------------------------------

# (kind, invalid anywhere, values); a value is a callable when it needs the generator.
YAML_VALUES: list[tuple[str, bool, list]] = [
    ("deep", True, [lambda rng: deep_nesting(rng, closed=False)]),
    ("deep-closed", True, [lambda rng: deep_nesting(rng, closed=True)]),
    ("bomb", True, [lambda rng: alias_bomb()]),
    ("recursive", True, ["&r [*r, *r]", "&m {k: *m}", "&s [a, [b, *s]]"]),
    ("huge-int", True, [HUGE_DIGITS, "-" + HUGE_DIGITS, "0x" + "f" * 5000, "0o" + "7" * 5000]),
    ("unsafe-tag", True, ["!!python/object/apply:os.system ['true']", "!unknown x",
                          "!!python/name:os.system"]),
    ("other-tag", False, ["!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2001-12-14",
                          "!!float 1", "!!str 5"]),
    ("huge-float", False, ["1e309", "-.inf", ".nan", "1" * 400 + ".5"]),
    ("true", False, ["true", "false"]),
    ("null", False, ["null", "~", ""]),
    ("surrogate", False, ['"\\udc80"', '"\\ud800 text"', '"ok \\udfff"']),
    ("control", False, ['"\\0x"', '"\\x01"', '"\\e[2J"', '"a\\x7f"', '"\\b\\b"']),
    ("long", False, [lambda rng: '"' + "y" * LONG + '"']),
    ("list", False, ["[1, [2, [3]], {a: b}]", "[]"]),
    ("map", False, ["{a: 1, b: [x], c: {d: e}}", "{}"]),
    ("negative", False, ["-1", "-0", "-99999999999999999999"]),
    ("blank", False, ['""', "' '", '"\\t"']),
    ("merge", False, ["{<<: [" + ", ".join(["{a: 1}"] * 200) + "]}"]),
]

JSON_VALUES: list[tuple[str, bool, list]] = [  # invalid: never a reply text ("text": <it>)
    ("deep", True, [lambda rng: deep_nesting(rng, closed=rng.random() < 0.5)]),
    ("huge-int", True, [HUGE_DIGITS, "-" + HUGE_DIGITS]),
    ("huge-float", True, ["1e309", "-1e999", "1" * 400 + ".5"]),
    ("nan", True, ["NaN", "Infinity", "-Infinity"]),
    ("true", True, ["true", "false"]),
    ("null", True, ["null"]),
    ("number", True, ["0", "-1", "3.5", "1e3"]),
    ("list", True, ['["a", 1, null]', "[]"]),
    ("object", True, ['{"a": {"b": []}}', "{}"]),
    ("bad-escape", True, ['"\\x41"', '"\\u12"', '"\\', "'single'", '"\x01"']),
    ("long", True, [lambda rng: '"' + "z" * LONG + '"']),
    ("surrogate", False, ['"\\udc80"', '"\\ud800"', '"a\\udfffb"', '"\\ud83d"']),
    ("control", False, ['"\\u0000"', '"a\\u001bb"', '"\\u0007"', '"\\u202eevil"']),
]


def _pick(rng: Random, table: list[tuple[str, bool, list]]) -> Nasty:
    kind, invalid, values = rng.choice(table)
    value = rng.choice(values)
    return Nasty(kind, value(rng) if callable(value) else value, invalid)


def yaml_value(rng: Random) -> Nasty:
    """A nasty YAML value, written as it would appear after `key: `."""
    return _pick(rng, YAML_VALUES)


def json_value(rng: Random) -> Nasty:
    """A nasty JSON value as text (some are not JSON at all, on purpose)."""
    return _pick(rng, JSON_VALUES)


ARG_VALUES: list[tuple[str, list]] = [  # what a shell can pass: anything but NUL
    ("not-utf8", [os.fsdecode(bad) for bad in NOT_UTF8]),
    ("long", ["a" * 10_000, "7" * 10_000, "é" * 10_000, "x/" * 5_000]),
    ("huge-int", [HUGE_DIGITS, "9" * 25, "-" + "9" * 25]),
    ("negative", ["-1", "-0", "-5.5", "-2147483649"]),
    ("empty", [""]),
    ("control", ["\x01", "\x1b[2J", "a\x7fb", "x\ry", "\n", "\t"]),
    ("float", ["nan", "inf", "-inf", "1e309", "0.0000001", "1_000"]),
    ("bool", ["true", "false", "yes", "None"]),
    ("dash", ["-", "--", "-x", "---", "--=", "--help=1"]),
    ("path", [".", "..", "~", "nonexistent/deeper/file", "a" * 300 + "/b", "/proc/self/status",
              "/dev/null", "/"]),
    ("unicode", ["Ωμέγα", "名前", "\u202eevil", "😀" * 50, "\ufeffbom"]),
    ("spaces", [" ", "   5", "5 ", "a b c"]),
]


def arg_value(rng: Random) -> Nasty:
    """A nasty command-line value; whether it is invalid depends on the option (see cli_cases)."""
    kind, values = rng.choice(ARG_VALUES)
    return Nasty(kind, rng.choice(values), False)
