"""Export files: calls carried from one laptop to another on a USB stick.

The file is gzip'd JSON lines. Line 1 is a header:
    {"format": "callsim-export", "version": 2, "exported_at": ..., "calls": N,
     "workshops": [{"name", "started_at", "ended_at"}...], "sha256": <hex of the body>,
     "personas": [{"id", "yaml"}...]}
then one call per line (`CallRecord.to_json()`, oldest first), with, when its replies were
recorded and the audio is exported, "recordings": [{"turn", "format", "rate", "seconds",
"data": <base64 FLAC>}...]. Version 1 files (no personas, no recordings) are read as ever.
gzip's CRC catches damage in transit, the count and the SHA-256 catch a file cut or spliced at
a line boundary, and every call is checked field by field, so a file is either taken whole or
refused with one line.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from simulator.errors import (
    CallsimError,
    InputError,
    MissingDependencyError,
    StorageError,
    nothing_found,
    shorten,
)
from simulator.storage.files import disk_full, is_full_disk_error, write_atomically
from simulator.storage.limits import MAX_LINE_DEPTH, has_surrogate, json_depth
from simulator.storage.recordings import (
    DamagedClip,
    Recording,
    call_recordings,
    clip_to_json,
    clips_from_json,
    playable_clips,
)
from simulator.storage.records import CallRecord, is_timestamp, utc_timestamp
from simulator.storage.shared_personas import PersonaText, persona_problem, personas_used
from simulator.storage.workshops import (
    LIST_HINT,
    display_name,
    nocase,
    workshop_problem,
    workshop_rows,
)

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore

FORMAT = "callsim-export"
VERSION = 2  # 2: personas in the header, recordings with their calls
GZIP_MAGIC = b"\x1f\x8b"
MAX_BODY_BYTES = 2 << 30  # refuse to inflate more than 2 GiB (a damaged or hostile file)
INFLATE_CHUNK_BYTES = 1 << 20
_SPOOL_BYTES = 32 << 20


def call_line(record: CallRecord, clips: list[Recording] | None = None) -> bytes:
    """One call (and its recordings, if any) as its export line: compact UTF-8 JSON and a
    newline."""
    data = record.to_json()
    if clips:
        data["recordings"] = [clip_to_json(clip) for clip in clips]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode() + b"\n"


@dataclass(frozen=True)
class ExportFile:
    path: Path
    exported_at: str
    workshops: list[dict[str, Any]]
    calls: list[CallRecord]
    recordings: dict[str, list[Recording]] = field(default_factory=dict)  # by call id
    personas: list[PersonaText] = field(default_factory=list)
    damaged: list[DamagedClip] = field(default_factory=list)  # recordings left out


# -- writing -------------------------------------------------------------------------------


def _calls_sql(trainee: str | None, workshop: str | None) -> tuple[str, list[str]]:
    clauses = [f"{column} = ?" for column, value in (("trainee", trainee),
               ("workshop", workshop)) if value is not None]  # fmt: skip
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    params = [value for value in (trainee, workshop) if value is not None]
    return f"SELECT call_id FROM calls{where} ORDER BY started_at, call_id", params


@dataclass
class _Collected:
    count: int = 0
    workshops: list[dict[str, Any]] = field(default_factory=list)
    sha256: str = ""
    personas: set[str] = field(default_factory=set)  # ids the calls used


def _collect(store: CallStore, conn: sqlite3.Connection, body: BinaryIO, trainee: str | None,
             workshop: str | None, audio: bool) -> _Collected:
    """Write the calls' lines to `body` (one snapshot); their count, workshops and SHA-256."""
    body.seek(0)
    body.truncate()  # from scratch, should a busy database make the store run this again
    digest = hashlib.sha256()
    personas: set[str] = set()
    if workshop is not None and display_name(conn, workshop) is None:
        raise InputError(f"no workshop named {shorten(workshop)}; {LIST_HINT}")
    sql, params = _calls_sql(trainee, workshop)
    named = set() if workshop is None else {nocase(workshop)}
    count = 0
    for (call_id,) in conn.execute(sql, params).fetchall():
        record = store._load(conn, call_id)
        line = call_line(record, call_recordings(conn, call_id) if audio else None)
        personas.add(record.persona)
        digest.update(line)
        body.write(line)
        count += 1
        if record.workshop is not None:
            named.add(nocase(record.workshop))
    rows = [row for row in workshop_rows(conn) if nocase(row[0]) in named]
    workshops = [{"name": n, "started_at": s, "ended_at": e} for n, s, e in sorted(rows)]
    return _Collected(count, workshops, digest.hexdigest(), personas)


