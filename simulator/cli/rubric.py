"""`callsim rubric ...`: show the rubric in use, validate a trainer's copy, start one from the
shipped rubric."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.options import Json, Rubric

rubric_app = typer.Typer(
    help="The rubric: what the scorer listens for, check weights and the advice trainees read.",
    no_args_is_help=True,
)

RubricDataDir = Annotated[Path | None, typer.Option(
    "--data-dir", envvar="CALLSIM_HOME", show_envvar=True,
    help="The data directory whose rubric.yaml is used when there is one.")]

ORIGINS = {
    "given": "given with --rubric",
    "CALLSIM_RUBRIC": "named by CALLSIM_RUBRIC",
    "data dir": "the trainer's rubric in the data directory",
    "shipped": "the shipped default; start your own with 'callsim rubric init'",
}


def register(app: typer.Typer) -> None:
    app.add_typer(rubric_app, name="rubric")


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


@rubric_app.command("show")
def show(rubric_path: Rubric = None, as_json: Json = False, data_dir: RubricDataDir = None
         ) -> None:
    """Show which rubric is in use, each check's weight and share, and its advice."""
    from simulator.scoring.rubric import find_rubric, load_rubric_file

    choice = find_rubric(rubric_path, data_dir)
    rubric = load_rubric_file(choice)
    if as_json:
        typer.echo(json.dumps(rubric.model_dump(mode="json", by_alias=True), indent=2,
                              ensure_ascii=False))
        return
    total = rubric.total_weight
    typer.echo(f"rubric: {choice.path} ({ORIGINS[choice.origin]})")
    typer.echo(f"checks: {len(rubric.checks)}, total weight {_number(total)} "
               "(a check's share is of a call where every check applies)")
    for check_id, check in rubric.checks.items():
        typer.echo(f"\n{check_id}: {check.title}")
        typer.echo(f"  weight {_number(check.weight)} "
                   f"({_number(100 * check.weight / total)}% of the score)")
        advice = check.advice
        for verdict, text in (("pass", advice.pass_), ("fail", advice.fail), ("n/a", advice.na)):
            typer.echo(f"  {verdict}: {text}")


@rubric_app.command("validate")
def validate(
    path: Annotated[Path | None, typer.Argument(
        help="The rubric file to check (default: the rubric in use).")] = None,
    data_dir: RubricDataDir = None,
) -> None:
    """Check a rubric file: every problem as path:line:column: message."""
    from simulator.scoring.rubric import find_rubric, load_rubric_file

    choice = find_rubric(path, data_dir)
    load_rubric_file(choice)
    typer.echo(f"rubric OK: {choice.path}")


@rubric_app.command("init")
def init(
    path: Annotated[Path | None, typer.Argument(
        help="Where to write the copy (default: rubric.yaml in the data directory).")] = None,
    data_dir: RubricDataDir = None,
) -> None:
    """Copy the shipped rubric to PATH for a trainer to edit; never overwrites a file."""
    from simulator.errors import StorageError, UsageError
    from simulator.scoring.rubric import DEFAULT_RUBRIC, RUBRIC_FILENAME
    from simulator.storage.paths import resolve_data_dir

    target = path if path is not None else resolve_data_dir(data_dir) / RUBRIC_FILENAME
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder {target.parent} ({exc.strerror}): give a "
                           "PATH in a writable directory") from None
    try:
        with target.open("xb") as out:
            out.write(DEFAULT_RUBRIC.read_bytes())
    except FileExistsError:
        raise UsageError(f"{target} already exists: edit it, or give another PATH "
                         "(init never overwrites a file)") from None
    except OSError as exc:
        raise StorageError(f"cannot write {target} ({exc.strerror}): give a PATH in a writable "
                           "directory") from None
    typer.echo(f"created {target}")
    if path is None:
        typer.echo("callsim scores with it whenever no --rubric or CALLSIM_RUBRIC is given; "
                   "edit the weights and advice, then run 'callsim rubric validate'")
    else:
        typer.echo(f"edit it, check it with 'callsim rubric validate {target}', then use it with "
                   f"--rubric {target} or CALLSIM_RUBRIC={target}")
