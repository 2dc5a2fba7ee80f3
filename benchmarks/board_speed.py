"""How fast a workshop's leaderboard answers with 10,000 saved calls (target: <= 1 s).

Builds a temporary callsim.db of 10,000 calls x 8 turns (history_speed.py's builder) spread
over 30 trainees in one workshop, then prints the time of workshop_board() (the library call),
of `callsim workshop board` in a fresh process (table, --json and --csv), and, as a bonus, of
exporting all the calls and importing them into an empty and into the same database.

    .venv/bin/python benchmarks/board_speed.py [--calls 10000]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from history_speed import best_of, synthetic_calls  # noqa: E402

from simulator.storage import CallStore  # noqa: E402
from simulator.storage.board import workshop_board  # noqa: E402
from simulator.storage.exchange import export_calls, read_export  # noqa: E402
from simulator.storage.merge import import_exports  # noqa: E402
from simulator.storage.workshops import start_workshop  # noqa: E402

WORKSHOP = "lisbon-2025"
TRAINEES = [f"trainee-{n:02d}" for n in range(30)]

def workshop_calls(count: int, rng: random.Random):
    for record in synthetic_calls(count, rng):
        yield dataclasses.replace(record, trainee=rng.choice(TRAINEES), workshop=WORKSHOP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch, "data")
        began = time.perf_counter()
        with CallStore.open(data) as store:
            start_workshop(store, WORKSHOP, "2024-01-01T00:00:00.000Z")
            store.import_calls(workshop_calls(args.calls, random.Random(0)))
        size = (data / "callsim.db").stat().st_size
        print(f"built {args.calls} calls x 8 turns, {len(TRAINEES)} trainees, 1 workshop in "
              f"{time.perf_counter() - began:.1f} s ({size / 1e6:.1f} MB)")

        with CallStore.open(data) as store:
            seconds, board = best_of(5, lambda: workshop_board(store, WORKSHOP))
            print(f"{'workshop_board() library':<34} {seconds * 1000:8.1f} ms  "
                  f"({len(board.rows)} trainees, {sum(r.calls for r in board.rows)} calls)")

        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), COLUMNS="160")
        csv_path = Path(scratch, "board.csv")
        for label, extra in (("table", []), ("--json", ["--json"]),
                             ("--csv", ["--csv", str(csv_path)])):  # fmt: skip
            command = [sys.executable, "-m", "simulator", "workshop", "board", WORKSHOP,
                       "--data-dir", str(data), *extra]  # fmt: skip

            def run(command=command) -> str:
                return subprocess.run(command, env=env, capture_output=True, text=True,
                                      check=True).stdout  # fmt: skip

            seconds, _ = best_of(3, run)
            print(f"{'new process: workshop board ' + label:<34} {seconds * 1000:8.1f} ms")

        export = Path(scratch, "all.callsim")
        with CallStore.open(data) as store:
            seconds, _ = best_of(1, lambda: export_calls(store, export))
        print(f"{'export all calls':<34} {seconds * 1000:8.1f} ms  "
              f"({export.stat().st_size / 1e6:.1f} MB file)")
        seconds, content = best_of(1, lambda: read_export(export))
        print(f"{'read and check the export':<34} {seconds * 1000:8.1f} ms")
        with CallStore.open(Path(scratch, "empty")) as store:
            seconds, (report,) = best_of(1, lambda: import_exports(store, [content]))
        print(f"{'import into an empty database':<34} {seconds * 1000:8.1f} ms  "
              f"({report.imported} imported)")
        with CallStore.open(data) as store:
            seconds, (report,) = best_of(1, lambda: import_exports(store, [content]))
        print(f"{'import again (all present)':<34} {seconds * 1000:8.1f} ms  "
              f"({report.present} already present)")


if __name__ == "__main__":
    main()
