"""Personas travelling with exported calls, so the trainer's laptop can show and replay them.

An export carries the YAML text of each persona its calls used, as found on the persona search
path. On import, a persona new here is written to `<data dir>/personas/<id>.yaml`; one whose id
is taken by a persona with other text is kept beside it as `<id>-2` (its id rewritten, -3 if
that is taken too...), so neither the trainer's nor the rep's version is lost. The same text
imported again is recognised and adds nothing.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import CallsimError, InputError, StorageError, shorten
from simulator.storage.files import disk_full, is_full_disk_error, write_atomically
from simulator.storage.limits import has_surrogate

MAX_YAML_CHARS = 1 << 20  # a persona is a few kilobytes; a megabyte is a damaged file
MAX_COPIES = 99
_ID_LINE = re.compile(r"""^id:[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[^\s#]+)""", re.MULTILINE)


@dataclass(frozen=True)
class PersonaText:
    """A persona as an export carries it: its id and the YAML text of its file."""

    id: str
    yaml: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "yaml": self.yaml}


@dataclass(frozen=True)
class Placement:
    """A persona to write here (the same text already here needs none)."""

    id: str  # the id in the export
    kept_as: str  # the id it has here (differs when the id was taken by another persona)
    path: Path | None  # the file to write; None when it cannot be kept beside the one here
    text: str

    def describe(self) -> str:
        if self.path is None:
            return (f"persona {self.id} differs from the one here and was not imported (its "
                    "file has no plain 'id:' line to rename it by)")
        if self.kept_as == self.id:
            return f"added persona {self.id} ({self.path})"
        return (f"persona {self.id} differs from the one here: kept both, the imported one as "
                f"{self.kept_as} ({self.path})")


def persona_problem(item: Any) -> str | None:
    """What is wrong with a header's persona entry, if anything (its YAML is checked later)."""
    from simulator.dialog.persona import ID_MAX_LENGTH, ID_PATTERN

    if not isinstance(item, dict) or set(item) != {"id", "yaml"}:
        return 'is not an {"id", "yaml"} object'
    persona_id, text = item["id"], item["yaml"]
    if not (isinstance(persona_id, str) and len(persona_id) <= ID_MAX_LENGTH
            and re.fullmatch(ID_PATTERN, persona_id)):
        return "has no valid id"
    if not isinstance(text, str) or not text or len(text) > MAX_YAML_CHARS:
        return f"({persona_id}) has no YAML text of at most {MAX_YAML_CHARS} characters"
    if has_surrogate(text):
        return f"({persona_id}) is not valid Unicode text"
    return None


# -- exporting -----------------------------------------------------------------------------


def _search(data_dir: Path) -> list[Path]:
    from simulator.dialog.loader import SearchOptions, persona_dirs

    return persona_dirs(SearchOptions(data_dir=data_dir))


def _file_for(persona_id: str, dirs: list[Path]) -> Path | None:
    """The file a persona id resolves to (the first on the path: a trainer's beats shipped)."""
    from simulator.dialog.loader import SUFFIXES

    for folder in dirs:
        for suffix in SUFFIXES:
            path = folder / f"{persona_id}{suffix}" if folder.is_dir() else folder
            if path.is_file() and path.stem == persona_id:
                return path
    return None


def personas_used(ids: Iterable[str], data_dir: Path) -> list[PersonaText]:
    """The YAML of each persona id found on the search path, by id; ids not found are left out
    (a persona deleted since, or called by its path)."""
    dirs = _search(data_dir)
    found = []
    for persona_id in sorted(set(ids)):
        path = _file_for(persona_id, dirs)
        if path is None:
            continue
        try:
            found.append(PersonaText(persona_id, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue  # unreadable here: the calls still travel
    return found


# -- importing -----------------------------------------------------------------------------


def _renamed(text: str, new_id: str) -> str | None:
    renamed, count = _ID_LINE.subn(f"id: {new_id}", text, count=1)
    return renamed if count else None


def _check(persona: PersonaText, where: str) -> None:
    """Refuse a persona this callsim cannot load, before anything is written."""
    from simulator.dialog.loader import load_persona_file
    from simulator.dialog.validate import check_persona

    with tempfile.TemporaryDirectory(prefix="callsim-persona-") as folder:
        path = Path(folder) / f"{persona.id}.yaml"
        path.write_text(persona.yaml, encoding="utf-8")
        try:
            problems = check_persona(load_persona_file(path), goldens=False)
        except CallsimError as exc:
            problems = getattr(exc, "problems", None) or [exc]
    if problems:
        first = str(problems[0]).replace(f"{path}:", "line ", 1)
        raise InputError(f"cannot import {where}: its persona {persona.id} is not valid here "
                         f"({shorten(first, 120)}); nothing was imported")


def plan_personas(personas: Iterable[tuple[PersonaText, str]], data_dir: Path
                  ) -> list[Placement]:
    """Decide, without writing, where each (persona, file it came in) goes: see the module."""
    from simulator.dialog.loader import data_personas_dir

    dirs = _search(data_dir)
    target = data_personas_dir(data_dir)
    planned: dict[str, str] = {}  # id -> text, of the files this import writes
    placements: list[Placement] = []
    for persona, where in personas:
        _check(persona, where)
        for copy in range(1, MAX_COPIES + 1):
            kept_as = persona.id if copy == 1 else f"{persona.id}-{copy}"
            text = persona.yaml if copy == 1 else _renamed(persona.yaml, kept_as)
            if text is None:
                placements.append(Placement(persona.id, kept_as, None, ""))
                break
            here = planned.get(kept_as)
            if here is None:
                path = _file_for(kept_as, dirs)
                here = None if path is None else _read(path)
            if here == text:
                break  # already here
            if here is None:
                planned[kept_as] = text
                placements.append(Placement(persona.id, kept_as, target / f"{kept_as}.yaml",
                                            text))
                break
    return placements


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # unreadable: not the same text, so the import is kept beside it


def write_personas(placements: list[Placement]) -> list[Path]:
    """Write the planned files, all or (on a failure, removed again) none; the paths written."""
    written: list[Path] = []
    try:
        for placement in placements:
            if placement.path is None:
                continue
            folder = placement.path.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _cannot_write(folder, exc) from None
            write_atomically(placement.path,
                             lambda out, text=placement.text: out.write(text.encode()))
            written.append(placement.path)
    except BaseException:
        remove(written)
        raise
    return written


def _cannot_write(folder: Path, exc: OSError) -> CallsimError:
    if is_full_disk_error(exc):
        return disk_full(folder, "nothing was imported")
    return StorageError(f"cannot create {folder} ({exc.strerror or exc}); nothing was imported: "
                        "make the data directory writable")


def remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
