"""`callsim report`: a shareable, self-contained HTML page of a call, a trainee or a workshop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.options import DataDir, Rubric, Trainee
from simulator.errors import UsageError

WorkshopReport = Annotated[str | None, typer.Option(
    "--workshop", metavar="NAME", help="A workshop: leaderboard, most improved, checks by "
    "trainee, outcomes per persona.")]


NoAudio = Annotated[bool, typer.Option(
    "--no-audio", help="No audio players for the recorded replies: a smaller file.")]


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    call_id: Annotated[str | None, typer.Argument(
        metavar="[CALL_ID]", help="A call id or its prefix (or use --trainee).")] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help="The HTML file to write (replaced if it exists); "
        "without it the report is printed as text.")] = None,
    trainee: Trainee = None,
    workshop: WorkshopReport = None,
    no_audio: NoAudio = False,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
) -> None:
    """Write one HTML file (works offline, no scripts) for a call, a trainee or a workshop.

    Without --html the same report is printed as text: the call's transcript and scorecard (as
    `show`), the trainee's progress (as `progress`), or the workshop's board (as `workshop board`).
    """
    if sum(given is not None for given in (call_id, trainee, workshop)) != 1:
        raise UsageError("give a CALL_ID, --trainee NAME or --workshop NAME (one of them)")
    from simulator.scoring.rubric import load_rubric

    rubric = load_rubric(rubric_path)
    if html is None:
        from simulator.cli.report_text import print_report

        print_report(rubric, data_dir, call_id, trainee, workshop)
        return
    from simulator.report import call_report, trainee_report, workshop_report, write_html
    from simulator.storage.calls import CallStore

    with CallStore.open(data_dir) as store:
        if call_id is not None:
            text = call_report(store, call_id, rubric, audio=not no_audio)
        elif trainee is not None:
            text = trainee_report(store, trainee, rubric, audio=not no_audio)
        else:
            text = workshop_report(store, workshop, rubric)
    typer.echo(f"Wrote {write_html(html, text)}")
