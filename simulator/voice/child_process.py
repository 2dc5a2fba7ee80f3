"""A Python module run as a worker process: requests on its stdin, one reply line on its stdout.

Native libraries that can crash or hang (a TTS driver) or hold the GIL for long stretches (a
second PocketSphinx pass) run in such a worker, so a fault there is a fallback for the caller,
not a lost call, and their work runs beside the call's rather than stopping it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import weakref
from pathlib import Path

EXIT_WAIT = 2.0  # seconds a worker gets to leave after its stdin closes before it is killed


class ChildProcess:
    """`python -m module *args` with a reader thread collecting its reply lines."""

    def __init__(self, module: str, args: list[str], label: str):
        self.label = label
        root = str(Path(__file__).resolve().parents[2])  # importable even when not installed
        env = {**os.environ,
               "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self._replies: queue.Queue[bytes] = queue.Queue()
        # A thread, not select(): a reply wait with a timeout that also works on Windows pipes.
        self._reader = threading.Thread(target=_read_lines, daemon=True, name=label,
                                        args=(self.process.stdout, self._replies))
        self._reader.start()
        self._finalizer = weakref.finalize(self, _stop, self.process, self._reader, False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def write(self, data: bytes) -> bool:
        """Write to the worker's stdin; False when the worker is gone."""
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (OSError, ValueError):  # a broken pipe, or stdin closed by close()
            return False
        return True

    def reply(self, timeout: float) -> bytes | None:
        """The worker's next line; b"" when it has gone, None (and the worker killed) when it
        did not answer within `timeout` seconds."""
        try:
            return self._replies.get(timeout=timeout)
        except queue.Empty:
            self.close(kill=True)
            return None

    def reply_nowait(self) -> bytes | None:
        """The worker's next line if one has come (b"" when it has gone), else None."""
        try:
            return self._replies.get_nowait()
        except queue.Empty:
            return None

    def close(self, kill: bool = False) -> None:
        """Stop the worker and reap it (no zombie); idempotent."""
        self._finalizer.detach()
        _stop(self.process, self._reader, kill)

    def disown(self) -> None:
        """Leave the worker alone: it belongs to the process this one was forked from."""
        self._finalizer.detach()

    def death(self) -> str:
        """What became of a worker that has gone (it is reaped first)."""
        self.close()
        code = self.process.returncode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"the {self.label} crashed ({signal.Signals(-code).name})"
        return f"the {self.label} exited with code {code}"


def _read_lines(stream, lines: queue.Queue) -> None:
    with contextlib.suppress(OSError, ValueError):
        for line in iter(stream.readline, b""):
            lines.put(line)
    lines.put(b"")  # EOF: the worker has gone


def _stop(process: subprocess.Popen, reader: threading.Thread, kill: bool) -> None:
    if process.poll() is None:
        if not kill:
            with contextlib.suppress(OSError, ValueError):
                process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=EXIT_WAIT)
        if process.poll() is None:
            process.kill()  # also ends a stopped (SIGSTOPped) process
            process.wait()
    reader.join(timeout=EXIT_WAIT)  # the pipe is at EOF now the worker has exited
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError, ValueError):
            stream.close()


def worker_setup():
    """In the worker: no core files from a native crash; returns the stream for reply lines,
    with fd 1 pointed at /dev/null so prints from native code cannot corrupt the replies."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource  # POSIX only

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    return replies
