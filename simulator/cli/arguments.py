"""Text arguments that are not valid UTF-8: refused by name before any command runs.

Python hands undecodable argument bytes over as lone surrogates ("surrogateescape"); a name
holding one could be neither saved nor printed. File paths may hold any bytes, so only text
parameters (names, ids, replies) are checked, and only when some argument is undecodable.
"""

from __future__ import annotations

import typer
from typer.core import TyperArgument, TyperGroup

from simulator.errors import UsageError

RAW_ARGS = "callsim.raw_args"  # ctx.meta key: the arguments as given, before parsing


def is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text_arguments(group: TyperGroup, ctx: typer.Context, args: list[str]) -> None:
    """Raise UsageError naming the first text parameter (e.g. --trainee) that is not UTF-8."""
    if all(is_text(arg) for arg in args):
        return
    command, parent, words = group, ctx, list(args)
    while words and isinstance(command, TyperGroup):  # callsim workshop board NAME ...
        found = command.get_command(parent, words[0])
        if found is None:
            return  # the command itself is misspelt: typer says so
        # A second, forgiving parse (no callbacks fail, no help) only to learn which parameter
        # got the value; the real parse follows when the command is invoked.
        parent = found.make_context(words[0], words[1:], parent=parent, resilient_parsing=True)
        command, words = found, words[1:]
        for param in found.get_params(parent):
            values = parent.params.get(param.name)
            values = values if isinstance(values, list | tuple) else [values]
            if any(isinstance(value, str) and not is_text(value) for value in values):
                raise UsageError(f"{_label(param)} is not valid UTF-8 text; type it again "
                                 "(check the terminal's encoding, e.g. LANG=C.UTF-8)")


def _label(param) -> str:
    """--trainee for an option, CALL_ID for an argument (as `--help` shows them)."""
    if isinstance(param, TyperArgument):
        return (param.metavar or param.name.upper()).strip("[].")
    return max(param.opts, key=len)
