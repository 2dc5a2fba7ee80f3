"""Arguments refused by name before any command runs: text that is not valid UTF-8, and paths
too long for the file system.

Python hands undecodable argument bytes over as lone surrogates ("surrogateescape"); a name
holding one could be neither saved nor printed. File paths may hold any bytes, so only text
parameters (names, ids, replies) are checked for that. Every path parameter (--data-dir, a
file to read or write) is checked for length, so no command meets "File name too long" later.
Both checks need a second parse, done only when some argument is undecodable or long.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import PurePath

import typer
from typer.core import TyperArgument, TyperGroup

from simulator.errors import UsageError
from simulator.storage.paths import NAME_MAX, check_path_length

RAW_ARGS = "callsim.raw_args"  # ctx.meta key: the arguments as given, before parsing


def is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_arguments(group: TyperGroup, ctx: typer.Context, args: list[str]) -> None:
    """Raise UsageError naming the first text parameter (e.g. --trainee) that is not UTF-8, or
    the first path too long for the file system."""
    if all(is_text(arg) and len(os.fsencode(arg)) <= NAME_MAX for arg in args):
        return
    for param, values in _parsed_values(group, ctx, args):
        for value in values:
            if isinstance(value, str) and not is_text(value):
                raise UsageError(f"{param_label(param)} is not valid UTF-8 text; type it again "
                                 "(check the terminal's encoding, e.g. LANG=C.UTF-8)")
            if isinstance(value, PurePath):
                check_path_length(value)


def _parsed_values(group: TyperGroup, ctx: typer.Context, args: list[str]
                   ) -> Iterator[tuple[object, list]]:
    """(parameter, its values) of each command on the way to the one invoked."""
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
            yield param, list(values) if isinstance(values, list | tuple) else [values]


def param_label(param) -> str:
    """--trainee for an option, CALL_ID for an argument (as `--help` shows them)."""
    if isinstance(param, TyperArgument):
        return (param.metavar or param.name.upper()).strip("[].")
    return max(param.opts, key=len)
