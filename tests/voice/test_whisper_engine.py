"""Whisper as the call's recognizer: the real worker and the bundled tiny.en model.

Golden speech gives its words (the first word of "Thank you." too); a live reply is decoded
while the trainee pauses, with the same words as the whole recording; a damaged model, a
missing faster-whisper, a worker killed mid-call and a slow machine each fall back to a smaller
engine with one line saying why. No test times anything: waits are bounded polls."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from simulator.errors import MissingModelError
from simulator.models.whisper import BUNDLED_NAME, bundled_whisper
from simulator.session.engines import VoiceSettings
from simulator.voice import asr_whisper
from simulator.voice.asr_whisper import WhisperRecognizer
from simulator.voice.recognizers import available_engine, make_recognizer
from simulator.voice.wavio import concat, silence
from simulator.voice.whisper_text import plain
from tests.voice.audio_helpers import read_golden

pytest.importorskip("faster_whisper")
if bundled_whisper() is None:
    pytest.skip("the bundled Whisper model is not installed (bash setup.sh install)",
                allow_module_level=True)

RATE = 16000
FRAME = int(RATE * 0.03) * 2  # 30 ms, what the microphone hands over
VOICES = {"en-us": VoiceSettings(rate=150, variant="en-us"),
          "en-gb": VoiceSettings(rate=150, variant="en-gb")}


@pytest.fixture(scope="module")
def recognizer():
    r = WhisperRecognizer(bundled_whisper())
    assert r.ready(), r.failure
    return r


def hear(recognizer, pcm: bytes, live: bool) -> tuple[str, list[str]]:
    recognizer.live = live
    recognizer.start(RATE)
    step = FRAME if live else len(pcm)
    partials = [recognizer.accept(pcm[i:i + step]) for i in range(0, len(pcm), step)]
    return recognizer.finish(), partials


def wait_for_partial(recognizer, bound: float = 60.0) -> str:
    """Poll the live recognizer (no audio) until the pause's decode has come back."""
    deadline = time.monotonic() + bound
    while not (partial := recognizer.accept(b"")) and time.monotonic() < deadline:
        time.sleep(0.02)
    return partial


# -- golden audio -----------------------------------------------------------------------
GOLDEN = {
    "en_thank_you_how_come": "thank you how come the price is the problem",
    "en_how_come_supplier": "how come you are happy with your current supplier",
}


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_speech_gives_its_words(recognizer, name):
    pcm, rate = read_golden(name)
    assert rate == RATE
    heard, _ = hear(recognizer, pcm, live=False)
    assert plain(heard.text) == GOLDEN[name]
    assert heard.text == " ".join(w.text for w in heard.words)
    assert all(0.0 <= w.start < w.end <= len(pcm) / 2 / RATE + 0.05 for w in heard.words)
    assert all(0.0 <= w.conf <= 1.0 for w in heard.words)


def test_the_first_word_of_thank_you_is_kept_and_scored_in_the_recognizer_form(recognizer):
    heard, _ = hear(recognizer, read_golden("en_thank_you_how_come")[0], live=False)
    assert [w.text for w in heard.words[:2]] == ["thank", "you"]
    assert heard.words[0].start < 0.5
    # As Whisper wrote it, punctuation and all (the end of turn reads its question mark)
    assert [w.text for w in recognizer.written.words[:2]] == ["Thank", "you."]
    assert recognizer.written.text.endswith("?")


