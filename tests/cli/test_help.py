"""Help in the user's words: every command's --help names values by what they are (FILE, DIR,
NAME, ID, N, ...), never by a Python type, and the top-level list sums each command up in one
whole sentence that fits an 80-column terminal."""

from __future__ import annotations

import re

import pytest
import typer
from typer import _click
from typer.core import TyperGroup
from typer.testing import CliRunner

from simulator.cli.app import SUMMARIES, app

runner = CliRunner()


def command_paths(command=None, path=()) -> list[tuple[str, ...]]:
    """Every command and group, as the words that call it: (), ("practice",), ("models", "list")."""
    command = command or typer.main.get_command(app)
    paths = [path]
    if isinstance(command, TyperGroup):
        context = _click.Context(command)
        for name in command.list_commands(context):
            paths += command_paths(command.get_command(context, name), (*path, name))
    return paths


COMMANDS = command_paths()
# What typer would print instead of the user's words: <str>, <list[Path]>, <int range>,
# INTEGER RANGE, [0<=x<=9223372036854775807], {FILE}...
LEAKS = re.compile(r"<|>=|list\[|\bPath\b|\brange\b|RANGE|\{[A-Z_|]+\}")


def help_of(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_is_checked():
    assert {("practice",), ("practise",), ("models", "download"), ("personas", "new"),
            ("workshop", "board")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "callsim" for p in COMMANDS])
def test_help_names_values_in_the_users_words(path):
    page = help_of(path)
    assert LEAKS.findall(page) == []


@pytest.mark.parametrize(("path", "shown"), [
    (("practice",), ["--persona ID|PATH", "--wav FILE", "--seed N", "--trainee NAME",
                     "--data-dir DIR", "--rubric FILE", "--engine NAME",
                     "--input-device DEVICE", "--output-device DEVICE"]),
    (("drill",), ["--minutes MINUTES", "--seed N", "--data-dir DIR"]),
    (("demo",), ["--persona ID|PATH", "--seed N"]),
    (("history",), ["--trainee NAME", "--limit N"]),
    (("export",), ["FILE  ", "--workshop NAME", "--trainee NAME"]),
    (("import",), ["Usage: callsim import [OPTIONS] FILE...", "FILE...  "]),
    (("show",), ["Usage: callsim show [OPTIONS] CALL_ID", "CALL_ID  An id"]),
    (("models", "install"), ["--name NAME", "--data-dir DIR"]),
    (("workshop", "board"), ["[NAME]", "--csv FILE"]),
])
def test_one_notation_across_commands(path, shown):
    page = help_of(path)
    for words in shown:
        assert words in page


def option_entries(page: str) -> dict[str, str]:
    """`--option` -> its whole entry in a help page's Options list, wrapped lines joined."""
    listing = page.split("Options:\n", 1)[1].split("\n\n", 1)[0]
    entries = re.split(r"\n(?=  -)", listing)
    return {entry.split()[0]: " ".join(entry.split()) for entry in entries}


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "callsim" for p in COMMANDS])
def test_each_option_names_its_default_at_most_once(path):
    for entry in option_entries(help_of(path)).values():
        assert entry.lower().count("default") <= 1, entry


def test_the_end_silence_default_is_shown_once():
    for command in ("practice", "drill"):
        entry = option_entries(help_of((command,)))["--end-silence"]
        assert entry.endswith("(0.2 to 3); unfinished words ('and', 'so', 'um') get 0.9 s more. "
                              "[default: 0.6]"), entry


def top_level_summaries() -> dict[str, str]:
    """command -> its summary line in `callsim --help` (each summary on one line)."""
    page = help_of(())
    listing = page.split("Commands:\n", 1)[1]
    lines = [line for line in listing.splitlines() if line.strip()]
    assert all(re.match(r"  [a-z]", line) for line in lines), "a summary wrapped: " + listing
    return dict(line.strip().split(None, 1) for line in lines)


def test_the_top_level_summaries_are_whole_sentences_that_fit_80_columns():
    summaries = top_level_summaries()
    assert "practise" not in summaries  # the alias is not listed twice
    assert set(summaries) == set(SUMMARIES)
    for command, summary in summaries.items():
        assert summary == SUMMARIES[command]
        assert summary.endswith(".") and "..." not in summary and "…" not in summary
    assert max(len(line) for line in help_of(()).splitlines()) <= 80


def test_a_command_summed_up_by_its_help_is_never_cut():
    """Group listings (`personas`, `models`) have no table of summaries: the first sentence of
    each command's help, whole, however long."""
    for group in ("personas", "models", "rubric", "workshop"):
        listing = help_of((group,)).split("Commands:\n", 1)[1]
        assert "..." not in listing
    assert ("install   Install a model from a zip, a tar or a folder, e.g. from a USB stick"
            in help_of(("models",)))
