"""Turns that are not cut: a WAV is one whole reply, a thinking pause after unfinished words does
not end a spoken reply, the first word at the cue is kept, and the trainee's turn is one
"listening…" line on a terminal and nothing more when piped."""

from __future__ import annotations

import io
import json
import threading
import time

import pytest
from rich.console import Console
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.session.engines import Audio, VoiceSettings
from simulator.session.listening import YourTurn, cue_tone
from simulator.session.voice_call import SpokenReplies, repeat
from simulator.voice.asr_sphinx import PocketSphinxRecognizer
from simulator.voice.capture import WavSource
from simulator.voice.vad import EndpointSettings, listen
from simulator.voice.wavio import concat, silence, write_wav

runner = CliRunner()
CLEAR_VOICE = VoiceSettings(rate=150, pitch=50, gender="male", variant="en-us")
ERASE = "\r\x1b[2K"  # back to the start of the line, erase it


def loud_span(audio: Audio, threshold: int = 300) -> tuple[int, int]:
    import numpy as np

    loud = np.nonzero(np.abs(np.frombuffer(audio.pcm, dtype="<i2").astype(np.int32))
                      > threshold)[0]
    return int(loud[0]), int(loud[-1]) + 1


@pytest.fixture
def spoken(speech):
    """spoken(text) -> real espeak-ng speech trimmed to the voice, so a pause put after it is
    the pause the listener hears (espeak adds ~0.4 s of quiet of its own)."""
    def render(text: str) -> Audio:
        audio = speech(text, CLEAR_VOICE)
        first, last = loud_span(audio)
        return Audio(audio.pcm[first * 2:last * 2], audio.rate)
    return render


def trainee_turns(stdout: str) -> list[dict]:
    return [t for t in json.loads(stdout)["turns"] if t["speaker"] == "trainee"]


@pytest.mark.parametrize("pause", [1.0, 3.0])
def test_a_wav_with_pauses_is_one_whole_reply_through_practice(tmp_path, spoken, pause):
    path = tmp_path / "reply.wav"
    write_wav(path, concat(silence(0.5), spoken("Thank you for your honesty."), silence(pause),
                           spoken("How come you're not interested?"), silence(pause),
                           spoken("Would you mind if I called you next week?"), silence(0.5)))
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                 "--no-voice", "--json", "--engine", "pocketsphinx", "--wav",
                                 str(path), "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    (reply,) = trainee_turns(result.stdout)
    words = reply["text"].split()
    assert {"thank", "honesty", "how", "come", "interested", "mind", "week"} <= set(words), words
    assert {"gratitude", "permission_close"} <= set(reply["detections"])
    assert reply["extra"]["duration"] > 2 * pause + 4.0


def test_a_wav_starting_after_the_first_word_allowance_is_still_heard(tmp_path, spoken):
    path = tmp_path / "late.wav"
    write_wav(path, concat(silence(9.0), spoken("How come you're not interested?"),
                           silence(0.5)))
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--no-voice",
                                 "--json", "--engine", "pocketsphinx", "--wav", str(path),
                                 "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    (reply,) = trainee_turns(result.stdout)
    words = reply["text"].split()  # the middle varies with the recognizer's pronunciations
    assert words[:3] == ["how", "come", "you"] and words[-1] == "interested", words
    assert "how_come" in reply["detections"]
    assert reply["extra"]["delay"] == pytest.approx(9.0, abs=0.1)


@pytest.mark.parametrize("value", ["9", "0.1", "-1", "nan"])
@pytest.mark.parametrize("command", [["practice", "--persona", "covered-carl"], ["drill"]])
def test_an_end_silence_out_of_range_is_a_usage_error(tmp_path, command, value):
    result = runner.invoke(app, [*command, "--text", "--end-silence", value, "--data-dir",
                                 str(tmp_path)], input="Thanks!\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"callsim: --end-silence takes 0.2 to 3 seconds, not {value}; "
                             "e.g. --end-silence 1 to wait longer before the prospect answers\n")
    assert not (tmp_path / "callsim.db").exists()


