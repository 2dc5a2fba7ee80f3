"""The one exception hierarchy.

Every error a user can cause is a CallsimError whose message is one plain line saying what is
wrong and how to fix it. Only the CLI (simulator.cli.main) turns these into output and exit codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, located for `path:line:column: message`."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


MAX_PROBLEMS_SHOWN = 20  # a file of 80,000 unknown keys needs its first few fixed, not a flood


def problem_lines(problems: list[Problem]) -> list[str]:
    """The first MAX_PROBLEMS_SHOWN problems, one per line, then how many more there are."""
    lines = [printable(str(problem)) for problem in problems[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - len(lines)
    if more:
        lines.append(f"…and {more} more problem{'s' if more > 1 else ''}")
    return lines


SHOWN_CHARACTERS = 60  # of a value the user gave, when an error line quotes it back
LONGEST_RUN = 120  # characters without a space in a printed line (a real path fits)
# C0/C1 controls (a terminal obeys them) and lone surrogates (undecodable bytes of a path)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")


def _escaped(match: re.Match) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # an undecodable byte, as Python smuggles it in a str
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def escape_controls(text: str) -> str:
    """Control characters and undecodable bytes as escapes (\\r, \\x01, \\xf8): printed raw, a
    value could clear the screen or make the line unprintable."""
    return CONTROL.sub(_escaped, text)


def shorten(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A value the user gave, made fit to quote in a one-line message: control characters
    escaped, then the first `limit` (60) characters + '…'."""
    text = escape_controls(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def printable(line: str) -> str:
    """A line of a message made safe to print, as a last line of defence behind shorten():
    controls escaped (tabs kept) and each run of over LONGEST_RUN characters without a space
    cut to its first 60 + '…' + its last 20 (which keeps a located 'path:line:column:')."""
    line = CONTROL.sub(lambda m: m.group() if m.group() == "\t" else _escaped(m), line)
    return LONG_RUN.sub(lambda m: m.group()[:SHOWN_CHARACTERS] + "…" + m.group()[-20:], line)


def message_lines(message: str) -> list[str]:
    """A message's lines (split at newlines only: a '\\r' in a value is escaped), each made
    printable()."""
    return [printable(line) for line in str(message).split("\n")]


class CallsimError(Exception):
    """Base class. str(error) is the one line shown to the user."""

    exit_code = 1


class UsageError(CallsimError):
    """The command line itself is wrong (unknown option value, missing argument)."""

    exit_code = 2


class PathTooLongError(UsageError):
    """A path argument the file system refuses as too long (ENAMETOOLONG)."""

    def __init__(self, path: object):
        super().__init__(f"the path '{shorten(path)}' is too long for the file system; "
                         "use a shorter one")


class InputError(CallsimError):
    """A reply or an input line cannot be scored (empty, not UTF-8, too long, bad JSON)."""


class FileProblemsError(CallsimError):
    """A data file (persona, rubric) has one or more located problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(problem_lines(self.problems)))


class RubricError(FileProblemsError):
    """The rubric file is malformed."""


class PersonaError(FileProblemsError):
    """A persona file is malformed."""


class UnknownPersonaError(UsageError):
    """No persona has the requested id, or no persona file is at the path given (exit 2)."""


class StorageError(CallsimError):
    """The call database cannot be read or written (full disk, corrupt file, locked)."""


class UnknownCallError(CallsimError):
    """No saved call has the requested id."""


class NoRecordingError(CallsimError):
    """A call (or the reply asked for) has no recorded audio to play."""


class NotConfirmedError(CallsimError):
    """A command that deletes for good was not confirmed (no terminal to ask and no --yes)."""


class NothingFoundError(CallsimError):
    """A listing, report or export matched no call. The one rule for every such command: say so
    on stderr and exit 1 (as grep does); with --json the empty result is still printed first."""


def nothing_found(trainee: str | None = None, workshop: str | None = None,
                  persona: str | None = None, counted: bool = False) -> NothingFoundError:
    """'no calls for trainee 'x', workshop 'y'' (or 'saved yet') with what to do next."""
    named = [f"{what} '{shorten(value)}'" for what, value in
             (("trainee", trainee), ("workshop", workshop), ("persona", persona))
             if value is not None]
    if counted:
        where = f" for {', '.join(named)}" if named else ""
        return NothingFoundError(
            f"no calls count in progress{where} yet (demo calls and calls without a reply are "
            "left out); run `callsim history` to see every saved call")
    if named:
        return NothingFoundError(f"no calls for {', '.join(named)}; run `callsim history` to see "
                                 "what is saved")
    return NothingFoundError("no calls saved yet; start one: callsim practice --persona "
                             "covered-carl --text")


class Cancelled(CallsimError):
    """Ctrl-C stopped a command; the message says what was kept (exit 130, as for SIGINT)."""

    exit_code = 130


class ModelError(CallsimError):
    """A speech model is missing, corrupt or cannot be installed."""


class MissingModelError(UsageError, ModelError):
    """--engine names a recognizer whose model is not installed (exit 2, before the call)."""


class DomainModelError(ModelError):
    """The recognizer's sales language model cannot be built or saved (full disk, read-only
    data directory); the caller can go on with the general language model."""


class AudioError(CallsimError):
    """No microphone, a silent microphone, a device that vanished, no sound output."""


class UnknownDeviceError(UsageError, AudioError):
    """--input-device/--output-device names no device there is (exit 2, a usage error)."""


class MissingDependencyError(CallsimError):
    """An optional dependency is not installed; the message names the install command."""

    def __init__(self, module: str, extra: str = "voice"):
        super().__init__(
            f"{module} is not installed; install it with: "
            f".venv/bin/pip install -e '.[{extra}]'  (or run: bash setup.sh test)"
        )


def require(module: str, extra: str = "voice"):
    """Import an optional heavy dependency lazily, or fail with the command that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(module, extra) from exc
