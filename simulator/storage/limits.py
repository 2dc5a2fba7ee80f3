"""What the call store can hold: SQLite's whole numbers, valid Unicode text, bounded nesting.

Checked before anything is written, so a value SQLite or the JSON encoder cannot take is one
plain line, never an OverflowError, UnicodeEncodeError or RecursionError half-way through.
"""

from __future__ import annotations

import math
import re
from typing import Any

INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # an SQLite INTEGER is a signed 64-bit number
INT_RANGE = f"a whole number from {INT_MIN} to {INT_MAX}"
# JSON columns (scorecard, delivery figures, turn extras) nest 3 or 4 levels; far more is a
# damaged or hostile file, and Python's JSON encoder and decoder recurse once per level.
MAX_JSON_DEPTH = 32
# A call's export line adds call -> turns -> turn -> extra around those columns.
MAX_LINE_DEPTH = MAX_JSON_DEPTH + 4

_SURROGATE = re.compile("[\ud800-\udfff]")  # not encodable as UTF-8: SQLite refuses them
# A JSON string (skipped whole, so brackets inside it do not count) or a bracket.
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENERS = frozenset(b"[{")


def fits_integer(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def has_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate (e.g. a JSON "\\ud800" or a mis-encoded name)."""
    return _SURROGATE.search(text) is not None


def json_depth(data: bytes, limit: int = MAX_LINE_DEPTH) -> int:
    """How deep the JSON text `data` nests, counted without parsing; stops once past `limit`."""
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        else:
            depth -= 1
    return deepest


def json_value_problem(value: Any) -> str | None:
    """What makes a JSON-like value unsavable here (too deep, invalid text), if anything.

    Types are left to the JSON encoder, which names them (see rows.json_text).
    """
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if has_surrogate(item):
                return "holds text that is not valid Unicode (a lone surrogate)"
            continue
        if isinstance(item, float) and not math.isfinite(item):  # e.g. 1e400 read from a file
            return "holds a number that is not finite (infinity or NaN)"
        if not isinstance(item, (dict, list, tuple)):
            continue
        if depth > MAX_JSON_DEPTH:
            return f"nests deeper than {MAX_JSON_DEPTH} levels"
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        else:
            pending.extend((child, depth + 1) for child in item)
    return None
