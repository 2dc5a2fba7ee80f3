"""Whisper (faster-whisper, CTranslate2 int8 on the CPU) decoding in a worker process.

The model loads once in the worker while the call starts (the briefing, the prospect's first
line), and each decode runs there: the call's process keeps reading the microphone, and a crash
of the native library costs a fallback, not the call. Decodes are asked for while the trainee
pauses (asr_whisper.py), so most are done by the time the turn ends.

Protocol: frames on stdin (one kind byte, a 4-byte little-endian length, the payload):
P(rompt) the vocabulary prompt for the following decodes (UTF-8, may be empty);
D(ecode) a 4-byte ticket, a byte (1: with the prompt, 0: without), then 16 kHz 16-bit mono
PCM. One JSON line on stdout per decode:
{"ticket": n, "segments": [...], "seconds": decode time, "cpu_seconds": CPU time per thread}
or {"ticket": n, "error": "..."};
{"ticket": n, "skipped": true} for a decode a newer one made stale before it began; and one
{"ready": true} or {"error": "..."} line once the model has loaded. EOF ends the worker.
"""

from __future__ import annotations

import json
import queue
import struct
import sys
import threading
import time

HEADER = struct.Struct("<cI")
TICKET = struct.Struct("<IB")  # the decode's ticket, and 1 to decode with the prompt, 0 without
SAMPLE_RATE = 16000


def decode_options(prompt: str | None, seconds: float) -> dict:
    """Deterministic decoding: greedy at temperature 0 only (no sampled fallback), each reply on
    its own (no previous text), words with timings and probabilities for the unsure marks. The
    tokens are capped by the audio's length (a fast talker says ~4 tokens a second): a loop on a
    tone or hum stops there instead of running to 448 tokens (seconds of decoding, thrown away)."""
    return {
        "max_new_tokens": min(224, int(8 * seconds) + 16),
        "language": "en",
        "task": "transcribe",
        "beam_size": 1,
        "temperature": 0.0,
        "condition_on_previous_text": False,
        "word_timestamps": True,
        "vad_filter": False,  # asr_whisper gates on webrtcvad already
        "initial_prompt": prompt or None,
    }


def segment_json(segment) -> dict:
    return {
        "text": segment.text,
        "start": round(float(segment.start), 3),
        "end": round(float(segment.end), 3),
        "no_speech_prob": float(segment.no_speech_prob),
        "avg_logprob": float(segment.avg_logprob),
        "compression_ratio": float(segment.compression_ratio),
        "words": [[w.word, round(float(w.start), 3), round(float(w.end), 3),
                   round(float(w.probability), 4)] for w in (segment.words or [])],
    }


# Whisper's encoder reads a fixed 30 s window, the reply padded with silence: for a 3 s reply
# most of the ~0.4 s it costs on two cores is spent on padding. CTranslate2 takes a shorter
# window, so the reply is padded to WINDOW_FRAMES (10 s; 100 mel frames a second) instead: the
# encoder costs a third, and on espeak-ng speech the words came out better, not worse (30 sales
# sentences: WER 16.0% -> 10.8%; with 60 longer labelled replies 47% -> 20%, the 30 s window
# looping on padding: "monster monster monster ..."). Measured by benchmarks/asr_wer.py.
WINDOW_FRAMES = 1000


def shorter_window() -> bool:
    """Pad to WINDOW_FRAMES (or the reply's own length, if longer) rather than 30 s. faster-
    whisper 1.2 pads in transcribe.generate_segments through its module's pad_or_trim; False
    (the 30 s window kept) if a later version does it otherwise."""
    import faster_whisper.transcribe as decoding

    full = getattr(decoding, "pad_or_trim", None)
    if full is None or getattr(full, "shortened", False):
        return full is not None

    def pad_to_window(array, length: int = 3000, *, axis: int = -1):
        return full(array, min(length, max(WINDOW_FRAMES, array.shape[axis])), axis=axis)

    pad_to_window.shortened = True
    decoding.pad_or_trim = pad_to_window
    return True


def load(model_path: str, threads: int):
    from faster_whisper import WhisperModel

    shorter_window()
    return WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=threads,
                        num_workers=1)


def main() -> None:
    from simulator.voice.child_process import worker_setup

    replies = worker_setup()

    def answer(reply: dict) -> None:
        replies.write(json.dumps(reply).encode("utf-8") + b"\n")
        replies.flush()

    model_path, threads = sys.argv[1], int(sys.argv[2])
    # Read requests from the start: while the model loads the caller's writes never block.
    requests: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue()
    threading.Thread(target=_read_requests, args=(sys.stdin.buffer, requests),
                     daemon=True).start()
    try:
        import numpy as np

        model = load(model_path, threads)
        answer({"ready": True})
    except Exception as exc:  # the parent falls back and says why
        answer({"error": f"{type(exc).__name__}: {exc}"})
        model = None
    prompt = None
    while (request := requests.get()) is not None:
        kind, payload = request
        if kind == b"P":
            prompt = payload.decode("utf-8", "replace")
            continue
        if kind != b"D":
            continue
        # A newer decode already waiting makes this one stale (the trainee spoke again, or the
        # turn ended): skip it rather than make the newer one wait behind it.
        while not requests.empty():
            newer = requests.get()
            if newer is None:
                requests.put(None)
                break
            if newer[0] == b"P":
                prompt = newer[1].decode("utf-8", "replace")
            elif newer[0] == b"D":
                answer({"ticket": TICKET.unpack(payload[:TICKET.size])[0], "skipped": True})
                payload = newer[1]
        ticket, prompted = TICKET.unpack(payload[:TICKET.size])
        if model is None:
            answer({"ticket": ticket, "error": "the model did not load"})
            continue
        started, cpu = time.perf_counter(), time.process_time()
        try:
            audio = np.frombuffer(payload[TICKET.size:], dtype="<i2").astype(np.float32)
            options = decode_options(prompt if prompted else None, len(audio) / SAMPLE_RATE)
            segments, _info = model.transcribe(audio / 32768.0, **options)
            found = [segment_json(s) for s in segments]
        except Exception as exc:
            answer({"ticket": ticket, "error": f"{type(exc).__name__}: {exc}"})
            continue
        answer({"ticket": ticket, "segments": found,
                "seconds": round(time.perf_counter() - started, 4),
                "cpu_seconds": round((time.process_time() - cpu) / threads, 4)})
    sys.exit(0)


def _read_requests(stdin, requests: queue.Queue) -> None:
    """Frames as they arrive, so the decoder can see whether a newer request is waiting."""
    while len(header := stdin.read(HEADER.size)) == HEADER.size:
        kind, size = HEADER.unpack(header)
        requests.put((kind, stdin.read(size)))
    requests.put(None)


if __name__ == "__main__":
    main()
