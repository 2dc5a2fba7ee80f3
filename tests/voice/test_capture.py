"""The trainee's side through a real sound server: playback, capture, VAD, and device faults."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simulator.errors import AudioError
from simulator.session.engines import VoiceSettings
from simulator.voice.capture import LOST_MIC, SILENT_MIC, MicrophoneSource
from simulator.voice.playback import SpokenProspect
from simulator.voice.vad import NO_SPEECH, SILENCE, EndpointSettings, listen

ROOT = Path(__file__).resolve().parents[2]
REPLY = "I hear you. What would it take to earn ten minutes of your time next week?"
SCRIPT = ROOT / "scripts" / "soundserver.sh"

pytestmark = pytest.mark.sound


def speech_span(audio):
    import numpy as np

    loud = np.nonzero(np.abs(np.frombuffer(audio.pcm, dtype="<i2").astype(np.int32)) > 1000)[0]
    return loud[0] / audio.rate, (loud[-1] + 1) / audio.rate


def play_later(sink, audio, delay):
    thread = threading.Thread(target=lambda: (time.sleep(delay), sink.play(audio)))
    thread.start()
    return thread


def test_a_played_reply_is_recorded_and_endpointed(mic, sink, speech):
    reply = speech(REPLY)
    first, last = speech_span(reply)
    mic.resume()
    player = play_later(sink, reply, 0.7)
    captured = listen(mic)
    player.join()
    assert captured.reason == SILENCE
    # Output and input latency over the server add up to well under 0.3 s.
    assert 0.7 + first <= captured.speech_start + 0.05 <= 0.7 + first + 0.35
    assert captured.duration == pytest.approx(last - first, abs=0.25)
    assert sink.last_play_started_at <= sink.last_first_sample_at
    assert mic.overflows == 0


def test_the_microphone_ignores_the_prospect_while_it_speaks(mic, sink, speech):
    prospect = SpokenProspect(_Rendered(speech), sink, source=mic)
    prospect.say("We already work with another vendor, thanks.", VoiceSettings())
    captured = listen(mic, EndpointSettings(first_word_timeout=1.0))
    assert (captured.reason, captured.speech_start) == (NO_SPEECH, None)
    assert prospect.last_line_ended_at is not None


class _Rendered:
    def __init__(self, speech):
        self.speech = speech

    def get(self, text, voice):
        return self.speech(text, voice)


def test_a_microphone_delivering_only_silence_is_reported(sound_server):
    # Nothing plays into the null sink, so its monitor (the default source) is all zeros.
    with MicrophoneSource(silence_check=0.6) as source, pytest.raises(AudioError) as error:
        listen(source)
    assert str(error.value) == SILENT_MIC


def test_a_device_vanishing_mid_call_is_reported(tmp_path, sound_server):
    own = {**os.environ, "CALLSIM_SOUND_DIR": str(tmp_path / "private")}
    code = (
        "import os, subprocess, sys, threading, time\n"
        "from simulator.voice.capture import MicrophoneSource\n"
        "from simulator.voice.vad import listen\n"
        "env = dict(os.environ)\n"
        "source = MicrophoneSource(silence_check=30).open()\n"
        "stop = ['bash', sys.argv[1], 'stop']\n"
        "kill = lambda: (time.sleep(0.5), subprocess.run(stop, env=env))\n"
        "threading.Thread(target=kill).start()\n"
        "try:\n"
        "    listen(source)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__ + ': ' + str(exc))\n"
    )
    started = subprocess.run(["bash", str(SCRIPT), "start"], env=own, capture_output=True,
                             text=True, timeout=60, check=True)
    for line in started.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        own[key] = value
    run = subprocess.run([sys.executable, "-c", code, str(SCRIPT)], env=own, cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.stdout.strip() == f"AudioError: {LOST_MIC}"


def _without_any_sound() -> dict[str, str]:
    """An environment in which PortAudio finds no device: no sound server, no sound card."""
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text():
        pytest.skip("this machine has a sound card; the no-device path is checked on CI")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
    return {**env, "PULSE_SERVER": "unix:/nonexistent"}


@pytest.mark.parametrize(("make", "message"), [
    ("MicrophoneSource()", "no audio microphone (input) device found: connect one "
                           "(see `callsim devices`), or practise without --voice"),
    ("SoundDeviceSink()", "no audio speaker (output) device found: connect one "
                          "(see `callsim devices`), or practise without --voice"),
])
def test_no_device_at_all_is_one_clear_line(make, message):
    code = (
        "from simulator.voice.capture import MicrophoneSource\n"
        "from simulator.voice.playback import SoundDeviceSink\n"
        "from simulator.errors import AudioError\n"
        "try:\n"
        f"    {make}\n"
        "except AudioError as exc:\n"
        "    print(exc)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], env=_without_any_sound(), cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.stdout.strip() == message


@pytest.mark.parametrize(("spec", "kind", "expected"), [
    (None, "input", None),
    ("0", "input", 0),
    ("pulse", "output", 0),
    ("PULSE", "input", 0),
    ("default", "input", 1),
    ("defa", "output", 1),
])
def test_devices_are_picked_by_number_or_name(sound_server, spec, kind, expected):
    from simulator.voice.devices import resolve_device

    assert resolve_device(spec, kind) == expected


@pytest.mark.parametrize(("spec", "message"), [
    ("7", "no input device number 7; available: 0 'pulse', 1 'default'"),
    ("usb mic", "no input device matches 'usb mic'; available: 0 'pulse', 1 'default'"),
    ("l", "2 input devices match 'l'; pick one by number: available: 0 'pulse', 1 'default'"),
])
def test_an_unknown_device_lists_the_available_ones(sound_server, spec, message):
    from simulator.voice.devices import resolve_device

    with pytest.raises(AudioError) as error:
        resolve_device(spec, "input")
    assert str(error.value) == message


def test_callsim_devices_lists_the_servers_devices(sound_server):
    import typer
    from typer.testing import CliRunner

    from simulator.cli import devices as devices_cli

    app = typer.Typer()
    devices_cli.register(app)
    app.command("noop")(lambda: None)  # two commands, so `devices` is a sub-command
    result = CliRunner().invoke(app, ["devices"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "    #   in  out    rate  name",
        "    0   32   32   44100  pulse",
        "*>  1   32   32   44100  default",
        "* default input   > default output",
    ]
