"""Nasty command lines for every command, and every data-keeping command on a broken data dir."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from random import Random

from simulator.scoring.replies import MAX_REPLY_BYTES
from simulator.session.text_io import CONTROL_CHARACTER, ESCAPE_SEQUENCE
from tests.fuzz.faults import FAULTS, UNOPENABLE
from tests.fuzz.materials import PERSONA_ID, REPO, Materials
from tests.fuzz.nasty import HUGE_DIGITS, Nasty, arg_value, shorten

RUBRIC = str(REPO / "simulator" / "scoring" / "rubric.yaml")
PERSONA_FILE = str(REPO / "personas" / f"{PERSONA_ID}.yaml")
PERSONA_IDS = sorted(p.stem for p in (REPO / "personas").glob("*.yaml"))
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MODEL = "vosk-model-small-en-us-0.15"
FLAGS = {"--json", "--text", "--no-voice"}  # options that take no value
UNSAFE_TARGETS = {"/": "/proc", "/dev/null": "/proc/self/status"}  # never write over these
SAID = "Thank you for your honesty. What issues are you facing with dispatch?"


@dataclass(frozen=True)
class Slot:
    """A value on the command line: its kind decides which nasty values are invalid."""

    kind: str
    good: str


def S(kind: str, good: str = "{data}") -> Slot:  # noqa: N802 - reads like a table
    return Slot(kind, good)


DATA = ("--data-dir", S("dir"))
# (argv with Slots, fails even as written, takes several positionals)
COMMANDS: list[tuple[tuple, bool, bool]] = [
    (("score", S("reply", "Thanks for your honesty. How come?")), False, False),
    (("score", "--json", S("reply", "thank you"), "--rubric", S("rubric-in", RUBRIC)), False,
     False),
    (("score", "--jsonl", S("jsonl-in", "replies.jsonl")), False, False),
    (("practice", "--persona", S("persona", PERSONA_ID), "--text", "--seed", S("seed", "1"),
      "--trainee", S("text", "ana"), *DATA), False, False),
    (("practice", "--persona", S("persona", PERSONA_ID), "--wav", S("file-in", "good.wav"),
      "--no-voice", "--engine", S("engine", "pocketsphinx"), *DATA), False, False),
    (("demo", "--persona", S("persona", PERSONA_ID), "--no-voice", "--seed", S("seed", "1"),
      "--engine", S("engine", "pocketsphinx"), *DATA), False, False),
    (("drill", "--text", "--minutes", S("minutes", "1"), "--seed", S("seed", "1"),
      "--trainee", S("text", "ana"), *DATA), False, False),
    (("history", "--trainee", S("text", "ana"), "--limit", S("limit", "5"), *DATA), False, False),
    (("show", S("call-id", "{call}"), *DATA), False, False),
    (("progress", "--trainee", S("text", "ana"), *DATA), False, False),
    (("report", S("call-id", "{call}"), "--html", S("file-out", "out.html"), *DATA), False,
     False),
    (("report", "--trainee", S("text", "ana"), "--html", S("file-out", "out.html"), *DATA),
     False, False),
    (("personas", "list", "--json"), False, False),
    (("personas", "show", S("persona", PERSONA_ID)), False, False),
    (("personas", "validate", S("persona-path", PERSONA_FILE)), False, True),
    (("personas", "test", S("persona", PERSONA_ID)), False, True),
    (("personas", "new", S("new-id", "dental-dana"), "--dir", S("file-out", "personas")), False,
     False),
    (("rubric", "show", "--rubric", S("rubric-in", RUBRIC)), False, False),
    (("rubric", "validate", S("rubric-in", RUBRIC)), False, False),
    (("rubric", "init", S("file-out", "my-rubric.yaml")), False, False),
    (("workshop", "start", S("text", "porto"), *DATA), False, False),
    (("workshop", "end", S("text", "lisbon"), *DATA), True, False),  # none is open
    (("workshop", "list", "--json", *DATA), False, False),
    (("workshop", "board", S("workshop", "lisbon"), "--csv", S("file-out", "board.csv"), *DATA),
     False, False),
    (("export", S("file-out", "out.callsim"), "--workshop", S("workshop", "lisbon"),
      "--trainee", S("text", "ana"), *DATA), False, False),
    (("import", S("file-in", "laptop.callsim"), *DATA), False, True),
    (("models", "list"), False, False),
    (("models", "download", S("model", MODEL)), True, False),  # no network in the fuzz
    (("models", "install", S("file-in", "model.zip"), "--name", S("text", "mine")), True, False),
    (("models", "remove", S("model", MODEL)), True, False),  # nothing is installed
    (("devices",), False, False),
    # Added with recordings, corrections, trainers' personas and workshop reports:
    (("practise", "--persona", S("persona", PERSONA_ID), "--text", "--end-silence",
      S("end-silence", "0.6"), "--no-cue", "--personas", S("persona-dir", "shelf"), *DATA), False,
     False),
    (("practice", "--persona", S("persona", PERSONA_ID), "--wav", S("file-in", "good.wav"),
      "--no-voice", "--no-record", "--cue", "--end-silence", S("end-silence", "1.5"), *DATA),
     False, False),
    (("correct", S("call-id", "{spoken}"), S("corrected", SAID), "--turn", S("turn", "1"),
      *DATA), False, False),
    (("rescore", S("call-id", "{spoken}"), "--engine", S("engine", "pocketsphinx"), *DATA),
     False, False),
    (("rescore", "--all", "--engine", S("engine", "pocketsphinx"), *DATA), False, False),
    (("play", S("call-id", "{spoken}"), "--turn", S("turn", "1"), *DATA), False, False),
    (("forget", "--trainee", S("text", "ana"), *DATA), True, False),  # no terminal, no --yes
    (("forget", "--trainee", S("absent", "nobody"), "--yes", *DATA), True, False),
    (("report", S("call-id", "{spoken}"), *DATA), False, False),
    (("report", "--workshop", S("workshop", "lisbon"), *DATA), False, False),
    (("report", "--workshop", S("workshop", "lisbon"), "--html", S("file-out", "out.html"),
      *DATA), False, False),
    (("history", "--workshop", S("workshop", "lisbon"), "--persona",
      S("persona-filter", PERSONA_ID), *DATA), False, False),
    (("progress", "--workshop", S("workshop", "lisbon"), "--persona",
      S("persona-filter", PERSONA_ID), *DATA), False, False),
    (("personas", "list", "--personas", S("persona-dir", "shelf")), False, False),
    (("personas", "show", S("persona", PERSONA_ID), "--personas", S("persona-dir", "shelf")),
     False, False),
    (("personas", "schema"), False, False),
    (("export", S("file-out", "out.callsim"), "--no-audio", "--trainee", S("text", "cy"),
      *DATA), False, False),
    (("import", S("file-in", "laptop.callsim"), "--no-audio", *DATA), False, True),
    (("--version",), False, True),  # eager, as --help: what follows it is not read
]
GOOD_DIRS = {"shelf", "shelf/covered-carl.yaml", "empty", ".", "..", "/", ""}  # see args_case
# Values aimed at one kind of slot, drawn half of the time in place of arg_value's.
KIND_VALUES = {
    "seed": ["abc", "-1", "1.5", "1.0", "1e3", "", " ", "99999999999999999999", str(2**63),
             str(2**63 - 1), "+7", " 007 ", "٣", "0x10", HUGE_DIGITS],
    "turn": ["0", "2", "-1", " 1", "+1", "1.0", "nan", "9" * 25, HUGE_DIGITS],
    "end-silence": ["nan", "-nan", "-1", "0", "0.19", "0.2", "3", "3.0001", "1e309", "-inf",
                    HUGE_DIGITS, "0x1p-2", "½"],
    "corrected": ["", "   ", "\x01", "\x1b[2J", "\x1b[31mred\x1b[0m", "a " * 40_000,
                  "word " * 12_000, "é" * 40_000, os.fsdecode(b"caf\xe9"), "\u202eevil"],
    "persona-dir": sorted(GOOD_DIRS) + ["missing", "notes.txt", "shelf:shelf", "~/personas"],
}


def _number(value: str, kind: type) -> float | None:
    try:
        return kind(value)
    except (ValueError, OverflowError):
        return None


def _whole(value: str) -> int | None:
    """The whole number typer reads from `value` (pydantic's lax int: "1.0" is 1), or None."""
    number = _number(value, int)
    point_zero = re.fullmatch(r"\s*([+-]?\d+)\.0*\s*", value)
    return number if number is not None or not point_zero else _number(point_zero[1], int)


def invalid(kind: str, value: str, positional: bool) -> bool:
    """Whether no run of the command can accept `value` in a slot of this kind."""
    if value == "--":
        return False  # ends the options: the slot is left out, which may be fine
    if positional and value.startswith("-") and value != "-":
        return True  # read as an option, which the command does not have
    if kind == "seed":  # a whole number SQLite can hold
        digits = re.fullmatch(r"\s*\+?([0-9]+)\s*", value)
        return not digits or len(digits[1]) > 4000 or int(digits[1]) >= 2**63
    if kind == "limit":
        return (_whole(value) or 0) < 1
    if kind == "minutes":
        number = _number(value, float)
        return number is None or number < 0
    if kind in ("persona", "engine"):
        return value not in (PERSONA_IDS if kind == "persona" else ["pocketsphinx"])
    if kind == "reply":
        blank, surrogate = not value.strip(), any("\udc80" <= c <= "\udcff" for c in value)
        return blank or surrogate or len(value.encode("utf-8", "surrogatepass")) > 64 * 1024
    if kind == "jsonl-in":
        return value != "/dev/null"
    if kind in ("file-in", "call-id", "workshop", "model"):
        return True  # no nasty value names an existing file, call, workshop or model
    if kind == "new-id":
        return not re.fullmatch(ID_PATTERN, value)
    if kind == "persona-path":
        return value not in ("", ".", "..", "/")  # folders are searched for persona files
    if kind == "rubric-in":
        return value != ""  # an empty --rubric means the default rubric
    if kind == "turn":
        return _whole(value) != 1  # the spoken call has one reply
    if kind == "end-silence":
        number = _number(value, float)
        return number is None or not 0.2 <= number <= 3.0
    if kind == "corrected":  # escape codes dropped, other controls read as spaces
        said = CONTROL_CHARACTER.sub(" ", ESCAPE_SEQUENCE.sub("", value))
        surrogate = any("\udc80" <= c <= "\udcff" for c in value)
        return (not said.strip() or surrogate
                or len(said.encode("utf-8", "surrogatepass")) > MAX_REPLY_BYTES)
    if kind == "persona-dir":
        return value not in GOOD_DIRS
    if kind == "persona-filter":
        return value != PERSONA_ID
    if kind == "absent":
        return True  # no nasty value names a trainee with calls
    if kind == "dir":
        return value in ("/proc/self/status", "/proc", "/dev/null") or len(value) > 255
    return False  # text, file-out: any value may do


# A usage error is one `callsim: ` line naming what is wrong (the judge refuses click's usage
# block); an option added at the end lacks its value, or is one the command does not have.
USAGE_LINES = {"unknown-option": ("has no option ",),
               "missing-value": (" needs a value after it; see `callsim ", "has no option ")}


def args_case(rng: Random, m: Materials) -> dict:
    template, fails, variadic = rng.choice(COMMANDS)
    argv = [t.good if isinstance(t, Slot) else t for t in template]
    slots = [i for i, t in enumerate(template) if isinstance(t, Slot)]
    operator = rng.choice(["value"] * 6 + ["unknown-option", "missing-value", "extra",
                                           "bad-option-name", "as-written"])
    bad, names = fails, ()
    if operator == "value" and slots:
        at = rng.choice(slots)
        slot, nasty = template[at], arg_value(rng)
        if slot.kind in KIND_VALUES and rng.random() < 0.5:
            nasty = Nasty(slot.kind, rng.choice(KIND_VALUES[slot.kind]), False)
        value = nasty.value
        if slot.kind in ("dir", "file-out"):
            value = UNSAFE_TARGETS.get(value, value)
        argv[at] = value
        positional = not str(template[at - 1]).startswith("--")
        bad = bad or invalid(slot.kind, value, positional)
        if slot.kind == "seed" and invalid(slot.kind, value, positional) and not fails:
            names = ("callsim: --seed takes a whole number",)  # one line, not click's usage
        what = f"{slot.kind} = {nasty.kind} {shorten(value)}"
    elif operator == "unknown-option":
        extra = rng.choice([["--frobnicate"], ["--frob=1"], ["-Z"], ["--persona-id", "x"]])
        argv += extra
        bad, what, names = True, f"unknown option {extra[0]}", USAGE_LINES["unknown-option"]
    elif operator == "missing-value":
        options = [token for token, following in zip(template, template[1:], strict=False)
                   if isinstance(following, Slot) and token not in FLAGS
                   and str(token).startswith("--")]
        option = rng.choice(options) if options else "--data-dir"
        argv.append(option)
        bad, what, names = True, f"{option} without a value", USAGE_LINES["missing-value"]
    elif operator == "extra":
        nasty = arg_value(rng)
        argv.append(nasty.value)
        extra = nasty.value != "--"  # a lone "--" at the end adds no argument
        bad = bad or extra and (not variadic or bool(slots) and invalid(
            template[slots[-1]].kind, nasty.value, True))
        what = f"an extra argument {nasty.kind} {shorten(nasty.value)}"
    elif operator == "bad-option-name":
        argv.append(rng.choice(["--\udcff", "--tra\udce9inee", "-\udc80"]))
        bad, what = True, "an option name that is not UTF-8"
        names = USAGE_LINES["unknown-option"]
    else:
        what = "as written"
    files = {"replies.jsonl": b'{"text": "Thanks!"}\n', "good.wav": m.wav,
             "laptop.callsim": m.export, "model.zip": b"PK\x03\x04 not a zip",
             "shelf/covered-carl.yaml": m.persona, "notes.txt": b"not a persona\n"}
    return dict(what=f"{' '.join(argv[:2])[:40]}: {what}", argv=tuple(argv), files=files,
                dirs=("empty",), stdin=b"Thank you for your honesty.\n",
                expect="error" if bad else "any", names=names)


DATA_COMMANDS = [  # (argv, writes to the store, opens the store, fails whatever the store)
    (("history", "--data-dir", "{data}"), False, True, False),
    (("show", "{call}", "--data-dir", "{data}"), False, True, False),
    (("progress", "--trainee", "ana", "--data-dir", "{data}"), False, True, False),
    (("report", "--trainee", "ana", "--html", "out.html", "--data-dir", "{data}"), False, True,
     False),
    (("practice", "--persona", PERSONA_ID, "--text", "--data-dir", "{data}"), True, True, False),
    (("drill", "--text", "--minutes", "1", "--seed", "1", "--data-dir", "{data}"), True, True,
     False),
    (("workshop", "start", "porto", "--data-dir", "{data}"), True, True, False),
    (("workshop", "list", "--data-dir", "{data}"), False, True, False),
    (("workshop", "board", "lisbon", "--data-dir", "{data}"), False, True, False),
    (("export", "out.callsim", "--data-dir", "{data}"), False, True, False),
    (("import", "laptop.callsim", "--data-dir", "{data}"), True, True, False),
    (("rubric", "init", "--data-dir", "{data}"), True, False, False),
    (("rubric", "show", "--data-dir", "{data}"), False, False, False),
    (("correct", "{spoken}", "--turn", "1", SAID, "--data-dir", "{data}"), True, True, False),
    (("rescore", "{spoken}", "--engine", "pocketsphinx", "--data-dir", "{data}"), True, True,
     False),
    (("play", "{spoken}", "--data-dir", "{data}"), False, True, False),
    (("forget", "--trainee", "nobody", "--yes", "--data-dir", "{data}"), True, True, True),
    (("report", "--workshop", "lisbon", "--html", "out.html", "--data-dir", "{data}"), False,
     True, False),
    (("history", "--workshop", "lisbon", "--persona", PERSONA_ID, "--data-dir", "{data}"),
     False, True, False),
    (("export", "out.callsim", "--no-audio", "--data-dir", "{data}"), False, True, False),
    (("import", "laptop.callsim", "--no-audio", "--data-dir", "{data}"), True, True, False),
    (("personas", "list", "--data-dir", "{data}"), False, False, False),  # <data dir>/personas
]


def datadir_case(rng: Random, m: Materials) -> dict:
    fault = rng.choice(FAULTS)
    argv, writes, opens, fails = rng.choice(DATA_COMMANDS)
    if fails:
        bad = True
    elif fault in ("data-is-file", "parent-is-file"):
        bad = writes or opens  # a command that only reads a file there may go without it
    elif fault in UNOPENABLE:
        bad = opens
    else:
        bad = writes and fault in ("read-only", "full-disk")
    return dict(what=f"data dir {fault}: {' '.join(argv[:2])}", argv=argv, fault=fault,
                files={"laptop.callsim": m.export}, stdin=b"Thank you for your honesty.\n",
                expect="error" if bad else "any")
