"""A realistic workshop saved through the real CLI: long names, long replies, several calls each.

Every call is a real typed `callsim practice` call (real dialog engine, real scorer, real SQLite
file), so the reports render what a trainer would see after a morning's practice.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from simulator.cli.app import app

WORKSHOP = "Lisbon-2025-03 Field Sales Bootcamp"
LONG_NAME = "Maximiliana Fernández-Oliveira de Vasconcelos"
LONG_REPLY = (
    "Thank you so much for telling me that, I really appreciate your honesty, and I completely "
    "understand that you already have something in place for this, most of the companies we "
    "work with (https://example.com/a-very-long-address-without-any-spaces-at-all-in-it) said "
    "exactly the same thing before they tried us. How come you chose them?\n"
)
GOOD = ("Thank you for your honesty. How come you chose them?\n"
        "I can appreciate that. Would you mind if I checked back in a month?\n")
WEAK = "Why not? Our price is the lowest.\n"
MIDDLING = "Thanks. Why did you pick them? Keep us in mind.\n"

# trainee, persona, replies: oldest call first; each trainee improves, slips or stays.
CALLS = [
    (LONG_NAME, "covered-carl", WEAK),
    (LONG_NAME, "covered-carl", MIDDLING),
    (LONG_NAME, "covered-carl", GOOD),
    ("ben", "covered-carl", GOOD),
    ("ben", "covered-carl", WEAK),
    ("cleo", "covered-carl", LONG_REPLY),
    ("cleo", "covered-carl", GOOD),
    ("dev", "covered-carl", MIDDLING),
]


def callsim(*args: str | Path, input: str | None = None):
    result = CliRunner().invoke(app, [str(a) for a in args], input=input)
    assert result.exit_code == 0, (args, result.output)
    return result


def build_workshop(data_dir: Path) -> Path:
    """The workshop's calls in `data_dir`, plus one call outside it (not on its board)."""
    callsim("workshop", "start", WORKSHOP, "--data-dir", data_dir)
    for seed, (trainee, persona, replies) in enumerate(CALLS, start=1):
        callsim("practice", "--persona", persona, "--text", "--seed", seed, "--trainee",
                trainee, "--data-dir", data_dir, "--json", input=replies)
    callsim("workshop", "end", "--data-dir", data_dir)
    callsim("practice", "--persona", "covered-carl", "--text", "--seed", 9, "--trainee", "ben",
            "--data-dir", data_dir, "--json", input=GOOD)
    return data_dir
