"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", envvar="CALLSIM_HOME", show_envvar=True,
    help="Where calls are kept (default: the user's data directory).")]
Rubric = Annotated[Path | None, typer.Option(
    "--rubric", help="A rubric YAML file to score with instead of the shipped one.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Trainee = Annotated[str | None, typer.Option("--trainee", help="The trainee's name.")]
