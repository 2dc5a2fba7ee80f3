"""The call's end of the Whisper worker (whisper_worker.py): decodes asked for by ticket,
answers read as they come, the worker given up on (and killed) when it fails or hangs."""

from __future__ import annotations

import json
import os
import threading

from simulator.models.whisper import WhisperModel
from simulator.voice.child_process import ChildProcess
from simulator.voice.whisper_worker import HEADER, TICKET

LOAD_WAIT = 60.0  # seconds for the worker to load its model (a cold disk, a busy machine)
ANSWER_WAIT = 10.0  # seconds, plus two per second of audio, before a decode is given up on


def worker_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class WhisperWorker:
    """The worker process for one model: decodes by ticket, answers read as they come."""

    def __init__(self, model: WhisperModel):
        self.model = model
        self._child = ChildProcess("simulator.voice.whisper_worker",
                                   [str(model.path), str(worker_threads())], "Whisper worker")
        self._lock = threading.Lock()
        self._answers: dict[int, dict] = {}
        self._tickets = 0
        self._ready: bool | None = None  # None while the model loads
        self.failure: str | None = None
        self._prompt: str | None = None

    @property
    def alive(self) -> bool:
        return self.failure is None

    def prompt(self, text: str | None) -> None:
        if text != self._prompt:
            self._prompt = text
            self._send(b"P", (text or "").encode("utf-8"))

    def ask(self, pcm: bytes, prompted: bool = True) -> int:
        self._tickets += 1
        self._send(b"D", TICKET.pack(self._tickets, int(prompted)) + pcm)
        return self._tickets

    def poll(self, ticket: int) -> dict | None:
        """The answer for `ticket` if it has come, without waiting (it stays to be read)."""
        with self._lock:
            while self.alive and (line := self._child.reply_nowait()) is not None:
                self._take(line)
            return self._answers.get(ticket)

    def answer(self, ticket: int, seconds: float) -> dict:
        """Wait for `ticket`'s answer; {"error": ...} when the worker failed or hung (it is
        then killed). Answers of earlier tickets nobody waited for are dropped."""
        self.ready()
        with self._lock:
            while ticket not in self._answers and self.alive:
                self._take(self._child.reply(ANSWER_WAIT + 2 * seconds))
            for older in [t for t in self._answers if t < ticket]:
                del self._answers[older]
            return self._answers.pop(ticket, None) or {"error": self.failure or "no answer"}

    def ready(self) -> bool:
        """Wait for the model to load; False (with `failure` set) when it could not."""
        with self._lock:
            while self._ready is None and self.alive:
                self._take(self._child.reply(LOAD_WAIT))
        return self.alive

    def _take(self, line: bytes | None) -> None:
        if not line:
            self._fail("the Whisper worker stopped" if line == b"" else
                       "the Whisper worker did not answer in time")
            return
        try:
            reply = json.loads(line)
        except ValueError:
            self._fail("the Whisper worker sent a garbled answer")
            return
        if "ticket" in reply:
            self._answers[int(reply["ticket"])] = reply
        elif reply.get("ready"):
            self._ready = True
        else:
            self._ready = False
            self._fail(f"the Whisper model could not be loaded ({reply.get('error')})")

    def _fail(self, why: str) -> None:
        self.failure = self.failure or why
        self._child.close(kill=True)

    def _send(self, kind: bytes, payload: bytes) -> None:
        if self.alive and not self._child.write(HEADER.pack(kind, len(payload)) + payload):
            self._fail("the Whisper worker stopped")

    def close(self) -> None:
        self._child.close()


_workers: dict[str, WhisperWorker] = {}


def shared_worker(model: WhisperModel) -> WhisperWorker:
    """One worker per model per process (started again after one has failed)."""
    key = str(model.path)
    worker = _workers.get(key)
    if worker is None or not worker.alive:
        worker = _workers[key] = WhisperWorker(model)
    return worker


def _forget_inherited() -> None:
    """In a forked child: the parent's workers are not ours (their pipes' reader threads did not
    come along), so a worker of our own is started when one is wanted."""
    for worker in _workers.values():
        worker._child.disown()
    _workers.clear()


os.register_at_fork(after_in_child=_forget_inherited)
