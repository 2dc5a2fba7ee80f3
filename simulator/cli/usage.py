"""click's usage errors as one plain line: what is wrong; how to fix it.

click would print its usage block, a hint and `Error: ...` (three lines, sometimes one without
the command). Here each kind of usage error is reworded to name the option, argument or
command, the value given, and where to look: `callsim: <what is wrong>; see `callsim X --help``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from typer._click import exceptions as click_errors  # typer 0.29 carries its own click
from typer.core import TyperArgument, TyperGroup

from simulator.cli.arguments import param_label
from simulator.cli.options import as_typed
from simulator.errors import shorten

NO_SUCH_COMMAND = re.compile(r"No such command (?P<name>.*?)\.(?: Did you mean (?P<like>.*)\?)?",
                             re.DOTALL)
EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.DOTALL)
CLICK_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")  # a name as click's !r quotes it


def usage_message(error: click_errors.UsageError, group: TyperGroup, name: str,
                  args: Sequence[str]) -> str:
    """The one line (without 'callsim: ') for a click usage error raised while `args` (the
    whole command line) were read by `group`, called `name` (callsim)."""
    path = error.ctx.command_path if error.ctx is not None else _command_path(group, name, args)
    see = f"see `{path} --help`"
    if isinstance(error, click_errors.MissingParameter):
        return f"`{path}` needs {_named(error.param)}; {see}"
    if isinstance(error, click_errors.BadParameter) and error.param is not None:
        return _bad_value(error, see)
    if isinstance(error, click_errors.NoSuchOption):
        likely = _alternatives(error.possibilities or [])
        return f"`{path}` has no option {shorten(error.option_name)}; {_guess(likely, see)}"
    if isinstance(error, click_errors.BadOptionUsage):
        option = shorten(error.option_name)
        if "does not take a value" in error.message:
            given = _given_after(args, f"{error.option_name}=")
            return f"{option} takes no value, not {given}; give {option} alone ({see})"
        return f"{option} needs a value after it; {see}"
    found = NO_SUCH_COMMAND.fullmatch(error.message)
    if found:
        likely = _alternatives(CLICK_QUOTED.findall(found["like"] or ""))
        return f"`{path}` has no command {_quoted(found['name'])}; {_guess(likely, see)}"
    found = EXTRA_ARGUMENTS.fullmatch(error.message)
    if found:
        return f"`{path}` takes no more arguments, not {as_typed(found['args'])}; {see}"
    if error.message == "Missing command.":
        return f"`{path}` needs a command; {see}"
    words = error.format_message().rstrip(".")  # a kind not met yet: click's words, one line
    return f"{words[:1].lower()}{words[1:]}; {see}".replace("\n", " ")


def _bad_value(error: click_errors.BadParameter, see: str) -> str:
    """--turn takes a whole number of 1 or more, not 0; see `callsim play --help`"""
    label = param_label(error.param)
    cause = error.__cause__
    problems = cause.errors() if hasattr(cause, "errors") else []
    if not problems or "input" not in problems[0]:  # a check of its own (a path, a callback)
        return f"{label}: {error.message.rstrip('.')}; {see}"
    return f"{label} takes {_takes(error.param)}, not {as_typed(str(problems[0]['input']))}; {see}"


def _takes(param) -> str:
    """What a typed parameter takes: 'a whole number from 1 to 9', 'one of: a, b'."""
    kind = param.type_descriptor.annotation
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of " + _alternatives([str(member.value) for member in kind])
    what = {int: "a whole number", float: "a number"}.get(kind, "a value")
    info = param.type_descriptor.parameter_info
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if low is not None and high is not None:
        return f"{what} from {low:g} to {high:g}"
    if low is not None:
        return f"{what} of {low:g} or more"
    if high is not None:
        return f"{what} of {high:g} or less"
    return what


def _named(param) -> str:
    """CALL_ID for an argument, `--persona ID|PATH` for an option."""
    if param is None:
        return "more arguments"
    if isinstance(param, TyperArgument):
        return param_label(param)
    return f"{param_label(param)} {param.metavar}" if param.metavar else param_label(param)


def _alternatives(names: Sequence[str]) -> str:
    """'--minutes' / 'practise or practice' / 'a, b or c' ('' for none), closest first."""
    names = [shorten(name) for name in names]
    return " or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1]


def _guess(likely: str, see: str) -> str:
    """click's "did you mean", kept: 'did you mean --minutes? See `callsim drill --help`'."""
    return f"did you mean {likely}? S{see[1:]}" if likely else see


def _quoted(name: str) -> str:
    """A name as click quoted it ('practis'), with its value shortened to fit the line."""
    inner = CLICK_QUOTED.fullmatch(name)
    return f"'{shorten(inner[1] if inner else name)}'"


def _given_after(args: Sequence[str], prefix: str) -> str:
    """The value of the first `--flag=value` among the arguments, as typed."""
    return next((as_typed(arg[len(prefix):]) for arg in args if arg.startswith(prefix)), "''")


def _command_path(group: TyperGroup, name: str, args: Sequence[str]) -> str:
    """`callsim personas show` for arguments naming that command (an error of click's parser
    knows no command: its words are followed here)."""
    command, words, path = group, list(args), [name]
    while words and isinstance(command, TyperGroup):
        found = command.commands.get(words[0])
        if found is None:
            break
        command, path, words = found, [*path, words[0]], words[1:]
    return " ".join(path)