def test_the_reply_audio_keeps_300_ms_before_the_first_word(spoken):
    word = spoken("How come you're not interested?")
    audio = concat(silence(1.0), word, silence(1.5))
    reply = SpokenReplies(iter([WavSource(audio)]), PocketSphinxRecognizer()).next_reply()
    first, last = loud_span(reply.audio)
    assert first / 16000 == pytest.approx(0.3 + (1.0 - reply.delay), abs=0.005)
    assert 0.25 <= first / 16000 <= 0.35  # the pre-roll, then the voice from its first sample
    assert (last - first) * 2 == len(word.pcm)  # the whole of it, nothing cut
    assert reply.audio.rate == 16000


@pytest.mark.parametrize("lead", [0.0, 0.05])
def test_a_word_starting_as_listening_starts_is_kept_whole(spoken, lead):
    word = spoken("How come you're not interested?")
    captured = listen(WavSource(concat(silence(lead), word, silence(1.5))))
    first, last = loud_span(captured.audio)
    assert captured.audio_offset == 0.0
    assert first == round(lead * 16000)
    assert (last - first) * 2 == len(word.pcm)


# -- the listening line -----------------------------------------------------------------------


class _Source:
    rate = 16000


def terminal(width: int = 60) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=width, color_system=None), out


def test_on_a_terminal_the_meter_and_words_stay_on_one_line_and_are_erased():
    console, out = terminal()
    turn = YourTurn(console)
    turn.begin(_Source())
    words = "thank you for your honesty and how come you're not interested at all these days"
    for index in range(100):  # 3 s of 30 ms frames, the words growing
        turn.update(0.6, words[: index + 1], 0.03)
    turn.end()
    console.print("Carl: We're covered.")
    text = out.getvalue()
    drawn = text.split(ERASE)
    assert drawn[0] == ""
    # The cue, a redraw per 4 frames (0.12 s: at least 0.1 s of audio), the erase.
    assert len(drawn) == 1 + 1 + 25 + 1
    assert all("\n" not in line for line in drawn[:-1])
    assert all(line.startswith("Your turn · listening… ") for line in drawn[1:-1])
    assert all(len(line) <= 59 for line in drawn[1:-1])  # never wraps at 60 columns
    # Level 0.6: 7 of 12 bar characters; the latest words, cut at the front to fit.
    assert drawn[-2] == "Your turn · listening… ███████      …sted at all these days"
    assert drawn[-1] == "Carl: We're covered.\n"  # the prospect's line starts a clean line


def test_when_piped_the_cue_is_one_line_and_no_meter_is_written():
    out = io.StringIO()
    turn = YourTurn(Console(file=out, width=60))
    turn.begin(_Source())
    for _ in range(100):
        turn.update(0.9, "thank you for", 0.03)
    turn.end()
    assert out.getvalue() == "Your turn: listening…\n"


def test_the_cue_tone_is_a_short_soft_beep():
    tone = cue_tone()
    first, last = loud_span(tone, threshold=100)
    assert tone.seconds == pytest.approx(0.12)
    assert max(abs(int.from_bytes(tone.pcm[i:i + 2], "little", signed=True))
               for i in range(0, len(tone.pcm), 2)) == pytest.approx(0.25 * 32767, rel=0.01)
    assert first > 0 and last < len(tone.pcm) // 2  # faded in and out: no click


def test_a_spoken_reply_through_spoken_replies_clears_its_line(spoken):
    console, out = terminal(80)
    audio = concat(silence(0.5), spoken("How come you're not interested?"), silence(1.5))
    reply = SpokenReplies(iter([WavSource(audio)]), PocketSphinxRecognizer(),
                          turn=YourTurn(console)).next_reply()
    assert reply.text == "how come you're not interested"
    assert out.getvalue().endswith(ERASE)
    assert "listening…              how come you're" in out.getvalue()  # shown while heard


# -- through the test sound server ---------------------------------------------------------


