"""Second pronunciations for the domain words: as espeak-ng says them in US and British English.

cmudict has one American pronunciation for most words, and a rep who drops the r of "fair" or
"your", or says "understood" with a British vowel, is heard as other words ("fair enough" as
"really off"). The acoustic model is American, so these are the British and US sounds mapped
onto its phones (pronounce.arpabet), added beside the dictionary's own; and, for the words a
check turns on, a weak first sound ("thank you" heard as "and you"). Measured on 360 spoken
labelled replies (benchmarks/asr_wer.py, domain LM alone): verdict agreement with the typed
text 88.0% -> 88.3%, the British voice 84.7% -> 85.7%; gratitude misses 32 -> 28.

The shipped vocabulary's variants are kept in variants.dict (espeak takes ~3 s for ~2,000
words, longer than the rest of the build); a trainer's new words are derived at build time.
    .venv/bin/python -m simulator.voice.domain_lm.variants   # rewrites variants.dict
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from simulator.voice.domain_lm import pronounce
from simulator.voice.domain_lm.pronounce import IPA_TO_ARPABET

VOICES = ("en-us", "en-gb")
SHIPPED = Path(__file__).with_name("variants.dict")
FIRST_NUMBER = 20  # "fair(20)": past the dictionary's own alternates, which stop below 10
# British vowels espeak-ng writes that the US mapping lacks: their nearest American phones.
BRITISH = {"eə": "EH", "ʊə": "UH", "ɪə": "IH AH", "aɪə": "AY AH", "aʊə": "AW AH", "ɛː": "EH"}
# Words a check turns on whose first sound espeak's voices (and real speakers) swallow.
WEAK_ONSETS = {
    "thank": ["AE NG K", "T AE NG K", "F AE NG K"],
    "thanks": ["AE NG K S", "T AE NG K S", "F AE NG K S"],
}


def derive(words: Iterable[str]) -> dict[str, list[str]]:
    """Word -> its pronunciations in every voice, in VOICES order, without repeats."""
    words = sorted(set(words))
    found: dict[str, list[str]] = {}
    table = {**BRITISH, **IPA_TO_ARPABET}
    for voice in VOICES:
        for word, phones in pronounce.derive(words, voice, table).items():
            if phones not in found.setdefault(word, []):
                found[word].append(phones)
    return found


def read(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, phones = line.split(" ", 1)
            found.setdefault(word, []).append(phones)
    return found


def lines(found: dict[str, list[str]]) -> str:
    return "".join(f"{word} {phones}\n" for word in sorted(found) for phones in found[word])


def variants(vocabulary: Iterable[str], shipped: Path = SHIPPED) -> dict[str, list[str]]:
    """Word -> extra pronunciations for the words of `vocabulary`: the shipped file's, espeak's
    for words it lacks, and the weak-onset ones. The decoder drops repeats of its own."""
    vocabulary = set(vocabulary)
    known = read(shipped) if shipped.is_file() else {}
    found = {word: list(known[word]) for word in vocabulary if word in known}
    found.update(derive(word for word in vocabulary if word not in known))
    for word, extra in WEAK_ONSETS.items():
        if word in vocabulary:
            found.setdefault(word, []).extend(p for p in extra if p not in found[word])
    return found


def main() -> None:  # pragma: no cover - a maintainer's command, run by hand
    from simulator.dialog.loader import SHIPPED_DIR, persona_files
    from simulator.scoring.rubric import DEFAULT_RUBRIC, RubricChoice, load_rubric_file
    from simulator.voice.domain_lm import build

    rubric = load_rubric_file(RubricChoice(DEFAULT_RUBRIC, "shipped"))
    found, _added = build.pronounceable(build.sentences(rubric, persona_files([SHIPPED_DIR])))
    vocabulary = {word for words, _ in found for word in words}
    SHIPPED.write_text(lines(derive(vocabulary)), encoding="utf-8")
    print(f"{SHIPPED}: {len(vocabulary)} words")


if __name__ == "__main__":
    main()
