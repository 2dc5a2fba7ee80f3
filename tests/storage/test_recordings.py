"""Replies kept as audio: FLAC in the call database, exact to the sample, never at the cost of a
turn's text, and gone with their call."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from store_helpers import make_record

from simulator.dialog.validate import get_persona
from simulator.errors import InputError, StorageError, UnknownCallError
from simulator.session.call import CallOptions, CallSession
from simulator.session.engines import Audio, Reply, VoiceSettings
from simulator.session.text_io import PrintedProspect
from simulator.storage import CallStore, db
from simulator.storage.recordings import (
    load_recording,
    recorded_turns,
    save_recording,
    stored_recordings,
)

VOICE = VoiceSettings(rate=150, variant="en-us")
CALL = "20250301-093000-0a1b2c3d"
SAID = "Thank you for your honesty. What issues are you facing with dispatch?"


@pytest.fixture
def saved(store: CallStore) -> CallStore:
    """A call whose turn 1 is the trainee's reply."""
    store.import_calls([make_record(CALL, "2025-03-01T09:30:00.000Z")])
    return store


def test_a_reply_reads_back_sample_for_sample_and_compressed(saved, speech):
    audio = speech(SAID, VOICE)
    save_recording(saved, CALL, 1, audio)
    assert load_recording(saved, CALL, 1) == audio
    assert recorded_turns(saved, CALL) == [1]
    (clip,) = stored_recordings(saved, CALL)
    assert (clip.format, clip.rate, clip.seconds) == ("flac", 16000, round(audio.seconds, 3))
    assert clip.data[:4] == b"fLaC"
    assert len(clip.data) < 0.75 * len(audio.pcm)  # FLAC: well under the 16-bit PCM


def test_a_turn_without_audio_reads_as_none(saved):
    assert load_recording(saved, CALL, 0) is None
    assert recorded_turns(saved, CALL) == []


TONE = Audio(b"\x00\x10" * 1600, 16000)
REFUSED = [  # call id, turn, audio -> error, message
    ("20990101-000000-00000000", 1, TONE, UnknownCallError,
     "no call with id 20990101-000000-00000000; run `callsim history` to list calls"),
    (CALL, 7, TONE, StorageError,
     f"call {CALL} has no turn 7 to keep a recording with; save the turn first"),
    (CALL, 1, Audio(b"", 16000), InputError,
     "a recording needs whole 16-bit samples; nothing was heard to keep"),
    (CALL, 1, Audio(b"\x00\x10\x00", 16000), InputError,
     "a recording needs whole 16-bit samples; nothing was heard to keep"),
    (CALL, 1, Audio(b"\x00\x10" * 10, 96000), InputError,
     "cannot record audio at 96000 Hz: it must be 8000 to 48000 Hz"),
]


@pytest.mark.parametrize(("call_id", "turn", "audio", "error", "message"), REFUSED)
def test_what_cannot_be_kept_is_one_line(saved, call_id, turn, audio, error, message):
    with pytest.raises(error) as caught:
        save_recording(saved, call_id, turn, audio)
    assert str(caught.value) == message
    assert recorded_turns(saved, CALL) == []


def test_a_recording_is_never_overwritten(saved):
    save_recording(saved, CALL, 1, TONE)
    with pytest.raises(StorageError) as caught:
        save_recording(saved, CALL, 1, Audio(b"\x00\x20" * 1600, 16000))
    assert str(caught.value) == (f"turn 1 of call {CALL} has a recording already; saved "
                                 "recordings are never overwritten")
    assert load_recording(saved, CALL, 1) == TONE


def test_a_full_disk_is_the_full_disk_line_and_keeps_the_turn(saved, speech):
    saved._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = saved._conn.execute("PRAGMA page_count").fetchone()[0]
    saved._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # 8 KB: no room for speech
    with pytest.raises(StorageError) as caught:
        save_recording(saved, CALL, 1, speech(SAID, VOICE))
    assert str(caught.value) == (f"the disk holding {saved.path} is full; free some space and "
                                 "try again (calls already saved are safe)")
    assert saved.get_call(CALL).turns[1].text == "line 1 — naïve “quotes”"
    assert recorded_turns(saved, CALL) == []


