"""`callsim forget --trainee NAME`: delete a trainee's calls, drills and recordings for good."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from simulator.cli.options import DataDir


def register(app: typer.Typer) -> None:
    app.command("forget")(forget)


def forget(
    trainee: Annotated[str, typer.Option("--trainee", metavar="NAME", help="The trainee to "
                                         "forget (any letter case).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete a trainee's calls, drills and recordings for good, after asking you to confirm."""
    from simulator.errors import NotConfirmedError, nothing_found, shorten
    from simulator.storage.calls import CallStore
    from simulator.storage.forget import forget_trainee, trainee_data

    name = shorten(trainee)
    with CallStore.open(data_dir) as store:
        found = trainee_data(store, trainee)
        if found.calls == 0:
            raise nothing_found(trainee=trainee)
        if not yes:
            if not interactive():
                raise NotConfirmedError(f"forgetting trainee '{name}' deletes "
                                        f"{found.describe()} for good; add --yes to confirm")
            if not typer.confirm(f"Delete {found.describe()} of trainee '{name}' for good?"):
                typer.echo("Nothing was deleted.")
                raise typer.Exit(1)
        deleted = forget_trainee(store, trainee)
    typer.echo(f"Forgot trainee '{name}': deleted {deleted.describe()}.")


def interactive() -> bool:
    """Whether a person can answer the question (a terminal, not a pipe or a script)."""
    return sys.stdin.isatty()
