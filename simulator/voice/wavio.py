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
MIN_RATE, MAX_RATE = 8000, 48000  # telephone to studio; anything else is a damaged header
MAX_CHANNELS = 2
MIN_SECONDS = 0.03  # one VAD frame: less is not a reply


def read_wav(path: str | Path) -> Audio:
    """Read a PCM WAV (8/16/24/32-bit, mono or stereo, 8-48 kHz) as mono 16-bit at its rate.

    Everything is checked here, before a call starts, so a damaged or odd file is one line
    naming the file and what is wrong with it, never a failure half-way through the call.
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            head = file.read(12)
            if head[:4] != b"RIFF" or head[8:] != b"WAVE":
                raise _bad_wav(path, "not a WAV file (no RIFF/WAVE header)")
            file.seek(0)
            with wave.open(file, "rb") as wav:
                channels, width = wav.getnchannels(), wav.getsampwidth()
                rate, frames = wav.getframerate(), wav.getnframes()
                _check_format(path, channels, width, rate)
                raw = wav.readframes(frames)
    except FileNotFoundError:
        raise InputError(f"no such WAV file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read the WAV file {path} ({exc.strerror or exc}); check "
                         "the path") from None
    except EOFError:
        raise _bad_wav(path, "its WAV header is cut short") from None
    except wave.Error as exc:
        code = str(exc).removeprefix("unknown format: ")
        problem = (f"not PCM audio (WAV format {code}: float or compressed)" if code.isdigit()
                   else f"its WAV header is damaged ({exc})")
        raise _bad_wav(path, problem) from None
    except InputError:
        raise
    except Exception:  # the wave module's own slips on damaged chunks, e.g. a bare RuntimeError
        raise _bad_wav(path, "not a readable WAV file (its chunks are damaged)") from None
    _check_audio(path, raw, frames, channels * width, rate)
    return Audio(pcm=_to_mono16(raw, width, channels), rate=rate)


def _check_format(path: Path, channels: int, width: int, rate: int) -> None:
    if not 1 <= channels <= MAX_CHANNELS:
        raise _bad_wav(path, f"it has {channels} channels (callsim takes mono or stereo)")
    if not 1 <= width <= 4:
        raise _bad_wav(path, f"it has {width * 8}-bit samples (callsim takes 8, 16, 24 or 32-bit)")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise _bad_wav(path, f"its sample rate is {rate:,} Hz (callsim takes {MIN_RATE:,} to "
                             f"{MAX_RATE:,} Hz)")  # fmt: skip


def _check_audio(path: Path, raw: bytes, frames: int, frame_bytes: int, rate: int) -> None:
    if len(raw) % frame_bytes or len(raw) < frames * frame_bytes:
        raise _bad_wav(path, f"it is cut short (its header announces {frames / rate:.2f} s of "
                             f"audio, it holds {len(raw) / frame_bytes / rate:.2f} s)")  # fmt: skip
    if frames < MIN_SECONDS * rate:
        held = f"less than {MIN_SECONDS * 1000:.0f} ms of audio" if frames else "no audio"
        raise _bad_wav(path, f"it holds {held}")


def _bad_wav(path: Path, problem: str) -> InputError:
    return InputError(f"{path}: {problem}; record it again, or convert it with: "
                      f"sox {path.name} -r 16000 -c 1 -b 16 out.wav")


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
