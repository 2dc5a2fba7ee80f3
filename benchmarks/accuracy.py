"""Verdict agreement with labelled replies: per check, with a confusion table, typed and spoken.

    .venv/bin/python benchmarks/accuracy.py [SET.jsonl ...] [--quiet]

Each set is JSON lines {"text", "expect": {check: verdict}, "form"?}. A line with "form" is
measured in that form only ("asr" is already a recognizer's lower-case, unpunctuated output; the
set's writer decided where the labels survive that form). A set without "form" is measured twice:
as written (typed) and in recognizer form. Defaults: tests/data/replies-dev.jsonl and
tests/data/replies-dev-2.jsonl. Goals: >= 97% typed, >= 95% recognizer form, every check >= 93%.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from simulator.scoring.rubric import CHECK_IDS
from simulator.scoring.scorer import score_text

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEFAULT_SETS = (DATA / "replies-dev.jsonl", DATA / "replies-dev-2.jsonl")
VERDICTS = ("pass", "fail", "n/a")


def recognizer_form(text: str) -> str:
    """What a speech recognizer gives back: lower case, no punctuation."""
    text = text.lower().replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9' ]+", " ", text)).strip()


@dataclass
class Tally:
    """Agreement of one set in one form: per check, expected x got."""

    confusion: dict[str, collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter))
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, text: str, expect: dict[str, str]) -> None:
        card = score_text(text)
        for check, verdict in expect.items():
            got = card.checks[check].verdict
            self.confusion[check][verdict, got] += 1
            if got != verdict:
                self.misses.append((text, check, verdict, got))

    def agreement(self, check: str | None = None) -> tuple[int, int]:
        tables = [self.confusion[check]] if check else list(self.confusion.values())
        right = sum(n for table in tables for (want, got), n in table.items() if want == got)
        return right, sum(sum(table.values()) for table in tables)


def load(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                sys.exit(f"accuracy: {path}:{number} is not JSON ({exc.msg})")
    return items


def measure(items: list[dict]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = collections.defaultdict(Tally)
    for item in items:
        form = item.get("form")
        if form == "asr":
            tallies["recognizer"].add(item["text"], item["expect"])
        elif form is not None:
            tallies["typed"].add(item["text"], item["expect"])
        else:
            tallies["typed"].add(item["text"], item["expect"])
            tallies["recognizer"].add(recognizer_form(item["text"]), item["expect"])
    return tallies


def percent(right: int, total: int) -> str:
    return f"{100 * right / total:5.1f}%" if total else "   -  "


def report(name: str, tallies: dict[str, Tally], quiet: bool) -> None:
    for form in ("typed", "recognizer"):
        tally = tallies.get(form)
        if tally is None:
            continue
        right, total = tally.agreement()
        print(f"{name} [{form}]: {percent(right, total)} ({right}/{total} verdicts)")
        for check in CHECK_IDS:
            if check not in tally.confusion:
                continue
            c_right, c_total = tally.agreement(check)
            table = tally.confusion[check]  # figures too: --quiet leaves out only the texts
            cells = "  ".join(
                f"{want[:4]}>" + "/".join(str(table[want, got]) for got in VERDICTS)
                for want in VERDICTS if any(table[want, got] for got in VERDICTS))
            print(f"  {check:19s} {percent(c_right, c_total)} ({c_right}/{c_total})"
                  f"   expected>got pass/fail/n/a: {cells}")
        if not quiet:
            for text, check, want, got in tally.misses:
                print(f"    {check}: expected {want}, got {got}: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", type=Path, default=list(DEFAULT_SETS))
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args()
    for path in args.sets:
        if not path.is_file():
            sys.exit(f"accuracy: no such labelled set: {path}")
        report(path.name, measure(load(path)), args.quiet)


if __name__ == "__main__":
    main()
