"""The persona search path: `--personas PATH` and `CALLSIM_PERSONAS` naming files, folders,
missing or unnameable paths, and folders holding a hostile persona, through every command that
looks for personas.

A command that reads every persona on the path (list, validate, drill) refuses any broken file
on it; one that needs a single persona (show, test, practice) refuses only a broken file of
that persona (a half-edited persona elsewhere does not stop a call). A path that is not there
is refused by all.
"""

from __future__ import annotations

import os
from random import Random

from tests.fuzz.materials import PERSONA_ID, Materials
from tests.fuzz.nasty import shorten
from tests.fuzz.yaml_cases import mutate_yaml

FOREIGN_DIR = os.fsdecode(b"d\xe9j\xe0")  # a folder whose name is not UTF-8
# (what, path as given, broken for commands that read every persona, ... for one persona)
PLACES = [
    ("a folder of personas", "shelf", False, False),
    ("a persona file", "shelf/covered-carl.yaml", False, False),
    ("an empty folder", "empty", False, False),
    ("the working folder", ".", False, False),
    ("the empty string", "", False, False),
    ("a folder whose name is not UTF-8", FOREIGN_DIR, False, False),
    ("a text file", "notes.txt", True, False),
    ("an empty .yaml file", "files/blank.yaml", True, False),
    ("/dev/null", "/dev/null", True, False),
    ("a folder holding a folder named x.yaml", "odd", True, False),
    ("a missing folder", "missing", True, True),
    ("a missing folder under a file", "notes.txt/sub", True, True),
    ("a 300-character name", "a" * 300, True, True),
    ("a 10,000-character path", "x/" * 5_000, True, True),
    ("a name with escape codes", "\x1b[2J\x1b[31m", True, True),
    ("a name that is not UTF-8", os.fsdecode(b"caf\xe9"), True, True),
    ("a folder with a hostile persona", "hostile", None, None),  # as the mutation is
]
COMMANDS = [  # (argv, reads every persona on the path)
    (("personas", "list"), True),
    (("personas", "validate"), True),
    (("drill", "--text", "--minutes", "1", "--seed", "1", "--data-dir", "{data}"), True),
    (("personas", "show", PERSONA_ID), False),
    (("personas", "test", PERSONA_ID), False),
    (("practice", "--persona", PERSONA_ID, "--text", "--seed", "1", "--data-dir", "{data}"),
     False),
]


def search_case(rng: Random, m: Materials) -> dict:
    what, path, breaks_all, breaks_one = rng.choice(PLACES)
    files = {"shelf/covered-carl.yaml": m.persona, f"{FOREIGN_DIR}/covered-carl.yaml": m.persona,
             "notes.txt": b"not a persona\n", "files/blank.yaml": b""}
    if breaks_all is None:
        mutation, content, invalid = mutate_yaml(rng, m.persona)
        files[f"hostile/{PERSONA_ID}.yaml"] = content
        what = f"{what}: {mutation}"
        breaks_all = breaks_one = invalid
    argv, reads_all = rng.choice(COMMANDS)
    via = rng.choice(["--personas", "--personas", "CALLSIM_PERSONAS", "CALLSIM_PERSONAS list"])
    env = {}
    if via == "--personas":
        argv = (*argv, "--personas", path)
    elif via == "CALLSIM_PERSONAS":
        env["CALLSIM_PERSONAS"] = path
    else:
        env["CALLSIM_PERSONAS"] = os.pathsep.join(["shelf", path, ""])
    bad = breaks_all if reads_all else breaks_one
    return dict(what=f"{via} {shorten(path)} ({what}): {' '.join(argv[:2])}", argv=argv,
                files=files, dirs=("empty", "odd/x.yaml"), env=env,
                stdin=b"Thank you for your honesty.\n", expect="error" if bad else "any")
