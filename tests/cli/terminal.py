"""`callsim` run on a pseudo-terminal, as a trainee at a keyboard runs it."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x01\x02]")


class Terminal:
    """`python -m simulator ARGS` with a pty as stdin, stdout and stderr; keys go in, the screen
    text (colour codes removed) comes out."""

    def __init__(self, *args: str, env: dict | None = None):
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulator", *args], stdin=slave, stdout=slave, stderr=slave,
            env={**os.environ, "TERM": "xterm", "COLUMNS": "100", **(env or {})},
            start_new_session=True)
        os.close(slave)
        self.raw = b""  # as written: a colour code may be split between two reads
        self.screen = ""

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def read_until(self, text: str, timeout: float = 60) -> str:
        """The screen up to `text`'s next appearance after what was read before."""
        start = len(self.screen)
        deadline = time.monotonic() + timeout
        while text not in self.screen[start:]:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"no {text!r} on the terminal; it shows:\n{self.screen}")
        end = self.screen.index(text, start) + len(text)
        return self.screen[start:end]

    def wait(self, timeout: float = 60) -> int:
        """Read until the program ends; its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(deadline - time.monotonic()):
            pass
        return self.process.wait(timeout=max(deadline - time.monotonic(), 1))

    def read_for(self, seconds: float) -> None:
        """Read whatever the program prints in the next `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read(deadline - time.monotonic())

    def interrupt(self) -> None:
        self.process.send_signal(signal.SIGINT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)

    def _read(self, timeout: float) -> bool:
        """Read what is there within `timeout`; False at the end of output or of time."""
        if timeout <= 0 or not select.select([self.master], [], [], timeout)[0]:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the program closed the terminal
            return False
        self.raw += data
        self.screen = ANSI.sub("", self.raw.decode("utf-8", "replace")).replace("\r\n", "\n")
        return bool(data)
