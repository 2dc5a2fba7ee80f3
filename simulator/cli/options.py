"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", envvar="CALLSIM_HOME", show_envvar=True,
    help="Where calls are kept (default: the user's data directory).")]
Rubric = Annotated[Path | None, typer.Option(
    "--rubric", help="A rubric YAML file to score with instead of the shipped one.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Trainee = Annotated[str | None, typer.Option("--trainee", help="The trainee's name.")]
SEED_MAX = 2**63 - 1  # --seed: the largest whole number the call store (SQLite) can save

# Voice options shared by practice, demo and drill.
Wav = Annotated[list[Path] | None, typer.Option(
    "--wav", help="Recorded replies to use instead of the microphone (repeatable).")]
NoVoice = Annotated[bool, typer.Option(
    "--no-voice", help="Print the prospect's lines instead of speaking them.")]
Engine = Annotated[str | None, typer.Option(
    "--engine", help="Speech recognizer: vosk or pocketsphinx (default: best installed).")]
InputDevice = Annotated[str | None, typer.Option(
    "--input-device", help="Microphone by number or name (see `callsim devices`).")]
OutputDevice = Annotated[str | None, typer.Option(
    "--output-device", help="Speakers by number or name (see `callsim devices`).")]
Workshop = Annotated[str | None, typer.Option("--workshop", hidden=True)]
