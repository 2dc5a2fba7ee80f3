"""Word error rate and real-time factor of the recognizers on espeak-ng speech.

Synthesizes 20 sales replies with espeak-ng, streams each (30 ms chunks, as from a microphone)
through PocketSphinx without and with the noise floor, and through Vosk when an English model is
installed; prints WER and RTF (decode seconds / audio seconds; target <= 0.3).

    .venv/bin/python benchmarks/asr_wer.py [--voice en-us] [--rate 160]
    .venv/bin/python benchmarks/asr_wer.py --calibrate   # prints asr_sphinx.CMN_INIT's value
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from simulator.models.paths import models_dir  # noqa: E402
from simulator.models.registry import english_model  # noqa: E402
from simulator.voice import asr_sphinx  # noqa: E402

SENTENCES = [
    "thank you for your time i understand the budget is tight",
    "how come the price is the main concern for you",
    "what would need to change for this to make sense",
    "i hear you many of our clients felt the same way at first",
    "could we set up a short call next week to go through the numbers",
    "that makes sense what are you using right now",
    "if i could show you a way to save money would you be open to that",
    "how come you are happy with your current supplier",
    "i understand you are busy this will only take two minutes",
    "what is the biggest problem your team has today",
    "would it help if i sent you a short summary by email",
    "we can start with a small trial and no long contract",
    "who else would be part of this decision",
    "thank you for being honest with me",
    "can i ask what made you decide that",
    "most customers see the cost come back within six months",
    "let me send you the details and call you on friday",
    "is it the price or the timing that worries you",
    "fair enough when would be a better time to talk",
    "we work with many companies your size in this area",
]
CALIBRATION = [
    "The north wind and the sun were disputing which was the stronger, when a traveler came "
    "along wrapped in a warm cloak.",
    "They agreed that the one who first succeeded in making the traveler take his cloak off "
    "should be considered stronger than the other.",
]
CHUNK_SECONDS = 0.03


def synthesize(text: str, voice: str, rate: int, folder: Path) -> tuple[bytes, int]:
    path = folder / "clip.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True)
    with wave.open(str(path)) as wav:
        return wav.readframes(wav.getnframes()), wav.getframerate()


def transcribe(recognizer, pcm: bytes, rate: int) -> tuple[str, float]:
    step = int(rate * CHUNK_SECONDS) * 2
    began = time.perf_counter()
    recognizer.start(rate)
    for i in range(0, len(pcm), step):
        recognizer.accept(pcm[i:i + step])
    text = recognizer.finish().text
    return text, time.perf_counter() - began


def measure(label: str, recognizer, clips: list[tuple[str, bytes, int]]) -> None:
    errors = words = 0
    decode = audio = 0.0
    for truth, pcm, rate in clips:
        text, seconds = transcribe(recognizer, pcm, rate)
        errors += Levenshtein.distance(truth.split(), text.split())
        words += len(truth.split())
        decode += seconds
        audio += len(pcm) / 2 / rate
    print(f"{label:<34} WER {errors / words:6.1%}   RTF {decode / audio:.2f}")


def calibrate(voice: str, rate: int, folder: Path) -> None:
    """Start from the model's default mean and let it adapt over the passage."""
    recognizer = asr_sphinx.PocketSphinxRecognizer()
    decoder = asr_sphinx._shared_decoder()
    asr_sphinx.CMN_INIT = "40,3,-1"  # the model default
    for text in CALIBRATION:
        pcm, clip_rate = synthesize(text, voice, rate, folder)
        recognizer.start(clip_rate)  # starts from CMN_INIT: the mean after the previous part
        recognizer.accept(pcm)
        recognizer.finish()
        asr_sphinx.CMN_INIT = decoder.get_cmn()
    values = ",".join(f"{float(v):.2f}" for v in asr_sphinx.CMN_INIT.split(","))
    print(f'CMN_INIT = "{values}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default="en-us")
    parser.add_argument("--rate", type=int, default=160, help="espeak-ng words per minute")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.calibrate:
            calibrate(args.voice, args.rate, folder)
            return
        clips = [(s, *synthesize(s, args.voice, args.rate, folder)) for s in SENTENCES]
    seconds = sum(len(pcm) / 2 / rate for _, pcm, rate in clips)
    print(f"{len(clips)} sentences, {seconds:.0f} s of espeak-ng {args.voice} at {args.rate} wpm")
    asr_sphinx._shared_decoder()  # load outside the timed part
    measure("pocketsphinx, no noise floor", asr_sphinx.PocketSphinxRecognizer(
        noise_floor_db=None), clips)
    measure(f"pocketsphinx, floor -{asr_sphinx.NOISE_FLOOR_DB:.0f} dB",
            asr_sphinx.PocketSphinxRecognizer(), clips)
    english = english_model(models_dir())
    if english is None:
        print("vosk: no English model installed (callsim models download) - skipped")
    else:
        from simulator.voice.asr_vosk import VoskRecognizer

        measure(f"vosk ({english.name})", VoskRecognizer(english.path), clips)


if __name__ == "__main__":
    main()
