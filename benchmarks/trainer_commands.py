"""The trainer's commands with 10,000 saved calls, each in a fresh process (target: <= 1 s).

Builds a temporary database of 10,000 finished calls (8 turns each, real scorecards from the
scorer, delivery figures on half of them) for 30 trainees in one workshop, then times
`callsim history`, `callsim progress` and `callsim workshop board` (all calls and one trainee)
as a user runs them: a new process each time, best of three.

    .venv/bin/python benchmarks/trainer_commands.py [--calls 10000]
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
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from history_speed import best_of, synthetic_calls  # noqa: E402
from scorer import replies  # noqa: E402

from simulator.scoring.scorer import score_text  # noqa: E402
from simulator.storage import CallStore  # noqa: E402
from simulator.storage.workshops import start_workshop  # noqa: E402

WORKSHOP = "lisbon"
TRAINEES = [f"trainee-{n:02d}" for n in range(30)]


def realistic_calls(count: int, rng: random.Random):
    cards = [score_text(text).to_json() for text in replies(300)]
    delivery = {"response_delay_s": 0.8, "speaking_rate_wpm": 148, "pace": "good",
                "talk_share": 0.45, "longest_monologue_s": 6.2, "filler_words": 2}
    for n, record in enumerate(synthetic_calls(count, rng)):
        card = cards[n % len(cards)]
        yield dataclasses.replace(record, trainee=rng.choice(TRAINEES), workshop=WORKSHOP,
                                  scorecard=card, score=card["score"],
                                  delivery=delivery if n % 2 else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch, "data")
        with CallStore.open(data) as store:
            start_workshop(store, WORKSHOP, "2024-01-01T00:00:00.000Z")
            store.import_calls(realistic_calls(args.calls, random.Random(0)))
        env = dict(os.environ, COLUMNS="160", CALLSIM_HOME=str(data))
        print(f"{args.calls:,} saved calls, {len(TRAINEES)} trainees, one workshop; "
              "each command in a new process, best of 3:")
        commands = [
            ["history"], ["history", "--trainee", TRAINEES[0]], ["history", "--json"],
            ["progress"], ["progress", "--trainee", TRAINEES[0]], ["progress", "--json"],
            ["workshop", "board", WORKSHOP], ["workshop", "board", WORKSHOP, "--json"],
        ]
        for words in commands:
            def run(words=words):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "simulator", *words], env=env,
                               capture_output=True, check=True)
                return time.perf_counter() - started

            seconds, _ = best_of(3, run)
            print(f"  callsim {' '.join(words):<40} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
