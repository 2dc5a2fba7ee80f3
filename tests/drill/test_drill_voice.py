"""Spoken drills: recorded replies through VAD and the recognizer, and objections spoken in
each persona's voice (printed instead when there is no sound output)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.storage.calls import CallStore
from tests.drill.test_drill_command import RUN_DRILL

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data"
CLIPS = [DATA / "en_thank_you_how_come.wav", DATA / "en_how_come_supplier.wav"]


def wav_args(data_dir, *extra, clips=CLIPS):
    args = ["drill", "--seed", "1", "--engine", "pocketsphinx", "--data-dir", str(data_dir),
            *extra]
    for clip in clips:
        args += ["--wav", str(clip)]
    return args


def saved_calls(data_dir):
    with CallStore.open(data_dir) as store:
        return [store.get_call(s.call_id) for s in reversed(store.list_calls())]


def test_recorded_replies_are_recognized_scored_and_saved(tmp_path):
    result = runner.invoke(app, wav_args(tmp_path, "--no-voice"), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    calls = saved_calls(tmp_path)
    assert len(calls) == 2
    first, second = (call.turns[1] for call in calls)
    assert {"gratitude", "how_come"} <= set(first.detections), first.text
    assert "how_come" in second.detections, second.text
    assert first.extra["source"] == "wav" and first.extra["duration"] > 1.0
    assert first.words and all(w.start < w.end for w in first.words)
    assert calls[0].delivery["speaking_rate_wpm"] > 60
    assert f"You (heard): {first.text}\nScore: {calls[0].score}/100" in result.stdout
    assert "Drill over (end of input): 2 objections" in result.stdout


def test_without_a_sound_output_the_objections_are_printed(tmp_path):
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-server", "CALLSIM_HOME":
           str(tmp_path), "COLUMNS": "200"}
    command = [sys.executable, "-c", RUN_DRILL, *wav_args(tmp_path, clips=CLIPS[:1])]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    if "No audio output device" not in done.stdout:
        pytest.skip("this machine has a real sound card")
    assert "No audio output device: the prospect's lines are printed instead." in done.stdout
    assert "Drill over (end of input): 1 objection" in done.stdout


@pytest.mark.sound
def test_objections_are_spoken_through_the_sound_server(tmp_path):
    result = runner.invoke(app, wav_args(tmp_path, "--json", clips=CLIPS[:1]))
    assert result.exit_code == 0, result.output
    assert "No audio output device" not in result.stderr
    (item,) = json.loads(result.stdout)["items"]
    (call,) = saved_calls(tmp_path)
    assert item["call_id"] == call.call_id and "gratitude" in call.turns[1].detections
    # The objection took real time to play, so the trainee did not do all the talking.
    assert 0 < call.delivery["talk_share"] < 0.9
