"""The test sound server's microphone and speakers, opened once per test module."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def mic(sound_server):
    """The null sink's monitor: hears whatever `sink` plays (nothing else: pure silence)."""
    from simulator.voice.capture import MicrophoneSource

    with MicrophoneSource(silence_check=30.0) as source:
        yield source


@pytest.fixture(scope="module")
def sink(sound_server):
    from simulator.voice.playback import SoundDeviceSink

    return SoundDeviceSink()
