"""The rubric: weights, phrase lists and advice, loaded from a YAML file trainers can edit.

Phrases are matched against normalized reply text (lower case, contractions expanded, fillers
dropped): a plain phrase matches those words, `(a|b)` offers alternatives, `?` makes the thing
before it optional, `{name}` inserts a word list from the rubric's `lexicon`.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from simulator.errors import Problem, RubricError, shorten
from simulator.scoring.backtracking import check_phrase
from simulator.scoring.matcher import PhraseMatcher
from simulator.scoring.words import CONTRACTIONS
from simulator.yamlfile import FileFormat, Marks, load_model, suggest

DEFAULT_RUBRIC = Path(__file__).with_name("rubric.yaml")
RUBRIC_ENV = "CALLSIM_RUBRIC"
RUBRIC_FILENAME = "rubric.yaml"  # a trainer's rubric in the data directory

CHECK_IDS: tuple[str, ...] = (
    "gratitude", "how_come_not_why", "i_free_questions", "permission_close", "explore_issues",
    "acknowledge", "no_pushing", "no_dead_end", "no_keep_us_in_mind", "opt_out",
)
# Detections matched from phrase lists; discovery_question and i_question are derived in code.
PHRASE_DETECTIONS: tuple[str, ...] = (
    "gratitude", "acknowledge", "why_question", "how_come", "explore_issues", "permission_close",
    "imposed_next_step", "pushing", "dead_end", "keep_us_in_mind", "opt_out", "goodbye",
)
# Structural matches found with the detections' phrases (they are not detections).
QUESTION_FRAME, SMALL_TALK = "question_frame", "small_talk"
_LEXICON_REF = re.compile(r"\{([a-z_]+)\}")
_WORDISH = re.compile(r"[a-z']+")


class _Strict(BaseModel):
    # strict: YAML `true` is not the weight 1, and a number is not a phrase
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DetectionRule(_Strict):
    phrases: list[str] = Field(min_length=1)
    except_: list[str] = Field(default_factory=list, alias="except")
    scope: Literal["any", "question", "statement"] = "any"


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Advice(_Strict):
    pass_: Text = Field(alias="pass")
    fail: Text
    na: Text = Field(default="Not applicable to this call.", alias="n/a")

    def for_verdict(self, verdict: str) -> str:
        return self.pass_ if verdict == "pass" else self.fail if verdict == "fail" else self.na


class Check(_Strict):
    title: Text
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

    @field_validator("version", mode="before")
    @classmethod
    def _exactly_one(cls, value: object) -> object:
        """Literal[1] takes YAML `true` and 1.0 for 1; only the number 1 is the version."""
        if type(value) is not int:
            shown = str(value).lower() if isinstance(value, bool) else repr(value)[:40]
            raise ValueError(f"must be the number 1 (got {shown})")
        return value

    def compile(self, phrases: list[str], where: str = "") -> re.Pattern[str] | None:
        if not phrases:
            return None
        if len(phrases) == 1 and phrases[0] in self._compiled:  # validated, now matched
            return self._compiled[phrases[0]]
        parts = [f"(?:{self._normalized(phrase, where)})" for phrase in phrases]
        try:
            # A reply's sentences are matched at once, one per line: ^ and $ are sentence ends.
            pattern = re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])",
                                 re.MULTILINE)
        except re.error as exc:
            raise ValueError(f"phrase {shorten(repr(phrases[0]))} is not valid ({exc.msg}): check "
                             "its brackets") from None
        if len(phrases) == 1:
            self._compiled[phrases[0]] = pattern
        return pattern

    @cached_property
    def _compiled(self) -> dict[str, re.Pattern[str]]:
        """Each phrase compiled on its own, once (validation and matching both need it)."""
        return {}

    def _normalized(self, phrase: str, where: str = "") -> str:
        expanded = _LEXICON_REF.sub(lambda m: self._lexicon_group(m.group(1), where), phrase)
        part = normalize_phrase(expanded).strip()
        check_phrase(part, phrase)  # a trainer's phrase must never hang the scorer
        return part

    def _lexicon_group(self, name: str, where: str) -> str:
        if name not in self.lexicon:
            known = sorted(self.lexicon)
            raise ValueError(f"unknown word list {{{name}}} (the lexicon has: "
                             f"{', '.join(known) or 'nothing'}){suggest(name, known)}")
        return "(?:" + "|".join(normalize_phrase(w) for w in self.lexicon[name]) + ")"

    @cached_property
    def matcher(self) -> PhraseMatcher:
        """Every detection's phrases and exceptions, the question frames and small talk, one
        pattern per phrase so that each is tried only where its first word stands."""
        def each(phrases: list[str]) -> list[tuple[re.Pattern[str], str]]:
            return [(self.compile([phrase]), self._normalized(phrase)) for phrase in phrases]

        groups = {name: (each(rule.phrases), each(rule.except_))
                  for name, rule in self.detections.items()}
        groups[QUESTION_FRAME] = (each(self.question_frames), [])
        groups[SMALL_TALK] = (each(self.small_talk), [])
        return PhraseMatcher(groups)

    @cached_property
    def sentence_memo(self) -> dict:
        """Sentence judgements already made with this rubric (filled by detect.py)."""
        return {}

    @cached_property
    def scopes(self) -> dict[str, str]:
        return {name: rule.scope for name, rule in self.detections.items()}

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


RUBRIC_FORMAT = FileFormat(
    error=RubricError,
    called="a rubric (keys like 'version:', 'detections:', 'checks:')",
    empty_fix="start from the shipped rubric with 'callsim rubric init'",
    fixes={
        "version": "add 'version: 1' at the top",
        "question_frames": "add 'question_frames:' with at least one phrase",
        "detections": "add 'detections:' with the phrases of every detection",
        "checks": "add 'checks:' with a title, weight and advice for every check",
        "phrases": "add 'phrases: [...]' with at least one phrase",
        "title": "add the name shown on scorecards, e.g. 'title: Thank them for the \"no\"'",
        "weight": "add 'weight: <0..100>' saying how much the check counts",
        "advice": "add 'advice:' with the 'pass:' and 'fail:' texts",
        "pass": "add 'pass: <what the trainee reads when the check passes>'",
        "fail": "add 'fail: <what the trainee reads when the check fails>'",
    },
    aliases={
        "thanks": "gratitude", "how_come": "how_come_not_why", "why": "how_come_not_why",
        "i_questions": "i_free_questions", "permission": "permission_close",
        "issues": "explore_issues", "pushing": "no_pushing", "dead_end": "no_dead_end",
        "keep_us_in_mind": "no_keep_us_in_mind", "points": "weight", "weights": "weight",
        "name": "title", "tips": "advice", "feedback": "advice", "passed": "pass",
        "failed": "fail", "na": "n/a", "not_applicable": "n/a", "exceptions": "except",
        "words": "lexicon", "rules": "detections",
    },
    value_kinds={"question": "scope", "1": "version"},
)


def _named(names: list[str], known: tuple[str, ...], where: str, what: str, needs: str
           ) -> list[tuple[tuple, str]]:
    """(location, message) for every unknown name under `where` and the first missing one."""
    found = [((where, name), f"unknown {what} '{shorten(name)}' (known: {', '.join(known)})"
              f"{RUBRIC_FORMAT.suggest(name, known)}") for name in names if name not in known]
    missing = [name for name in known if name not in names]
    if missing:
        found.append(((where,), f"missing {what} '{missing[0]}': add '{missing[0]}:' under "
                                f"{where} with {needs}"))
    return found


def rubric_problems(rubric: Rubric, marks: Marks, source: str) -> list[Problem]:
    """What a well-formed rubric can still get wrong: names, weights, phrases not compiling."""
    named = _named(list(rubric.detections), PHRASE_DETECTIONS, "detections", "detection",
                   "its phrases")
    named += _named(list(rubric.checks), CHECK_IDS, "checks", "check",
                    "a title, weight and advice")
    problems = [marks.at(source, loc, message) for loc, message in named]
    if rubric.checks and rubric.total_weight == 0:
        problems.append(marks.at(source, ("checks",), "every check weighs 0, so no reply can "
                                 "score: give at least one check a weight above 0"))
    places = [(("lexicon", name, i), w) for name, ws in rubric.lexicon.items()
              for i, w in enumerate(ws)]
    places += [(("question_frames", i), p) for i, p in enumerate(rubric.question_frames)]
    places += [(("small_talk", i), p) for i, p in enumerate(rubric.small_talk)]
    for name, rule in rubric.detections.items():
        places += [(("detections", name, "phrases", i), p) for i, p in enumerate(rule.phrases)]
        places += [(("detections", name, "except", i), p) for i, p in enumerate(rule.except_)]
    for loc, phrase in places:
        try:
            rubric.compile([phrase])
        except ValueError as exc:
            problems.append(marks.at(source, loc, str(exc), at_key=False))
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


class RubricChoice(NamedTuple):
    path: Path
    origin: str  # why this file: "given", "CALLSIM_RUBRIC", "data dir" or "shipped"


def _data_dir(data_dir: Path | str | None) -> Path:
    from simulator.storage.paths import data_dir_path

    return data_dir_path(data_dir)  # never created just to look for a rubric in it


def find_rubric(path: Path | str | None = None, data_dir: Path | str | None = None
                ) -> RubricChoice:
    """The rubric to use: PATH, else $CALLSIM_RUBRIC, else <data dir>/rubric.yaml, else shipped."""
    if path is not None and str(path) != "":
        return RubricChoice(Path(path), "given")
    if os.environ.get(RUBRIC_ENV):
        return RubricChoice(Path(os.environ[RUBRIC_ENV]), RUBRIC_ENV)
    trainers = _data_dir(data_dir) / RUBRIC_FILENAME
    if trainers.is_file():
        return RubricChoice(trainers, "data dir")
    return RubricChoice(DEFAULT_RUBRIC, "shipped")


_cache: dict[tuple, Rubric] = {}


def load_rubric(path: Path | str | None = None, data_dir: Path | str | None = None) -> Rubric:
    """Load and validate the rubric find_rubric chooses; cached while the file is unchanged."""
    return load_rubric_file(find_rubric(path, data_dir))


def load_rubric_file(choice: RubricChoice) -> Rubric:
    path = choice.path
    try:
        stat = path.stat()
    except FileNotFoundError:
        fix = (f"fix the path or unset {RUBRIC_ENV}" if choice.origin == RUBRIC_ENV
               else f"check the path, or start one there with 'callsim rubric init {path}'")
        named = f" (named by {RUBRIC_ENV})" if choice.origin == RUBRIC_ENV else ""
        raise RubricError([Problem(str(path), 1, 1, f"no such rubric file{named}: {fix}")]
                          ) from None
    except OSError:
        stat = None  # load_model reports why the file cannot be read
    key = (path.absolute(), stat and stat.st_mtime_ns, stat and stat.st_size)
    if key not in _cache:
        rubric, marks = load_model(path, Rubric, RUBRIC_FORMAT)
        problems = rubric_problems(rubric, marks, str(path))
        if problems:
            raise RubricError(problems)
        _cache[key] = rubric
    return _cache[key]
