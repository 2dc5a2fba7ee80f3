"""How much a minute of recorded reply takes in the call database (FLAC, 16 kHz, 16-bit mono).

Sales replies spoken by espeak-ng in three voices, clean and with a noise floor 25 and 40 dB
below the speech peak (a seeded Gaussian hiss), encoded as `callsim` keeps them; prints bytes
per minute and the share of the raw PCM (1,920,000 bytes a minute), and checks each clip reads
back sample for sample. Then the size of a trainee's HTML report (`callsim report --trainee`)
with 10 typed calls whose replies are all recorded (REPLIES in the first voice), with its audio
players and with `--no-audio`.

    .venv/bin/python benchmarks/recording_size.py
"""

from __future__ import annotations

import json
import random
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.session.engines import Audio, VoiceSettings  # noqa: E402
from simulator.storage.recordings import decode, encode  # noqa: E402
from simulator.voice.tts import EspeakSynthesizer  # noqa: E402
from simulator.voice.wavio import resample  # noqa: E402

REPLIES = [
    "Thank you for your honesty. I hear you. What issues are you facing with dispatch?",
    "How come you're not interested? Would you mind if I called you next week?",
    "That makes sense. If now is not a good time, just say so and I will not call again.",
]
VOICES = [VoiceSettings(rate=150, variant="en-us"),
          VoiceSettings(rate=170, gender="female", variant="en-us"),
          VoiceSettings(rate=160, variant="en-gb")]
PCM_PER_MINUTE = 16000 * 2 * 60


def with_noise(audio: Audio, below_db: float, rng: random.Random) -> Audio:
    samples = struct.unpack(f"<{len(audio.pcm) // 2}h", audio.pcm)
    sigma = max(abs(s) for s in samples) * 10 ** (-below_db / 20) / 3
    noisy = [max(-32768, min(32767, round(s + rng.gauss(0, sigma)))) for s in samples]
    return Audio(struct.pack(f"<{len(noisy)}h", *noisy), audio.rate)


def main() -> None:
    synth = EspeakSynthesizer()
    clean = [resample(synth.render(text, voice), 16000) for voice in VOICES for text in REPLIES]
    for label, below in (("clean", None), ("noise 40 dB down", 40.0), ("noise 25 dB down", 25.0)):
        rng = random.Random(1)
        clips = clean if below is None else [with_noise(a, below, rng) for a in clean]
        started = time.perf_counter()
        encoded = [encode(audio, 0) for audio in clips]
        seconds_to_encode = time.perf_counter() - started
        assert all(decode(r, "benchmark") == a for r, a in zip(encoded, clips, strict=True))
        speech = sum(a.seconds for a in clips)
        per_minute = sum(len(r.data) for r in encoded) / speech * 60
        print(f"{label:17} {per_minute / 1e6:5.2f} MB per minute of speech "
              f"({per_minute / PCM_PER_MINUTE:.0%} of PCM); encoding "
              f"{seconds_to_encode / speech * 1000:.1f} ms per second of speech")


REPORT_CALLS = 10


def trainee_report_size(synth: EspeakSynthesizer) -> None:
    from typer.testing import CliRunner

    from simulator.cli.app import app
    from simulator.report import trainee_report
    from simulator.storage.calls import CallStore
    from simulator.storage.recordings import save_recording

    spoken = {text: resample(synth.render(text, VOICES[0]), 16000) for text in REPLIES}
    with tempfile.TemporaryDirectory() as data:
        replies = speech = 0
        for seed in range(1, REPORT_CALLS + 1):
            done = CliRunner().invoke(app, [
                "practice", "--persona", "covered-carl", "--text", "--seed", str(seed),
                "--trainee", "ana", "--json", "--data-dir", data],
                input="".join(f"{text}\n" for text in REPLIES))
            call = json.loads(done.stdout)
            with CallStore.open(data) as store:
                for turn in call["turns"]:
                    if turn["speaker"] == "trainee" and turn["text"] in spoken:
                        save_recording(store, call["call_id"], turn["index"],
                                       spoken[turn["text"]])
                        replies += 1
                        speech += spoken[turn["text"]].seconds
        with CallStore.open(data) as store:
            full, bare = (len(trainee_report(store, "ana", audio=audio).encode())
                          for audio in (True, False))
    print(f"trainee report, {REPORT_CALLS} calls, {replies} recorded replies ({speech:.0f} s of "
          f"speech): {full / 1e6:.2f} MB with players, {bare / 1e3:.0f} kB with --no-audio")


if __name__ == "__main__":
    main()
    trainee_report_size(EspeakSynthesizer())
