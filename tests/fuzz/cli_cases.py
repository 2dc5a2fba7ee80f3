"""Nasty command lines for every command, and every data-keeping command on a broken data dir."""

from __future__ import annotations

import re
from dataclasses import dataclass
from random import Random

from tests.fuzz.faults import FAULTS, UNOPENABLE
from tests.fuzz.materials import PERSONA_ID, REPO, Materials
from tests.fuzz.nasty import arg_value, shorten

RUBRIC = str(REPO / "simulator" / "scoring" / "rubric.yaml")
PERSONA_FILE = str(REPO / "personas" / f"{PERSONA_ID}.yaml")
PERSONA_IDS = sorted(p.stem for p in (REPO / "personas").glob("*.yaml"))
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MODEL = "vosk-model-small-en-us-0.15"
FLAGS = {"--json", "--text", "--no-voice"}  # options that take no value
UNSAFE_TARGETS = {"/": "/proc", "/dev/null": "/proc/self/status"}  # never write over these


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
    (("practice", "--persona", S("persona", PERSONA_ID), "--text", "--seed", S("int", "1"),
      "--trainee", S("text", "ana"), *DATA), False, False),
    (("practice", "--persona", S("persona", PERSONA_ID), "--wav", S("file-in", "good.wav"),
      "--no-voice", "--engine", S("engine", "pocketsphinx"), *DATA), False, False),
    (("demo", "--persona", S("persona", PERSONA_ID), "--no-voice", "--seed", S("int", "1"),
      "--engine", S("engine", "pocketsphinx"), *DATA), False, False),
    (("drill", "--text", "--minutes", S("minutes", "1"), "--seed", S("int", "1"),
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
]


def _number(value: str, kind: type) -> float | None:
    try:
        return kind(value)
    except (ValueError, OverflowError):
        return None


def invalid(kind: str, value: str, positional: bool) -> bool:
    """Whether no run of the command can accept `value` in a slot of this kind."""
    if value == "--":
        return False  # ends the options: the slot is left out, which may be fine
    if positional and value.startswith("-") and value != "-":
        return True  # read as an option, which the command does not have
    if kind == "int":
        return _number(value, int) is None
    if kind == "limit":
        return (_number(value, int) or 0) < 1
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
    if kind == "dir":
        return value in ("/proc/self/status", "/proc", "/dev/null") or len(value) > 255
    return False  # text, file-out: any value may do


def args_case(rng: Random, m: Materials) -> dict:
    template, fails, variadic = rng.choice(COMMANDS)
    argv = [t.good if isinstance(t, Slot) else t for t in template]
    slots = [i for i, t in enumerate(template) if isinstance(t, Slot)]
    operator = rng.choice(["value"] * 6 + ["unknown-option", "missing-value", "extra",
                                           "bad-option-name", "as-written"])
    bad = fails
    if operator == "value" and slots:
        at = rng.choice(slots)
        slot, nasty = template[at], arg_value(rng)
        value = nasty.value
        if slot.kind in ("dir", "file-out"):
            value = UNSAFE_TARGETS.get(value, value)
        argv[at] = value
        positional = not str(template[at - 1]).startswith("--")
        bad = bad or invalid(slot.kind, value, positional)
        what = f"{slot.kind} = {nasty.kind} {shorten(value)}"
    elif operator == "unknown-option":
        extra = rng.choice([["--frobnicate"], ["--frob=1"], ["-Z"], ["--persona-id", "x"]])
        argv += extra
        bad, what = True, f"unknown option {extra[0]}"
    elif operator == "missing-value":
        options = [token for token, following in zip(template, template[1:], strict=False)
                   if isinstance(following, Slot) and token not in FLAGS
                   and str(token).startswith("--")]
        option = rng.choice(options) if options else "--data-dir"
        argv.append(option)
        bad, what = True, f"{option} without a value"
    elif operator == "extra":
        nasty = arg_value(rng)
        argv.append(nasty.value)
        bad = bad or not variadic or invalid(template[slots[-1]].kind, nasty.value, True)
        what = f"an extra argument {nasty.kind} {shorten(nasty.value)}"
    elif operator == "bad-option-name":
        argv.append(rng.choice(["--\udcff", "--tra\udce9inee", "-\udc80"]))
        bad, what = True, "an option name that is not UTF-8"
    else:
        what = "as written"
    files = {"replies.jsonl": b'{"text": "Thanks!"}\n', "good.wav": m.wav,
             "laptop.callsim": m.export, "model.zip": b"PK\x03\x04 not a zip"}
    return dict(what=f"{' '.join(argv[:2])[:40]}: {what}", argv=tuple(argv), files=files,
                stdin=b"Thank you for your honesty.\n", expect="error" if bad else "any")


DATA_COMMANDS = [  # (argv, writes to the store, opens the store)
    (("history", "--data-dir", "{data}"), False, True),
    (("show", "{call}", "--data-dir", "{data}"), False, True),
    (("progress", "--trainee", "ana", "--data-dir", "{data}"), False, True),
    (("report", "--trainee", "ana", "--html", "out.html", "--data-dir", "{data}"), False, True),
    (("practice", "--persona", PERSONA_ID, "--text", "--data-dir", "{data}"), True, True),
    (("drill", "--text", "--minutes", "1", "--seed", "1", "--data-dir", "{data}"), True, True),
    (("workshop", "start", "porto", "--data-dir", "{data}"), True, True),
    (("workshop", "list", "--data-dir", "{data}"), False, True),
    (("workshop", "board", "lisbon", "--data-dir", "{data}"), False, True),
    (("export", "out.callsim", "--data-dir", "{data}"), False, True),
    (("import", "laptop.callsim", "--data-dir", "{data}"), True, True),
    (("rubric", "init", "--data-dir", "{data}"), True, False),
    (("rubric", "show", "--data-dir", "{data}"), False, False),
]


def datadir_case(rng: Random, m: Materials) -> dict:
    fault = rng.choice(FAULTS)
    argv, writes, opens = rng.choice(DATA_COMMANDS)
    if fault in ("data-is-file", "parent-is-file"):
        bad = argv[:2] != ("rubric", "show")
    elif fault in UNOPENABLE:
        bad = opens
    else:
        bad = writes and fault in ("read-only", "full-disk")
    return dict(what=f"data dir {fault}: {' '.join(argv[:2])}", argv=argv, fault=fault,
                files={"laptop.callsim": m.export}, stdin=b"Thank you for your honesty.\n",
                expect="error" if bad else "any")
