"""`callsim export` and `callsim import`: carry calls between laptops in one file."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.options import DataDir

NoAudio = Annotated[bool, typer.Option(
    "--no-audio", help="Leave the recordings of the replies out (the calls' text still goes).")]


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
    no_audio: NoAudio = False,
    data_dir: DataDir = None,
) -> None:
    """Write the saved calls (all, or one workshop's / trainee's), their recordings and the
    personas they used to one portable file."""
    from simulator.storage.calls import CallStore
    from simulator.storage.exchange import export_calls

    with CallStore.open(data_dir) as store:
        count = export_calls(store, path, workshop=workshop, trainee=trainee,
                             audio=not no_audio)
    typer.echo(f"exported {count} calls to {path}")


def import_files(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE", help="Files written by "
                                                "`callsim export`.")],
    no_audio: NoAudio = False,
    data_dir: DataDir = None,
) -> None:
    """Merge exported calls into this laptop's history; importing a file again adds nothing."""
    from simulator.errors import Cancelled, printable
    from simulator.storage.calls import CallStore
    from simulator.storage.exchange import read_export
    from simulator.storage.merge import CANCELLED, import_exports
    from simulator.storage.shared_personas import plan_personas, remove, write_personas

    try:
        exports = [read_export(path, audio=not no_audio) for path in paths]  # all checked
        store = CallStore.open(data_dir)
    except KeyboardInterrupt:
        raise Cancelled(CANCELLED) from None
    with store:
        carried = {(persona, str(export.path)): None for export in exports
                   for persona in export.personas}  # each persona once, in file order
        placements = plan_personas(carried, store.path.parent)
        written = write_personas(placements)
        try:
            with _ctrl_c_noted() as ctrl_c:
                reports = import_exports(store, exports, cancelled=ctrl_c.is_set,
                                         audio=not no_audio)
        except BaseException:
            remove(written)  # nothing was imported: the personas neither
            raise
    for export in exports:  # on stderr, before the summaries that count them
        for clip in export.damaged:
            typer.echo(f"callsim: {printable(clip.warning(export.path))}", err=True)
    for report in reports:
        typer.echo(report.summary())
        if report.completed:
            typer.echo(f"  {report.completed} of them finished calls saved here unfinished")
        for old, new in report.rekeyed:
            typer.echo(f"  call {old} differs from the call saved here with that id; "
                       f"kept as {new}")  # fmt: skip
        if report.recordings:
            typer.echo(f"  with {report.recordings} recorded "
                       f"repl{'y' if report.recordings == 1 else 'ies'}")
        if report.damaged:
            typer.echo(f"  {report.damaged} damaged recording{'' if report.damaged == 1 else 's'}"
                       " left out (the warnings above name them)")
    for placement in placements:
        typer.echo(placement.describe())


@contextlib.contextmanager
def _ctrl_c_noted() -> Iterator[threading.Event]:
    """Within, Ctrl-C only sets the event: the merge stops between calls and rolls back, so it
    is never cut inside a write or after its commit (where "nothing was imported" would lie)."""
    noted = threading.Event()
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: noted.set())
    except ValueError:  # not the main thread, where Ctrl-C is not delivered anyway
        yield noted
        return
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)
