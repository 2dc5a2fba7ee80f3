"""The rubric: weights, phrase lists and advice, loaded from a YAML file trainers can edit.

Phrases are matched against normalized reply text (lower case, contractions expanded, fillers
dropped): a plain phrase matches those words, `(a|b)` offers alternatives, `?` makes the thing
before it optional, `{name}` inserts a word list from the rubric's `lexicon`.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulator.errors import Problem, RubricError
from simulator.scoring.text import CONTRACTIONS

DEFAULT_RUBRIC = Path(__file__).with_name("rubric.yaml")

CHECK_IDS: tuple[str, ...] = (
    "gratitude", "how_come_not_why", "i_free_questions", "permission_close", "explore_issues",
    "acknowledge", "no_pushing", "no_dead_end", "no_keep_us_in_mind", "opt_out",
)
# Detections matched from phrase lists; discovery_question and i_question are derived in code.
PHRASE_DETECTIONS: tuple[str, ...] = (
    "gratitude", "acknowledge", "why_question", "how_come", "explore_issues", "permission_close",
    "imposed_next_step", "pushing", "dead_end", "keep_us_in_mind", "opt_out", "goodbye",
)
_LEXICON_REF = re.compile(r"\{([a-z_]+)\}")
_WORDISH = re.compile(r"[a-z']+")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DetectionRule(_Strict):
    phrases: list[str] = Field(min_length=1)
    except_: list[str] = Field(default_factory=list, alias="except")
    scope: Literal["any", "question", "statement"] = "any"


class Advice(_Strict):
    pass_: str = Field(alias="pass", min_length=1)
    fail: str = Field(min_length=1)
    na: str = Field(default="Not applicable to this call.", alias="n/a")

    def for_verdict(self, verdict: str) -> str:
        return {"pass": self.pass_, "fail": self.fail}.get(verdict, self.na)


class Check(_Strict):
    title: str
    weight: float = Field(ge=0, le=100)
    advice: Advice


class Rubric(_Strict):
    version: Literal[1]
    pause_seconds: float = Field(default=0.5, gt=0, le=5)
    fuzzy_cutoff: float = Field(default=90, ge=70, le=100)
    lexicon: dict[str, list[str]] = Field(default_factory=dict)
    slips: dict[str, str] = Field(default_factory=dict)
    question_frames: list[str] = Field(min_length=1)
    small_talk: list[str] = Field(default_factory=list)
    detections: dict[str, DetectionRule]
    checks: dict[str, Check]

    @field_validator("detections")
    @classmethod
    def _known_detections(cls, value: dict[str, DetectionRule]):
        unknown = sorted(set(value) - set(PHRASE_DETECTIONS))
        missing = [name for name in PHRASE_DETECTIONS if name not in value]
        if unknown:
            known = ", ".join(PHRASE_DETECTIONS)
            raise ValueError(f"unknown detection {unknown[0]!r} (known: {known})")
        if missing:
            raise ValueError(f"missing detection {missing[0]!r}: every detection needs phrases")
        return value

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: dict[str, Check]):
        unknown = sorted(set(value) - set(CHECK_IDS))
        missing = [name for name in CHECK_IDS if name not in value]
        if unknown:
            raise ValueError(f"unknown check {unknown[0]!r} (known: {', '.join(CHECK_IDS)})")
        if missing:
            raise ValueError(f"missing check {missing[0]!r}: every check needs a weight and advice")
        return value

    def phrase_problems(self) -> list[tuple[tuple, str]]:
        """(location, message) for every phrase that does not compile."""
        found = []
        places = [(("question_frames", i), p) for i, p in enumerate(self.question_frames)]
        places += [(("small_talk", i), p) for i, p in enumerate(self.small_talk)]
        for name, rule in self.detections.items():
            places += [(("detections", name, "phrases", i), p) for i, p in enumerate(rule.phrases)]
            places += [(("detections", name, "except", i), p) for i, p in enumerate(rule.except_)]
        for loc, phrase in places:
            try:
                self.compile([phrase])
            except ValueError as exc:
                found.append((loc, str(exc)))
        return found

    def compile(self, phrases: list[str], where: str = "") -> re.Pattern[str] | None:
        if not phrases:
            return None
        parts = []
        for phrase in phrases:
            expanded = _LEXICON_REF.sub(lambda m: self._lexicon_group(m.group(1), where), phrase)
            parts.append(f"(?:{normalize_phrase(expanded).strip()})")
        try:
            return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")
        except re.error as exc:
            raise ValueError(f"phrase {phrases[0]!r} is not valid ({exc.msg}): check its brackets"
                             ) from None

    def _lexicon_group(self, name: str, where: str) -> str:
        if name not in self.lexicon:
            raise ValueError(f"unknown word list {{{name}}} (the lexicon has: "
                             f"{', '.join(sorted(self.lexicon)) or 'nothing'})")
        return "(?:" + "|".join(normalize_phrase(w) for w in self.lexicon[name]) + ")"

    @cached_property
    def patterns(self) -> dict[str, tuple[re.Pattern[str], re.Pattern[str] | None, str]]:
        return {name: (self.compile(rule.phrases), self.compile(rule.except_), rule.scope)
                for name, rule in self.detections.items()}

    @cached_property
    def frames(self) -> re.Pattern[str]:
        return self.compile(self.question_frames)

    @cached_property
    def small_talk_pattern(self) -> re.Pattern[str] | None:
        return self.compile(self.small_talk)

    @cached_property
    def vocabulary(self) -> tuple[str, ...]:
        """Long literal words of the phrase lists: the targets of fuzzy slip correction."""
        words: set[str] = set()
        texts = [p for rule in self.detections.values() for p in rule.phrases]
        texts += [w for values in self.lexicon.values() for w in values] + self.question_frames
        for text in texts:
            words.update(w for w in _WORDISH.findall(text.lower()) if len(w) >= 7 and "'" not in w)
        return tuple(sorted(words))

    @property
    def total_weight(self) -> float:
        return sum(check.weight for check in self.checks.values())


def normalize_phrase(phrase: str) -> str:
    """Write a rubric phrase the way replies are normalized (lower case, contractions expanded)."""
    phrase = phrase.lower().replace("’", "'")
    return _WORDISH.sub(lambda m: CONTRACTIONS.get(m.group(), m.group()), phrase)


_cache: dict[Path, Rubric] = {}


def load_rubric(path: Path | str | None = None) -> Rubric:
    """Load and validate a rubric (the shipped default when path is None); cached per path."""
    from simulator.yamlfile import load_model, locate

    resolved = Path(path) if path else DEFAULT_RUBRIC
    if resolved in _cache:
        return _cache[resolved]
    if not resolved.exists():
        raise RubricError([Problem(str(resolved), 1, 1,
                                   "no such rubric file: check the path given with --rubric")])
    rubric, marks = load_model(resolved, Rubric, RubricError)
    problems = [Problem(str(resolved), *locate(marks, loc), message)
                for loc, message in rubric.phrase_problems()]
    if problems:
        raise RubricError(problems)
    _cache[resolved] = rubric
    return rubric
