"""Ctrl-C during `callsim import`: one line saying nothing was imported, and it is true."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from workshop_helpers import call, dump

from simulator.errors import Cancelled
from simulator.storage import CallStore
from simulator.storage.exchange import call_line, read_export
from simulator.storage.merge import import_exports

REPO_ROOT = Path(__file__).resolve().parents[2]
CALLS = 8_000  # about 2.5 s of merging: room for the signal on a loaded machine


def write_export(path: Path, count: int) -> None:
    """An export file of `count` six-turn calls, written directly (a store would be slower).

    Six turns make the import's transaction spill pages into the -wal file early on."""
    calls = (call(f"20250302-0900{n % 60:02d}-c{n:07x}", f"t{n}", "busy-cfo", "hung_up", n % 100,
                  None, turn_count=6) for n in range(count))  # fmt: skip
    body = b"".join(call_line(record) for record in calls)
    header = {"format": "callsim-export", "version": 1, "exported_at": "2025-03-02T18:00:00.000Z",
              "calls": count, "workshops": [], "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body, mtime=0))


@pytest.fixture
def trainer(tmp_path: Path) -> Path:
    """A data directory already holding one call (closed: no -wal file left)."""
    data = tmp_path / "trainer"
    with CallStore.open(data) as store:
        store.import_calls([call("20250228-100000-bbbb0001", "zoe", "busy-cfo", "hung_up", 3)])
    return data


def test_ctrl_c_mid_merge_rolls_back_and_says_so(tmp_path: Path, trainer: Path):
    big = tmp_path / "big.callsim"
    write_export(big, CALLS)
    before = dump(trainer)
    wal = trainer / "callsim.db-wal"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from simulator.cli.main import main; main()", "import", str(big),
         "--data-dir", str(trainer)],
        env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        # Pages spill into the -wal file while the one import transaction is still open.
        while not (wal.exists() and wal.stat().st_size > 0):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the merge never started writing"
            time.sleep(0.005)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, out, err) == (
        130, "", "callsim: import cancelled; nothing was imported\n")
    assert dump(trainer) == before


def test_a_cancelled_merge_changes_nothing(tmp_path: Path, trainer: Path):
    small = tmp_path / "small.callsim"
    write_export(small, 5)
    before = dump(trainer)
    asked = []

    def cancelled() -> bool:  # Ctrl-C noted while the third call is being merged
        asked.append(True)
        return len(asked) > 3

    with CallStore.open(trainer) as store, pytest.raises(Cancelled) as caught:
        import_exports(store, [read_export(small)], cancelled)
    assert (str(caught.value), caught.value.exit_code) == (
        "import cancelled; nothing was imported", 130)
    assert dump(trainer) == before
