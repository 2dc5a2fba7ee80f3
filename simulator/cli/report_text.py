"""`callsim report` without --html: the report's text form, as the terminal commands print it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from simulator.scoring.rubric import Rubric
from simulator.storage.calls import CallStore


def print_report(rubric: Rubric, data_dir: Path | None, call_id: str | None,
                 trainee: str | None, workshop: str | None) -> None:
    """Print the call (as `show`), the trainee's progress (as `progress`) or the board."""
    with CallStore.open(data_dir) as store:
        if call_id is not None:
            from simulator.cli.render import print_call

            print_call(Console(), store.get_call(call_id).to_json(), rubric)
        elif trainee is not None:
            from simulator.progress import load_progress
            from simulator.progress.text import render

            titles = {check: spec.title for check, spec in rubric.checks.items()}
            typer.echo(render(load_progress(store, trainee), titles))
        else:
            from simulator.errors import nothing_found
            from simulator.storage.board import workshop_board

            board = workshop_board(store, workshop)
            if not board.rows:
                raise nothing_found(workshop=workshop, counted=True)
            from simulator.cli.board_table import print_board

            print_board(board, Console(highlight=False))
