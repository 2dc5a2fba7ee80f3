"""`callsim history` and `callsim show`: the saved calls."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from simulator.cli.options import DataDir, Json, PersonaFilter, Rubric, Trainee, WorkshopFilter

TABLE_LIMIT = 50


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("show")(show)


def history(trainee: Trainee = None, workshop: WorkshopFilter = None,
            persona: PersonaFilter = None, as_json: Json = False, data_dir: DataDir = None,
            limit: Annotated[int | None, typer.Option(
                "--limit", min=1, help="Show the newest N calls (default: 50 in the table, "
                "all with --json).")] = None,
            show_all: Annotated[bool, typer.Option("--all", help="Show every call.")] = False,
            ) -> None:
    """List saved calls, newest first.

    Calls left out of progress (demo calls, calls without a reply, unfinished calls) are marked.
    """
    from simulator.errors import nothing_found
    from simulator.storage.calls import CallStore

    if limit is None and not as_json and not show_all:
        limit = TABLE_LIMIT
    with CallStore.open(data_dir) as store:
        calls = store.list_calls(trainee, workshop, persona, limit=None if show_all else limit)
        total = (len(calls) if show_all or as_json
                 else store.count_calls(trainee, workshop, persona))
    if as_json:
        typer.echo(json.dumps([{**asdict(call), "counted": call.not_counted is None}
                               for call in calls], ensure_ascii=False))
    if not calls:
        raise nothing_found(trainee, workshop, persona)
    if as_json:
        return
    # Plain aligned columns: a rich table of thousands of rows takes seconds to lay out.
    rows = [("call", "started (UTC)", "trainee", "persona", "outcome", "score", "turns", "")]
    rows += [(c.call_id, c.started_at.replace("T", " ")[:19], c.trainee or "-", c.persona,
              c.outcome or "unfinished", "-" if c.score is None else str(c.score), str(c.turns),
              "" if c.not_counted is None else f"not counted: {c.not_counted}")
             for c in calls]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    if total > len(calls):
        lines.append(f"(newest {len(calls)} of {total} calls; --limit N or --all for more)")
    if any(c.not_counted for c in calls):
        lines.append("(calls marked 'not counted' are left out of progress, trends and boards)")
    typer.echo("\n".join(lines))


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
