"""Whisper in the commands a rep uses: practice, drill, demo and rescore decode real speech with
it by default once it is installed, and a missing or damaged model is one line, then the call
goes on with the engine below it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.models.whisper import bundled_whisper
from simulator.session.engines import VoiceSettings
from simulator.storage.calls import CallStore
from simulator.voice.wavio import concat, silence, write_wav

runner = CliRunner()
CLEAR_VOICE = VoiceSettings(rate=150, pitch=50, gender="male", variant="en-us")
DATA = Path(__file__).resolve().parents[1] / "data"
needs_whisper = pytest.mark.skipif(bundled_whisper() is None and not os.environ.get("CI"),
                                   reason="Whisper is not installed (bash setup.sh install)")
pytestmark = [needs_whisper, pytest.mark.slow]


@pytest.fixture
def reply_wav(tmp_path, speech):
    def make(text: str, name: str = "reply.wav") -> Path:
        path = tmp_path / name
        write_wav(path, concat(silence(0.7), speech(text, CLEAR_VOICE), silence(1.0)))
        return path
    return make


def trainee_turns(call: dict) -> list[dict]:
    return [t for t in call["turns"] if t["speaker"] == "trainee"]


def test_practice_uses_whisper_by_default_and_scores_its_words(tmp_path, reply_wav):
    wav = reply_wav("Thank you for letting me know. What are your biggest challenges "
                    "with dispatch?")
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                 "--no-voice", "--json", "--wav", str(wav), "--data-dir",
                                 str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    (reply,) = trainee_turns(json.loads(result.stdout))[:1]
    assert reply["extra"]["engine"] == "whisper"
    assert reply["text"].startswith("thank you for letting me know"), reply["text"]
    assert {"gratitude", "explore_issues"} <= set(reply["detections"]), reply["text"]
    words = reply["words"]
    assert [w["text"] for w in words][:2] == ["thank", "you"]  # in the recognizer form
    assert all(0.0 <= w["conf"] <= 1.0 and w["start"] < w["end"] for w in words)
    assert 0.3 < reply["extra"]["delay"] < 1.2  # the 0.7 s of silence before speaking


def test_a_drill_hears_recorded_replies_with_whisper(tmp_path):
    result = runner.invoke(app, ["drill", "--seed", "1", "--engine", "whisper", "--no-voice",
                                 "--data-dir", str(tmp_path), "--wav",
                                 str(DATA / "en_thank_you_how_come.wav")],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    with CallStore.open(tmp_path) as store:
        (summary,) = store.list_calls()
        reply = store.get_call(summary.call_id).turns[1]
    assert reply.extra["engine"] == "whisper"
    assert {"gratitude", "how_come"} <= set(reply.detections), reply.text
    assert f"You (heard): {reply.text}" in result.stdout


def test_engine_whisper_without_a_model_is_refused_before_the_briefing(tmp_path, monkeypatch):
    monkeypatch.setattr("simulator.voice.recognizers.whisper_installed", lambda: False)
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--no-voice",
                                 "--engine", "whisper", "--wav",
                                 str(DATA / "en_how_come_supplier.wav"), "--data-dir",
                                 str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == ("callsim: no Whisper model is installed; install it with: bash "
                             "setup.sh install, or choose another recognizer: --engine "
                             "vosk|pocketsphinx\n")
    assert "Carl" not in result.stdout  # no briefing, no call
    with CallStore.open(tmp_path) as store:
        assert store.list_calls() == []


def test_a_damaged_model_is_one_line_then_pocketsphinx_hears_the_call(tmp_path, monkeypatch,
                                                                      reply_wav):
    models = tmp_path / "models"
    damaged = models / "whisper-tiny.en"
    shutil.copytree(bundled_whisper().path, damaged)
    with open(damaged / "model.bin", "r+b") as weights:
        weights.seek(1000)
        weights.write(b"\0" * 64)
    monkeypatch.setenv("CALLSIM_MODELS", str(models))
    wav = reply_wav("Thank you. How come?")
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                 "--no-voice", "--json", "--wav", str(wav), "--data-dir",
                                 str(tmp_path / "data")], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    notices = result.stderr.splitlines()
    assert ("the Whisper model whisper-tiny.en is damaged (model.bin fails its sha256 check); "
            "fix it with: callsim models remove whisper-tiny.en") in notices
    assert "PocketSphinx recognizes the replies instead (weaker)" in notices
    (reply,) = trainee_turns(json.loads(result.stdout))[:1]
    assert reply["extra"]["engine"] == "pocketsphinx"


def test_rescore_with_whisper_hears_the_audio_again_and_keeps_hand_corrections(tmp_path,
                                                                               reply_wav):
    data = tmp_path / "data"
    for name, text in (("a.wav", "Thank you for your honesty. How come?"),
                       ("b.wav", "Would you mind if I called you next week?")):
        done = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                   "--no-voice", "--json", "--engine", "pocketsphinx",
                                   "--wav", str(reply_wav(text, name)), "--data-dir",
                                   str(data)])
        assert done.exit_code == 0, done.output
    with CallStore.open(data) as store:
        first, second = (s.call_id for s in reversed(store.list_calls()))
    runner.invoke(app, ["correct", second, "--turn", "1", "I said this myself.",
                        "--data-dir", str(data)])
    result = runner.invoke(app, ["rescore", "--all", "--engine", "whisper", "--data-dir",
                                 str(data)])
    assert result.exit_code == 0, result.output
    with CallStore.open(data) as store:
        reheard = store.get_call(first).turns[1]
        kept = store.get_call(second).turns[1]
    assert reheard.extra["by"] == reheard.extra["engine"] == "whisper"
    assert reheard.text.startswith("thank you for your honesty how come"), reheard.text
    assert reheard.extra["earlier"][0]["by"] == "pocketsphinx"
    assert kept.text == "I said this myself."
    assert f"{second}: " in result.stdout and "corrected by hand, kept: reply 1" in result.stdout


def test_the_demo_says_whisper_hears_open_speech(tmp_path):
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-server", "CALLSIM_HOME":
           str(tmp_path), "COLUMNS": "120"}
    done = subprocess.run([sys.executable, "-m", "simulator", "demo"], capture_output=True,
                          text=True, env=env, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    assert "Whisper (whisper-tiny.en) recognizes the trainee's open speech." in done.stdout
    assert "PocketSphinx listens for the demo script's sentences only" not in done.stdout
