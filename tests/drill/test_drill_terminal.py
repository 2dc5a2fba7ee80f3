"""`callsim drill --text` at a terminal edits typed replies as `practice --text` does: arrow keys
move, Up recalls this drill's replies, no escape code is saved. Piped replies are read as they
come (tests/drill/test_drill_command.py)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from simulator.drill.bank import load_bank
from simulator.drill.engines import typed_engines
from simulator.session.text_io import EditedLines
from simulator.storage.calls import CallStore
from tests.cli.terminal import Terminal

LEFT, UP, CTRL_D = "\x1b[D", "\x1b[A", "\x04"


@pytest.mark.parametrize(("interactive", "editing", "reads_from", "shown"), [
    (True, True, EditedLines, "Type one reply per objection; Ctrl-D or Ctrl-C ends the drill.\n"),
    # typed at a terminal, shown elsewhere: input() cannot edit there, the prompt is printed
    (True, False, io.BytesIO, "Type one reply per objection; Ctrl-D or Ctrl-C ends the drill.\n"),
    (False, False, io.BytesIO, ""),  # piped: read as it comes, no prompt
])
def test_typed_replies_are_edited_only_between_two_terminals(interactive, editing, reads_from,
                                                             shown):
    screen, stdin = io.StringIO(), io.BytesIO(b"Thanks\n")
    replies, _ = typed_engines(Console(file=screen), load_bank(), stdin, interactive, editing)
    assert type(replies.stream) is reads_from
    assert (replies.prompt is not None) == (interactive and not editing)
    assert screen.getvalue() == shown


def drill_replies(data_dir) -> list[str]:
    with CallStore.open(data_dir) as store:
        return [store.get_call(call.call_id).turns[1].text
                for call in reversed(store.list_calls())]


def test_drill_replies_are_edited_at_a_real_terminal(tmp_path):
    terminal = Terminal("drill", "--text", "--seed", "1", "--data-dir", str(tmp_path))
    try:
        for keys in (f"Thanks a lot{LEFT * 3}X\r",  # the arrow moves the cursor back 3 letters
                     "How come?\r",
                     f"{UP * 2}\r",  # Up twice: the reply before the last
                     CTRL_D):
            terminal.read_until("You: ")  # the next objection's prompt, after the verdicts
            terminal.type(keys)
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert "Drill over (end of input): 3 objections" in terminal.screen
    assert drill_replies(tmp_path) == ["Thanks a Xlot", "How come?", "Thanks a Xlot"]
