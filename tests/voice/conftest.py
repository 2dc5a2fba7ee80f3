"""The test sound server's microphone and speakers (opened once per test module), and the sales
language model (built once per session)."""

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


@pytest.fixture(scope="session")
def sales_model(tmp_path_factory):
    """The domain LM of the shipped rubric and personas, built once in a scratch data dir."""
    from simulator.voice.domain_lm import domain_model

    return domain_model(tmp_path_factory.mktemp("data"))
