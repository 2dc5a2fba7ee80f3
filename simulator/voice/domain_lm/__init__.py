"""The recognizer's domain language model: a trigram model of what sales replies on these calls
contain, so PocketSphinx hears "thank you for your honesty", not "for your august".

    from simulator.voice.domain_lm import domain_model
    model = domain_model(data_dir)        # built at first use, then found in <data dir>/lm/
    decoder = pocketsphinx.Decoder(lm=str(model.lm), dict=str(model.dictionary), ...)

DomainModel fields:
- lm: the binary trigram LM (PocketSphinx .lm.bin), for `Decoder(lm=...)` or `add_lm_file`;
- dictionary: the bundled cmudict-en-us.dict plus the added words, for `Decoder(dict=...)`
  (keeps every word of the general LM pronounceable, for a fallback search);
- words: only the added pronunciations (cmudict format, "whiteboard W AY T B AO R D"), for a
  decoder built on the bundled dictionary: `for w, p in model.added().items(): add_word(w, p)`;
- variants: second pronunciations of the LM's words (British and US, weak first sounds;
  variants.py), for `variants()`;
- key: the hash of the content the model came from (rubric, persona files, templates).

It is rebuilt whenever the rubric in use, a persona file or the templates change (about a
second), and kept per content key; a build that cannot be saved raises DomainModelError (a
ModelError), and the caller goes on with the general LM. Sources: corpus.py; estimation:
kneser_ney.py; pronunciations of words the dictionary lacks: pronounce.py; cache: build.py.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DomainModel", "domain_model"]


@dataclass(frozen=True)
class DomainModel:
    lm: Path
    dictionary: Path
    words: Path
    key: str
    variants_file: Path | None = None

    def added(self) -> dict[str, str]:
        """Word -> phones ("W AY T B AO R D") of the words the bundled dictionary lacks."""
        lines = self.words.read_text(encoding="utf-8").splitlines()
        return dict(line.split(" ", 1) for line in lines if line)

    def variants(self) -> dict[str, list[str]]:
        """Word -> its second pronunciations ("fair": ["F EH"])."""
        from simulator.voice.domain_lm.variants import read

        return read(self.variants_file) if self.variants_file else {}


def domain_model(data_dir: Path, *, rubric: Path | None = None,
                 personas: list[Path] | None = None) -> DomainModel:
    """The domain model for the rubric and personas in use, built if not cached yet.

    rubric: the rubric file (default: the one `find_rubric` picks for `data_dir`); personas:
    persona files or folders (default: the persona search path). Raises DomainModelError when
    the model cannot be built or saved.
    """
    from simulator.dialog.loader import persona_dirs, persona_files
    from simulator.scoring.rubric import RubricChoice, find_rubric, load_rubric_file
    from simulator.voice.domain_lm import build

    choice = RubricChoice(Path(rubric), "given") if rubric else find_rubric(data_dir=data_dir)
    files = persona_files(list(personas) if personas is not None else persona_dirs())
    key = build.source_key(choice.path, files)
    root = Path(data_dir) / build.LM_FOLDER
    folder = root / key
    if build.complete(folder):
        # Recently used: kept when older models are pruned (a read-only data dir still serves).
        with contextlib.suppress(OSError):
            os.utime(folder)
    else:
        folder = build.build(root, key, load_rubric_file(choice), files)
        build.prune(root, keep=key)
    return DomainModel(lm=folder / build.LM_FILE, dictionary=folder / build.DICTIONARY_FILE,
                       words=folder / build.WORDS_FILE, key=key,
                       variants_file=folder / build.VARIANTS_FILE)
