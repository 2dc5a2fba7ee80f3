"""What a good answer to bad input is: no traceback, a non-zero exit, and a short message that
names the problem: one `callsim: ` line or located `path:line: ` lines. A usage error (unknown
option or command, missing value, bad number) is one `callsim: ` line too: click's usage block
(usage, hint, `Error: `) is unclear.
(Hangs, crashes and lost calls are judged where they are seen: runner.py and saved.py.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fuzz.runner import Outcome

MAX_LOCATED_LINES = 22  # a list of located problems (path:line:column: ..., or "line N")
MAX_LINE_CHARS = 300
LOCATED = re.compile(r"^(?:.+:\d+(?::\d+)?: |callsim: line \d+|callsim: \d+ of \d+ lines failed)")
INTERNALS = re.compile(
    r"Traceback \(most recent|Exception ignored|\bobject at 0x|<class '|\[Errno \d+\]|"
    r"\b(?:Key|Type|Attribute|Index|Value|Recursion|Unicode(?:En|De)code|Runtime|Assertion|"
    r"Name|ZeroDivision|Overflow|Memory|Lookup|NotImplemented|Yaml|Composer|Constructor|"
    r"Scanner|Parser)Error\b|\bsqlite3\.|pydantic|Errno")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def message_of(outcome: Outcome) -> str:
    """The error message: stderr, or stdout for commands that list problems there."""
    return outcome.stderr.strip() or outcome.stdout.strip()


def unclear(message: str) -> str | None:
    """Why a failure's message is not a short, plain statement of the problem, or None."""
    lines = [line for line in message.splitlines() if line.strip()]
    if not lines:
        return "no message at all"
    if all(LOCATED.match(line) for line in lines):
        if len(lines) > MAX_LOCATED_LINES:
            return f"{len(lines)} lines (at most {MAX_LOCATED_LINES})"
    elif len(lines) > 1:
        return f"{len(lines)} lines (one 'callsim: ' line, or located 'path:line: ' lines)"
    elif not lines[0].startswith("callsim: "):
        return "a line that does not start with 'callsim: '"
    longest = max(len(line) for line in lines)
    if longest > MAX_LINE_CHARS:
        return f"a line of {longest:,} characters (at most {MAX_LINE_CHARS})"
    internal = INTERNALS.search(message)
    if internal:
        return f"Python internals in the message ({internal.group()!r})"
    control = RAW_CONTROL.search(message)
    if control:
        return f"a raw control character {control.group()!r} in the message"
    return None


def judge(outcome: Outcome) -> list[tuple[str, str]]:
    """(kind, detail) for everything wrong with a finished case's answer."""
    failures = []
    case = outcome.case
    if outcome.exception:
        last = outcome.exception.strip().splitlines()[-1]
        failures.append(("traceback", last[:200]))
    elif any("Traceback (most recent call last)" in text
             for text in (outcome.stdout, outcome.stderr, outcome.raw)):
        failures.append(("traceback", "a traceback was printed"))
    if outcome.exit_code is None:
        return failures
    if outcome.exit_code == 0:
        if case.expect == "error":
            failures.append(("accepted bad input", "exit 0"))
        return failures
    message = message_of(outcome)
    problem = unclear(message)
    if problem is None and case.names and not any(name in message for name in case.names):
        problem = f"does not name {' or '.join(map(repr, case.names))}"
    if problem and not outcome.exception:
        failures.append(("unclear message", problem))
    return failures