def export_calls(store: CallStore, path: str | Path, workshop: str | None = None,
                 trainee: str | None = None, now: str | None = None,
                 audio: bool = True) -> int:  # fmt: skip
    """Write the matching calls (all by default), their recordings (unless not `audio`), the
    personas they used and their workshops to `path`; the count of calls.

    Nothing to carry (no call, no workshop) is a NothingFoundError, and no file is written; an
    empty workshop is carried, so the trainer's laptop knows it.

    `now` (default: the current time) is the export time written in the header.
    """
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as body:
        try:
            found = store._read(lambda conn: _collect(store, conn, body, trainee, workshop,
                                                      audio))
        except OSError as exc:  # a big export spills the spool into the temporary folder
            raise _spool_error(exc) from None
        if not found.count and not found.workshops:  # the "nothing found" rule: no file
            raise nothing_found(trainee, workshop)
        personas = personas_used(found.personas, store.path.parent)
        header = {"format": FORMAT, "version": VERSION, "exported_at": now or utc_timestamp(),
                  "calls": found.count, "workshops": found.workshops, "sha256": found.sha256,
                  "personas": [persona.to_json() for persona in personas]}

        def write(out: BinaryIO) -> None:
            # No name and no time in the gzip header: the same calls give the same bytes.
            with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as packed:
                packed.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
                body.seek(0)
                shutil.copyfileobj(body, packed)

        write_atomically(path, write)
    return found.count


def _spool_error(exc: OSError) -> StorageError:
    folder = Path(tempfile.gettempdir())
    if is_full_disk_error(exc):
        return disk_full(folder, "nothing was exported")
    return StorageError(f"cannot export: writing a temporary file in {folder} failed "
                        f"({exc.strerror or exc}); set TMPDIR to a writable folder")  # fmt: skip


# -- reading -------------------------------------------------------------------------------


def _refused(path: Path, reason: str) -> InputError:
    return InputError(f"cannot import {path}: {reason}; nothing was imported")


def _inflate(path: Path) -> bytes:
    try:
        with path.open("rb") as raw:
            if raw.read(2) != GZIP_MAGIC:
                raise _refused(path, "it is not a callsim export (not gzip data; make one with "
                                     "`callsim export FILE`)")  # fmt: skip
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as packed:
                data = _read_capped(path, packed)
    except CallsimError:
        raise
    except EOFError:
        raise _refused(path, "the file is cut short; copy it again") from None
    except (gzip.BadGzipFile, zlib.error):  # zlib's own words vary by version: not shown
        raise _refused(path, "the file is damaged (its compressed data does not check out); "
                             "copy it again") from None  # fmt: skip
    except OSError as exc:
        raise _refused(path, f"cannot read it ({exc.strerror or exc})") from None
    return data


