"""`callsim report`: a shareable, self-contained HTML page of a call or a trainee's progress."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.options import DataDir, Rubric, Trainee
from simulator.errors import UsageError


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    call_id: Annotated[str | None, typer.Argument(
        metavar="[CALL_ID]", help="A call id or its prefix (or use --trainee).")] = None,
    html: Annotated[Path, typer.Option(
        "--html", metavar="FILE", help="The HTML file to write (replaced if it exists).")] = ...,
    trainee: Trainee = None,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
) -> None:
    """Write one HTML file (works offline, no scripts) for a call or for a trainee's calls."""
    if (call_id is None) == (trainee is None):
        raise UsageError("give a CALL_ID or --trainee NAME (one of them) with --html FILE")
    from simulator.report import call_report, trainee_report, write_html
    from simulator.scoring.rubric import load_rubric
    from simulator.storage.calls import CallStore

    rubric = load_rubric(rubric_path)
    with CallStore.open(data_dir) as store:
        if call_id is not None:
            text = call_report(store, call_id, rubric)
        else:
            text = trainee_report(store, trainee, rubric)
    typer.echo(f"Wrote {write_html(html, text)}")
