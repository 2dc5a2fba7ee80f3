"""The commented starter persona written by `callsim personas new ID`."""

from __future__ import annotations

import contextlib
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("persona.schema.json")

TEMPLATE = """\
# yaml-language-server: $schema={schema}
#
# A callsim persona: a scripted prospect who rejects the trainee and reacts to what they say.
# Edit the text freely, then check it with:   callsim personas validate {path}
# and run its golden conversations with:      callsim personas test {id}
#
# What the trainee says is scored; each reply yields "detections" such as
#   gratitude, acknowledge, why_question, how_come, discovery_question, i_question,
#   explore_issues, permission_close, imposed_next_step, pushing, dead_end,
#   keep_us_in_mind, opt_out, goodbye
# and the rules below react to them.

id: {id}                  # must equal the file name (without .yaml)
name: Pat Morgan
role: Office Manager
company: Morgan Dental
difficulty: 2             # 1 (easy) .. 5 (hard)
tags: [cold-call, starter]

# Shown to the trainee before the call.
briefing: |
  You sell scheduling software for small clinics. You are calling Pat, the office manager,
  for the first time. Expect a quick "no".

voice: {{rate: 170, pitch: 50, gender: female, variant: en-us}}

# The first thing the prospect says; one line is picked at random.
opening:
  - "Not interested, thanks."
  - "We're all set, not interested."

patience: 2               # hangs up after this many poor replies
max_turns: 6              # the call ends after this many replies
start: guarded            # the state the call starts in

# Rules tried in every state, after the state's own rules.
anytime:
  - when: {{any: [goodbye]}}
    end: trainee_ended
  - when: {{any: [opt_out]}}
    end: opted_out

states:
  guarded:
    on:                   # tried in order; the first that matches wins
      - when: {{any: [pushing]}}
        end: hung_up
        say: ["I said no. Goodbye."]
      - when: {{any: [why_question]}}   # "why?" puts people on the defensive
        goto: guarded
        poor: true
        say: ["Because I said so. Anything else?"]
      - when: {{all: [explore_issues], any: [gratitude, acknowledge]}}
        goto: open
      # 'earlier': heard in a previous reply of this call (thanks first, the question next)
      - when: {{all: [explore_issues], earlier: [gratitude, acknowledge]}}
        goto: open
      - when: {{any: [permission_close]}}
        end: callback_agreed
      # Thanks alone is never a poor reply; answer it and wait for the question.
      - when: {{any: [gratitude, acknowledge], none: [goodbye, opt_out]}}
        goto: guarded
        say: ["Okay. What is this about?"]
    fallback:             # when no rule matches
      say: ["I'm really busy right now."]
      poor: true
  open:
    lines:                # said when a rule moves here without its own 'say'
      - "Well, honestly, patients miss appointments all the time."
    on:
      - when: {{any: [permission_close]}}
        end: meeting_agreed
      - when: {{any: [pushing, dead_end]}}
        end: hung_up
    fallback:
      say: ["Anyway, I should get back to work."]

# The prospect's last line for each way the call can end.
outcomes:
  hung_up: {{say: ["I have to go. Bye."]}}
  callback_agreed: {{say: ["Fine, try me in a few months."]}}
  meeting_agreed: {{say: ["Okay, let's talk next week."]}}
  opted_out: {{say: ["Please don't contact me again. Thanks."]}}
  trainee_ended: {{say: ["Bye."]}}
  max_turns: {{say: ["I really need to go now."]}}

# Scripted conversations this persona must handle as meant (checked by 'personas test').
golden:
  - name: a permission close is accepted
    seed: 1
    replies: ["Would you mind if I circled back in a few months?"]
    expect: {{outcome: callback_agreed}}
  - name: pushing gets a hang-up
    replies: ["Are you sure? We can save you a lot of money."]
    expect: {{outcome: hung_up}}
  - name: the trainee says goodbye
    replies: ["Thanks, goodbye"]
    expect: {{outcome: trainee_ended}}
"""


def starter_text(persona_id: str, path: Path) -> str:
    # A relative schema path survives copying the folder to another machine; an absolute one
    # into site-packages would not.
    return TEMPLATE.format(id=persona_id, path=path, schema=SCHEMA_PATH.name)


def write_starter(persona_id: str, directory: Path) -> Path:
    """Write <directory>/<id>.yaml: never over a file, never half a file; its path."""
    from simulator.errors import StorageError, UsageError, escape_controls

    fix = "give --dir a folder you can write to"
    for folder in (directory, *directory.parents):  # the nearest existing one must be a folder
        if folder.exists():
            if not folder.is_dir():
                where = "" if folder == directory else f"{directory} cannot be created: "
                raise UsageError(f"{where}{folder} is a file, not a folder; {fix}")
            break
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder {directory} ({exc.strerror}): {fix}"
                           ) from None
    path = directory / f"{persona_id}.yaml"
    text = starter_text(persona_id, Path(escape_controls(str(path))))  # any bytes in --dir
    created = False
    try:
        with path.open("x", encoding="utf-8") as out:
            created = True
            out.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; choose another id or remove the file first"
                         ) from None
    except OSError as exc:
        if created:  # a full disk: take the partial file away
            path.unlink(missing_ok=True)
        raise StorageError(f"cannot write {path} ({exc.strerror}): {fix}") from None
    _copy_schema(directory)
    return path


def _copy_schema(directory: Path) -> None:
    """persona.schema.json next to the new persona, for the schema line; an older copy (from an
    earlier version of callsim) is brought up to date. Best effort: the persona is written."""
    schema = SCHEMA_PATH.read_bytes()
    target = directory / SCHEMA_PATH.name
    try:
        if not (target.is_file() and target.read_bytes() == schema):
            target.write_bytes(schema)
    except OSError:
        with contextlib.suppress(OSError):  # no half a schema: editors just do not complete
            if target.is_file():
                target.unlink()
