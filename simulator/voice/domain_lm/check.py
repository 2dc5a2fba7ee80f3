"""`personas validate` warnings: persona words the recognizer's dictionary cannot pronounce.

PocketSphinx drops such words silently; the domain model adds a pronunciation derived from
espeak-ng for them, which the trainer should know about (and check: a name may be said
otherwise), and a word nothing can pronounce will never be heard at all.
"""

from __future__ import annotations

from simulator.errors import Problem
from simulator.voice.domain_lm.corpus import persona_texts
from simulator.voice.domain_lm.pronounce import derive, known_words
from simulator.voice.domain_lm.text import words_of


def pronunciation_warnings(loaded) -> list[Problem]:
    """One located warning per word of the persona (a LoadedPersona) missing from the
    recognizer's dictionary, at its first use; [] when the recognizer is not installed."""
    from simulator.errors import MissingDependencyError

    try:
        known = known_words()
    except MissingDependencyError:
        return []  # no voice extras: nothing to recognize with, nothing to warn about
    first: dict[str, tuple] = {}
    for where, text, _times in persona_texts(loaded.persona):
        for word in words_of(text):
            if word not in known:
                first.setdefault(word, where)
    derived = derive(sorted(first))
    warnings = []
    for word, where in first.items():
        phones = derived.get(word)
        said = (f"one was derived ({phones.lower()})" if phones else
                "none could be derived, so it will not be heard: spell it as it sounds")
        message = (f"warning: '{word}' has no pronunciation in the recognizer's dictionary; "
                   f"{said}")
        warnings.append(loaded.problem(where, message, at_key=False))
    return sorted(warnings, key=lambda p: (p.line, p.column, p.message))
