"""How well word confidence tells misheard words, and FAILs resting on them, from right ones.

The labelled replies of benchmarks/asr_wer.py (tests/data/replies-dev.jsonl and
replies-team-1.jsonl, spoken by espeak-ng in four voices, half with a noise floor; the clips are
cached in the same folder as asr_wer.py's) go through the default recognizer: PocketSphinx with
the domain LM first and the general LM below asr_sphinx.FALLBACK_BELOW, each voice one call
(30 ms chunks, as from a microphone). Every recognized word is aligned with the typed words.

For each candidate threshold it prints
- words: the share of misheard words marked unsure (caught) and of right words marked (false);
- FAILs: a spoken FAIL whose typed reply PASSes the check is a wrong FAIL, one the typed reply
  fails too is a right FAIL; the share of each that simulator.scoring.unclear marks "heard
  unclearly" (the rule in use, with the words below that threshold unsure).
The chosen thresholds are simulator.scoring.confidence.UNSURE_BELOW; Vosk is measured the same
way when an English model is installed. Decoded words are kept in the cache folder (keyed by the
clips and the recognizer setup), so a change of the rule is measured again without decoding.

    .venv/bin/python benchmarks/word_confidence.py [--every 3] [--cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asr_wer import CHUNK_SECONDS, Clip, domain_model, labelled_set, render  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from simulator.scoring import confidence  # noqa: E402

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
Heard = list[tuple[str, float]]  # a reply's recognized words and their confidences


def plain_words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9']+", " ", text.lower()).split()


def decode(recognizers: dict, make, clips: list[Clip], cache: Path) -> list[Heard]:
    """Each clip's words; the clips of one voice go through one recognizer, in order."""
    heard = []
    for clip in clips:
        recognizer = recognizers.get(clip.voice) or recognizers.setdefault(clip.voice, make())
        pcm, rate = render(clip, cache)
        step = int(rate * CHUNK_SECONDS) * 2
        recognizer.live = False  # one clip is one whole reply
        recognizer.start(rate)
        for at in range(0, len(pcm), step):
            recognizer.accept(pcm[at:at + step])
        heard.append([(w.text, w.conf) for w in recognizer.finish().words])
    return heard


def decoded(engine: str, setup: str, make, clips: list[Clip], cache: Path) -> list[Heard]:
    """decode(), kept in `cache` under the clips and `setup` (what decides the words)."""
    key = hashlib.sha1(repr((engine, setup, [(c.text, c.voice, c.rate, c.noisy)
                                             for c in clips])).encode()).hexdigest()[:16]
    path = cache / f"words-{engine}-{key}.json"
    if path.exists():
        return [[(t, c) for t, c in reply] for reply in json.loads(path.read_text())]
    heard = decode({}, make, clips, cache)
    path.write_text(json.dumps(heard))
    return heard


def word_labels(truth: str, words: Heard) -> list[tuple[float, bool]]:
    """(confidence, heard right) of every recognized word."""
    heard = [" ".join(plain_words(text)) for text, _ in words]
    right = [False] * len(heard)
    for tag, _, _, start, end in Levenshtein.opcodes(plain_words(truth), heard):
        if tag == "equal":
            right[start:end] = [True] * (end - start)
    return [(conf, ok) for (_, conf), ok in zip(words, right, strict=True)]


def fail_tallies(clips: list[Clip], heard: list[Heard], engine: str,
                 threshold: float) -> tuple[int, int, int, int]:
    """(wrong FAILs, of them marked unclear, right FAILs, of them marked unclear)."""
    from simulator.scoring.scorer import score_text
    from simulator.scoring.unclear import score_heard
    from simulator.session.engines import Word

    saved = confidence.UNSURE_BELOW[engine]
    confidence.UNSURE_BELOW[engine] = threshold
    try:
        wrong = wrong_marked = right = right_marked = 0
        for clip, words in zip(clips, heard, strict=True):
            typed = score_text(clip.text)
            said = [Word(text, 0.0, 0.0, conf) for text, conf in words]
            spoken = score_heard([(" ".join(w.text for w in said), said, engine, ())])
            for check, result in spoken.checks.items():
                if result.verdict != "fail":
                    continue
                marked = result.heard == "unclear"
                if typed.checks[check].verdict == "pass":
                    wrong, wrong_marked = wrong + 1, wrong_marked + marked
                else:
                    right, right_marked = right + 1, right_marked + marked
        return wrong, wrong_marked, right, right_marked
    finally:
        confidence.UNSURE_BELOW[engine] = saved


def report(engine: str, clips: list[Clip], heard: list[Heard]) -> None:
    labelled = [pair for clip, words in zip(clips, heard, strict=True)
                for pair in word_labels(clip.text, words)]
    misheard = [conf for conf, ok in labelled if not ok]
    fine = [conf for conf, ok in labelled if ok]
    print(f"{engine}: {len(clips)} replies, {len(labelled)} words, {len(misheard)} misheard "
          f"(chosen threshold {confidence.UNSURE_BELOW.get(engine)})")
    print(f"  {'conf <':>7}{'misheard':>10}{'right':>8}   {'wrong FAILs':>16}"
          f"{'right FAILs':>17}   (marked unsure / heard unclearly)")
    for threshold in THRESHOLDS:
        caught = sum(conf < threshold for conf in misheard) / max(len(misheard), 1)
        false = sum(conf < threshold for conf in fine) / max(len(fine), 1)
        wrong, wrong_marked, right, right_marked = fail_tallies(clips, heard, engine, threshold)
        print(f"  {threshold:>7.1f}{caught:>10.1%}{false:>8.1%}   "
              f"{wrong_marked:>4}/{wrong:<4}{wrong_marked / max(wrong, 1):>7.1%}"
              f"{right_marked:>5}/{right:<4}{right_marked / max(right, 1):>7.1%}")


def whisper_report(clips: list[Clip], cache: Path) -> None:
    from simulator.models.paths import models_dir
    from simulator.models.whisper import chosen_whisper
    from simulator.voice.asr_whisper import WhisperRecognizer

    model = chosen_whisper(models_dir())
    if model is None:
        print("whisper: not installed (bash setup.sh install) - skipped")
        return
    heard = decoded("whisper", model.name, lambda: WhisperRecognizer(model), clips, cache)
    report("whisper", clips, heard)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=int, default=3, help="every Nth labelled reply "
                        "(default 3: 120 replies)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) /
                        "callsim-asr-bench", help="where clips and decoded words are kept")
    parser.add_argument("--engine", choices=("pocketsphinx", "whisper"), default=None,
                        help="only this recognizer (default: every one installed)")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    clips = labelled_set(quick=False)[::args.every]
    if args.engine in (None, "whisper"):
        whisper_report(clips, args.cache)
    if args.engine == "whisper":
        return
    from simulator.voice import asr_sphinx, sphinx_decoders

    domain = domain_model(None)
    setup = repr((domain.key, asr_sphinx.FALLBACK_BELOW, sphinx_decoders.CMN_INIT))
    heard = decoded("pocketsphinx", setup,
                    lambda: asr_sphinx.PocketSphinxRecognizer(domain=domain), clips, args.cache)
    report("pocketsphinx", clips, heard)
    from simulator.models.paths import models_dir
    from simulator.models.registry import english_model

    english = english_model(models_dir())
    if english is None:
        print("vosk: no English model installed (callsim models download) - skipped")
        return
    from simulator.voice.asr_vosk import VoskRecognizer

    heard = decoded("vosk", english.name, lambda: VoskRecognizer(english.path), clips, args.cache)
    report("vosk", clips, heard)


if __name__ == "__main__":
    main()
