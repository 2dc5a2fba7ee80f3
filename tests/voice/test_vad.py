"""Finding a reply's start and end in real synthesized speech padded with silence."""

from __future__ import annotations

import wave

import pytest

from simulator.voice.capture import WavSource
from simulator.voice.vad import (
    END_OF_INPUT,
    MAX_LENGTH,
    NO_SPEECH,
    SILENCE,
    Endpointer,
    EndpointSettings,
    listen,
)
from simulator.voice.wavio import concat, silence

REPLY = "I understand. Many of our clients said the same before they saw the numbers."
TOLERANCE = 0.2  # seconds: espeak's own leading/trailing quiet plus 30 ms frames
FIXED = EndpointSettings(adaptive=False)  # 0.6 s ends a reply, whatever the words (none here)


def speech_span(audio):
    """Where the speech really is: first and last sample above a clear level (ground truth)."""
    import numpy as np

    samples = np.abs(np.frombuffer(audio.pcm, dtype="<i2").astype(np.int32))
    loud = np.nonzero(samples > 1000)[0]
    return loud[0] / audio.rate, (loud[-1] + 1) / audio.rate


@pytest.mark.parametrize("lead", [0.5, 2.0, 6.0])
@pytest.mark.parametrize("tail", [1.0, 3.0])
def test_start_and_end_are_found_around_real_speech(speech, lead, tail):
    reply = speech(REPLY)
    first, last = speech_span(reply)
    reply_audio = concat(silence(lead), reply, silence(tail))
    captured = listen(WavSource(reply_audio), FIXED)
    assert captured.reason == SILENCE
    assert captured.speech_start == pytest.approx(lead + first, abs=TOLERANCE)
    assert captured.speech_start + captured.duration == pytest.approx(lead + last, abs=TOLERANCE)
    # The reply stops being read end_silence after the speech, not at the end of the input.
    assert captured.heard == pytest.approx(lead + last + 0.6, abs=TOLERANCE)
    assert captured.audio.seconds == pytest.approx(captured.duration + 0.5, abs=0.05)


@pytest.mark.parametrize(("timeout", "lead"), [(8.0, 9.0), (3.0, 4.0), (1.0, 2.5)])
def test_no_first_word_within_the_allowance_ends_with_no_speech(speech, timeout, lead):
    audio = concat(silence(lead), speech(REPLY), silence(1.0))
    captured = listen(WavSource(audio), EndpointSettings(first_word_timeout=timeout))
    assert (captured.reason, captured.speech_start, captured.audio.pcm) == (NO_SPEECH, None, b"")
    assert captured.heard == pytest.approx(timeout, abs=0.031)


def test_a_slow_starter_inside_the_allowance_is_heard(speech):
    audio = concat(silence(7.0), speech(REPLY), silence(1.0))
    captured = listen(WavSource(audio))
    assert captured.reason == SILENCE
    assert captured.speech_start == pytest.approx(7.0 + speech_span(speech(REPLY))[0],
                                                  abs=TOLERANCE)


@pytest.mark.parametrize("max_reply", [1.0, 2.5])
def test_a_reply_is_cut_at_the_maximum_length(speech, max_reply):
    audio = concat(silence(0.5), speech(REPLY), silence(1.0))
    captured = listen(WavSource(audio), EndpointSettings(max_reply=max_reply))
    assert captured.reason == MAX_LENGTH
    assert captured.duration == pytest.approx(max_reply, abs=0.031)


@pytest.mark.parametrize(("gap", "end_silence", "replies"), [
    (0.3, 0.6, 2),  # a short pause inside the reply: both sentences belong to it
    (1.2, 0.6, 1),  # a long pause: the reply ended after the first sentence
    (1.2, 1.5, 2),  # unless the configured end-of-turn silence is longer
])
def test_pauses_shorter_than_end_silence_do_not_end_the_reply(speech, gap, end_silence, replies):
    one = speech("Not interested.")
    two = speech("We have a supplier already.")
    audio = concat(silence(0.5), one, silence(gap), two, silence(2.0))
    captured = listen(WavSource(audio), EndpointSettings(end_silence=end_silence,
                                                         adaptive=False))
    expected_end = 0.5 + (speech_span(one)[1] if replies == 1
                          else one.seconds + gap + speech_span(two)[1])
    assert captured.speech_start + captured.duration == pytest.approx(expected_end, abs=TOLERANCE)


def test_speech_running_to_the_end_of_a_file_ends_with_the_input(speech):
    audio = concat(silence(1.0), speech(REPLY))
    captured = listen(WavSource(audio))
    assert captured.reason == END_OF_INPUT
    end = 1.0 + speech_span(speech(REPLY))[1]
    assert captured.speech_start + captured.duration == pytest.approx(end, abs=TOLERANCE)


def test_chunk_sizes_do_not_change_the_result(speech):
    audio = concat(silence(1.0), speech(REPLY), silence(1.0))
    results = []
    for chunk in (2, 160, 480, 4001, len(audio.pcm)):  # bytes per feed
        endpointer = Endpointer()
        events = []
        for at in range(0, len(audio.pcm), chunk):
            events += endpointer.feed(audio.pcm[at : at + chunk])
        results.append(events)
    assert all(r == results[0] for r in results)
    assert [e.kind for e in results[0]] == ["start", "end"]


def test_on_frame_sees_every_frame_with_a_level(speech):
    audio = concat(silence(1.0), speech(REPLY), silence(1.0))
    seen: list[tuple[float, int]] = []
    captured = listen(WavSource(audio), on_frame=lambda lvl, pcm: seen.append((lvl, len(pcm))))
    assert sum(n for _, n in seen) / 2 / 16000 == pytest.approx(captured.heard)
    assert max(lvl for lvl, _ in seen[:30]) == 0.0  # the leading second of silence
    assert max(lvl for lvl, _ in seen) > 0.5  # speech
    assert all(0.0 <= lvl <= 1.0 for lvl, _ in seen)


@pytest.mark.parametrize(("rate", "channels", "width"), [(16000, 1, 2), (44100, 2, 2),
                                                           (22050, 1, 1), (48000, 2, 3)])
def test_any_wav_format_gives_the_same_reply(tmp_path, speech, rate, channels, width):
    import numpy as np

    from simulator.voice.wavio import resample

    reference = concat(silence(1.0), speech(REPLY), silence(1.0))
    converted = np.frombuffer(resample(reference, rate).pcm, dtype="<i2").astype(np.int32)
    if width == 1:
        raw = ((converted >> 8) + 128).astype(np.uint8).tobytes()
    elif width == 3:
        as32 = (converted << 16).astype("<i4").view(np.uint8).reshape(-1, 4)[:, 1:]
        raw = as32.tobytes()
    else:
        raw = converted.astype("<i2").tobytes()
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width)
    raw = np.repeat(frames, channels, axis=0).tobytes()
    path = tmp_path / "reply.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(raw)
    expected = listen(WavSource(reference))
    captured = listen(WavSource(path))
    assert WavSource(path).audio.seconds == pytest.approx(reference.seconds, abs=0.01)
    assert captured.speech_start == pytest.approx(expected.speech_start, abs=0.061)
    assert captured.duration == pytest.approx(expected.duration, abs=0.121)