def test_with_a_prompt_the_reply_heard_without_it_is_another_hearing(recognizer, speech):
    """A call's Whisper has the persona's vocabulary as its prompt; the same audio decoded
    without it is kept as another hearing, read once the prospect answers (never waited for
    before). It is the recognizer form of that decode, and never the transcript again."""
    pcm = concat(silence(0.3), speech("Thanks so much for letting me know. Would it be okay "
                                      "if I called you back in March?", VOICES["en-gb"]),
                 silence(0.5)).pcm
    plain_hearing, _ = hear(recognizer, pcm, live=False)
    assert plain_hearing.pending_hearings is None  # no prompt: nothing to hear another way
    prompted = WhisperRecognizer(bundled_whisper(), prompt="Jensen Freight, dispatch, trucks.")
    heard, _ = hear(prompted, pcm, live=False)
    assert heard.pending_hearings is not None
    others = heard.hearings()
    assert others == heard.hearings()  # read once, kept
    assert all(other and other != heard.text and other == other.lower() for other in others)
    if others:
        assert others == (plain_hearing.text,)  # the decode without the prompt, word for word


# espeak-ng's rendering in two accents. tiny.en hears some of espeak's sentences wrong in one
# accent ("Would it be okay" as "Will it be okay"; the British "being honest" as "meeting on
# this"): those are tiny.en's limits on a robotic voice, not the recognizer's, so the sentences
# here are ones both accents are heard right in.
ESPEAK = [
    "Thanks for your honesty. Can I ask what would have to change?",
    "I appreciate your honesty. What would have to change?",
    "Thank you for your time.",
    "How come you are happy with your current supplier?",
]


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("sentence", ESPEAK)
def test_espeak_speech_gives_its_words(recognizer, speech, voice, sentence):
    audio = concat(silence(0.3), speech(sentence, VOICES[voice]), silence(0.3))
    heard, _ = hear(recognizer, audio.pcm, live=False)
    assert plain(heard.text) == plain(sentence)


# -- live: decoded in the pause --------------------------------------------------------------
@pytest.mark.slow
def test_a_pause_brings_the_words_before_the_turn_ends(recognizer):
    pcm, _ = read_golden("en_how_come_supplier")
    recorded, _ = hear(recognizer, pcm, live=False)
    recognizer.live = True
    recognizer.start(RATE)
    for at in range(0, len(pcm), FRAME):
        recognizer.accept(pcm[at:at + FRAME])
    for _ in range(round(0.4 / 0.03)):  # 0.4 s of silence frames: the trainee pauses
        recognizer.accept(bytes(FRAME))
    partial = wait_for_partial(recognizer)
    assert plain(partial) == GOLDEN["en_how_come_supplier"]
    live = recognizer.finish()
    assert live == recorded  # the same audio decoded: the same words, timings, confidences


@pytest.mark.slow
def test_a_reply_split_by_pauses_is_decoded_whole_at_the_end(recognizer, speech):
    first = speech("Thank you for your time.", VOICES["en-us"])
    second = speech("What would have to change for you?", VOICES["en-us"])
    pcm = concat(silence(0.3), first, silence(0.6), second, silence(0.5)).pcm
    recorded, _ = hear(recognizer, pcm, live=False)
    recognizer.live = True
    recognizer.start(RATE)
    cut = len(concat(silence(0.3), first, silence(0.6)).pcm) // FRAME * FRAME
    for at in range(0, cut, FRAME):
        recognizer.accept(pcm[at:at + FRAME])
    assert plain(wait_for_partial(recognizer)) == "thank you for your time"
    for at in range(cut, len(pcm), FRAME):
        recognizer.accept(pcm[at:at + FRAME])
    live = recognizer.finish()
    assert plain(live.text) == "thank you for your time what would have to change for you"
    assert live == recorded


def test_a_knock_is_not_decoded(recognizer):
    knock = bytes(RATE) + (b"\xff\x7f" * 160 + b"\x01\x80" * 160) + bytes(RATE)
    heard, partials = hear(recognizer, knock, live=True)
    assert heard.text == "" and not any(partials)


# -- bad input ------------------------------------------------------------------------------
@pytest.fixture
def damaged_models(tmp_path):
    """A models folder whose whisper-tiny.en has model.bin with a few bytes flipped."""
    folder = tmp_path / "models" / BUNDLED_NAME
    shutil.copytree(bundled_whisper().path, folder)
    with open(folder / "model.bin", "r+b") as weights:
        weights.seek(1_000_000)
        flipped = bytes(b ^ 0xFF for b in weights.read(16))
        weights.seek(1_000_000)
        weights.write(flipped)
    return tmp_path / "models"


