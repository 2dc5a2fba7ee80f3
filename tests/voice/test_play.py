"""Spoken replies are kept with the call and `callsim play` plays them back: heard on the test
sound server's monitor, one line per reply, and one plain line when there is nothing to play."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.session.engines import Audio, VoiceSettings
from simulator.storage.calls import CallStore
from simulator.storage.recordings import load_recording, recorded_turns, save_recording
from simulator.voice.wavio import concat, level, silence, write_wav
from tests.voice.audio_helpers import monitor_recording

runner = CliRunner()
CLEAR_VOICE = VoiceSettings(rate=150, pitch=50, gender="male", variant="en-us")
SAID = "Thank you for letting me know. What are your biggest challenges?"
WINDOW = 320  # 20 ms at 16 kHz


@pytest.fixture(scope="module")
def spoken_call(tmp_path_factory, speech) -> tuple:
    """A `practice --wav` call (real VAD and recognizer) with one recorded reply."""
    root = tmp_path_factory.mktemp("spoken")
    wav = root / "reply.wav"
    write_wav(wav, concat(silence(0.7), speech(SAID, CLEAR_VOICE), silence(1.0)))
    data = root / "data"
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                 "--no-voice", "--json", "--engine", "pocketsphinx",
                                 "--wav", str(wav), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return data, json.loads(result.stdout), speech(SAID, CLEAR_VOICE)


def test_practice_keeps_each_spoken_reply_with_its_turn(spoken_call):
    data, call, said = spoken_call
    (reply,) = [t for t in call["turns"] if t["speaker"] == "trainee"]
    with CallStore.open(data) as store:
        assert recorded_turns(store, call["call_id"]) == [reply["index"]]
        kept = load_recording(store, call["call_id"], reply["index"])
    assert kept.rate == 16000
    assert said.seconds - 0.1 < kept.seconds < said.seconds + 1.0  # the reply, not the file
    assert level(kept.pcm) > 0.01


def test_no_record_keeps_the_words_but_no_audio(tmp_path, speech):
    wav = tmp_path / "reply.wav"
    write_wav(wav, concat(silence(0.7), speech(SAID, CLEAR_VOICE), silence(1.0)))
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                 "--no-voice", "--json", "--engine", "pocketsphinx", "--no-record",
                                 "--wav", str(wav), "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    assert [t["speaker"] for t in call["turns"]].count("trainee") == 1
    with CallStore.open(tmp_path / "data") as store:
        assert recorded_turns(store, call["call_id"]) == []


def loud_windows(pcm: bytes) -> int:
    return sum(level(pcm[at:at + 2 * WINDOW]) > 0.01 for at in range(0, len(pcm), 2 * WINDOW))


@pytest.mark.sound
def test_play_is_heard_through_the_sound_server(spoken_call):
    data, call, said = spoken_call
    (reply,) = [t for t in call["turns"] if t["speaker"] == "trainee"]
    with monitor_recording() as chunks:
        result = runner.invoke(app, ["play", call["call_id"][:15], "--data-dir", str(data)])
    heard = b"".join(chunks)
    assert result.exit_code == 0, result.output
    with CallStore.open(data) as store:
        kept = load_recording(store, call["call_id"], reply["index"])
    assert result.stdout == f"Reply 1 ({kept.seconds:.1f} s): {reply['text']}\n"
    # The speech itself came out: most of the clip's loud 20 ms windows were heard (a loaded
    # machine may drop a block or two; silence would give none).
    heard_loud, kept_loud = loud_windows(heard), loud_windows(kept.pcm)
    assert heard_loud >= 0.6 * kept_loud > 50, (heard_loud, kept_loud, len(heard) / 32000)


@pytest.fixture
def typed_call(tmp_path) -> tuple:
    """A typed call of two replies, the first given a recording by hand."""
    data = tmp_path / "data"
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--text", "--seed",
                                 "1", "--json", "--data-dir", str(data)],
                           input="Thanks for telling me. How come?\nMay I call in May?\n")
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    return data, call, [t["index"] for t in call["turns"] if t["speaker"] == "trainee"]


NOTHING = [  # options -> exit code, message (call id filled in)
    ([], 1, "call {id} has no recorded replies (typed, recorded with --no-record, or imported "
            "without audio); nothing to play"),
    (["--turn", "3"], 2, "call {id} has 2 replies; --turn takes 1 to 2"),
    (["--turn", "0"], 2, None),  # refused by the option's range
]


@pytest.mark.parametrize(("options", "code", "message"), NOTHING)
def test_nothing_to_play_is_one_line(typed_call, options, code, message):
    data, call, _ = typed_call
    result = runner.invoke(app, ["play", call["call_id"], *options, "--data-dir", str(data)])
    assert result.exit_code == code
    if message:
        assert result.stderr == f"callsim: {message.format(id=call['call_id'])}\n"
    assert result.stdout == ""


def test_a_reply_not_recorded_names_those_that_were(typed_call):
    data, call, replies = typed_call
    with CallStore.open(data) as store:
        save_recording(store, call["call_id"], replies[0], Audio(b"\x00\x10" * 1600, 16000))
    result = runner.invoke(app, ["play", call["call_id"], "--turn", "2", "--data-dir", str(data)])
    assert (result.exit_code, result.stderr) == (
        1, f"callsim: reply 2 of call {call['call_id']} was not recorded; recorded: 1 "
           "(--turn N)\n")


def test_an_unknown_call_is_one_line(tmp_path):
    result = runner.invoke(app, ["play", "20990101", "--data-dir", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        1, "callsim: no call with id 20990101; run `callsim history` to list calls\n")


def test_no_output_device_is_one_line(tmp_path, spoken_call):
    data, call, _ = spoken_call
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-server"}
    done = subprocess.run([sys.executable, "-m", "simulator", "play", call["call_id"],
                           "--data-dir", str(data)], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    if done.returncode == 0:
        pytest.skip("this machine has a real sound card")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("callsim: no audio speaker (output) device found")
    assert len(done.stderr.splitlines()) == 1
