"""The PocketSphinx decoders one process shares: the general one and one per domain model.

The general decoder (the wheel's en-us LM and full dictionary) also holds the JSGF grammars of
drills and demos. A domain model gets its own decoder with a dictionary of just its words: its
LM loaded against the full 134,000-word dictionary takes 1-2 s, against its own words 50 ms, and
the two searches never share an utterance anyway.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from simulator.errors import ModelError, require
from simulator.session.engines import Word

DECODER_RATE = 16000  # the bundled acoustic model is 16 kHz
# Cepstral mean after espeak-ng en-us reading "The North Wind and the Sun" with the noise floor:
# where every call starts (a call then carries the mean from reply to reply).
CMN_INIT = "61.44,-2.60,-1.79,12.62,-2.52,-0.74,-4.41,-16.46,-8.37,-5.13,3.82,1.22,-5.66"
# No second (fwdflat) pass: it costs ~300 ms at the end of every reply, the time the trainee
# waits for the prospect, for ~2 points of word error rate. A tighter HMM limit keeps the final
# lattice search short (same error rate on sales replies).
_SETTINGS = dict(samprate=DECODER_RATE, loglevel="FATAL", cmninit=CMN_INIT, remove_noise=False,
                 fwdflat=False, maxhmmpf=6000)
_REINSTALL = ".venv/bin/pip install --force-reinstall pocketsphinx"
_ARPA_SECTION = re.compile(r"^\\(\d)-grams:$")
_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"
FRAMES_PER_SECOND = 100  # pocketsphinx's default frame rate, for segment timings

_general = None  # building it loads the models (about half a second)
_grammars: set[str] = set()
_domain: dict[tuple[str, str], object] = {}  # (model key, LM file) -> its decoder


class DomainModel(Protocol):
    """What simulator.voice.domain_lm builds: a binary LM, pronunciations it adds, a content key."""

    lm: Path
    key: str

    def added(self) -> dict[str, str]:
        """Word -> phones of the words the bundled dictionary lacks."""
        ...

    def variants(self) -> dict[str, list[str]]:
        """Word -> second pronunciations of the LM's words."""
        ...


def general_decoder():
    """The decoder with PocketSphinx's general English LM (one per process)."""
    global _general
    if _general is None:
        ps = require("pocketsphinx")
        try:
            _general = ps.Decoder(**_SETTINGS)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load the PocketSphinx model ({exc}); reinstall it with: "
                             f"{_REINSTALL}") from exc
    return _general


def decoded_words(decoder) -> list[Word]:
    """The words of the utterance `decoder` has just ended, with times and posteriors."""
    return [
        Word(
            clean_word(seg.word),
            seg.start_frame / FRAMES_PER_SECOND,
            (seg.end_frame + 1) / FRAMES_PER_SECOND,
            min(max(float(seg.prob), 0.0), 1.0),
        )
        for seg in decoder.seg() or ()  # None when no audio was decoded
        if is_word(seg.word)
    ]


def clean_word(token: str) -> str:
    return _ALTERNATE.sub("", token)


def is_word(token: str) -> bool:
    """Skip <s>, </s>, <sil> and fillers such as [NOISE] or ++BREATH++."""
    return bool(token) and token[0] not in "<[+"


def grammar_search(jsgf: str) -> str:
    """The general decoder's search for this JSGF grammar, added on first use."""
    decoder = general_decoder()
    name = "jsgf-" + hashlib.sha1(jsgf.encode()).hexdigest()[:12]
    if name not in _grammars:
        try:
            decoder.add_jsgf_string(name, jsgf)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"invalid JSGF grammar ({exc}); every word must be in the "
                             f"PocketSphinx dictionary") from exc
        _grammars.add(name)
    return name


def domain_decoder(model: DomainModel):
    """A decoder for `model`'s LM and words (one per model per process).

    Raises ModelError when the LM cannot be read (the caller falls back to the general LM).
    """
    key = (model.key, str(model.lm))
    if key not in _domain:
        ps = require("pocketsphinx")
        handle, dict_path = tempfile.mkstemp(prefix="callsim-", suffix=".dict")
        try:
            lines = _dictionary_lines(lm_vocabulary(Path(model.lm)), model.added(),
                                       model.variants())
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.writelines(lines)
            _domain[key] = ps.Decoder(**_SETTINGS, lm=str(model.lm), dict=dict_path)
        except (RuntimeError, ValueError, OSError) as exc:
            raise _unreadable(Path(model.lm)) from exc
        finally:
            os.unlink(dict_path)
    return _domain[key]


def lm_vocabulary(lm: Path) -> list[str]:
    """The words of a binary (or ARPA) LM, from its ARPA text (the bindings list no words)."""
    ps = require("pocketsphinx")
    try:
        model = ps.NGramModel.readfile(str(lm))
        with tempfile.TemporaryDirectory(prefix="callsim-") as folder:
            arpa = Path(folder) / "lm.arpa"
            model.write(str(arpa), ps.NGramModel.str_to_type("arpa"))
            text = arpa.read_text(encoding="utf-8", errors="replace")
    except (RuntimeError, ValueError, OSError) as exc:
        raise _unreadable(lm) from exc
    words, section = [], 0
    for line in text.splitlines():
        header = _ARPA_SECTION.match(line.strip())
        if header:
            section = int(header.group(1))
        elif section == 1 and line.strip():
            fields = line.split()
            if len(fields) >= 2 and not fields[1].startswith("<"):
                words.append(fields[1])
        elif section > 1:
            break
    return words


def _unreadable(lm: Path) -> ModelError:
    return ModelError(f"cannot read the sales language model {lm} (damaged?); delete it to have "
                      f"it rebuilt")


def _dictionary_lines(words: list[str], added: dict[str, str],
                      variants: dict[str, list[str]] | None = None) -> list[str]:
    """Dictionary entries for `words`: the general dictionary's pronunciations (alternates too),
    else the domain model's own; words with neither are left out (PocketSphinx skips them).
    Then each word's second pronunciations that are not among them yet."""
    general = general_decoder()
    lines = []
    for word in words:
        phones = general.lookup_word(word)
        if phones is None:
            if word not in added:
                continue
            phones = added[word]
        said = [phones]
        for alternate in range(2, 10):
            phones = general.lookup_word(f"{word}({alternate})")
            if phones is None:
                break
            said.append(phones)
        said += [p for p in dict.fromkeys((variants or {}).get(word, ())) if p not in said]
        lines += [f"{word} {said[0]}\n"] + [f"{word}({n}) {phones}\n"
                                            for n, phones in enumerate(said[1:], 2)]
    return lines
