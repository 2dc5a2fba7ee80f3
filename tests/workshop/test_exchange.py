"""Moving calls between laptops: an export file in, the same calls out, once, or nothing.

Importing is idempotent and all-or-nothing across every file given; a damaged or foreign file
is refused with one line and the database is left byte for byte as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest
from workshop_helpers import call, callsim, dump, files

from simulator.errors import InputError, StorageError
from simulator.storage import CallStore, exchange
from simulator.storage.exchange import call_line, export_calls, read_export
from simulator.storage.merge import import_exports
from simulator.storage.records import OUTCOMES
from simulator.storage.workshops import Workshop, end_workshop, list_workshops, start_workshop

NOW = "2025-03-01T18:00:00.000Z"
LAPTOP = [  # call_id, trainee, persona, outcome, score, workshop, started_at
    ("20250301-093000-aaaa0001", "ana", "busy-cfo", "meeting_agreed", 81, "lisbon", "09:30"),
    ("20250301-094000-aaaa0002", "Ben", "gatekeeper", "hung_up", 12, "lisbon", "09:40"),
    ("20250301-095000-aaaa0003", "João", "busy-cfo", None, None, "lisbon", "09:50"),
    ("20250301-100000-aaaa0004", "ana", "gatekeeper", "opted_out", 40, None, "10:00"),
    ("20250301-110000-aaaa0005", "ben", "busy-cfo", "callback_agreed", 77, "porto", "11:00"),
]


def laptop_calls():
    return [call(i, t, p, o, s, w, f"2025-03-01T{at}:00.000Z", turn_count=n)
            for n, (i, t, p, o, s, w, at) in enumerate(LAPTOP)]  # fmt: skip


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """A laptop's data directory: workshop lisbon (ended) and LAPTOP's calls."""
    data = tmp_path / "laptop"
    with CallStore.open(data) as store:
        start_workshop(store, "lisbon", "2025-03-01T09:00:00.000Z")
        store.import_calls(laptop_calls())
        end_workshop(store, None, "2025-03-01T10:30:00.000Z")
    return data


@pytest.fixture
def exported(laptop: Path, tmp_path: Path) -> Path:
    path = tmp_path / "laptop.callsim"
    with CallStore.open(laptop) as store:
        assert export_calls(store, path, now=NOW) == len(LAPTOP)
    return path


def all_calls(data: Path) -> list[dict]:
    with CallStore.open(data) as store:
        return [record.to_json() for record in store.iter_calls()]


def test_the_file_is_gzip_json_lines_with_a_header(exported: Path):
    lines = gzip.decompress(exported.read_bytes()).split(b"\n")
    body = b"".join(line + b"\n" for line in lines[1:-1])
    assert json.loads(lines[0]) == {
        "format": "callsim-export", "version": 2, "exported_at": NOW, "calls": 5,
        "workshops": [
            {"name": "lisbon", "started_at": "2025-03-01T09:00:00.000Z",
             "ended_at": "2025-03-01T10:30:00.000Z"},
            {"name": "porto", "started_at": "2025-03-01T11:00:00.000Z",
             "ended_at": "2025-03-01T11:00:00.000Z"},  # only tagged on a call: spans it
        ],
        "sha256": hashlib.sha256(body).hexdigest(),
        "personas": [],  # busy-cfo and gatekeeper are no persona files here
    }  # fmt: skip
    assert lines[-1] == b""
    assert [json.loads(line) for line in lines[1:-1]] == [c.to_json() for c in laptop_calls()]


def test_round_trip_is_identical(laptop: Path, exported: Path, tmp_path: Path):
    result = callsim("import", exported, "--data-dir", tmp_path / "trainer")
    assert (result.exit_code, result.stdout) == (
        0, f"imported 5 calls (0 already present) from {exported}\n")
    assert all_calls(tmp_path / "trainer") == all_calls(laptop)
    with CallStore.open(tmp_path / "trainer") as trainer, CallStore.open(laptop) as source:
        assert list_workshops(trainer) == list_workshops(source)


def test_same_calls_same_bytes(laptop: Path, exported: Path, tmp_path: Path):
    with CallStore.open(laptop) as store:
        export_calls(store, tmp_path / "again.callsim", now=NOW)
    assert (tmp_path / "again.callsim").read_bytes() == exported.read_bytes()


EXPORTS = [  # options -> calls in the file (oldest first), workshops in its header
    ({}, ["aaaa0001", "aaaa0002", "aaaa0003", "aaaa0004", "aaaa0005"], ["lisbon", "porto"]),
    ({"workshop": "LISBON"}, ["aaaa0001", "aaaa0002", "aaaa0003"], ["lisbon"]),
    ({"trainee": "ben"}, ["aaaa0002", "aaaa0005"], ["lisbon", "porto"]),
    ({"trainee": "ana", "workshop": "lisbon"}, ["aaaa0001"], ["lisbon"]),
]  # no match at all ("--trainee nobody"): tests/progress/test_what_counts.py, nothing found


@pytest.mark.parametrize(("options", "ids", "workshops"), EXPORTS)
def test_export_one_workshop_or_trainee(laptop: Path, tmp_path: Path, options, ids, workshops):
    path = tmp_path / "part.callsim"
    with CallStore.open(laptop) as store:
        assert export_calls(store, path, **options) == len(ids)
    content = read_export(path)
    assert [c.call_id[-8:] for c in content.calls] == ids
    assert [w["name"] for w in content.workshops] == workshops


def test_cli_export(laptop: Path, tmp_path: Path):
    path = tmp_path / "lisbon.callsim"
    result = callsim("export", path, "--workshop", "lisbon", "--data-dir", laptop)
    assert (result.exit_code, result.stdout) == (0, f"exported 3 calls to {path}\n")
    assert [c.call_id[-4:] for c in read_export(path).calls] == ["0001", "0002", "0003"]
    unknown = callsim("export", path, "--workshop", "faro", "--data-dir", laptop)
    assert (unknown.exit_code, unknown.stderr) == (
        1, "callsim: no workshop named faro; see `callsim workshop list`\n")
    nowhere = tmp_path / "no" / "such" / "dir.callsim"
    unwritable = callsim("export", nowhere, "--data-dir", laptop)
    assert unwritable.stderr == (f"callsim: cannot write {nowhere} (No such file or directory); "
                                 "choose a file in a writable directory\n")  # fmt: skip


def test_importing_again_changes_nothing(laptop: Path, exported: Path, tmp_path: Path):
    trainer = tmp_path / "trainer"
    assert callsim("import", exported, "--data-dir", trainer).exit_code == 0
    before = dump(trainer)
    again = callsim("import", exported, exported, "--data-dir", trainer)
    assert again.stdout == (f"imported 0 calls (5 already present) from {exported}\n" * 2)
    assert dump(trainer) == before
    home = callsim("import", exported, "--data-dir", laptop)  # back where it came from
    assert home.stdout == f"imported 0 calls (5 already present) from {exported}\n"


def regzip(header: dict, body: bytes, sha: str | None = None) -> bytes:
    header = dict(header, sha256=sha or hashlib.sha256(body).hexdigest())
    return gzip.compress(json.dumps(header).encode() + b"\n" + body, mtime=0)


def edit(good: bytes, change) -> bytes:
    """Unpack the good file, let `change(header, lines)` alter it, pack it with a right sha."""
    first, *lines = gzip.decompress(good).split(b"\n")[:-1]
    header = json.loads(first)
    change(header, lines)
    return regzip(header, b"".join(line + b"\n" for line in lines))


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip
NOT_OURS = "it is not a callsim export (not gzip data; make one with `callsim export FILE`)"
DAMAGED = "the file is damaged (its compressed data does not check out); copy it again"

BAD_FILES = [  # how the good file is spoiled -> why it is refused
    ("truncated gzip", lambda g: g[: len(g) // 2], "the file is cut short; copy it again"),
    ("gzip trailer cut", lambda g: g[:-3], "the file is cut short; copy it again"),
    ("flipped byte in the data", lambda g: flip(g, len(g) // 2), DAMAGED),
    ("flipped byte in the CRC", lambda g: flip(g, len(g) - 6), DAMAGED),
    ("a PNG renamed .callsim", lambda g: PNG, NOT_OURS),
    ("an empty file", lambda g: b"", NOT_OURS),
    ("JSON lines not gzipped", lambda g: gzip.decompress(g), NOT_OURS),
    ("gzip of something else", lambda g: gzip.compress(b"hello\nworld\n"),
     "it is not a callsim export (no callsim-export header)"),
    ("wrong header", lambda g: edit(g, lambda h, _: h.update(format="tarball")),
     "it is not a callsim export (no callsim-export header)"),
    ("calls without a header", lambda g: edit(g, lambda h, lines: h.clear()),
     "it is not a callsim export (no callsim-export header)"),
    ("newer version", lambda g: edit(g, lambda h, _: h.update(version=3)),
     "it was written by a newer callsim (export version 3, this one reads 2); upgrade callsim"),
    ("a JSON line not a call", lambda g: edit(g, lambda h, lines: lines.__setitem__(1, b"[1]")),
     "line 3 is not a valid call (call record: call must be a JSON object, not list)"),
    ("a call missing fields", lambda g: edit(g, lambda h, lines: lines.__setitem__(0, b"{}")),
     "line 2 is not a valid call (call record: call is missing call_id, mode, persona, "
     "persona_name, started_at)"),
    ("a line that is not JSON", lambda g: edit(g, lambda h, lines: lines.__setitem__(4, b"x")),
     "line 6 is not a valid call (Expecting value: line 1 column 1 (char 0))"),
    ("NaN in a call", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        0, lines[0].replace(b'"score":81', b'"score":NaN', 1))),
     "line 2 is not a valid call (NaN is not a JSON number)"),
    ("a call altered, checksum kept", lambda g: regzip(
        json.loads(gzip.decompress(g).split(b"\n")[0]),
        gzip.decompress(g).split(b"\n", 1)[1].replace(b'"score":81', b'"score":99', 1),
        json.loads(gzip.decompress(g).split(b"\n")[0])["sha256"]),
     "its calls do not match their checksum (the file was altered or cut); export it again"),
    ("a call dropped", lambda g: edit(g, lambda h, lines: lines.pop()),
     "its header announces 5 calls but it holds 4"),
    ("a bad workshop", lambda g: edit(g, lambda h, _: h["workshops"][1].update(started_at="x")),
     "its header's workshop 2 has no valid started_at time"),
    # What SQLite or Python's JSON could not take: refused up front, by line and call.
    ("a call nested 100,000 deep", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        0, b'{"call_id":"x","scorecard":' + b"[" * 100_000 + b"]" * 100_000 + b"}")),
     "line 2 is not a valid call (it nests deeper than 36 levels)"),
    ("a header nested 100,000 deep", lambda g: gzip.compress(
        b'{"format":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"),
     "it is not a callsim export (no callsim-export header)"),
    ("a score of 10**30", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        0, lines[0].replace(b'"score":81', b'"score":' + str(10**30).encode(), 1))),
     f"line 2 (call {LAPTOP[0][0]}) is not a valid call (call record: score must be a whole "
     "number from -9223372036854775808 to 9223372036854775807)"),
    ("a lone surrogate in a turn", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        1, lines[1].replace(b'"text":"line 0', b'"text":"\\ud800line 0', 1))),
     f"line 3 (call {LAPTOP[1][0]}) is not a valid call (call record: turn 0 text is not valid "
     "Unicode text (it holds a lone surrogate))"),
    ("a number beyond a float", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        2, lines[2].replace(b'"delay":0.812', b'"delay":1e400', 1))),
     f"line 4 (call {LAPTOP[2][0]}) is not a valid call (call record: turn 1 extra holds a "
     "number that is not finite (infinity or NaN))"),
    ("two turns numbered alike", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        2, lines[2].replace(b'"index":1,', b'"index":0,', 1))),
     f"line 4 (call {LAPTOP[2][0]}) is not a valid call (call record: call has two turns "
     "numbered 0)"),
    ("an outcome of 200,000 characters", lambda g: edit(g, lambda h, lines: lines.__setitem__(
        0, lines[0].replace(b'"outcome":"', b'"outcome":"' + b"o" * 200_000, 1))),
     f"line 2 (call {LAPTOP[0][0]}) is not a valid call (call record: outcome must be one of "
     f"{', '.join(OUTCOMES)}, not '{'o' * 29}…)"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "spoil", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_and_nothing_changes(exported, tmp_path, case, spoil, reason):
    trainer = tmp_path / "trainer"
    with CallStore.open(trainer) as store:  # a trainer's history, already holding a call
        store.import_calls([call("20250228-100000-bbbb0001", "zoe", "busy-cfo", "hung_up", 3)])
    before, before_rows = files(trainer), dump(trainer)
    bad = tmp_path / "bad.callsim"
    bad.write_bytes(spoil(exported.read_bytes()))
    # The good file first: it is not imported either.
    result = callsim("import", exported, bad, "--data-dir", trainer)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"callsim: cannot import {bad}: {reason}; nothing was imported\n")
    assert files(trainer) == before
    assert dump(trainer) == before_rows


@pytest.mark.parametrize(("target", "reason"), [
    ("missing.callsim", "cannot read it (No such file or directory)"),
    (".", "it is a directory, not an export file"),
])  # fmt: skip
def test_a_missing_file_or_a_directory_is_refused(tmp_path, target, reason):
    path = tmp_path / target
    result = callsim("import", path, "--data-dir", tmp_path / "trainer")
    assert result.stderr == f"callsim: cannot import {path}: {reason}; nothing was imported\n"


def test_a_merge_failing_midway_leaves_nothing(exported: Path, tmp_path: Path):
    trainer = tmp_path / "trainer"
    big = tmp_path / "big.callsim"
    with CallStore.open(tmp_path / "big") as source:
        source.import_calls(call(f"20250302-0900{n:02d}-cccc{n:04x}", f"t{n}", "busy-cfo",
                                 "hung_up", n, turn_count=40) for n in range(60))  # fmt: skip
        export_calls(source, big)
    with CallStore.open(trainer) as store:
        store.import_calls([call("20250228-100000-bbbb0001", "zoe", "busy-cfo", "hung_up", 3)])
        before = dump(trainer)
        # SQLite's page limit makes the disk "full" half-way through the second file.
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 30}")
        with pytest.raises(StorageError) as caught:
            import_exports(store, [read_export(exported), read_export(big)])
        assert str(caught.value).startswith(f"the disk holding {store.path} is full;")
    assert dump(trainer) == before


def test_an_id_clash_keeps_both_calls_under_a_derived_id(exported: Path, tmp_path: Path):
    trainer = tmp_path / "trainer"
    mine = call("20250301-093000-aaaa0001", "zoe", "gatekeeper", "hung_up", 3)  # LAPTOP's id
    with CallStore.open(trainer) as store:
        store.import_calls([mine])
    theirs = laptop_calls()[0]
    derived = f"{theirs.call_id}-{hashlib.sha256(call_line(theirs)).hexdigest()[:8]}"
    result = callsim("import", exported, "--data-dir", trainer)
    assert result.stdout == (
        f"imported 5 calls (0 already present) from {exported}\n"
        f"  call {theirs.call_id} differs from the call saved here with that id; kept as "
        f"{derived}\n")  # fmt: skip
    after = dump(trainer)
    with CallStore.open(trainer) as store:
        assert store.get_call(mine.call_id) == mine
        assert store.get_call(derived).to_json() == dict(theirs.to_json(), call_id=derived)
    again = callsim("import", exported, "--data-dir", trainer)
    assert again.stdout == f"imported 0 calls (5 already present) from {exported}\n"
    assert dump(trainer) == after


def test_a_call_exported_while_running_is_completed_by_a_later_export(tmp_path: Path):
    laptop, trainer = tmp_path / "laptop", tmp_path / "trainer"
    early, late = tmp_path / "early.callsim", tmp_path / "late.callsim"
    with CallStore.open(laptop) as store:
        running = store.start_call("busy-cfo", "Dana", 5, "ana", "lisbon", "text")
        for turn in call("x", "ana", "busy-cfo", None, None, turn_count=3).turns:
            store.add_turn(running.call_id, turn)
        export_calls(store, early)
        store.add_turn(running.call_id, call("x", "a", "b", None, None, turn_count=4).turns[3])
        store.finish_call(running.call_id, "callback_agreed", {"score": 64})
        export_calls(store, late)
        finished = store.get_call(running.call_id)
    assert callsim("import", early, "--data-dir", trainer).exit_code == 0
    result = callsim("import", late, early, "--data-dir", trainer)
    assert result.stdout == (
        f"imported 1 calls (0 already present) from {late}\n"
        "  1 of them finished calls saved here unfinished\n"
        f"imported 0 calls (1 already present) from {early}\n")
    with CallStore.open(trainer) as store:
        assert store.get_call(running.call_id) == finished


WORKSHOP_MERGES = [  # here (None: absent), in the file -> here afterwards (name, start, end)
    (None, ("lisbon", "09:00", "17:00"), ("lisbon", "09:00", "17:00")),
    (None, ("lisbon", "09:00", None), ("lisbon", "09:00", "18:00")),  # closed at export time
    (("lisbon", "10:00", None), ("LISBON", "09:00", "17:00"), ("lisbon", "09:00", None)),
    (("lisbon", "08:00", "12:00"), ("lisbon", "09:00", "17:00"), ("lisbon", "08:00", "17:00")),
    (("lisbon", "08:00", "17:30"), ("lisbon", "09:00", None), ("lisbon", "08:00", "18:00")),
    (("lisbon", "08:00", "12:00"), ("porto", "09:00", "10:00"), ("lisbon", "08:00", "12:00")),
]


def at(hhmm: str | None) -> str | None:
    return None if hhmm is None else f"2025-03-01T{hhmm}:00.000Z"


@pytest.mark.parametrize(("here", "theirs", "after"), WORKSHOP_MERGES)
def test_workshops_merge_by_name(tmp_path: Path, here, theirs, after):
    source, trainer = tmp_path / "source", tmp_path / "trainer"
    path = tmp_path / "w.callsim"
    with CallStore.open(source) as store:
        start_workshop(store, theirs[0], at(theirs[1]))
        if theirs[2]:
            end_workshop(store, None, at(theirs[2]))
        export_calls(store, path, workshop=theirs[0], now=at("18:00"))
    with CallStore.open(trainer) as store:
        if here:
            start_workshop(store, here[0], at(here[1]))
            if here[2]:
                end_workshop(store, None, at(here[2]))
        for _ in range(2):  # the second time changes nothing
            import_exports(store, [read_export(path)])
            found = {w.name: w for w in list_workshops(store)}
            assert found[after[0]] == Workshop(after[0], at(after[1]), at(after[2]))


def test_reading_an_export_takes_little_memory(exported: Path):
    tracemalloc.start()
    try:
        read_export(exported)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20  # not the 2 GiB a whole-body read(MAX_BODY_BYTES + 1) reserves


def test_a_body_past_the_limit_is_refused_as_it_inflates(exported: Path, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_BODY_BYTES", 1000)
    monkeypatch.setattr(exchange, "INFLATE_CHUNK_BYTES", 100)
    with pytest.raises(InputError) as error:
        read_export(exported)
    assert str(error.value) == (f"cannot import {exported}: it inflates to more than 2 GiB, far "
                                "beyond any export; nothing was imported")


def test_read_export_is_a_library_call_too(exported: Path, tmp_path: Path):
    content = read_export(exported)
    assert (content.exported_at, len(content.calls)) == (NOW, 5)
    (tmp_path / "x.callsim").write_bytes(b"")
    with pytest.raises(InputError):
        read_export(tmp_path / "x.callsim")


def test_two_laptops_merge_into_a_third(tmp_path: Path):
    """Hot-seat practice on two laptops in one workshop; the trainer merges both exports."""
    replies = {
        "ana": ["Thank you for your honesty. What issues are you facing with dispatch?",
                "Would you mind if I circled back in a few months?"],
        "ben": ["Fine."],
        "cleo": ["Thank you for your honesty. What issues are you facing with dispatch?"],
        "dan": ["Our software is the best, you should buy it now."],
    }  # fmt: skip
    laptops = {"laptop1": ["ana", "ben"], "laptop2": ["cleo", "dan", "ana"]}
    boards, calls = {}, {}
    for laptop, trainees in laptops.items():
        data = tmp_path / laptop
        assert callsim("workshop", "start", "lisbon", "--data-dir", data).exit_code == 0
        for seed, trainee in enumerate(trainees, start=1):
            done = callsim("practice", "--persona", "covered-carl", "--text", "--seed", str(seed),
                           "--trainee", trainee, "--json", "--data-dir", data,
                           input="".join(r + "\n" for r in replies[trainee]))  # fmt: skip
            assert done.exit_code == 0, done.output
            calls[json.loads(done.stdout)["call_id"]] = json.loads(done.stdout)
        assert callsim("workshop", "end", "--data-dir", data).exit_code == 0
        exported = callsim("export", tmp_path / f"{laptop}.callsim", "--data-dir", data)
        assert exported.stdout == f"exported {len(trainees)} calls to {tmp_path / laptop}.callsim\n"
        boards[laptop] = json.loads(
            callsim("workshop", "board", "lisbon", "--json", "--data-dir", data).stdout)
    trainer = tmp_path / "trainer"
    merged = callsim("import", tmp_path / "laptop1.callsim", tmp_path / "laptop2.callsim",
                     "--data-dir", trainer)  # fmt: skip
    assert merged.stdout == (
        f"imported 2 calls (0 already present) from {tmp_path / 'laptop1.callsim'}\n"
        f"imported 3 calls (0 already present) from {tmp_path / 'laptop2.callsim'}\n")
    assert {c["call_id"]: c for c in all_calls(trainer)} == calls
    assert all(c["workshop"] == "lisbon" for c in calls.values())
    board = json.loads(callsim("workshop", "board", "lisbon", "--json", "--data-dir",
                               trainer).stdout)  # fmt: skip
    # Each trainee's line is what the laptops' calls add up to: ana practised on both.
    by_trainee = {t["trainee"]: t for t in board["trainees"]}
    for trainee in ("ana", "ben", "cleo", "dan"):
        theirs = [c for c in calls.values() if c["trainee"] == trainee]
        line = by_trainee[trainee]
        assert line["calls"] == len(theirs)
        assert line["best_score"] == max(c["score"] for c in theirs)
        assert {k: v for k, v in line["outcomes"].items() if v} == {
            o: sum(c["outcome"] == o for c in theirs) for o in {c["outcome"] for c in theirs}}
    standings = [(t["latest_score"], t["improvement"] or 0, t["best_score"])
                 for t in board["trainees"]]  # the rank rule: latest, improvement, best
    assert standings == sorted(standings, reverse=True)
    # Who practised on one laptop only has the same line as on that laptop, bar the rank.
    for laptop, trainee in (("laptop1", "ben"), ("laptop2", "cleo"), ("laptop2", "dan")):
        (alone,) = [t for t in boards[laptop]["trainees"] if t["trainee"] == trainee]
        assert dict(by_trainee[trainee], rank=None) == dict(alone, rank=None)
    with CallStore.open(trainer) as store:
        (workshop,) = list_workshops(store)
    with CallStore.open(tmp_path / "laptop1") as one, CallStore.open(tmp_path / "laptop2") as two:
        (first,), (second,) = list_workshops(one), list_workshops(two)
    assert (workshop.name, workshop.calls, workshop.trainees) == ("lisbon", 5, 4)
    assert workshop.started_at == min(first.started_at, second.started_at)
    assert workshop.ended_at == max(first.ended_at, second.ended_at)
