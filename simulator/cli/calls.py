"""`callsim history` and `callsim show`: the saved calls."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from simulator.cli.options import DataDir, Json, Rubric, Trainee


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("show")(show)


def history(trainee: Trainee = None, as_json: Json = False, data_dir: DataDir = None,
            limit: Annotated[int | None, typer.Option(
                "--limit", min=1, help="Show only the newest N calls.")] = None) -> None:
    """List saved calls, newest first."""
    from simulator.storage.calls import CallStore

    with CallStore.open(data_dir) as store:
        calls = store.list_calls(trainee=trainee, limit=limit)
    if as_json:
        typer.echo(json.dumps([asdict(call) for call in calls], ensure_ascii=False))
        return
    if not calls:
        typer.echo("No calls saved yet. Start one: callsim practice --persona covered-carl --text")
        return
    from rich.console import Console
    from rich.table import Column, Table

    table = Table(Column("call", no_wrap=True), "started", "trainee", "persona", "outcome",
                  "score", "turns")
    for call in calls:
        table.add_row(call.call_id, call.started_at.replace("T", " ")[:19], call.trainee or "-",
                      call.persona, call.outcome or "unfinished",
                      "-" if call.score is None else str(call.score), str(call.turns))
    Console().print(table)


def show(call_id: Annotated[str, typer.Argument(metavar="CALL_ID", help="An id or its prefix.")],
         as_json: Json = False, data_dir: DataDir = None, rubric_path: Rubric = None) -> None:
    """Print a saved call's transcript and scorecard again."""
    from simulator.storage.calls import CallStore

    with CallStore.open(data_dir) as store:
        record = store.get_call(call_id)
    if as_json:
        typer.echo(json.dumps(record.to_json(), ensure_ascii=False))
        return
    from rich.console import Console

    from simulator.cli.render import print_call
    from simulator.scoring.rubric import load_rubric

    print_call(Console(), record.to_json(), load_rubric(rubric_path, data_dir))
