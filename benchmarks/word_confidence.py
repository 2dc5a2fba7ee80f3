"""How well a recognizer's word confidence tells misheard words from right ones.

Synthesizes sales replies with espeak-ng in several voices, decodes each through the recognizer
(30 ms chunks, as from a microphone), aligns the words with the script and prints, for each
candidate threshold, the share of misheard words marked unsure (caught) and the share of right
words marked unsure (false alarms). The chosen thresholds are
simulator.scoring.confidence.UNSURE_BELOW; Vosk is measured when an English model is installed.

    .venv/bin/python benchmarks/word_confidence.py [--voices en-us+m3,en-gb+m1,...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from simulator.scoring.confidence import UNSURE_BELOW  # noqa: E402

SENTENCES = [
    "thank you for your honesty what issues are you facing with dispatch",
    "i hear you would you mind if i called you next week",
    "thank you for letting me know how come you are happy with your current supplier",
    "fair enough what are your biggest challenges right now",
    "i appreciate you being straight with me is it the price or the timing",
    "would it be ok if i checked back in a few months or should i never call again",
    "thanks for your time what would need to change for this to make sense",
    "that makes sense how is onboarding going for new drivers",
    "i understand you are busy may i send you a short summary by email",
    "thank you for telling me how come the budget is the main concern",
    "no problem at all what keeps you up at night about your fleet",
    "i can appreciate that would you be open to a quick call in march",
]
VOICES = "en-us+m3,en-us+f2,en-us+m7,en-gb+m1"
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CHUNK_SECONDS = 0.03


def speech(text: str, voice: str):
    import subprocess
    import tempfile

    from simulator.voice.wavio import read_wav, resample

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(path), text],
                       check=True)
        return resample(read_wav(path), 16000)


def labelled_words(recognizer, truth: str, audio) -> list[tuple[float, bool]]:
    """(confidence, heard right) for every recognized word."""
    step = int(audio.rate * CHUNK_SECONDS) * 2
    recognizer.start(audio.rate)
    for at in range(0, len(audio.pcm), step):
        recognizer.accept(audio.pcm[at:at + step])
    words = recognizer.finish().words
    heard = [w.text.lower() for w in words]
    right = [False] * len(heard)
    for tag, _, _, dest_start, dest_end in Levenshtein.opcodes(truth.split(), heard):
        if tag == "equal":
            right[dest_start:dest_end] = [True] * (dest_end - dest_start)
    return [(w.conf, ok) for w, ok in zip(words, right, strict=True)]


def report(name: str, labelled: list[tuple[float, bool]]) -> None:
    wrong = [conf for conf, ok in labelled if not ok]
    fine = [conf for conf, ok in labelled if ok]
    print(f"{name}: {len(labelled)} words, {len(wrong)} misheard "
          f"(chosen threshold {UNSURE_BELOW.get(name)})")
    for threshold in THRESHOLDS:
        caught = sum(conf < threshold for conf in wrong) / max(len(wrong), 1)
        false = sum(conf < threshold for conf in fine) / max(len(fine), 1)
        print(f"  conf < {threshold:.1f}: misheard marked {caught:6.1%}   right words marked "
              f"{false:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", default=VOICES)
    args = parser.parse_args()
    clips = [(text, speech(text, voice)) for voice in args.voices.split(",")
             for text in SENTENCES]
    from simulator.voice.asr_sphinx import PocketSphinxRecognizer

    recognizers = [PocketSphinxRecognizer()]
    from simulator.models.paths import models_dir
    from simulator.models.registry import english_model

    english = english_model(models_dir())
    if english is not None:
        from simulator.voice.asr_vosk import VoskRecognizer

        recognizers.append(VoskRecognizer(english.path))
    else:
        print("vosk: no English model installed (callsim models download) - skipped")
    for recognizer in recognizers:
        labelled = [pair for text, audio in clips
                    for pair in labelled_words(recognizer, text, audio)]
        report(recognizer.name, labelled)


if __name__ == "__main__":
    main()
