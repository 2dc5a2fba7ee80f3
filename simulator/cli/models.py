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
    help="Speech models for recognizing your replies (Whisper and Vosk; PocketSphinx is built "
         "in).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


@models_app.command("list")
def list_models(data_dir: DataDir = None) -> None:
    """Show installed models, their size and kind, which one a call will use, and what can be
    downloaded."""
    from simulator.models.paths import install_dir, models_dir
    from simulator.models.registry import CATALOG, all_installed
    from simulator.voice.recognizers import available_engine, whisper_installed

    folder = models_dir(data_dir)
    installed = all_installed(folder)
    typer.echo(f"Models folder: {folder}")
    if folder != install_dir(data_dir):  # models installed in the checkout by an older version
        typer.echo(f"New models go to: {install_dir(data_dir)}")
    if installed:
        for model in installed:
            bundled = "  (bundled)" if model.bundled else ""
            typer.echo(f"  {model.name}  {_size(model.size)}  {model.kind}  "
                       f"{model.language or '?'}{bundled}")
    else:
        typer.echo("  (no models installed)")
    if any(m.kind == "whisper" for m in installed) and not whisper_installed():
        typer.echo("  Whisper models need faster-whisper, which is not installed: "
                   ".venv/bin/pip install faster-whisper (or: bash setup.sh install)")
    choice = available_engine(None, folder)
    if choice.engine == "pocketsphinx":
        typer.echo("Recognizer: pocketsphinx (built in)")
        typer.echo(f"  {choice.notice}")
    else:
        typer.echo(f"Recognizer: {choice.engine} ({choice.name})")
    names = {m.name for m in installed}
    missing = [m for m in CATALOG.values()
               if m.name not in names and not (folder / m.name).exists()]
    if missing:
        typer.echo("Available to download:")
        for known in missing:
            typer.echo(f"  {known.name}  {known.about}")


@models_app.command("download")
def download(
    name: str = typer.Argument(DEFAULT_MODEL, help="Model to fetch: a Vosk model (from the Vosk "
                               "model site) or whisper-base.en / whisper-small.en (from Hugging "
                               "Face); see `callsim models list`."),
    data_dir: DataDir = None,
) -> None:
    """Download a model (resumes an interrupted download), verify and install it."""
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
                                "folder (Vosk, or a Whisper CTranslate2 conversion)."),
    name: str = typer.Option(None, "--name", help="Install under this name (default: from the "
                             "zip's folder or the folder's name; a Whisper model's name starts "
                             "with whisper-)."),
    data_dir: DataDir = None,
) -> None:
    """Install a model from a zip, a tar or a folder, e.g. from a USB stick (no network needed).

    A Vosk model folder holds am/, conf/ and graph/; a Whisper one (faster-whisper's CTranslate2
    format) holds model.bin, config.json and tokenizer.json or vocabulary.txt.
    """
    from simulator.models.install import install as install_model
    from simulator.models.paths import install_dir

    model = install_model(source, install_dir(data_dir), name)
    typer.echo(f"Installed {model.name} ({_size(model.size)}) in {model.path.parent}.")


@models_app.command("remove")
def remove(name: str = typer.Argument(..., help="Name shown by `callsim models list`."),
           data_dir: DataDir = None) -> None:
    """Delete an installed model (Vosk or Whisper; not the bundled whisper-tiny.en)."""
    from simulator.models.install import remove as remove_model
    from simulator.models.paths import models_dir

    model = remove_model(name, models_dir(data_dir))
    typer.echo(f"Removed {model.name} from {model.path.parent}.")
