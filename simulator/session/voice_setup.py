"""Assemble the engines for a spoken call (`practice` without --text) and for `callsim demo`."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from simulator.dialog.persona import Persona
from simulator.session.engines import Audio, AudioSource, VoiceSettings
from simulator.session.text_io import PrintedProspect
from simulator.session.voice_call import (
    SpokenReplies,
    output_available,
    persona_lines,
    prepare_speech,
    repeat,
    wav_sources,
)

DEMO_TRAINEE_VOICE = VoiceSettings(rate=125, pitch=45, gender="male", variant="en-gb")


def scan_devices() -> None:
    """Devices as they are now (PortAudio lists them once, maybe before a sound server ran)."""
    from simulator.errors import AudioError
    from simulator.voice import devices

    with contextlib.suppress(AudioError):
        devices.refresh()


def recognizer_for(console, engine: str | None, script: list[str] | None = None,
                   data_dir: str | Path | None = None, persona: Persona | None = None):
    """The call's recognizer: Whisper with the `persona`'s vocabulary as its prompt when it is
    installed; PocketSphinx decodes with the sales language model of `data_dir` (None:
    $CALLSIM_HOME or the user's data directory), or with the demo `script`'s grammar."""
    from simulator.models.paths import models_dir
    from simulator.storage.paths import data_dir_path
    from simulator.voice.recognizers import available_engine, make_recognizer

    models = models_dir(data_dir)  # <data dir>/models, as `callsim models` installs them
    grammar = None
    if script and available_engine(engine, models).engine == "pocketsphinx":
        grammar = script_grammar(script)
        console.print("PocketSphinx listens for the demo script's sentences only; Whisper or a "
                      "Vosk model recognizes open speech.", style="dim")
    prompt = None
    if persona is not None:
        from simulator.voice.whisper_prompt import persona_prompt

        prompt = persona_prompt(persona)
    recognizer = make_recognizer(
        engine, models, grammar=grammar, data_dir=data_dir_path(data_dir), prompt=prompt,
        notify=lambda line: console.print(line, style="yellow"))
    if recognizer.notice:
        console.print(recognizer.notice, style="yellow")
    return recognizer


def _prospect(console, persona: Persona, no_voice: bool, output_device: str | None,
              source: AudioSource | None = None, cache=None):
    """Spoken lines when there is an output device, else printed ones (with a notice)."""
    if not no_voice and not output_available(output_device):
        console.print("No audio output device: the prospect's lines are printed instead.",
                      style="yellow")
        no_voice = True
    if no_voice:
        return PrintedProspect(console, persona.name), None
    from simulator.voice.playback import SoundDeviceSink, SpokenProspect

    voice = persona.voice.settings()
    cache = prepare_speech(console, [(line, voice) for line in persona_lines(persona)], cache)
    sink = SoundDeviceSink(output_device)
    printed = PrintedProspect(console, persona.name)
    spoken = SpokenProspect(cache, sink, source)

    class ShownAndSpoken:
        def say(self, text: str, voice_settings: VoiceSettings) -> None:
            printed.say(text, voice_settings)
            spoken.say(text, voice_settings)

    return ShownAndSpoken(), sink


def voice_engines(console, persona: Persona, wav: list[Audio] | None, no_voice: bool,
                  engine: str | None, input_device: str | None, output_device: str | None,
                  end_silence: float = 0.6, cue: bool = True,
                  data_dir: str | Path | None = None):
    """(TraineeInput, ProspectOutput) for `practice` from recorded replies (`read_replies`) or
    the microphone (a pause of `end_silence` after a finished sentence ends a reply; `cue`
    beeps when it is the trainee's turn)."""
    recognizer = recognizer_for(console, engine, data_dir=data_dir, persona=persona)
    scan_devices()
    if wav:
        sources = wav_sources(wav)
        prospect, _sink = _prospect(console, persona, no_voice, output_device)
        return SpokenReplies(sources, recognizer, source_name="wav"), prospect
    from simulator.voice.capture import MicrophoneSource

    microphone = MicrophoneSource(input_device).open()
    prospect, sink = _prospect(console, persona, no_voice, output_device, microphone)
    console.print("Speak your reply after the prospect; a pause ends it. Ctrl-C hangs up.",
                  style="dim")
    return SpokenReplies(repeat(microphone), recognizer, live_settings(end_silence),
                         your_turn(console, sink if cue else None),
                         on_close=microphone.close), prospect


def live_settings(end_silence: float):
    from simulator.voice.vad import EndpointSettings

    return EndpointSettings(end_silence=end_silence)


def your_turn(console, sink):
    """The cue and meter of a microphone call; `sink` beeps the cue (None: no beep)."""
    from simulator.session.listening import YourTurn

    return YourTurn(console, sink)


def script_grammar(sentences: list[str]) -> str:
    """A JSGF grammar accepting exactly these sentences (lower case, no punctuation)."""
    import re

    options = sorted({" ".join(re.findall(r"[a-z']+", s.lower())) for s in sentences} - {""})
    return "#JSGF V1.0;\ngrammar script;\npublic <reply> = " + " | ".join(options) + " ;\n"


def demo_script(persona: Persona) -> list[str]:
    """Every trainee line the persona's golden conversations use: the demo's vocabulary."""
    return [reply for golden in persona.golden for reply in golden.replies]


def demo_replies(persona: Persona) -> list[str]:
    """The scripted trainee: the persona's first golden conversation with a good outcome."""
    good = ("meeting_agreed", "callback_agreed", "opted_out")
    for golden in persona.golden:
        if golden.expect.outcome in good:
            return list(golden.replies)
    return list(persona.golden[0].replies) if persona.golden else ["Thank you for your time."]


def _synthesized(console, replies: list[str]):
    """The scripted replies' audio, and the speech cache (the prospect's lines share it)."""
    cache = prepare_speech(console, [(reply, DEMO_TRAINEE_VOICE) for reply in replies])
    return [cache.get(reply, DEMO_TRAINEE_VOICE) for reply in replies], cache


def _played_into_microphone(audios: list[Audio], sink, microphone) -> Iterator[AudioSource]:
    """Each scripted reply is played on the output while the microphone listens for it."""
    for audio in audios:
        player = threading.Timer(0.3, sink.play, args=(audio,))
        player.start()
        yield microphone
        player.join()


def demo_engines(console, persona: Persona, engine: str | None, input_device: str | None,
                 output_device: str | None, no_voice: bool = False):
    """The demo's engines: through speakers and microphone when there are any, else direct."""
    from simulator.voice.capture import WavSource

    recognizer = recognizer_for(console, engine, demo_script(persona), persona=persona)
    if recognizer.name != "pocketsphinx":
        model = getattr(recognizer, "model", None)
        label = f" ({model.name})" if getattr(model, "name", None) else ""
        console.print(f"{recognizer.name.capitalize()}{label} recognizes the trainee's open "
                      f"speech.", style="dim")
    audios, cache = _synthesized(console, demo_replies(persona))
    scan_devices()
    looped = not no_voice and output_available(output_device) and _input_available(input_device)
    if looped:
        from simulator.voice.capture import MicrophoneSource

        microphone = MicrophoneSource(input_device).open()
        prospect, sink = _prospect(console, persona, no_voice, output_device, microphone,
                                   cache)
        sources = _played_into_microphone(audios, sink, microphone)
        return (SpokenReplies(sources, recognizer, source_name="demo", on_close=microphone.close),
                prospect, "looped")
    prospect, _sink = _prospect(console, persona, no_voice, output_device, cache=cache)
    sources = iter([WavSource(audio) for audio in audios])
    return SpokenReplies(sources, recognizer, source_name="demo"), prospect, "direct"


def _input_available(device: str | None) -> bool:
    from simulator.errors import AudioError
    from simulator.voice import devices

    try:
        return devices.resolve_device(device, "input") is not None or any(
            d.channels("input") > 0 for d in devices.list_devices())
    except AudioError:
        return False
