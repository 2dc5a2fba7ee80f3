"""Checking reply input before it is scored: one plain line for each kind of bad input."""

from __future__ import annotations

import json
import math
import sys

from simulator.errors import InputError
from simulator.storage.limits import MAX_JSON_DEPTH, has_surrogate, json_depth, json_value_problem

MAX_REPLY_BYTES = 64 * 1024
MAX_LINE_BYTES = MAX_REPLY_BYTES * 2  # a reply and whatever fields come with it
ONE_OBJECT = 'write one object per line, like {"text": "Thanks!"}'


def check_reply(text: str, where: str = "the reply") -> str:
    """Return the reply, or raise InputError saying what is wrong with it."""
    if has_surrogate(text):  # undecodable bytes from the command line, a JSON "\ud83d"
        raise InputError(f"{where} is not valid UTF-8 text: save or type it as UTF-8")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_REPLY_BYTES:
        raise InputError(f"{where} is too long ({size:,} bytes; a reply may have at most "
                         f"{MAX_REPLY_BYTES:,}): split it into separate replies")
    if not text.strip():
        raise InputError(f"{where} is empty: give the words the trainee said")
    return text


def parse_jsonl_line(raw: bytes) -> dict:
    """One line of `score --jsonl` input: a JSON object with a string "text".

    InputError messages say what is wrong with the line without naming it: the caller puts
    `file:line:` in front.
    """
    if len(raw) > MAX_LINE_BYTES:
        raise InputError(f"the line is too long ({len(raw):,} bytes; the limit is "
                         f"{MAX_LINE_BYTES:,}): split it into separate lines")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start + 1}): save the file as UTF-8"
                         ) from None
    if json_depth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:  # json.loads recurses per level
        raise InputError(f"nests deeper than {MAX_JSON_DEPTH} levels: {ONE_OBJECT}")
    try:
        record = json.loads(line, parse_int=_whole_number, parse_float=_finite_number,
                            parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON ({exc.msg} at column {exc.colno}): {ONE_OBJECT}") from None
    except _BadNumber as exc:
        raise InputError(f"{exc}: write it as a string, in quotes") from None
    if not isinstance(record, dict):
        raise InputError('not a JSON object: write {"text": "..."}')
    if json_value_problem(record):  # the only problem left: a lone "\ud83d" escape
        raise InputError("holds a lone surrogate escape (like \\ud83d), which is not a "
                         "character: write the character itself")
    if "text" not in record:
        raise InputError('no "text" field: add the reply as "text"')
    if not isinstance(record["text"], str):
        raise InputError('"text" must be a string')
    check_reply(record["text"], '"text"')
    return record


class _BadNumber(ValueError):
    """A number that would not come out again as the same, valid JSON."""


def _whole_number(digits: str) -> int:
    limit = sys.get_int_max_str_digits()  # int() refuses longer ones with a ValueError
    if limit and len(digits.lstrip("-")) > limit:
        raise _BadNumber(f"a number has {len(digits):,} digits (at most {limit:,} can be read)")
    return int(digits)


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: json.dumps would write Infinity, which is not JSON
        raise _BadNumber(f"the number {text[:20]} is too large to read")
    return value


def _no_constant(name: str) -> float:
    raise _BadNumber(f"{name} is not a JSON number")
