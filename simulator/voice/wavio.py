"""WAV files and raw PCM helpers: any WAV in, mono 16-bit out, resampling and levels.

Audio is always `engines.Audio` (mono 16-bit PCM) once it leaves this module, so everything
downstream (VAD, recognizers, playback) handles one format only.
"""

from __future__ import annotations

import math
import os
import wave
from pathlib import Path

from simulator.errors import AudioError, InputError, require
from simulator.session.engines import Audio

SPEECH_RATE = 16000  # what the VAD and the recognizers are fed


def read_wav(path: str | Path) -> Audio:
    """Read a PCM WAV (8/16/24/32-bit, any channels) as mono 16-bit at the file's rate."""
    path = Path(path)
    try:
        with wave.open(str(path), "rb") as wav:
            channels = wav.getnchannels()
            width = wav.getsampwidth()
            rate = wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such WAV file") from exc
    except (wave.Error, EOFError) as exc:
        raise InputError(f"{path}: not a PCM WAV file ({exc}); convert it with: "
                         f"sox {path.name} -b 16 out.wav") from exc
    return Audio(pcm=_to_mono16(raw, width, channels), rate=rate)


def write_wav(path: str | Path, audio: Audio) -> None:
    """Write atomically (temp file + rename) so a crash never leaves a half-written WAV."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.rate)
        wav.writeframes(audio.pcm)
    os.replace(tmp, path)


def _to_mono16(raw: bytes, width: int, channels: int) -> bytes:
    np = require("numpy")
    if width == 1:  # 8-bit WAV is unsigned
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.int32) - 128) << 8
    elif width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.int32)
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.uint32)
        samples = ((b[:, 0] << 8) | (b[:, 1] << 16) | (b[:, 2] << 24)).view(np.int32) >> 16
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.int64) >> 16
    else:
        raise AudioError(f"unsupported WAV sample width of {width} bytes: use 16-bit PCM")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def resample(audio: Audio, rate: int) -> Audio:
    """Resample with soxr (high quality, deterministic); a no-op at the same rate."""
    if audio.rate == rate or not audio.pcm:
        return Audio(pcm=audio.pcm, rate=rate)
    np = require("numpy")
    soxr = require("soxr")
    samples = np.frombuffer(audio.pcm, dtype="<i2")
    out = soxr.resample(samples, audio.rate, rate)
    return Audio(pcm=np.asarray(out, dtype="<i2").tobytes(), rate=rate)


def peak(pcm: bytes) -> int:
    """Largest absolute sample value (0..32768)."""
    if not pcm:
        return 0
    np = require("numpy")
    return int(np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32)).max())


def level(pcm: bytes) -> float:
    """Loudness for a level meter: RMS in dBFS mapped from -60..0 dB onto 0.0..1.0."""
    if not pcm:
        return 0.0
    np = require("numpy")
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    rms = math.sqrt(float(np.mean(samples * samples))) / 32768.0
    if rms <= 0.0:
        return 0.0
    dbfs = 20.0 * math.log10(rms)
    return min(1.0, max(0.0, (dbfs + 60.0) / 60.0))


def silence(seconds: float, rate: int = SPEECH_RATE) -> Audio:
    return Audio(pcm=b"\x00\x00" * round(seconds * rate), rate=rate)


def concat(*parts: Audio) -> Audio:
    """Join clips of the same rate (e.g. silence + speech + silence in tests and demos)."""
    rates = {p.rate for p in parts}
    if len(rates) != 1:
        raise AudioError(f"cannot join audio of different rates {sorted(rates)}: resample first")
    return Audio(pcm=b"".join(p.pcm for p in parts), rate=rates.pop())
