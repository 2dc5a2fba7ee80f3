"""`callsim export` and `callsim import`: carry calls between laptops in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.options import DataDir


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_files)


def export(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The file to write, e.g. "
                                         "laptop2.callsim.")],
    workshop: Annotated[str | None, typer.Option("--workshop", help="Only this workshop's "
                                                 "calls.")] = None,
    trainee: Annotated[str | None, typer.Option("--trainee", help="Only this trainee's calls.")
                       ] = None,
    data_dir: DataDir = None,
) -> None:
    """Write the saved calls (all, or one workshop's / trainee's) to one portable file."""
    from simulator.storage.calls import CallStore
    from simulator.storage.exchange import export_calls

    with CallStore.open(data_dir) as store:
        count = export_calls(store, path, workshop=workshop, trainee=trainee)
    typer.echo(f"exported {count} calls to {path}")


def import_files(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE", help="Files written by "
                                                "`callsim export`.")],
    data_dir: DataDir = None,
) -> None:
    """Merge exported calls into this laptop's history; importing a file again adds nothing."""
    from simulator.storage.calls import CallStore
    from simulator.storage.exchange import read_export
    from simulator.storage.merge import import_exports

    exports = [read_export(path) for path in paths]  # every file checked before any is merged
    with CallStore.open(data_dir) as store:
        reports = import_exports(store, exports)
    for report in reports:
        typer.echo(report.summary())
        if report.completed:
            typer.echo(f"  {report.completed} of them finished calls saved here unfinished")
        for old, new in report.rekeyed:
            typer.echo(f"  call {old} differs from the call saved here with that id; "
                       f"kept as {new}")  # fmt: skip
