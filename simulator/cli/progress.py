"""`callsim progress`: how a trainee's calls went over time."""

from __future__ import annotations

import json

import typer

from simulator.cli.options import DataDir, Json, PersonaFilter, Rubric, Trainee, WorkshopFilter


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)


def progress(trainee: Trainee = None, workshop: WorkshopFilter = None,
             persona: PersonaFilter = None, as_json: Json = False, data_dir: DataDir = None,
             rubric_path: Rubric = None) -> None:
    """Pass rate per check, outcomes per persona and delivery over the saved calls.

    Demo calls and calls without a reply are left out (history lists them, marked).
    """
    from simulator.progress import load_progress, no_progress
    from simulator.storage.calls import CallStore

    with CallStore.open(data_dir) as store:
        result = load_progress(store, trainee, workshop, persona, required=False)
        missing = None if result.calls else no_progress(store, trainee, workshop, persona)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    if missing is not None:
        raise missing
    if as_json:
        return
    from simulator.progress.text import render
    from simulator.scoring.rubric import load_rubric

    titles = {check: spec.title for check, spec in load_rubric(rubric_path).checks.items()}
    typer.echo(render(result, titles))
