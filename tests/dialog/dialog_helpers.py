"""Shared persona texts for the dialog tests."""

from __future__ import annotations

import yaml

from simulator.dialog.loader import PersonaYamlLoader
from simulator.dialog.persona import Persona

# A persona exercising every rule type; the engine tests drive it with explicit detections.
TABLE_PERSONA = """
id: table-tess
name: Tess Table
role: Buyer
company: Acme
difficulty: 1
briefing: A persona for engine tests.
opening: ["No.", "Not interested.", "We're covered.", "Nope.", "Go away.", "No thanks."]
patience: 2
max_turns: 4
start: guarded
anytime:
  - when: {any: [goodbye]}
    end: trainee_ended
  - when: {any: [gratitude]}
    goto: guarded
    say: ["You're welcome."]
states:
  guarded:
    on:
      - when: {all: [gratitude, explore_issues]}
        goto: open
      - when: {any: [pushing, dead_end]}
        end: hung_up
        say: ["Goodbye."]
      - when: {any: [permission_close], none: [imposed_next_step]}
        end: callback_agreed
      - when: {phrases: ["call me back", "yes", "two weeks", "not interested"]}
        goto: phrased
      - when: {any: [why_question]}
        goto: defensive
        poor: true
      - when: {any: [opt_out]}
        end: opted_out
      - when: {all: [explore_issues], earlier: [gratitude, acknowledge]}
        goto: open
    fallback: {say: ["I'm busy."], poor: true}
  defensive:
    lines: ["Because!"]
    on:
      - when: {any: [how_come]}
        goto: open
    fallback: {say: ["Hmph."], poor: true}
  phrased:
    lines: ["You said the words."]
    on:
      - when: {any: [pushing]}
        end: hung_up
    fallback: {say: ["Mm."]}
  open:
    lines: ["Our dispatch is a mess.", "Fuel costs are killing us.", "The drivers quit."]
    on:
      - when: {any: [permission_close]}
        end: meeting_agreed
    fallback: {say: ["Anyway."]}
outcomes:
  hung_up: {say: ["Click."]}
  callback_agreed: {say: ["Call me in May."]}
  meeting_agreed: {say: ["Tuesday works."]}
  opted_out: {say: ["Don't call again."]}
  trainee_ended: {say: ["Bye."]}
  max_turns: {say: ["Out of time."]}
"""


def table_persona(**changes) -> Persona:
    data = yaml.load(TABLE_PERSONA, Loader=PersonaYamlLoader)
    data.update(changes)
    return Persona.model_validate(data)


# A small valid persona; the validation tests break one line at a time (line numbers matter).
TINY_PERSONA = """\
id: tiny-tom
name: Tom Tiny
role: Buyer
company: Tiny Co
difficulty: 2
briefing: You sell widgets.
opening: ["No thanks."]
start: guarded
states:
  guarded:
    on:
      - when: {any: [pushing]}
        end: hung_up
      - when: {any: [permission_close]}
        goto: open
    fallback: {say: ["I'm busy."], poor: true}
  open:
    lines: ["Well, maybe."]
    on:
      - when: {any: [permission_close]}
        end: callback_agreed
    fallback: {say: ["Hm."]}
outcomes:
  hung_up: {say: ["Bye."]}
  callback_agreed: {say: ["Call me."]}
  max_turns: {say: ["Got to go."]}
golden:
  - name: pushing gets a hang-up
    replies: ["Are you sure? We can save you a lot of money."]
    expect: {outcome: hung_up}
"""


def tiny_with(line: int, text: str | None) -> str:
    """TINY_PERSONA with 1-based `line` replaced by `text` (None: a comment keeps numbering)."""
    lines = TINY_PERSONA.splitlines()
    lines[line - 1] = "# removed" if text is None else text
    return "\n".join(lines) + "\n"
