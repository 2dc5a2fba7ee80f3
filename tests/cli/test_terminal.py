"""At a terminal: typed replies are edited with readline (arrow keys move, Up recalls this call's
replies, no escape code is saved), and a spoken call waits for Enter after the briefing. Piped
input works as before (tests/session/test_practice_command.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from simulator.errors import InputError
from simulator.session.text_io import EditedLines, TypedReplies, wait_for_enter
from simulator.storage.calls import CallStore
from tests.cli.terminal import Terminal

LEFT, UP, CTRL_D = "\x1b[D", "\x1b[A", "\x04"
OPENING = "Yeah, we already have something for that. Not interested."  # covered-carl, seed 1
WAV = Path(__file__).resolve().parents[1] / "data" / "en_thank_you_how_come.wav"


def typed(*lines: str | type[Exception]):
    """A stand-in for input(): each call gives the next line, or raises the exception given."""
    queue = list(lines)

    def read(prompt: str) -> str:
        line = queue.pop(0)
        if isinstance(line, type):
            raise line("utf-8", b"\xff", 0, 1, "invalid start byte") if line is \
                UnicodeDecodeError else line()
        return line
    return read


@pytest.mark.parametrize(("line", "given"), [
    ("Thanks a lot", b"Thanks a lot\n"),
    ("  Thanks a lot  ", b"Thanks a lot\n"),
    ("Thanks a lot\x1b[15~", b"Thanks a lot\n"),  # F5, which readline does not bind
    ("Thanks\x1bb a lot", b"Thanks a lot\n"),  # Alt-b as a terminal without meta sends it
    ("Thanks\ta\x07lot", b"Thanks a lot\n"),  # a Tab, a bell
    ("", b"\n"),
    ("Merci beaucoup, ça va", "Merci beaucoup, ça va\n".encode()),
])
def test_an_edited_line_is_what_the_trainee_sees(line, given):
    assert EditedLines(colour=False, read=typed(line)).readline() == given


def test_end_of_input_ends_the_lines():
    assert EditedLines(colour=False, read=typed(EOFError)).readline() == b""


def test_a_line_the_terminal_cannot_decode_is_refused_with_the_fix():
    lines = EditedLines(colour=False, read=typed(UnicodeDecodeError))
    with pytest.raises(InputError) as refused:
        lines.readline()
    assert str(refused.value) == ("the line typed is not valid UTF-8 text: type it again (check "
                                  "the terminal's encoding, e.g. LANG=C.UTF-8)")


def test_history_holds_this_calls_replies_only():
    import readline

    readline.add_history("a line from before the call")
    lines = EditedLines(colour=False, read=typed("Thanks!", "", "   ", "How come?"))
    replies = TypedReplies(lines)
    assert [replies.next_reply().text for _ in range(2)] == ["Thanks!", "How come?"]
    history = [readline.get_history_item(i) for i in range(1, readline.get_current_history_length()
                                                            + 1)]
    assert history == ["Thanks!", "How come?"]


@pytest.mark.parametrize(("colour", "prompt"), [
    (False, "You: "),
    (True, "\x01\x1b[1;34m\x02You:\x01\x1b[0m\x02 "),  # readline counts the codes as no width
])
def test_the_prompt(colour, prompt):
    assert EditedLines(colour=colour).prompt == prompt


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stdin", "ready", "shown"), [
    (FakeTerminal("\n"), True, "Press Enter when you're ready.\n"),
    (FakeTerminal(""), False, "Press Enter when you're ready.\n"),  # Ctrl-D: no call
    (io.StringIO(""), True, ""),  # not a terminal: the call starts at once
])
def test_waiting_for_enter(stdin, ready, shown):
    screen = io.StringIO()
    assert wait_for_enter(Console(file=screen), stdin) is ready
    assert screen.getvalue() == shown


def trainee_lines(data_dir) -> list[str]:
    with CallStore.open(data_dir) as store:
        (call,) = store.list_calls()
        return [turn.text for turn in store.get_call(call.call_id).turns
                if turn.speaker == "trainee"]


def test_typed_replies_are_edited_at_a_real_terminal(tmp_path):
    terminal = Terminal("practice", "--persona", "covered-carl", "--text", "--seed", "1",
                        "--data-dir", str(tmp_path))
    try:
        terminal.read_until("You: ")
        terminal.type(f"Thanks a lot{LEFT * 3}X\r")  # the arrow moves the cursor back 3 letters
        terminal.read_until("You: ")
        terminal.type(f"{UP}\r")  # Up brings the last reply back
        terminal.read_until("You: ")
        terminal.type(CTRL_D)
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert trainee_lines(tmp_path) == ["Thanks a Xlot", "Thanks a Xlot"]


@pytest.mark.sound
def test_a_spoken_call_waits_for_enter_after_the_briefing(tmp_path):
    terminal = Terminal("practice", "--persona", "covered-carl", "--no-voice", "--seed", "1",
                        "--data-dir", str(tmp_path))
    try:
        before = terminal.read_until("Press Enter when you're ready.")
        assert "Briefing" in before and OPENING not in before
        terminal.read_for(1.0)
        assert OPENING not in terminal.screen  # it waits
        terminal.type("\r")
        terminal.read_until(OPENING)
        terminal.interrupt()  # Ctrl-C hangs up
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert trainee_lines(tmp_path) == []


@pytest.mark.sound
def test_ctrl_d_before_a_spoken_call_leaves_without_one(tmp_path):
    terminal = Terminal("practice", "--persona", "covered-carl", "--no-voice",
                        "--data-dir", str(tmp_path))
    try:
        terminal.read_until("Press Enter when you're ready.")
        terminal.type(CTRL_D)
        terminal.read_until("Hung up before the call started; nothing was saved.")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    with CallStore.open(tmp_path) as store:
        assert store.list_calls() == []


def test_a_call_from_wav_files_starts_at_once(tmp_path):
    terminal = Terminal("practice", "--persona", "covered-carl", "--no-voice", "--seed", "1",
                        "--wav", str(WAV), "--data-dir", str(tmp_path))
    try:
        terminal.read_until(OPENING)
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert "Press Enter" not in terminal.screen
    assert len(trainee_lines(tmp_path)) == 1
