"""`callsim models ...`: list, download, install and remove speech models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.models.registry import DEFAULT_MODEL

DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", metavar="DIR", envvar="CALLSIM_HOME", show_envvar=True,
    help="The data directory whose models/ folder holds the models (CALLSIM_MODELS overrides "
         "it).")]

models_app = typer.Typer(
    help="Speech models for recognizing your replies (Vosk; PocketSphinx is built in).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


@models_app.command("list")
def list_models(data_dir: DataDir = None) -> None:
    """Show installed models, their size, and which recognizer a call will use."""
    from simulator.models.paths import install_dir, models_dir
    from simulator.models.registry import CATALOG, installed_models
    from simulator.voice.recognizers import available_engine

    folder = models_dir(data_dir)
    installed = installed_models(folder)
    typer.echo(f"Models folder: {folder}")
    if folder != install_dir(data_dir):  # models installed in the checkout by an older version
        typer.echo(f"New models go to: {install_dir(data_dir)}")
    if installed:
        for model in installed:
            typer.echo(f"  {model.name}  {_size(model.size)}  {model.language or '?'}")
    else:
        typer.echo("  (no models installed)")
    choice = available_engine(None, folder)
    if choice.engine == "vosk":
        typer.echo(f"Recognizer: vosk ({choice.model.name})")
    else:
        typer.echo("Recognizer: pocketsphinx (built in)")
        typer.echo(f"  {choice.notice}")
    missing = [m for m in CATALOG.values() if not (folder / m.name).exists()]
    if missing:
        typer.echo("Available to download:")
        for known in missing:
            typer.echo(f"  {known.name}  {known.about}")


@models_app.command("download")
def download(
    name: str = typer.Argument(DEFAULT_MODEL, help="Model to fetch from the Vosk model site."),
    data_dir: DataDir = None,
) -> None:
    """Download a Vosk model (resumes an interrupted download), verify and install it."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    from simulator.models.download import download_model
    from simulator.models.paths import install_dir

    folder = install_dir(data_dir)
    console = Console(stderr=True)
    if not console.is_terminal:  # no bar in logs and pipes
        result = download_model(name, folder)
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                   TransferSpeedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(name, total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            result = download_model(name, folder, progress=progress)
    typer.echo(f"Installed {result.model.name} ({_size(result.model.size)}) in "
               f"{result.model.path.parent}; {result.checked}.")


@models_app.command("install")
def install(
    source: Path = typer.Argument(..., help="A model .zip or .tar.gz, or an unpacked model "
                                "folder."),
    name: str = typer.Option(None, "--name", help="Install under this name (default: from the "
                             "zip's folder or the folder's name)."),
    data_dir: DataDir = None,
) -> None:
    """Install a model from a zip, a tar or a folder, e.g. from a USB stick (no network needed)."""
    from simulator.models.install import install as install_model
    from simulator.models.paths import install_dir

    model = install_model(source, install_dir(data_dir), name)
    typer.echo(f"Installed {model.name} ({_size(model.size)}) in {model.path.parent}.")


@models_app.command("remove")
def remove(name: str = typer.Argument(..., help="Name shown by `callsim models list`."),
           data_dir: DataDir = None) -> None:
    """Delete an installed model."""
    from simulator.models.install import remove as remove_model
    from simulator.models.paths import models_dir

    model = remove_model(name, models_dir(data_dir))
    typer.echo(f"Removed {model.name} from {model.path.parent}.")
