"""Shared by the voice tests: golden WAVs, chunked decoding like a live stream, and what the
test sound server played."""

from __future__ import annotations

import subprocess
import threading
import time
import wave
from contextlib import contextmanager
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


@contextmanager
def monitor_recording(rate: int = 16000):
    """What the null sink plays, as 16 kHz PCM: the list of bytes is complete on exit."""
    listener = subprocess.Popen(["parec", "-d", "callsim_null.monitor", "--raw",
                                 "--format=s16le", f"--rate={rate}", "--channels=1",
                                 "--latency-msec=50"],  # else parec hands over 2 s blocks
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    chunks: list[bytes] = []  # read as it comes: parec's pipe holds only ~2 s of audio
    reader = threading.Thread(target=lambda: chunks.extend(iter(
        lambda: listener.stdout.read1(65536), b"")), daemon=True)
    reader.start()
    started = time.monotonic()
    try:
        time.sleep(0.5)  # parec is reading before anything plays
        yield chunks
        # Real time in, real time out: wait until the monitor has delivered up to 0.5 s after
        # the clip ended, however late parec started or a loaded machine runs.
        wanted = (time.monotonic() - started + 0.5) * rate * 2
        deadline = time.monotonic() + 15
        while sum(map(len, chunks)) < wanted and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        listener.terminate()
        listener.wait(timeout=10)
        reader.join(timeout=10)
