"""Recorded replies (`--wav`): every file is checked before the call, a bad one is one line
naming it, and nothing is started or saved."""

from __future__ import annotations

import math
import struct
import wave

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.storage.calls import CallStore
from simulator.voice.wavio import read_wav

runner = CliRunner()
AGAIN = "record it again, or convert it with: sox {name} -r 16000 -c 1 -b 16 out.wav"


def write(path, frames: bytes = b"", rate: int = 16000, channels: int = 1, width: int = 2):
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return path


def tone(seconds: float = 1.0, rate: int = 16000) -> bytes:
    return b"".join(struct.pack("<h", round(8000 * math.sin(i / 8)))
                    for i in range(round(seconds * rate)))


def patched(path, at: int, value: bytes):
    data = bytearray(write(path, tone()).read_bytes())
    data[at:at + len(value)] = value
    path.write_bytes(bytes(data))
    return path


def no_frames(path):
    return write(path)


def three_bytes(path):
    return write(path, b"\x01\x02\x03")


def zero_hz(path):
    return patched(path, 24, (0).to_bytes(4, "little"))  # the fmt chunk's sample rate


def float_format(path):
    return patched(path, 20, (3).to_bytes(2, "little"))  # WAVE_FORMAT_IEEE_FLOAT


def cut_in_half(path):
    data = write(path, tone()).read_bytes()
    path.write_bytes(data[:len(data) // 2 + 1])  # and half-way into a sample
    return path


def header_cut(path):
    data = write(path, tone()).read_bytes()
    path.write_bytes(data[:30])  # RIFF/WAVE, then half of the fmt chunk
    return path


def text_file(path):
    path.write_text("not audio\n")
    return path


def fmt_id_damaged(path):
    """The 'fmt ' chunk's id is garbled and its size points past the end: the wave module
    raises a bare RuntimeError while skipping it."""
    data = bytearray(write(path, tone()).read_bytes())
    data[12:20] = b"fmX " + (1 << 20).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


BAD_WAVS = [
    (no_frames, "it holds no audio"),
    (three_bytes, "it holds less than 30 ms of audio"),
    (zero_hz, "its sample rate is 0 Hz (callsim takes 8,000 to 48,000 Hz)"),
    (lambda p: write(p, tone(1, 96000), rate=96000),
     "its sample rate is 96,000 Hz (callsim takes 8,000 to 48,000 Hz)"),
    (lambda p: write(p, tone() * 3, channels=3),
     "it has 3 channels (callsim takes mono or stereo)"),
    (cut_in_half, "it is cut short (its header announces 1.00 s of audio, it holds 0.50 s)"),
    (float_format, "not PCM audio (WAV format 3: float or compressed)"),
    (text_file, "not a WAV file (no RIFF/WAVE header)"),
    (header_cut, "its WAV header is cut short"),
    (fmt_id_damaged, "not a readable WAV file (its chunks are damaged)"),
]
IDS = ["no frames", "3 bytes", "0 Hz", "96 kHz", "3 channels", "cut in half", "float",
       "text", "header cut", "fmt id damaged"]


@pytest.fixture
def data_dir(tmp_path):
    """A store that already holds one call, so 'nothing new' is checked against something."""
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--text", "--data-dir",
                                 str(tmp_path / "data")], input="Thanks!\n")
    assert result.exit_code == 0, result.output
    return tmp_path / "data"


def call_ids(data_dir) -> list[str]:
    with CallStore.open(data_dir) as store:
        return [call.call_id for call in store.list_calls()]


@pytest.mark.parametrize(("make", "problem"), BAD_WAVS, ids=IDS)
@pytest.mark.parametrize("command", [["practice", "--persona", "covered-carl"], ["drill"]])
def test_a_bad_wav_is_refused_before_the_call_and_nothing_is_saved(tmp_path, data_dir, make,
                                                                   problem, command):
    before = call_ids(data_dir)
    good = write(tmp_path / "good.wav", tone())
    bad = make(tmp_path / "reply.wav")
    result = runner.invoke(app, [*command, "--no-voice", "--wav", str(good), "--wav", str(bad),
                                 "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"callsim: {bad}: {problem}; {AGAIN.format(name='reply.wav')}\n"
    assert call_ids(data_dir) == before


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p, "no such WAV file: {path}"),
    (lambda p: p.mkdir() or p, "cannot read the WAV file {path} (Is a directory); check the path"),
], ids=["missing", "a directory"])
def test_a_wav_that_cannot_be_opened(tmp_path, data_dir, make, message):
    path = make(tmp_path / "reply.wav")
    result = runner.invoke(app, ["practice", "--persona", "covered-carl", "--no-voice", "--wav",
                                 str(path), "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.stderr == f"callsim: {message.format(path=path)}\n"
    assert len(call_ids(data_dir)) == 1


@pytest.mark.parametrize(("rate", "channels", "width"), [
    (8000, 1, 1), (8000, 2, 2), (16000, 1, 2), (22050, 2, 3), (44100, 1, 4), (48000, 2, 2),
])
def test_any_pcm_wav_within_the_limits_reads_as_mono_16_bit(tmp_path, rate, channels, width):
    frames = round(0.5 * rate)
    sample = bytes(range(1, width + 1))  # a non-zero sample, the same on every channel
    audio = read_wav(write(tmp_path / "ok.wav", sample * channels * frames, rate, channels,
                           width))
    assert audio.rate == rate
    assert len(audio.pcm) == frames * 2
    assert len(set(struct.iter_unpack("<h", audio.pcm))) == 1
