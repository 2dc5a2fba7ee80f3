"""Options shared by several commands, and the checks that refuse their bad values before a
call starts.

A value an option takes is named in help by what it is, the same word in every command: FILE,
DIR, NAME, ID, N, MINUTES, DEVICE (simulator/cli/helpwords.py names the rest).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from simulator.errors import UsageError, shorten

DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", metavar="DIR", envvar="CALLSIM_HOME", show_envvar=True,
    help="Where calls are kept (default: the user's data directory).")]
Rubric = Annotated[Path | None, typer.Option(
    "--rubric", metavar="FILE",
    help="A rubric YAML file to score with instead of the shipped one.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Trainee = Annotated[str | None, typer.Option(
    "--trainee", metavar="NAME", help="The trainee's name.")]
SEED_MAX = 2**63 - 1  # --seed: the largest whole number the call store (SQLite) can save
WHOLE_NUMBER = re.compile(r"\s*\+?0*([0-9]+)\s*")


def as_typed(value: str) -> str:
    """A value as the user typed it, fit for a one-line message ('' when it is empty)."""
    return shorten(value.strip()) if value.strip() else "''"


def parse_seed(value: str | int) -> int:
    """--seed is a whole number from 0 to SEED_MAX. Read here rather than by typer, so a bad one
    gets one `callsim:` line (UsageError) instead of typer's usage block."""
    value = str(value)  # a default comes as the number itself
    digits = WHOLE_NUMBER.fullmatch(value)
    if digits and len(digits[1]) <= len(str(SEED_MAX)) and int(digits[1]) <= SEED_MAX:
        return int(digits[1])
    raise UsageError(f"--seed takes a whole number from 0 to {SEED_MAX}, not "
                     f"{as_typed(value)}; e.g. --seed 42 to get the same call again")

# Voice options shared by practice, demo and drill.
Wav = Annotated[list[Path] | None, typer.Option(
    "--wav", metavar="FILE",
    help="Recorded replies to use instead of the microphone (repeatable).")]
NoVoice = Annotated[bool, typer.Option(
    "--no-voice", help="Print the prospect's lines instead of speaking them.")]


def known_engine(value: str | None) -> str | None:
    """--engine names a recognizer there is (refused while the command line is read)."""
    from simulator.voice.recognizers import ENGINES

    if value is not None and value not in ENGINES:
        raise UsageError(f"unknown speech recognizer '{shorten(value)}'; choose one of: "
                         f"{', '.join(ENGINES)}")
    return value


Engine = Annotated[str | None, typer.Option(
    "--engine", metavar="NAME", callback=known_engine,
    help="Speech recognizer: whisper, vosk or pocketsphinx (default: best installed).")]
InputDevice = Annotated[str | None, typer.Option(
    "--input-device", metavar="DEVICE",
    help="Microphone by number or name (see `callsim devices`).")]
OutputDevice = Annotated[str | None, typer.Option(
    "--output-device", metavar="DEVICE",
    help="Speakers by number or name (see `callsim devices`).")]
Workshop = Annotated[str | None, typer.Option("--workshop", hidden=True)]
NoRecord = Annotated[bool, typer.Option(
    "--no-record", help="Do not keep the audio of your spoken replies with the call.")]
END_SILENCE = (0.2, 3.0)  # --end-silence: seconds; shorter cuts words, longer stalls the call


def parse_end_silence(value: str | float) -> float:
    """--end-silence is a pause a conversation can have, in seconds (read here, as --seed)."""
    low, high = END_SILENCE
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not low <= seconds <= high:
        raise UsageError(f"--end-silence takes {low:g} to {high:g} seconds, not "
                         f"{as_typed(str(value))}; e.g. --end-silence 1 to wait longer before the "
                         "prospect answers")
    return seconds


EndSilence = Annotated[float, typer.Option(
    "--end-silence", metavar="SECONDS", parser=parse_end_silence,
    help="The pause that ends a spoken reply after a finished sentence (0.2 to 3); "
         "unfinished words ('and', 'so', 'um') get 0.9 s more.")]
Cue = Annotated[bool, typer.Option(
    "--cue/--no-cue", help="Beep when it is your turn to speak (microphone calls).")]
# Filters for listings (history, progress): exact id or name, workshop ignoring case.
WorkshopFilter = Annotated[str | None, typer.Option(
    "--workshop", metavar="NAME", help="Only calls of this workshop.")]
PersonaFilter = Annotated[str | None, typer.Option(
    "--persona", metavar="ID", help="Only calls with this persona (its id).")]


def check_engine(engine: str | None, data_dir: Path | None) -> None:
    """Refuse an --engine whose model is not installed (MissingModelError, exit 2) before the
    briefing; nothing is loaded here."""
    if engine is None or engine == "pocketsphinx":
        return
    from simulator.models.paths import models_dir
    from simulator.voice.recognizers import available_engine

    available_engine(engine, models_dir(data_dir))


def check_devices(input_device: str | None, output_device: str | None, *, microphone: bool,
                  speakers: bool) -> None:
    """Refuse a --input-device/--output-device that names no device (UnknownDeviceError, exit
    2) before anything of the call is shown; only the devices the call will use are looked up."""
    if not ((microphone and input_device) or (speakers and output_device)):
        return
    from simulator.voice import devices

    devices.refresh()  # PortAudio lists devices once, maybe before a sound server ran
    if microphone and input_device:
        devices.resolve_device(input_device, "input")
    if speakers and output_device:
        devices.resolve_device(output_device, "output")
