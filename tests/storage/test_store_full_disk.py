"""A full disk under every command that writes: one line saying so and where; nothing lost.

SQLite reports some out-of-space failures only as a generic I/O error (its -shm file cannot
grow), so these run on a real, really full tmpfs rather than on a simulated SQLITE_FULL.
"""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest
from store_helpers import dump, make_record
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.storage import CallStore
from simulator.storage.exchange import export_calls

runner = CliRunner()
SAFE = "free some space and try again (calls already saved are safe)"


def fill(mount: Path) -> Path:
    """Write a ballast file until the file system has no block left; returns the file."""
    ballast = mount / "ballast"
    with ballast.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(bytes(4096))
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return ballast


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Calls saved on a healthy disk, exported to a file to import."""
    data = tmp_path / "history"
    with CallStore.open(data) as store:
        store.import_calls(make_record(f"20250301-0930{n:02d}-aaaa00{n:02d}",
                                       f"2025-03-01T09:30:{n:02d}.000Z") for n in range(3))
        export_calls(store, tmp_path / "laptop.callsim")
    return data


COMMANDS = {  # what runs against a data directory on the full disk, with what on stdin
    "practice": (["practice", "--persona", "covered-carl", "--text", "--trainee", "ana"],
                 "Thank you, could I ask what you use today?\n"),
    "drill": (["drill", "--text", "--seed", "3", "--trainee", "ana"], "Thank you.\n"),
    "import": (["import", "{tmp}/laptop.callsim"], None),
    "workshop start": (["workshop", "start", "lisbon"], None),
    "export": (["export", "{tmp}/out.callsim"], None),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("data_dir", ["saved calls", "a new data directory"])
def test_every_command_says_the_disk_is_full(tmpfs, tmp_path, history, command, data_dir):
    mount = tmpfs(512)
    data = mount / "data"
    if data_dir == "saved calls":
        with CallStore.open(data) as store, CallStore.open(history) as source:
            store.import_calls(source.iter_calls())
        saved = (data / "callsim.db").read_bytes()
        before = dump(data / "callsim.db")
    else:
        data = mount / "new"
    ballast = fill(mount)
    args, stdin = COMMANDS[command]
    args = [a.format(tmp=tmp_path) for a in args] + ["--data-dir", str(data)]
    result = runner.invoke(app, args, input=stdin)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"callsim: the disk holding {data / 'callsim.db'} is full; {SAFE}\n")
    assert not (tmp_path / "out.callsim").exists()
    ballast.unlink()
    if data_dir == "saved calls":
        assert (data / "callsim.db").read_bytes() == saved
        assert dump(data / "callsim.db") == before  # and the database still opens and reads whole
    again = runner.invoke(app, args, input=stdin)  # with space freed, the same command works
    if command == "export" and data_dir == "a new data directory":  # nothing found: exit 1
        assert (again.exit_code, again.stderr) == (1, "callsim: no calls saved yet; start one: "
                                                   "callsim practice --persona covered-carl "
                                                   "--text\n")
    else:
        assert again.exit_code == 0, again.output


def test_exporting_to_a_full_disk(tmpfs, tmp_path, history):
    mount = tmpfs(256)
    fill(mount)
    target = mount / "usb.callsim"
    result = runner.invoke(app, ["export", str(target), "--data-dir", str(history)])
    assert (result.exit_code, result.stderr) == (1, (
        f"callsim: the disk holding {target} is full; free some space and try again (nothing "
        "was written to usb.callsim)\n"))
    assert sorted(p.name for p in mount.iterdir()) == ["ballast"]  # no partial file left


def test_no_room_left_for_the_data_directory(tmpfs):
    mount = tmpfs(256)
    # No inode left (tmpfs takes no block for a folder): mkdir fails with ENOSPC.
    subprocess.run(["mount", "-o", "remount,nr_inodes=1", str(mount)], check=True)
    data = mount / "a" / "b"
    result = runner.invoke(app, ["workshop", "start", "x", "--data-dir", str(data)])
    assert (result.exit_code, result.stderr) == (
        1, f"callsim: the disk holding {data} is full; {SAFE}\n")
