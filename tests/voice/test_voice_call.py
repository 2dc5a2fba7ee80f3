"""Spoken calls end to end: WAV replies and the demo through the real recognition path, the
test sound server, and every microphone fault ending in one line with the call so far saved."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.session.engines import VoiceSettings
from simulator.storage.calls import CallStore
from simulator.voice.capture import LOST_MIC, SILENT_MIC
from simulator.voice.wavio import concat, silence, write_wav

runner = CliRunner()
CLEAR_VOICE = VoiceSettings(rate=150, pitch=50, gender="male", variant="en-us")


@pytest.fixture
def reply_wavs(tmp_path, speech):
    def make(*texts: str):
        paths = []
        for index, text in enumerate(texts):
            audio = speech(text, CLEAR_VOICE)
            path = tmp_path / f"reply{index + 1}.wav"
            write_wav(path, concat(silence(0.7), audio, silence(1.0)))
            paths.append(path)
        return paths
    return make


def _saved_call(data_dir):
    with CallStore.open(data_dir) as store:
        (summary,) = store.list_calls()
        return store.get_call(summary.call_id)


def test_practice_with_wav_replies_goes_through_vad_and_the_recognizer(tmp_path, reply_wavs):
    wavs = reply_wavs("Thank you for letting me know. What are your biggest challenges?",
                      "Would you mind if I circled back in a few months?")
    args = ["practice", "--persona", "covered-carl", "--seed", "1", "--no-voice", "--json",
            "--engine", "pocketsphinx", "--data-dir", str(tmp_path / "data")]
    for wav in wavs:
        args += ["--wav", str(wav)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    replies = [t for t in call["turns"] if t["speaker"] == "trainee"]
    assert {"gratitude", "explore_issues"} <= set(replies[0]["detections"]), replies[0]["text"]
    assert "permission_close" in replies[1]["detections"]
    assert call["outcome"] in {"callback_agreed", "meeting_agreed"}
    assert call["scorecard"]["checks"]["permission_close"]["verdict"] == "pass"
    first_words = replies[0]["words"]
    assert first_words and all(w["start"] < w["end"] for w in first_words)
    assert 0.3 < replies[0]["extra"]["delay"] < 1.2  # the 0.7 s of silence before speaking
    assert call["delivery"]["speaking_rate_wpm"] > 60
    assert call["mode"] == "wav"


def test_a_missing_wav_file_is_one_line(tmp_path):
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--no-voice",
                                 "--wav", str(tmp_path / "nope.wav"), "--data-dir",
                                 str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"callsim: no such WAV file: {tmp_path / 'nope.wav'}\n"


def test_demo_without_a_sound_card_prints_the_call_and_scorecard(tmp_path):
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-server", "CALLSIM_HOME":
           str(tmp_path), "COLUMNS": "120"}
    done = subprocess.run([sys.executable, "-m", "simulator", "demo"], capture_output=True,
                          text=True, env=env, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    assert "No audio output device: the prospect's lines are printed instead." in done.stdout
    assert "outcome: meeting_agreed" in done.stdout
    assert "Thank them for the" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.sound
def test_demo_is_heard_and_recorded_through_the_sound_server(tmp_path):
    result = runner.invoke(app, ["demo", "--json", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "played through the speakers into the microphone" in " ".join(result.stderr.split())
    call = json.loads(result.stdout)
    assert call["mode"] == "demo" and call["outcome"] == "meeting_agreed"
    replies = [t for t in call["turns"] if t["speaker"] == "trainee"]
    assert replies[0]["text"].lower().startswith("thank you for your honesty")
    assert all(r["extra"]["duration"] > 1.0 for r in replies)
    assert call["delivery"]["talk_share"] > 0


@pytest.mark.sound
def test_a_silent_microphone_is_one_line_and_the_call_is_kept(tmp_path):
    # Nothing plays into the null sink, so its monitor (the default source) is pure silence.
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--no-voice",
                                 "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"callsim: {SILENT_MIC}\n"
    call = _saved_call(tmp_path)
    assert call.outcome == "interrupted"
    assert [t.speaker for t in call.turns] == ["prospect"]


def test_no_input_device_is_one_line(tmp_path):
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-server", "CALLSIM_HOME":
           str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "simulator", "practice", "--persona",
                           "covered-carl", "--no-voice"], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    if "callsim: no " not in done.stderr and done.returncode == 0:
        pytest.skip("this machine has a real sound card")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("callsim: ")
    assert "input" in done.stderr.splitlines()[-1]
    assert "Traceback" not in done.stderr


class _VanishingMicrophone:
    """Stands in for a USB microphone pulled out after the first reply (the real device loss
    is tested against a killed sound server in test_capture.py)."""

    rate = 16000

    def __init__(self, first_reply):
        self.first_reply = first_reply
        self.turn = 0

    def frames(self):
        self.turn += 1
        if self.turn > 1:
            from simulator.errors import AudioError

            raise AudioError(LOST_MIC)
        pcm = self.first_reply.pcm
        for at in range(0, len(pcm), 960):
            yield pcm[at:at + 960]

    def pause(self):
        pass

    def resume(self):
        pass


def test_a_microphone_lost_mid_call_keeps_the_turns_already_spoken(tmp_path, speech):
    from rich.console import Console

    from simulator.dialog.validate import get_persona
    from simulator.errors import AudioError
    from simulator.session.call import CallOptions, CallSession
    from simulator.session.text_io import PrintedProspect
    from simulator.session.voice_call import SpokenReplies, repeat
    from simulator.voice.asr_sphinx import PocketSphinxRecognizer

    persona = get_persona("covered-carl").persona
    reply = concat(silence(0.5), speech("How come you're not interested?", CLEAR_VOICE),
                   silence(1.0))
    trainee = SpokenReplies(repeat(_VanishingMicrophone(reply)), PocketSphinxRecognizer())
    with CallStore.open(tmp_path) as store:
        session = CallSession(persona, store, trainee,
                              PrintedProspect(Console(file=io.StringIO()), "Carl"),
                              CallOptions(seed=1, mode="mic"))
        with pytest.raises(AudioError, match="stopped delivering audio"):
            session.run()
    call = _saved_call(tmp_path)
    assert call.outcome == "interrupted"
    assert [t.speaker for t in call.turns] == ["prospect", "trainee", "prospect"]
    assert call.turns[1].text == "how come you're not interested"
    assert call.scorecard["checks"]["how_come_not_why"]["verdict"] == "pass"


def test_a_reply_decodes_the_same_after_the_same_replies(speech):
    from simulator.session.voice_call import SpokenReplies
    from simulator.voice.asr_sphinx import PocketSphinxRecognizer
    from simulator.voice.capture import WavSource

    def audio(text):
        return concat(silence(0.7), speech(text, CLEAR_VOICE), silence(1.0))

    first, other = audio("Many thanks. How come?"), audio("Would you mind if I circled back?")
    heard = []
    for _call in range(2):  # a call carries the cepstral mean: the same replies, the same words
        replies = SpokenReplies(iter([WavSource(other), WavSource(first)]),
                                PocketSphinxRecognizer())
        heard.append([(reply.text, reply.words) for reply in iter(replies.next_reply, None)])
    assert heard[0] == heard[1] and len(heard[0]) == 2
