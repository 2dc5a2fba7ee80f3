"""The persona format: what a trainer writes in `personas/<id>.yaml`, as pydantic models.

Every model forbids unknown keys so a typo ("stats:" for "states:") is reported, not ignored.
Detection names are plain strings here (validate.py reports unknown ones with a suggestion);
the published JSON Schema lists them as an enum so editors can autocomplete them.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from simulator.scoring import DETECTION_NAMES
from simulator.session.engines import VoiceSettings

OutcomeName = Literal[
    "hung_up", "callback_agreed", "meeting_agreed", "opted_out", "trainee_ended", "max_turns"
]
OUTCOME_NAMES: tuple[str, ...] = get_args(OutcomeName)
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 64  # an id is also a file name

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Lines = Annotated[list[Text], Field(min_length=1)]
DetectionName = Annotated[
    str, WithJsonSchema({"type": "string", "enum": list(DETECTION_NAMES)})
]


class _Model(BaseModel):
    # strict: YAML `true` is not the number 1, and a number is not text
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Voice(_Model):
    """How the prospect sounds; mapped onto the platform's voices by the synthesizer."""

    rate: int = Field(170, ge=80, le=400, description="Speaking rate in words per minute.")
    pitch: int = Field(50, ge=0, le=99, description="Pitch on espeak's 0..99 scale.")
    gender: Literal["male", "female"] = "male"
    variant: str | None = Field(None, description="Platform voice hint, e.g. en-us, en-gb.")

    def settings(self) -> VoiceSettings:
        return VoiceSettings(
            rate=self.rate, pitch=self.pitch, gender=self.gender, variant=self.variant
        )


class When(_Model):
    """A condition on the trainee's reply. Every part given must hold.

    all/any/none/phrases look at this reply; `earlier` at the replies before it in this call, so
    a prospect thanked in one reply can open up to a question in the next.
    """

    all: list[DetectionName] = Field([], description="Every one of these was detected.")
    any: list[DetectionName] = Field([], description="At least one of these was detected.")
    none: list[DetectionName] = Field([], description="None of these was detected.")
    earlier: list[DetectionName] = Field(
        [], description="At least one of these was detected in an earlier reply of this call.")
    phrases: list[Text] = Field([], description="At least one phrase occurs (fuzzy match).")
    threshold: int = Field(90, ge=50, le=100, description="Phrase match score, 50..100.")

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        if not (self.all or self.any or self.none or self.earlier or self.phrases):
            raise ValueError("a 'when' needs at least one of all, any, none, earlier or phrases")
        return self


class _Move(_Model):
    """What happens: go to a state or end the call, say a line, maybe count a poor reply."""

    goto: str | None = Field(None, description="The state the prospect moves to.")
    end: OutcomeName | None = Field(None, description="End the call with this outcome.")
    say: Lines | None = Field(None, description="What the prospect says (one picked at random).")
    poor: bool = Field(False, description="The reply was poor: counts toward patience.")


class Rule(_Move):
    """A transition: when the reply matches, move (first matching rule wins)."""

    when: When

    @model_validator(mode="after")
    def _one_target(self) -> Rule:
        if (self.goto is None) == (self.end is None):
            raise ValueError("a rule needs exactly one of 'goto: <state>' or 'end: <outcome>'")
        return self


class Fallback(_Move):
    """What happens when no rule matches; without goto/end the prospect stays in the state."""

    @model_validator(mode="after")
    def _one_target(self) -> Fallback:
        if self.goto is not None and self.end is not None:
            raise ValueError("a fallback takes 'goto' or 'end', not both")
        return self


class State(_Model):
    """A mood of the prospect: the lines said on entering it and how it reacts to replies."""

    lines: Lines | None = Field(None, description="Said when a rule enters this state silently.")
    on: list[Rule] = Field([], description="Transitions, tried in order.")
    fallback: Fallback


class Ending(_Model):
    """The prospect's final line for an outcome."""

    say: Lines


class Expect(_Model):
    """Where a golden conversation must end up: a state, or an outcome."""

    state: str | None = None
    outcome: OutcomeName | None = None

    @model_validator(mode="after")
    def _one(self) -> Expect:
        if (self.state is None) == (self.outcome is None):
            raise ValueError("'expect' needs exactly one of 'state: <name>' or 'outcome: <name>'")
        return self

    def describe(self) -> str:
        return f"outcome {self.outcome}" if self.outcome else f"state {self.state}"


class Golden(_Model):
    """A scripted conversation the persona must handle as the trainer meant."""

    name: Text
    seed: int = 0
    replies: Lines
    expect: Expect


class Persona(_Model):
    """A scripted prospect: who they are, how they sound, and how they react."""

    id: str = Field(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH,
                    description="Equals the file name without .yaml.")
    name: Text
    role: Text
    company: Text
    difficulty: int = Field(ge=1, le=5)
    tags: list[Text] = []
    briefing: Text = Field(description="Shown to the trainee before the call.")
    voice: Voice = Voice()
    opening: Lines = Field(description="The opening rejection; one is picked at random.")
    patience: int = Field(2, ge=1, le=10, description="Hangs up after this many poor replies.")
    max_turns: int = Field(8, ge=1, le=50, description="The call ends after this many replies.")
    start: str = Field(description="The state the call starts in.")
    anytime: list[Rule] = Field([], description="Rules tried in every state after its own.")
    states: dict[str, State] = Field(min_length=1)
    outcomes: dict[OutcomeName, Ending]
    golden: list[Golden] = []


def json_schema() -> dict:
    """The published JSON Schema (simulator/dialog/persona.schema.json) for editors."""
    schema = Persona.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://callsim.local/persona.schema.json",
        **schema,
    }
