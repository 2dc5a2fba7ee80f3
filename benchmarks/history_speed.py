"""How fast the call history lists with 10,000 saved calls (target: `callsim history` <= 1 s).

Builds a temporary callsim.db of 10,000 calls x 8 turns through the public API, then prints
the time of list_calls() (all, by trainee, by workshop, newest 20), a whole-record read, and a
fresh process that imports the store, opens it and lists everything.

    .venv/bin/python benchmarks/history_speed.py [--calls 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from simulator.session.engines import Word  # noqa: E402
from simulator.storage import CallRecord, CallStore, TurnRecord, utc_timestamp  # noqa: E402

TRAINEES = [f"trainee-{n:02d}" for n in range(40)]
WORKSHOPS = [f"workshop-{n}" for n in range(10)]
PERSONAS = ["busy-cfo", "gatekeeper", "happy-with-vendor", "no-budget", "angry-it-lead"]
OUTCOMES = ["hung_up", "callback_agreed", "meeting_agreed", "opted_out", "trainee_ended"]


def synthetic_calls(count: int, rng: random.Random):
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for n in range(count):
        moment = start + timedelta(minutes=17 * n, milliseconds=rng.randrange(1000))
        stamp = utc_timestamp(moment)
        turns = [
            TurnRecord(
                index=i,
                speaker="prospect" if i % 2 == 0 else "trainee",
                text=" ".join(
                    rng.choice(["thank", "you", "why", "not", "budget", "call", "me"])
                    for _ in range(12)
                ),  # fmt: skip
                started_at=stamp,
                ended_at=stamp,
                state="objection",
                detections=["gratitude"] if i % 2 else [],
                words=[Word("thank", 0.1 * k, 0.1 * k + 0.08, 0.9) for k in range(12)]
                if i % 2
                else [],  # fmt: skip
                extra={"delay": round(rng.random(), 3)},
            )
            for i in range(8)
        ]
        yield CallRecord(
            call_id=moment.strftime("%Y%m%d-%H%M%S-") + f"{rng.getrandbits(32):08x}",
            persona=rng.choice(PERSONAS),
            persona_name="Dana Ortiz",
            mode="mic",
            started_at=stamp,
            seed=n,
            trainee=rng.choice(TRAINEES),
            workshop=rng.choice(WORKSHOPS),
            ended_at=stamp,
            outcome=rng.choice(OUTCOMES),
            score=rng.randrange(101),
            turns=turns,
            scorecard={"score": 50, "techniques": {"gratitude": 1.0, "why": 0.5}},
            delivery={"wpm": 150.0},
        )


def best_of(repeats: int, action) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        began = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - began)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        began = time.perf_counter()
        with CallStore.open(data) as store:
            store.import_calls(synthetic_calls(args.calls, random.Random(0)))
        build = time.perf_counter() - began
        size = Path(data, "callsim.db").stat().st_size
        print(f"built {args.calls} calls x 8 turns in {build:.1f} s ({size / 1e6:.1f} MB)")

        with CallStore.open(data) as store:
            newest = store.list_calls(limit=1)[0].call_id
            cases = [
                ("list_calls() all", lambda: store.list_calls()),
                ("list_calls(trainee=...)", lambda: store.list_calls(trainee="trainee-07")),
                ("list_calls(workshop=...)", lambda: store.list_calls(workshop="workshop-3")),
                ("list_calls(limit=20)", lambda: store.list_calls(limit=20)),
                ("get_call(prefix)", lambda: store.get_call(newest[:18])),
            ]
            for name, action in cases:
                seconds, result = best_of(5, action)
                rows = len(result) if isinstance(result, list) else 1
                print(f"{name:<26} {seconds * 1000:8.1f} ms  ({rows} rows)")
            seconds, records = best_of(1, lambda: sum(1 for _ in store.iter_calls()))
            print(f"{'iter_calls() all':<26} {seconds * 1000:8.1f} ms  ({records} records)")

        script = (
            "from simulator.storage import CallStore\n"
            "import sys\n"
            "with CallStore.open(sys.argv[1]) as s: print(len(s.list_calls()))"
        )
        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))

        def fresh_process() -> str:
            done = subprocess.run([sys.executable, "-c", script, data], env=env,
                                  capture_output=True, text=True, check=True)  # fmt: skip
            return done.stdout.strip()

        seconds, listed = best_of(3, fresh_process)
        print(f"{'new process: open + list':<26} {seconds * 1000:8.1f} ms  ({listed} rows)")


if __name__ == "__main__":
    main()
