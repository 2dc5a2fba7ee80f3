"""Checking reply input before it is scored: one plain line for each kind of bad input."""

from __future__ import annotations

import json

from simulator.errors import InputError

MAX_REPLY_BYTES = 64 * 1024


def check_reply(text: str, where: str = "the reply") -> str:
    """Return the reply, or raise InputError saying what is wrong with it."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raise InputError(f"{where} is not valid UTF-8 text: save or type it as UTF-8")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_REPLY_BYTES:
        raise InputError(f"{where} is too long ({size:,} bytes; a reply may have at most "
                         f"{MAX_REPLY_BYTES:,}): split it into separate replies")
    if not text.strip():
        raise InputError(f"{where} is empty: give the words the trainee said")
    return text


def parse_jsonl_line(raw: bytes, number: int) -> dict:
    """One line of `score --jsonl` input: a JSON object with a string "text"."""
    where = f"line {number}"
    if len(raw) > MAX_REPLY_BYTES * 2:
        raise InputError(f"{where} is too long ({len(raw):,} bytes; the limit is "
                         f"{MAX_REPLY_BYTES * 2:,}): split it into separate lines")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where} is not valid UTF-8 (byte {exc.start + 1}): "
                         "save the file as UTF-8") from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where} is not JSON ({exc.msg} at column {exc.colno}): "
                         'write one object per line, like {"text": "Thanks!"}') from None
    if not isinstance(record, dict):
        raise InputError(f'{where} is not a JSON object: write {{"text": "..."}}')
    if "text" not in record:
        raise InputError(f'{where} has no "text" field: add the reply as "text"')
    if not isinstance(record["text"], str):
        raise InputError(f'{where}: "text" must be a string')
    check_reply(record["text"], f'the "text" on {where}')
    return record
