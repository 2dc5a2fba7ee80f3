"""`callsim play`: listen again to the replies recorded in a saved call."""

from __future__ import annotations

from typing import Annotated

import typer

from simulator.cli.options import DataDir, OutputDevice


def register(app: typer.Typer) -> None:
    app.command("play")(play)


def play(
    call_id: Annotated[str, typer.Argument(metavar="CALL_ID", help="An id or its prefix.")],
    reply: Annotated[int | None, typer.Option(
        "--turn", metavar="N", min=1, help="Only your Nth reply (1 is your first).")] = None,
    output_device: OutputDevice = None,
    data_dir: DataDir = None,
) -> None:
    """Play your recorded replies in a saved call through the speakers, one after another."""
    from simulator.storage.calls import CallStore
    from simulator.storage.recordings import recorded_replies
    from simulator.voice.playback import SoundDeviceSink

    with CallStore.open(data_dir) as store:
        clips = recorded_replies(store, call_id, reply)
    sink = SoundDeviceSink(output_device)  # no speakers: one line before anything is printed
    for clip in clips:
        typer.echo(f"Reply {clip.number} ({clip.audio.seconds:.1f} s): {clip.text}")
        sink.play(clip.audio)