def test_a_damaged_model_says_so_and_pocketsphinx_recognizes(damaged_models, tmp_path):
    from simulator.voice.asr_sphinx import PocketSphinxRecognizer

    # (a grammar: PocketSphinx starts at once, with no sales language model to build)
    recognizer = make_recognizer("whisper", damaged_models, data_dir=tmp_path / "data",
                                 grammar="#JSGF V1.0; grammar g; public <s> = thank you;")
    assert isinstance(recognizer, PocketSphinxRecognizer)
    line = recognizer.notice.splitlines()[0]
    assert "damaged" in line and "fix it with" in line and BUNDLED_NAME in line
    assert not (tmp_path / "data" / "models-checked").exists() or not any(
        (tmp_path / "data" / "models-checked").iterdir())  # a failed check is not remembered


def test_without_faster_whisper_asking_for_whisper_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setattr("simulator.voice.recognizers.whisper_installed", lambda: False)
    empty = tmp_path / "models"
    empty.mkdir()
    with pytest.raises(MissingModelError) as raised:
        available_engine("whisper", empty)
    assert raised.value.exit_code == 2
    assert "--engine vosk|pocketsphinx" in str(raised.value)
    assert available_engine(None, empty).engine == "pocketsphinx"  # auto mode steps down


@pytest.fixture
def own_worker_models(tmp_path):
    """The bundled model under another path: a worker of its own (workers are per path), so
    killing it leaves the other tests' worker alone."""
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / BUNDLED_NAME).symlink_to(bundled_whisper().path, target_is_directory=True)
    return folder


@pytest.mark.slow
def test_a_worker_killed_mid_call_hands_the_reply_to_the_smaller_engine(own_worker_models):
    lines: list[str] = []
    r = make_recognizer("whisper", own_worker_models, notify=lines.append)
    assert isinstance(r, WhisperRecognizer) and r.ready()
    pcm, _ = read_golden("en_thank_you_how_come")
    r.live = False
    r.start(RATE)
    r.accept(pcm)
    os.kill(r._worker._child.pid, signal.SIGKILL)
    heard = r.finish()
    assert r.name == "pocketsphinx"
    assert heard.text  # PocketSphinx's hearing of the same reply
    assert len(lines) == 1 and "pocketsphinx recognizes the rest of this call" in lines[0]
    again, _ = hear(r, pcm, live=False)  # the rest of the call: PocketSphinx, no new line
    assert again.text and len(lines) == 1


@pytest.mark.slow
def test_a_slow_machine_steps_down_once(monkeypatch, tmp_path, speech):
    monkeypatch.setattr(asr_whisper, "SLOW_RTF", 0.0001)
    lines: list[str] = []
    r = make_recognizer("whisper", tmp_path, notify=lines.append)
    assert r.name == "whisper"
    short = concat(silence(0.3), speech(ESPEAK[2], VOICES["en-us"]), silence(0.3))
    assert short.seconds < asr_whisper.JUDGE_SPEED_AFTER  # too short to judge the speed by
    hear(r, short.pcm, live=False)
    assert r.name == "whisper" and not lines
    reply = concat(silence(0.3), speech(ESPEAK[0], VOICES["en-us"]), silence(0.3))
    assert reply.seconds > asr_whisper.JUDGE_SPEED_AFTER + 0.6  # long enough to judge
    heard, _ = hear(r, reply.pcm, live=False)
    assert plain(heard.text) == plain(ESPEAK[0])  # this reply is still Whisper's
    assert r.name == "pocketsphinx"
    assert len(lines) == 1 and "too slowly" in lines[0] and "RTF" in lines[0]
    assert "pocketsphinx recognizes the rest of this call" in lines[0]
    hear(r, reply.pcm, live=False)
    assert len(lines) == 1
