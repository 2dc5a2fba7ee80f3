"""`callsim progress`: how a trainee's calls went over time."""

from __future__ import annotations

import json

import typer

from simulator.cli.options import DataDir, Json, Rubric, Trainee


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)


def progress(trainee: Trainee = None, as_json: Json = False, data_dir: DataDir = None,
             rubric_path: Rubric = None) -> None:
    """Pass rate per check, outcomes per persona and delivery over the saved calls."""
    from simulator.progress import load_progress
    from simulator.storage.calls import CallStore

    with CallStore.open(data_dir) as store:
        result = load_progress(store, trainee)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    if not result.calls:
        typer.echo("No calls saved yet. Start one: callsim practice --persona covered-carl --text")
        return
    from simulator.progress.text import render
    from simulator.scoring.rubric import load_rubric

    titles = {check: spec.title for check, spec in load_rubric(rubric_path).checks.items()}
    typer.echo(render(result, titles))
