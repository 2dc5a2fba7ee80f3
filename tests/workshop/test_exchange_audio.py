"""Export files carry the replies' audio (unless --no-audio) and the personas the calls used;
importing keeps a persona that differs from the one here beside it, and old files still import."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest
from workshop_helpers import call, callsim, dump

from simulator.dialog.starter import write_starter
from simulator.dialog.validate import check_paths
from simulator.session.engines import VoiceSettings
from simulator.storage import CallStore
from simulator.storage import merge as merge_module
from simulator.storage.exchange import call_line
from simulator.storage.recordings import save_recording, stored_recordings

NOW = "2025-03-01T18:00:00.000Z"
CALL = "20250301-093000-dddd0001"
SAID = "Thank you for your honesty. What issues are you facing with dispatch?"


@pytest.fixture
def laptop(tmp_path: Path, speech) -> Path:
    """A rep's laptop: a call with dental-dana (a trainer's persona in the data dir) whose
    reply (turn 1) was recorded, and a typed call with the shipped covered-carl."""
    data = tmp_path / "laptop"
    write_starter("dental-dana", data / "personas")
    with CallStore.open(data) as store:
        store.import_calls([call(CALL, "ana", "dental-dana", "hung_up", 20, None),
                            call("20250301-100000-dddd0002", "ana", "covered-carl", "hung_up",
                                 10, None, "2025-03-01T10:00:00.000Z")])
        save_recording(store, CALL, 1, speech(SAID, VoiceSettings(rate=150, variant="en-us")))
    return data


def exported(laptop: Path, tmp_path: Path, *options: str) -> Path:
    path = tmp_path / "laptop.callsim"
    result = callsim("export", path, *options, "--data-dir", laptop)
    assert result.stdout == f"exported 2 calls to {path}\n", result.output
    return path


def content(path: Path) -> tuple[dict, list[dict]]:
    first, *lines = gzip.decompress(path.read_bytes()).split(b"\n")[:-1]
    return json.loads(first), [json.loads(line) for line in lines]


def clips(data: Path) -> list[tuple[str, int, bytes]]:
    with CallStore.open(data) as store:
        return [(s.call_id, clip.idx, clip.data) for s in store.list_calls()
                for clip in stored_recordings(store, s.call_id)]


def test_the_file_carries_the_audio_and_the_personas(laptop, tmp_path):
    header, lines = content(exported(laptop, tmp_path))
    assert [p["id"] for p in header["personas"]] == ["covered-carl", "dental-dana"]
    dana = (laptop / "personas" / "dental-dana.yaml").read_text()
    assert header["personas"][1]["yaml"] == dana
    assert header["version"] == 2
    (clip,) = lines[0]["recordings"]
    assert (clip["turn"], clip["format"], clip["rate"]) == (1, "flac", 16000)
    assert "recordings" not in lines[1]  # a typed call: nothing recorded


def test_audio_and_personas_round_trip(laptop, tmp_path):
    path, trainer = exported(laptop, tmp_path), tmp_path / "trainer"
    result = callsim("import", path, "--data-dir", trainer)
    assert (result.exit_code, result.stdout) == (0, (
        f"imported 2 calls (0 already present) from {path}\n"
        "  with 1 recorded reply\n"
        f"added persona dental-dana ({trainer / 'personas' / 'dental-dana.yaml'})\n"))
    assert clips(trainer) == clips(laptop) and len(clips(trainer)) == 1
    assert sorted(p.name for p in (trainer / "personas").iterdir()) == ["dental-dana.yaml"]
    assert ((trainer / "personas" / "dental-dana.yaml").read_text()
            == (laptop / "personas" / "dental-dana.yaml").read_text())  # covered-carl: shipped
    before = (dump(trainer), sorted((trainer / "personas").iterdir()))
    again = callsim("import", path, "--data-dir", trainer)
    assert again.stdout == f"imported 0 calls (2 already present) from {path}\n"
    assert (dump(trainer), sorted((trainer / "personas").iterdir())) == before


def test_no_audio_leaves_the_recordings_out(laptop, tmp_path):
    path = exported(laptop, tmp_path, "--no-audio")
    assert all("recordings" not in line for line in content(path)[1])
    trainer = tmp_path / "trainer"
    assert "recorded" not in callsim("import", path, "--data-dir", trainer).stdout
    assert clips(trainer) == []


def test_audio_left_out_at_import_can_be_added_later(laptop, tmp_path):
    path, trainer = exported(laptop, tmp_path), tmp_path / "trainer"
    first = callsim("import", path, "--no-audio", "--data-dir", trainer)
    assert (first.exit_code, clips(trainer)) == (0, [])
    later = callsim("import", path, "--data-dir", trainer)
    assert later.stdout == (f"imported 0 calls (2 already present) from {path}\n"
                            "  with 1 recorded reply\n")
    assert clips(trainer) == clips(laptop)


def test_a_persona_that_differs_is_kept_beside_the_one_here(laptop, tmp_path):
    path, trainer = exported(laptop, tmp_path), tmp_path / "trainer"
    mine = write_starter("dental-dana", trainer / "personas")
    mine.write_text(mine.read_text().replace("Pat Morgan", "Dana Fox"))
    result = callsim("import", path, "--data-dir", trainer)
    kept = trainer / "personas" / "dental-dana-2.yaml"
    assert result.stdout.splitlines()[-1] == (
        f"persona dental-dana differs from the one here: kept both, the imported one as "
        f"dental-dana-2 ({kept})")
    assert "Dana Fox" in mine.read_text()  # the trainer's own is untouched
    theirs = (laptop / "personas" / "dental-dana.yaml").read_text()
    assert kept.read_text() == theirs.replace("id: dental-dana ", "id: dental-dana-2 ", 1)
    sound, problems = check_paths([trainer / "personas"], goldens=False)
    assert (sorted(p.persona.id for p in sound), problems) == (
        ["dental-dana", "dental-dana-2"], [])
    again = callsim("import", path, "--data-dir", trainer)  # the same copy is recognised
    assert again.stdout == f"imported 0 calls (2 already present) from {path}\n"
    assert not (trainer / "personas" / "dental-dana-3.yaml").exists()


def test_a_version_1_file_still_imports(tmp_path):
    old = call(CALL, "ana", "covered-carl", "hung_up", 20, None)
    body = call_line(old)
    header = {"format": "callsim-export", "version": 1, "exported_at": NOW, "calls": 1,
              "workshops": [], "sha256": hashlib.sha256(body).hexdigest()}
    path = tmp_path / "old.callsim"
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))
    result = callsim("import", path, "--data-dir", tmp_path / "trainer")
    assert (result.exit_code, result.stdout) == (
        0, f"imported 1 calls (0 already present) from {path}\n")
    with CallStore.open(tmp_path / "trainer") as store:
        assert store.get_call(CALL) == old


def respun(path: Path, change) -> Path:
    """The export with `change(header, calls)` applied, its checksum made right again."""
    header, lines = content(path)
    change(header, lines)
    body = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))
    return path


def clip_field(key, value):
    return lambda header, lines: lines[0]["recordings"][0].__setitem__(key, value)


LINE = f"line 2 (call {CALL}) is not a valid call"
BAD = [  # how the file is spoiled -> why it is refused
    (clip_field("turn", 0), f"{LINE} (recording 1 is not for a reply of the call (or is there "
                            "twice))"),
    (clip_field("data", "%%%"), f"{LINE} (recording 1 holds no base64 audio)"),
    (clip_field("data", "aGVsbG8="), f"{LINE} (recording 1: its audio is not FLAC data)"),
    (clip_field("rate", 4), f"{LINE} (recording 1: its rate must be 8000 to 48000 Hz)"),
    (clip_field("seconds", -1), f"{LINE} (recording 1: its length must be more than 0 and at "
                                "most 1800 seconds)"),
    (clip_field("format", "mp3"), f"{LINE} (recording 1: its format must be flac, not 'mp3')"),
    (lambda h, lines: lines[0]["recordings"].append(lines[0]["recordings"][0]),
     f"{LINE} (recording 2 is not for a reply of the call (or is there twice))"),
    (lambda h, lines: lines[0].__setitem__("recordings", {}),
     f"{LINE} (its recordings are not a list)"),
    (lambda h, lines: h["personas"][1].__setitem__("id", "../../etc/passwd"),
     "its header's persona 2 has no valid id"),
    (lambda h, lines: h.pop("personas"), "its header has no persona list"),
    (lambda h, lines: h["personas"][1].__setitem__("yaml", h["personas"][1]["yaml"].replace(
        "difficulty: 2", "difficulty: 9")),
     "its persona dental-dana is not valid here (line 17:13: 'difficulty' must be between 1 and "
     "5 (got 9)); nothing was imported"),
]


@pytest.mark.parametrize(("spoil", "reason"), BAD)
def test_bad_audio_or_personas_are_refused_and_nothing_changes(laptop, tmp_path, spoil,
                                                                reason):
    path = respun(exported(laptop, tmp_path), spoil)
    trainer = tmp_path / "trainer"
    CallStore.open(trainer).close()
    before = dump(trainer)
    result = callsim("import", path, "--data-dir", trainer)
    ending = "" if reason.endswith("nothing was imported") else "; nothing was imported"
    assert (result.exit_code, result.stderr) == (1, f"callsim: cannot import {path}: "
                                                    f"{reason}{ending}\n")
    assert dump(trainer) == before and not (trainer / "personas").exists()


def flac_damaged(damage):
    """The first call's clip with its FLAC bytes changed by `damage`, the FLAC marker kept."""
    def change(header, lines):
        clip = lines[0]["recordings"][0]
        data = damage(bytearray(base64.b64decode(clip["data"])))
        assert data[:4] == b"fLaC"
        clip["data"] = base64.b64encode(bytes(data)).decode("ascii")
    return change