class PlayedAtTheCue(YourTurn):
    """The trainee starts speaking the moment the cue is shown."""

    def __init__(self, console, sink, reply: Audio, tone_sink=None):
        super().__init__(console, tone_sink)
        self.reply_sink, self.reply = sink, reply
        self.player: threading.Thread | None = None

    def begin(self, source) -> None:
        super().begin(source)
        self.cued_at = time.monotonic()
        self.player = threading.Thread(target=self.reply_sink.play, args=(self.reply,))
        self.player.start()


def reply_heard(mic, sink, audio: Audio, settings: EndpointSettings | None = None):
    """One reply from the microphone, `audio` played into it from the moment of the cue."""
    turn = PlayedAtTheCue(Console(file=io.StringIO()), sink, audio)
    mic.resume()
    reply = SpokenReplies(repeat(mic), PocketSphinxRecognizer(), settings, turn=turn).next_reply()
    turn.player.join()
    return reply


@pytest.fixture
def thinking_pause(spoken):
    return concat(spoken("Thank you for your honesty and"), silence(1.0),
                  spoken("how come you're not interested?"), silence(0.5))


@pytest.mark.sound
def test_a_thinking_pause_after_unfinished_words_keeps_one_reply(mic, sink, thinking_pause):
    reply = reply_heard(mic, sink, thinking_pause)
    # Words from both sides of the pause in the one reply (the general LM may mishear "honesty").
    assert {"thank", "come", "interested"} <= set(reply.text.split()), reply.text
    assert reply.duration > thinking_pause.seconds - 0.8


@pytest.mark.sound
def test_with_a_fixed_short_pause_the_same_reply_is_cut(mic, sink, thinking_pause):
    """The control: without adapting to the words, the 1 s pause ends the reply."""
    reply = reply_heard(mic, sink, thinking_pause, EndpointSettings(adaptive=False))
    assert "interested" not in reply.text.split()
    assert reply.duration < 2.5


@pytest.mark.sound
def test_a_word_started_at_the_cue_after_the_tone_is_not_clipped(mic, sink, spoken):
    word = spoken("How come you're not interested?")
    out = io.StringIO()
    # The quiet after the word is for the output stream, whose last ~0.15 s never plays.
    turn = PlayedAtTheCue(Console(file=out), sink, concat(word, silence(0.5)), tone_sink=sink)
    mic.resume()
    reply = SpokenReplies(repeat(mic), PocketSphinxRecognizer(), turn=turn).next_reply()
    turn.player.join()
    assert out.getvalue() == "Your turn: listening…\n"
    assert reply.text == "how come you're not interested"  # not the beep, not a clipped "how"
    first, last = loud_span(reply.audio)
    assert first > 0  # the audio starts before the voice: its onset is in the recording
    assert (last - first) / 16000 == pytest.approx(word.seconds, abs=0.05)  # all of it


@pytest.mark.sound
def test_practice_at_the_microphone_takes_end_silence(tmp_path, monkeypatch, sink, spoken):
    """Through the command: the cue, --end-silence and the microphone path, end to end. A 1.5 s
    pause after a finished question would end the reply by default; --end-silence 2 keeps it
    one, and the prospect agrees to the callback it asks for."""
    from simulator.storage.calls import CallStore

    reply = concat(spoken("How come you're not interested?"), silence(1.5),
                   spoken("Would you mind if I called you next week?"), silence(0.5))
    players: list[threading.Thread] = []
    cue = YourTurn.begin

    def cue_then_speak(turn, source):
        cue(turn, source)
        if not players:  # the first turn only
            players.append(threading.Thread(target=sink.play, args=(reply,)))
            players[0].start()

    monkeypatch.setattr(YourTurn, "begin", cue_then_speak)
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                                 "--no-voice", "--engine", "pocketsphinx", "--end-silence", "2",
                                 "--data-dir", str(tmp_path)])
    players[0].join()
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Your turn: listening…\n") == 1
    with CallStore.open(tmp_path) as store:
        (summary,) = store.list_calls()
        call = store.get_call(summary.call_id)
    assert [t.speaker for t in call.turns] == ["prospect", "trainee", "prospect"]
    assert call.outcome == "callback_agreed"
    words = set(call.turns[1].text.split())
    assert {"how", "come", "interested", "mind", "week"} <= words, call.turns[1].text
