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

OUTCOME_LABELS = {"meeting_agreed": "meeting", "callback_agreed": "callback",
                  "opted_out": "opted out", "hung_up": "hung up", "trainee_ended": "ended",
                  "max_turns": "max turns", "interrupted": "interrupted", "error": "error",
                  "unfinished": "unfinished"}  # fmt: skip


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
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Also write the board to this "
                                                  "CSV file.")] = None,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Rank the trainees: best score, calls, best per persona, outcomes."""
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
        _print_board(result)


def _print_board(result) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    table = Table(title=f"{result.workshop} leaderboard", title_style="bold", box=box.HEAVY_HEAD,
                  header_style="bold", padding=(0, 2))  # fmt: skip
    table.add_column("#", justify="right")
    table.add_column("Trainee", style="bold")
    table.add_column("Best", justify="right")
    table.add_column("Calls", justify="right")
    for persona in result.personas:
        table.add_column(persona, justify="right")
    table.add_column("Outcomes")
    for row in result.rows:
        best = "-" if row.best_score is None else str(row.best_score)
        style = ("dim" if row.best_score is None else "bold green" if row.best_score >= 75
                 else "bold yellow" if row.best_score >= 50 else "bold red")  # fmt: skip
        personas = [_score(row.persona_best, p) for p in result.personas]
        outcomes = ", ".join(f"{count} {OUTCOME_LABELS.get(outcome, outcome)}"
                             for outcome, count in row.outcomes.items() if count)  # fmt: skip
        table.add_row("-" if row.rank is None else str(row.rank), row.trainee or "(no name)",
                      Text(best, style=style), str(row.calls), *personas, outcomes)  # fmt: skip
    console.print(table)
    if not result.rows:
        console.print(f"No calls yet in workshop {result.workshop}.")


def _score(persona_best: dict, persona: str) -> str:
    if persona not in persona_best:
        return ""
    value = persona_best[persona]
    return "-" if value is None else str(value)
