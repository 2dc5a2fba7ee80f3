"""Pronunciations for words the recognizer's dictionary lacks, derived from espeak-ng.

PocketSphinx silently drops a language model word it cannot pronounce ("onboarding",
"whiteboard"), so such words get one: espeak-ng's IPA for the word, mapped onto the acoustic
model's phones (CMU ARPAbet, the phones of cmudict-en-us.dict). A word with a sound the mapping
does not know gets none and is left out of the model.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from simulator.errors import require

ESPEAK_VOICE = "en-us"  # the acoustic model is US English
# espeak-ng's IPA (en-us) -> ARPAbet; longest symbols first. Length marks are part of a vowel.
IPA_TO_ARPABET = {
    "aɪə": "AY ER", "aɪɚ": "AY ER", "aʊɚ": "AW ER", "oːɹ": "AO R", "ɔːɹ": "AO R", "ɑːɹ": "AA R",
    "ɛɹ": "EH R", "ɪɹ": "IH R", "ʊɹ": "UH R", "iə": "IY AH", "ɜː": "ER", "ɚ": "ER", "ɝ": "ER",
    "aɪ": "AY", "aʊ": "AW", "eɪ": "EY", "oʊ": "OW", "əʊ": "OW", "ɔɪ": "OY", "tʃ": "CH",
    "dʒ": "JH", "ɑː": "AA", "ɔː": "AO", "iː": "IY", "uː": "UW", "oː": "AO", "ɑ": "AA",
    "ɒ": "AA", "æ": "AE", "a": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH", "ᵻ": "IH", "ɔ": "AO",
    "ɛ": "EH", "e": "EH", "ɪ": "IH", "i": "IY", "ʊ": "UH", "u": "UW", "o": "OW", "b": "B",
    "d": "D", "f": "F", "ɡ": "G", "g": "G", "h": "HH", "j": "Y", "k": "K", "l": "L", "m": "M",
    "n": "N", "ŋ": "NG", "p": "P", "ɹ": "R", "r": "R", "s": "S", "ʃ": "SH", "t": "T",
    "θ": "TH", "ð": "DH", "v": "V", "w": "W", "z": "Z", "ʒ": "ZH", "ɾ": "T", "ʔ": "T",
    "x": "K", "ɬ": "L", "n̩": "AH N", "l̩": "AH L",
}
_LONGEST = max(map(len, IPA_TO_ARPABET))
IGNORED = set("ˈˌ.‿ː-") | {"\u0329", "\u0303", "\u02de"}  # stress, syllables, diacritics


@functools.cache
def dictionary_path() -> Path:
    """The bundled PocketSphinx dictionary (cmudict-en-us.dict)."""
    pocketsphinx = require("pocketsphinx")
    return Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"


@functools.cache
def known_words() -> frozenset[str]:
    """Every word the bundled dictionary can pronounce (alternates like 'read(2)' folded)."""
    with open(dictionary_path(), encoding="utf-8") as lines:
        return frozenset(line.split(" ", 1)[0].split("(", 1)[0] for line in lines)


def arpabet(ipa: str, table: dict[str, str] = IPA_TO_ARPABET) -> str | None:
    """'wˈaɪtboːɹd' -> 'W AY T B AO R D', or None if a sound has no ARPAbet phone."""
    longest = _LONGEST if table is IPA_TO_ARPABET else max(map(len, table))
    phones: list[str] = []
    at = 0
    while at < len(ipa):
        if ipa[at] in IGNORED:
            at += 1
            continue
        for size in range(min(longest, len(ipa) - at), 0, -1):
            phone = table.get(ipa[at:at + size])
            if phone:
                break
        else:
            return None
        for one in phone.split():
            if not phones or one != phones[-1] or one not in ("R", "T", "D", "L", "N"):
                phones.append(one)  # "ɑːɹɹ": one R
        at += size
    return " ".join(phones) or None


def derive(words: list[str], voice: str = ESPEAK_VOICE,
           table: dict[str, str] = IPA_TO_ARPABET) -> dict[str, str]:
    """Word -> phones for each of `words` espeak-ng `voice` can pronounce (one process for all)."""
    if not words:
        return {}
    try:
        done = subprocess.run(
            ["espeak-ng", "-q", "--ipa", "-v", voice], input="\n".join(words) + "\n",
            capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return {}  # no espeak-ng: such words are left out, as PocketSphinx would do anyway
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if len(lines) != len(words):  # a line espeak split or merged: ask word by word
        return {w: p for word in words for w, p in derive_one(word, voice, table).items()}
    found = {word: arpabet(ipa.replace(" ", ""), table)
             for word, ipa in zip(words, lines, strict=True)}
    return {word: phones for word, phones in found.items() if phones}


def derive_one(word: str, voice: str = ESPEAK_VOICE,
               table: dict[str, str] = IPA_TO_ARPABET) -> dict[str, str]:
    try:
        done = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", voice, word],
                              capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return {}
    phones = arpabet(done.stdout.strip().replace(" ", ""), table)
    return {word: phones} if phones else {}
