"""`callsim workshop start|end|list|board`: a trainer's session and its leaderboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.options import DataDir, Json

workshop_app = typer.Typer(
    help="Workshops: tag a group's calls while one is open, and rank the trainees.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(workshop_app, name="workshop")


@workshop_app.command("start")
def start(name: Annotated[str, typer.Argument(metavar="NAME", help="e.g. lisbon-2025-03")],
          data_dir: DataDir = None) -> None:  # fmt: skip
    """Open a workshop; until it ends, calls here are tagged with it and need --trainee."""
    from simulator.storage.calls import CallStore
    from simulator.storage.workshops import shown_time, start_workshop

    with CallStore.open(data_dir) as store:
        workshop, reopened = start_workshop(store, name)
    if reopened:
        typer.echo(f"workshop {workshop.name} is open again (first started "
                   f"{shown_time(workshop.started_at)})")  # fmt: skip
    else:
        typer.echo(f"workshop {workshop.name} is open; each trainee practises with "
                   "--trainee NAME")  # fmt: skip


@workshop_app.command("end")
def end(name: Annotated[str | None, typer.Argument(
            metavar="NAME", help="The open workshop (checked if given).")] = None,
        data_dir: DataDir = None) -> None:  # fmt: skip
    """Close the open workshop."""
    from simulator.storage.calls import CallStore
    from simulator.storage.workshops import end_workshop

    with CallStore.open(data_dir) as store:
        workshop = end_workshop(store, name)
    typer.echo(f"workshop {workshop.name} ended: {workshop.calls} calls by "
               f"{workshop.trainees} trainees")  # fmt: skip


@workshop_app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None) -> None:
    """List workshops, newest first."""
    from simulator.storage.calls import CallStore
    from simulator.storage.workshops import list_workshops, shown_time

    with CallStore.open(data_dir) as store:
        workshops = list_workshops(store)
    if as_json:
        typer.echo(json.dumps([w.to_json() for w in workshops], ensure_ascii=False))
        return
    if not workshops:
        typer.echo("No workshops yet. Start one: callsim workshop start NAME")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("workshop", "started", "ended", "calls", "trainees")
    for w in workshops:
        ended = "open" if w.ended_at is None else shown_time(w.ended_at)
        table.add_row(w.name, shown_time(w.started_at), ended, str(w.calls), str(w.trainees))
    Console(highlight=False).print(table)


@workshop_app.command("board")
def board(
    name: Annotated[str | None, typer.Argument(
        metavar="NAME", help="The workshop (default: the open one).")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Also show the best score per persona "
                                       "and the outcomes.")] = False,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Also write the board to this "
                                                  "CSV file.")] = None,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Rank the trainees by latest score, then improvement, then best score."""
    from simulator.errors import InputError
    from simulator.storage.board import workshop_board
    from simulator.storage.calls import CallStore

    with CallStore.open(data_dir) as store:
        if name is None:
            name = store.active_workshop()
            if name is None:
                raise InputError("no workshop is open; name one: callsim workshop board NAME")
        result = workshop_board(store, name)
    if csv_path is not None:
        from simulator.storage.files import write_atomically

        text = result.csv_text().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8
        write_atomically(csv_path, lambda out: out.write(text))
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    elif csv_path is not None:
        typer.echo(f"wrote the board of {len(result.rows)} trainees to {csv_path}")
    else:
        from rich.console import Console

        from simulator.cli.board_table import print_board

        print_board(result, Console(highlight=False), wide=wide)
