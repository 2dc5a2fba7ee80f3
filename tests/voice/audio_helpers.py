"""Shared by the recognizer tests: golden WAVs and chunked decoding like a live stream."""

from __future__ import annotations

import wave
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def read_golden(name: str) -> tuple[bytes, int]:
    with wave.open(str(DATA / f"{name}.wav")) as wav:
        return wav.readframes(wav.getnframes()), wav.getframerate()


def decode(recognizer, pcm: bytes, rate: int, chunk_seconds: float = 0.03):
    """Feed `pcm` in small chunks; return (transcript, partials)."""
    step = int(rate * chunk_seconds) * 2
    recognizer.start(rate)
    partials = [recognizer.accept(pcm[i:i + step]) for i in range(0, len(pcm), step)]
    return recognizer.finish(), partials
