"""`--personas DIR` and the persona search path of one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

PersonaFolders = Annotated[list[Path] | None, typer.Option(
    "--personas", metavar="DIR", show_default=False,
    help="Also look for personas in this folder, before the others (repeatable).")]


def use_personas(ctx: typer.Context, folders: list[Path] | None,
                 data_dir: Path | None = None) -> None:
    """Make `--personas` and `--data-dir` part of the search path for the rest of the command,
    and refuse a --personas folder that does not exist (before anything else happens)."""
    from simulator.dialog.loader import SEARCH_OPTIONS, SearchOptions, search_path

    options = SearchOptions(tuple(folders or ()), data_dir)
    token = SEARCH_OPTIONS.set(options)
    # CliRunner runs many commands in one thread: the next one must not inherit these folders.
    ctx.call_on_close(lambda: SEARCH_OPTIONS.reset(token))
    search_path(options)
