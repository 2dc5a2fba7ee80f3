"""`callsim forget --trainee NAME`: a trainee's calls, drills and recordings leave the file for
good, after a confirmation; everyone else's stay as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import make_record
from typer.testing import CliRunner

from simulator.cli import forget as forget_command
from simulator.cli.app import app
from simulator.session.engines import Audio
from simulator.storage import CallStore, db
from simulator.storage.recordings import recorded_turns, save_recording

runner = CliRunner()
# A loud, recognisable clip: its FLAC bytes must not survive in the database file.
CLIP = Audio(bytes(range(256)) * 40, 16000)
CALLS = [  # call id, trainee, mode, recorded
    ("20250301-093000-aaaa0001", "Ana", "mic", True),
    ("20250301-094000-aaaa0002", "ana", "drill", True),
    ("20250301-095000-aaaa0003", "ANA", "text", False),
    ("20250301-100000-aaaa0004", "ben", "mic", True),
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    with CallStore.open(data) as store:
        store.import_calls([make_record(c, f"2025-03-01T{c[9:11]}:{c[11:13]}:00.000Z",
                                        trainee=t, mode=m) for c, t, m, _ in CALLS])
        for call_id, _, _, recorded in CALLS:
            if recorded:
                save_recording(store, call_id, 1, CLIP)
    return data


def callsim(*args: str | Path, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def left(data: Path) -> list[tuple[str, list[int]]]:
    with CallStore.open(data) as store:
        return [(s.call_id, recorded_turns(store, s.call_id)) for s in store.list_calls()]


def test_yes_deletes_calls_drills_and_recordings_of_any_letter_case(data):
    result = callsim("forget", "--trainee", "ana", "--yes", "--data-dir", data)
    assert (result.exit_code, result.stdout) == (
        0, "Forgot trainee 'ana': deleted 2 calls, 1 drill and 2 recordings.\n")
    assert left(data) == [("20250301-100000-aaaa0004", [1])]


def test_the_words_and_the_voice_are_gone_from_the_file_itself(data, monkeypatch):
    connect = db.connect

    def insecure(*args, **kwargs):  # as SQLite builds without SECURE_DELETE (Debian's has it)
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(db, "connect", insecure)
    assert callsim("forget", "--trainee", "ana", "--yes", "--data-dir", data).exit_code == 0
    with CallStore.open(data) as store:
        clip = store._conn.execute("SELECT audio FROM recordings").fetchone()[0]
    files = b"".join(p.read_bytes() for p in sorted(data.iterdir()) if p.is_file())
    assert files.count(bytes(clip[-64:])) == 1  # ben's clip, once; Ana's two were wiped
    assert b"Ana" not in files and b"ANA" not in files


def test_without_a_terminal_it_refuses_and_deletes_nothing(data):
    before = left(data)
    result = callsim("forget", "--trainee", "ana", "--data-dir", data, input="y\n")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "callsim: forgetting trainee 'ana' deletes 2 calls, 1 drill and 2 recordings "
               "for good; add --yes to confirm\n")
    assert left(data) == before


@pytest.mark.parametrize(("answer", "code", "remaining"), [("y\n", 0, 1), ("n\n", 1, 4),
                                                          ("\n", 1, 4)])
def test_at_a_terminal_it_asks_first(data, monkeypatch, answer, code, remaining):
    monkeypatch.setattr(forget_command, "interactive", lambda: True)
    result = callsim("forget", "--trainee", "ana", "--data-dir", data, input=answer)
    question = "Delete 2 calls, 1 drill and 2 recordings of trainee 'ana' for good? [y/N]: "
    said = ("Forgot trainee 'ana': deleted 2 calls, 1 drill and 2 recordings.\n" if code == 0
            else "Nothing was deleted.\n")
    assert (result.exit_code, result.stdout) == (code, question + answer + said)  # input echoed
    assert len(left(data)) == remaining


def test_an_unknown_trainee_is_nothing_found(data):
    result = callsim("forget", "--trainee", "nobody", "--yes", "--data-dir", data)
    assert (result.exit_code, result.stderr) == (
        1, "callsim: no calls for trainee 'nobody'; run `callsim history` to see what is saved\n")
    assert len(left(data)) == 4


def test_the_trainee_must_be_named(data):
    result = callsim("forget", "--yes", "--data-dir", data)
    assert result.exit_code == 2 and "--trainee" in result.stderr
