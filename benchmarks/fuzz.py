"""Fuzz every input surface with the seeded generator of tests/fuzz and count what goes wrong.

    .venv/bin/python benchmarks/fuzz.py [--count 800] [--seed N] [--family F] [--only ID ...]
                                        [--keep DIR]

Prints, per family and in total, the cases run and the tracebacks, hangs, crashes, data lost,
unclear messages and bad inputs accepted; then each failing case with its input, its answer and
the command that runs it again. --keep DIR leaves each case's files there, with a reproduce.sh.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # forked cases must not inherit BLAS threads
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fuzz.generate import FAMILIES, case_at, family_of  # noqa: E402
from tests.fuzz.judge import message_of  # noqa: E402
from tests.fuzz.materials import build_materials  # noqa: E402
from tests.fuzz.report import describe, write_reproduce  # noqa: E402
from tests.fuzz.runner import Outcome, run_case, warm_up  # noqa: E402

KINDS = ["traceback", "hang", "crash", "data lost", "unclear message", "accepted bad input"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", choices=sorted(FAMILIES))
    parser.add_argument("--only", nargs="+", default=[], metavar="ID", help="e.g. persona-17")
    parser.add_argument("--keep", type=Path, help="leave each case's files in this directory")
    parser.add_argument("--limit", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--verbose", action="store_true", help="one line for every case")
    args = parser.parse_args()

    indexes = ([int(i.rsplit("-", 1)[1]) for i in args.only] if args.only else
               [i for i in range(args.count) if args.family in (None, family_of(i))])
    warm_up()
    with tempfile.TemporaryDirectory(prefix="callsim-fuzz-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        materials = build_materials(Path(tempfile.mkdtemp(dir=root, prefix="materials-")))
        workdir = root / "cases"
        counts: dict[str, Counter] = defaultdict(Counter)
        failing: list[Outcome] = []
        started = time.monotonic()
        for number, index in enumerate(indexes, 1):
            case = case_at(materials, args.seed, index)
            outcome = run_case(case, materials, workdir, args.limit)
            tally = counts[case.family]
            tally["cases"] += 1
            if outcome.skipped:
                tally["skipped"] += 1
            for kind in {kind for kind, _ in outcome.failures}:
                tally[kind] += 1
            if args.verbose:
                print(f"\r{case.id}: {case.what[:80]} -> exit {outcome.exit_code}: "
                      f"{message_of(outcome)[:150]!r} {outcome.seconds:.1f}s", file=sys.stderr)
            if outcome.failures:
                failing.append(outcome)
                if args.keep:
                    write_reproduce(outcome, workdir, materials)
            elif not args.keep:
                shutil.rmtree(workdir / case.id, ignore_errors=True)
            print(f"\r{number}/{len(indexes)} cases, {len(failing)} failing", end="",
                  file=sys.stderr, flush=True)
        seconds = time.monotonic() - started
    print(file=sys.stderr)
    header = ["family", "cases", "skipped", *KINDS, "failing"]
    rows = [[family, *(str(counts[family][k]) for k in header[1:-1]),
             str(sum(1 for o in failing if o.case.family == family))]
            for family in sorted(counts)]
    total = Counter()
    for tally in counts.values():
        total.update(tally)
    rows.append(["TOTAL", *(str(total[k]) for k in header[1:-1]), str(len(failing))])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"fuzz: seed {args.seed}, {len(indexes)} cases in {seconds:.0f} s")
    for row in [header, *rows]:
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    if failing:
        print(f"\n{len(failing)} failing cases:")
        for outcome in failing:
            print(describe(outcome))
            print(f"    again: .venv/bin/python benchmarks/fuzz.py --seed {args.seed} --only "
                  f"{outcome.case.id} --keep /tmp/fuzz-keep")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