def test_v2_files_gain_the_recordings_table(tmp_path: Path):
    path = tmp_path / "callsim.db"
    db.connect(path, db.MIGRATIONS[:2]).close()
    db.connect(path).close()
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    columns = [row[1] for row in conn.execute("PRAGMA table_info(recordings)")]
    conn.close()
    assert (version, columns) == (3, ["call_id", "idx", "format", "rate", "seconds", "audio"])


def test_deleting_a_call_deletes_its_recordings(saved):
    save_recording(saved, CALL, 1, TONE)
    saved._conn.execute("DELETE FROM calls WHERE call_id = ?", (CALL,))
    assert saved._conn.execute("SELECT COUNT(*) FROM recordings").fetchone() == (0,)


# -- the call loop keeps each spoken reply's audio ------------------------------------------


class SpokenScript:
    """TraineeInput: the given replies, each with its (real, synthesized) audio."""

    def __init__(self, replies: list[tuple[str, Audio | None]]):
        self.replies = iter(replies)

    def next_reply(self) -> Reply | None:
        said = next(self.replies, None)
        if said is None:
            return None
        text, audio = said
        return Reply(text, source="mic" if audio else "text", audio=audio)


def run_call(data: Path, replies, record: bool = True) -> tuple[CallSession, str]:
    persona = get_persona("covered-carl").persona
    with CallStore.open(data) as store:
        session = CallSession(persona, store, SpokenScript(replies),
                              PrintedProspect(Console(file=io.StringIO()), persona.name),
                              CallOptions(seed=1, mode="mic", record=record))
        record_ = session.run()
    return session, record_.call_id


def trainee_turns(data: Path, call_id: str) -> tuple[list[int], list[int]]:
    with CallStore.open(data) as store:
        call = store.get_call(call_id)
        return ([t.index for t in call.turns if t.speaker == "trainee"],
                recorded_turns(store, call_id))


def test_each_spoken_reply_is_kept_with_its_turn(tmp_path, speech):
    first, second = speech(SAID, VOICE), speech("Would you mind if I called back?", VOICE)
    session, call_id = run_call(tmp_path, [(SAID, first), ("typed, no audio", None),
                                           ("Would you mind if I called back?", second)])
    replies, recorded = trainee_turns(tmp_path, call_id)
    assert recorded == [replies[0], replies[2]] and session.unrecorded is None
    with CallStore.open(tmp_path) as store:
        assert load_recording(store, call_id, replies[2]) == second


def test_no_record_keeps_no_audio(tmp_path, speech):
    _, call_id = run_call(tmp_path, [(SAID, speech(SAID, VOICE))], record=False)
    replies, recorded = trainee_turns(tmp_path, call_id)
    assert (len(replies), recorded) == (1, [])


def test_audio_that_cannot_be_kept_costs_only_the_audio(tmp_path, speech):
    odd = Audio(speech(SAID, VOICE).pcm, 96000)  # a rate no recording takes
    session, call_id = run_call(tmp_path, [(SAID, odd), ("How come?", speech(SAID, VOICE))])
    with CallStore.open(tmp_path) as store:
        call = store.get_call(call_id)
    assert [t.text for t in call.turns if t.speaker == "trainee"] == [SAID, "How come?"]
    assert session.unrecorded == "cannot record audio at 96000 Hz: it must be 8000 to 48000 Hz"
    assert trainee_turns(tmp_path, call_id)[1] == []  # not kept from then on
    assert call.outcome is not None and call.scorecard["score"] > 0


def test_a_demo_call_keeps_no_audio(tmp_path, monkeypatch):
    """The demo's trainee is synthesized speech, not a trainee's voice: nothing is recorded,
    though every reply was heard from audio."""
    from typer.testing import CliRunner

    from simulator.cli.app import app

    monkeypatch.setenv("CALLSIM_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["demo", "--no-voice", "--json", "--data-dir",
                                      str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    replies = [t for t in call["turns"] if t["speaker"] == "trainee"]
    assert call["mode"] == "demo" and len(replies) >= 2
    assert all(r["extra"]["duration"] > 1.0 for r in replies)  # heard from speech
    with CallStore.open(tmp_path / "data") as store:
        assert recorded_turns(store, call["call_id"]) == []