def flipped(at: int):
    """A bit flipped in byte `at` (from the end when negative) of the FLAC bytes."""
    def flip(data: bytearray) -> bytearray:
        data[at] ^= 1
        return data
    return flip


DAMAGED = [  # how a clip that starts like FLAC is damaged, its call otherwise sound
    ("cut in half", flac_damaged(lambda data: data[: len(data) // 2])),
    ("cut by its last byte", flac_damaged(lambda data: data[:-1])),
    ("a bit flipped in its sample rate", flac_damaged(flipped(19))),
    ("a bit flipped in its audio", flac_damaged(lambda data: flipped(len(data) // 2)(data))),
    ("a bit flipped in its last frame's checksum", flac_damaged(flipped(-1))),
    ("a length it does not have", clip_field("seconds", 7.5)),
    ("a rate it was not recorded at", clip_field("rate", 8000)),
]


@pytest.mark.parametrize("spoil", [d[1] for d in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_a_damaged_recording_is_left_out_with_a_warning_and_its_call_imported(laptop, tmp_path,
                                                                              spoil):
    path = respun(exported(laptop, tmp_path), spoil)
    trainer = tmp_path / "trainer"
    result = callsim("import", path, "--data-dir", trainer)
    assert (result.exit_code, result.stderr) == (0, (
        f"callsim: warning: the recording of reply 1 of call {CALL} in {path} is damaged; "
        "left out (the call and its text are imported)\n"))
    assert result.stdout.splitlines()[:2] == [
        f"imported 2 calls (0 already present) from {path}",
        "  1 damaged recording left out (the warnings above name them)"]
    assert clips(trainer) == []
    with CallStore.open(laptop) as here, CallStore.open(trainer) as there:
        assert there.get_call(CALL) == here.get_call(CALL)
    played = callsim("play", CALL, "--data-dir", trainer)
    assert (played.exit_code, played.stderr) == (1, (
        f"callsim: call {CALL} has no recorded replies (typed, recorded with --no-record, or "
        "imported without audio); nothing to play\n"))


def test_a_damaged_recording_does_not_spoil_a_sound_one_nor_does_no_audio_warn(laptop,
                                                                                tmp_path):
    path = respun(exported(laptop, tmp_path), flac_damaged(flipped(-1)))
    trainer = tmp_path / "trainer"
    quiet = callsim("import", path, "--no-audio", "--data-dir", trainer)
    assert (quiet.exit_code, quiet.stderr, clips(trainer)) == (0, "", [])
    (tmp_path / "again").mkdir()
    sound = exported(laptop, tmp_path / "again")
    callsim("import", sound, "--data-dir", trainer)
    assert clips(trainer) == clips(laptop)  # the sound copy is taken in full


def test_recordings_cannot_be_checked_without_soundfile(laptop, tmp_path, monkeypatch):
    path, trainer = exported(laptop, tmp_path), tmp_path / "trainer"
    monkeypatch.setitem(sys.modules, "soundfile", None)  # as if not installed
    result = callsim("import", path, "--data-dir", trainer)
    assert (result.exit_code, result.stderr) == (1, (
        f"callsim: cannot import {path}: its recordings cannot be checked: soundfile is not "
        "installed (.venv/bin/pip install -e '.[voice]'); or import with --no-audio; nothing "
        "was imported\n"))
    assert callsim("import", path, "--no-audio", "--data-dir", trainer).exit_code == 0


def test_personas_written_for_an_import_that_fails_are_taken_back(laptop, tmp_path,
                                                                  monkeypatch):
    from simulator.errors import StorageError

    def full(*args, **kwargs):
        raise StorageError("the disk holding x is full; free some space and try again")

    monkeypatch.setattr(merge_module, "import_exports", full)
    path, trainer = exported(laptop, tmp_path), tmp_path / "trainer"
    result = callsim("import", path, "--data-dir", trainer)
    assert result.exit_code == 1 and "is full" in result.stderr
    assert list((trainer / "personas").iterdir()) == []
