"""Text-mode engines: the trainee types (or pipes) replies, the prospect's lines are printed."""

from __future__ import annotations

from typing import BinaryIO

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
