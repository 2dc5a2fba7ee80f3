"""`callsim devices`: the audio inputs and outputs voice mode can use."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("devices")
    def devices_command() -> None:
        """List audio devices (number, channels, default rate) for --input/--output-device."""
        from simulator.errors import AudioError
        from simulator.voice.devices import format_devices, list_devices

        found = list_devices()
        if not found:
            raise AudioError(
                "no audio devices found: connect a microphone and speakers (or start a sound "
                "server), then run `callsim devices` again"
            )
        typer.echo(format_devices(found))