def _read_capped(path: Path, packed: gzip.GzipFile) -> bytes:
    """The inflated body, read a chunk at a time: read(2 GiB) would reserve 2 GiB up front."""
    chunks, size = [], 0
    while chunk := packed.read(INFLATE_CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _refused(path, "it inflates to more than 2 GiB, far beyond any export")
        chunks.append(chunk)
    return b"".join(chunks)


def _header(path: Path, line: bytes) -> dict[str, Any]:
    try:
        header = json.loads(line) if json_depth(line) <= MAX_LINE_DEPTH else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _refused(path, "it is not a callsim export (no callsim-export header)")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refused(path, f"its header has an invalid version {shorten(repr(version))}")
    if version > VERSION:
        raise _refused(path, f"it was written by a newer callsim (export version {version}, "
                             f"this one reads {VERSION}); upgrade callsim")  # fmt: skip
    calls, sha = header.get("calls"), header.get("sha256")
    if not isinstance(calls, int) or isinstance(calls, bool) or calls < 0:
        raise _refused(path, "its header has no valid call count")
    if not isinstance(sha, str) or len(sha) != 64:
        raise _refused(path, "its header has no valid sha256")
    _check_list(path, header.get("workshops"), "workshop", workshop_problem)
    if not is_timestamp(header.get("exported_at")):
        raise _refused(path, "its header has no valid exported_at time")
    personas = header.get("personas", [] if version == 1 else None)  # v1 had none
    _check_list(path, personas, "persona", persona_problem)
    return header


def _check_list(path: Path, items: Any, what: str, problem_of) -> None:
    if not isinstance(items, list):
        raise _refused(path, f"its header has no {what} list")
    for index, item in enumerate(items):
        problem = problem_of(item)
        if problem:
            raise _refused(path, f"its header's {what} {index + 1} {problem}")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def read_export(path: str | Path, audio: bool = True) -> ExportFile:
    """Read and check a whole export file; InputError (one line) if it is foreign or damaged.

    Each recording is decoded whole (unless not `audio`: then none is kept): one that does not
    play is left out and listed in `damaged`, its call kept.
    """
    path = Path(path)
    if path.is_dir():
        raise _refused(path, "it is a directory, not an export file")
    data = _inflate(path)
    first, newline, body = data.partition(b"\n")
    header = _header(path, first) if newline else _header(path, b"")
    if hashlib.sha256(body).hexdigest() != header["sha256"]:
        raise _refused(path, "its calls do not match their checksum (the file was altered or "
                             "cut); export it again")  # fmt: skip
    lines = body.split(b"\n")
    if lines[-1] != b"":
        raise _refused(path, "its last line is incomplete")
    lines.pop()
    if len(lines) != header["calls"]:
        raise _refused(path, f"its header announces {header['calls']} calls but it holds "
                             f"{len(lines)}")  # fmt: skip
    calls, recordings, damaged = [], {}, []
    for number, line in enumerate(lines, start=2):
        record, clips = _call(path, number, line)
        calls.append(record)
        if clips and audio:
            recordings[record.call_id] = _playable(path, record, clips, damaged)
    personas = [PersonaText(p["id"], p["yaml"]) for p in header.get("personas", [])]
    return ExportFile(path, header["exported_at"], header["workshops"], calls, recordings,
                      personas, damaged)


def _playable(path: Path, record: CallRecord, clips: list[Recording],
              damaged: list[DamagedClip]) -> list[Recording]:
    """The call's clips that play whole; those that do not are added to `damaged`."""
    try:
        kept, left_out = playable_clips(record, clips)
    except MissingDependencyError:
        raise _refused(path, "its recordings cannot be checked: soundfile is not installed "
                             "(.venv/bin/pip install -e '.[voice]'); or import with --no-audio"
                       ) from None
    damaged += left_out
    return kept


def _call(path: Path, number: int, line: bytes) -> tuple[CallRecord, list[Recording]]:
    """The call on line `number` and its recordings, checked whole before anything is
    written."""
    data: Any = None
    try:
        if json_depth(line) > MAX_LINE_DEPTH:  # before json.loads, which recurses per level
            raise ValueError(f"it nests deeper than {MAX_LINE_DEPTH} levels")
        data = json.loads(line, parse_constant=_no_constant)
        clips = data.pop("recordings", []) if isinstance(data, dict) else []
        record = CallRecord.from_json(data)
        replies = {turn.index for turn in record.turns if turn.speaker == "trainee"}
        return record, clips_from_json(clips, replies)
    except (ValueError, CallsimError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "not JSON"
        if "integer string conversion" in detail:  # Python's advice is for programmers
            detail = "it holds a number with thousands of digits"
        call_id = data.get("call_id") if isinstance(data, dict) else None
        named = f" (call {call_id})" if _shown_id(call_id) else ""
        raise _refused(path, f"line {number}{named} is not a valid call ({detail})") from None


def _shown_id(call_id: Any) -> bool:
    """Whether an id read from a file is fit to be quoted back in an error line."""
    return (isinstance(call_id, str) and 0 < len(call_id) <= 80 and call_id.isprintable()
            and not has_surrogate(call_id))  # fmt: skip

