"""Text-mode engines: the trainee types (or pipes) replies, the prospect's lines are printed."""

from __future__ import annotations

import re
from typing import BinaryIO, TextIO

from simulator.errors import InputError
from simulator.scoring.replies import check_reply
from simulator.session.engines import Reply, VoiceSettings


class TypedReplies:
    """One reply per line; blank lines are skipped; end of input ends the call."""

    def __init__(self, stream: BinaryIO, prompt=None):
        self.stream = stream
        self.prompt = prompt  # called before each read when the input is a terminal
        self.line_number = 0

    def next_reply(self) -> Reply | None:
        while True:
            if self.prompt:
                self.prompt()
            raw = self.stream.readline()
            if not raw:
                return None
            self.line_number += 1
            try:
                text = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise InputError(f"reply line {self.line_number} is not valid UTF-8 text: "
                                 "type or save replies as UTF-8") from None
            if text:
                return Reply(check_reply(text, f"reply line {self.line_number}"), source="text")


class PrintedProspect:
    """Prints the prospect's lines (used by --text and --no-voice)."""

    def __init__(self, console, name: str):
        self.console = console
        self.name = name

    def say(self, text: str, voice: VoiceSettings) -> None:
        self.console.print(f"[bold magenta]{self.name}:[/] {text}", highlight=False)


# What a terminal sends for a key readline has no binding for (an escape sequence): never part
# of what the trainee said; any other control character (a Tab) counts as a space.
ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b.?")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
PROMPT_STYLE = "\x1b[1;34m"  # bold blue, as the printed "You:" of piped calls


class EditedLines:
    """Lines typed at a terminal with readline's line editing (arrows, Home/End, Ctrl-R).

    A stream for TypedReplies: readline() gives one line as UTF-8 bytes, b"" at Ctrl-D. Up-arrow
    recalls this call's replies only, and no escape code reaches a reply.
    """

    def __init__(self, colour: bool, read=input):
        import readline  # GNU readline (or libedit): installs itself under input()

        readline.clear_history()  # history = the trainee's replies in this call
        readline.set_auto_history(False)
        if "libedit" not in (readline.__doc__ or ""):
            readline.parse_and_bind("tab: tab-insert")  # not file-name completion
        self.readline_module = readline
        self.read = read
        # \x01...\x02 tell readline the colour codes take no room on the line
        self.prompt = f"\x01{PROMPT_STYLE}\x02You:\x01\x1b[0m\x02 " if colour else "You: "

    def readline(self) -> bytes:
        try:
            line = self.read(self.prompt)
        except EOFError:
            return b""
        except UnicodeDecodeError:  # stdin decodes strictly: the bytes are gone, say so here
            raise InputError("the line typed is not valid UTF-8 text: type it again (check the "
                             "terminal's encoding, e.g. LANG=C.UTF-8)") from None
        line = CONTROL_CHARACTER.sub(" ", ESCAPE_SEQUENCE.sub("", line)).strip()
        if line:
            self.readline_module.add_history(line)
        # undecodable bytes go back as they came, for TypedReplies to refuse by line number
        return line.encode("utf-8", "surrogateescape") + b"\n"


def typed_replies(console, stream, interactive: bool, editing: bool) -> TypedReplies:
    """The trainee's typed replies: edited lines (readline, Up recalling this session's replies)
    when `editing` (stdin and stdout both terminals, where input() edits lines), else the raw
    `stream`, with a "You:" prompt when `interactive`."""
    if interactive and editing:
        return TypedReplies(EditedLines(colour=console.color_system is not None))
    prompt = (lambda: console.print("[bold blue]You:[/] ", end="")) if interactive else None
    return TypedReplies(stream, prompt)


def wait_for_enter(console, stdin: TextIO) -> bool:
    """Before a spoken call at a terminal: the trainee reads the briefing and starts the call
    with Enter. True at once when stdin is no terminal; False if input ended (Ctrl-D)."""
    if not stdin.isatty():
        return True
    console.print("Press Enter when you're ready.", style="bold")
    return stdin.readline() != ""
