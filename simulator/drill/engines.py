"""The drill's engines: typed or spoken replies, and a prospect saying each objection in the
voice and under the name of the persona it belongs to. Built from the practice call's pieces."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from simulator.drill.bank import Objection
from simulator.session.engines import Audio, VoiceSettings
from simulator.session.text_io import PrintedProspect, typed_replies


class DrillProspect:
    """ProspectOutput: prints each objection under its persona's name; speaks it if it can."""

    def __init__(self, console, bank: Sequence[Objection], spoken=None):
        self.console = console
        self.names = {objection.text: objection.persona_name for objection in bank}
        self.spoken = spoken

    def say(self, text: str, voice: VoiceSettings) -> None:
        PrintedProspect(self.console, self.names.get(text, "Prospect")).say(text, voice)
        if self.spoken is not None:
            self.spoken.say(text, voice)


def typed_engines(console, bank: Sequence[Objection], stream: BinaryIO, interactive: bool,
                  editing: bool = False):
    """(TraineeInput, ProspectOutput) for --text: one typed or piped reply per line.

    `editing` (stdin and stdout both terminals, where input() edits lines): readline's line
    editing, Up recalling the replies of this drill, as `practice --text`."""
    if interactive:
        console.print("Type one reply per objection; Ctrl-D or Ctrl-C ends the drill.",
                      style="dim")
    return typed_replies(console, stream, interactive, editing), DrillProspect(console, bank)


def _spoken(console, bank: Sequence[Objection], no_voice: bool, output_device: str | None,
            source=None):
    from simulator.session.voice_call import output_available, prepare_speech

    if not no_voice and not output_available(output_device):
        console.print("No audio output device: the prospect's lines are printed instead.",
                      style="yellow")
        no_voice = True
    if no_voice:
        return None
    from simulator.voice.playback import SoundDeviceSink, SpokenProspect

    cache = prepare_speech(console, [(objection.text, objection.voice) for objection in bank])
    return SpokenProspect(cache, SoundDeviceSink(output_device), source)


def voice_engines(console, bank: Sequence[Objection], wav: list[Audio] | None, no_voice: bool,
                  engine: str | None, input_device: str | None, output_device: str | None,
                  end_silence: float = 0.6, cue: bool = True, data_dir=None):
    """(TraineeInput, ProspectOutput) for spoken replies: recorded (`read_replies`) or from the
    microphone (see session.voice_setup.voice_engines for `end_silence` and `cue`)."""
    from simulator.session.voice_call import SpokenReplies, repeat, wav_sources
    from simulator.session.voice_setup import (
        live_settings,
        recognizer_for,
        scan_devices,
        your_turn,
    )

    recognizer = recognizer_for(console, engine, data_dir=data_dir)
    scan_devices()
    if wav:
        sources = wav_sources(wav)
        spoken = _spoken(console, bank, no_voice, output_device)
        return (SpokenReplies(sources, recognizer, source_name="wav"),
                DrillProspect(console, bank, spoken))
    from simulator.voice.capture import MicrophoneSource

    microphone = MicrophoneSource(input_device).open()
    try:
        spoken = _spoken(console, bank, no_voice, output_device, microphone)
    except BaseException:
        microphone.close()
        raise
    console.print("Answer each objection out loud; a pause ends your reply. Ctrl-C ends the "
                  "drill.", style="dim")
    sink = spoken.sink if spoken is not None and cue else None
    return (SpokenReplies(repeat(microphone), recognizer, live_settings(end_silence),
                          your_turn(console, sink), on_close=microphone.close),
            DrillProspect(console, bank, spoken))
