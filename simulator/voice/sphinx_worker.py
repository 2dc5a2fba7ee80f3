"""PocketSphinx's general LM decoding each reply in a worker process, beside the domain LM.

A reply the domain LM is unsure of is decoded again with the general LM, and every reply keeps
the general LM's words as another hearing (scoring/hearings.py). Done after the reply, that pass
kept the trainee waiting ~0.3 s per second of speech (`process_raw` holds the GIL, so a thread
would not help); here it runs while the trainee speaks, on the other core, and ends its pass
while the caller ends the domain LM's (~45 ms at the median: the general LM's best path). Only
an unsure reply waits for it; a sure reply's words are read later (answers come in order, one
ticket per reply). A worker that dies or hangs costs only that: the caller decodes the kept
audio of an unsure reply itself, as before, and a sure one has no general hearing.

Protocol: the parent writes frames (one kind byte, a 4-byte little-endian length, the payload)
on the worker's stdin: B(egin) with the cepstral mean to start from, A(udio) 16 kHz 16-bit mono
PCM, E(nd) with b"1" when it wants the words (one JSON line on stdout; anything else: none).
EOF on stdin ends the worker.
"""

from __future__ import annotations

import json
import os
import queue
import struct
import sys
import threading

from simulator.session.engines import Word
from simulator.voice.child_process import ChildProcess, worker_setup
from simulator.voice.sphinx_decoders import DECODER_RATE, decoded_words, general_decoder

ANSWER_WAIT = 2.0  # seconds, plus one per second of reply, before the worker is given up on
_HEADER = struct.Struct("<cI")
_BYTES_PER_SECOND = DECODER_RATE * 2  # 16-bit mono

_shared: GeneralPass | None = None  # one worker per process, restarted when it has gone


class GeneralPass:
    """The parent's end: frames go out through a writer thread, so a slow worker (still loading
    its model) never blocks the audio loop. Each ended reply gets a ticket; answers come back in
    order, so one can be read after the next reply has begun (a sure reply's words are read
    once the prospect is answering, off the trainee's wait)."""

    def __init__(self):
        self._child = ChildProcess("simulator.voice.sphinx_worker", [], "PocketSphinx worker")
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._seconds = 0.0  # of audio sent this reply
        self._asked: dict[int, float] = {}  # ticket -> seconds of its reply, answer not read
        self._answers: dict[int, list[Word] | None] = {}  # read before their ticket's turn
        self._tickets = 0
        self.alive = True
        self._writer = threading.Thread(target=self._write_all, daemon=True,
                                        name="sphinx-worker-writer")
        self._writer.start()

    @property
    def pid(self) -> int:
        return self._child.pid

    def begin(self, cmn: str) -> None:
        self._seconds = 0.0
        self._send(b"B", cmn.encode("ascii"))

    def feed(self, pcm: bytes) -> None:
        self._seconds += len(pcm) / _BYTES_PER_SECOND
        self._send(b"A", pcm)

    def ask(self) -> int:
        """End the reply: the worker ends its pass while the caller ends its own. The ticket
        for its words."""
        self._send(b"E", b"1")
        self._tickets += 1
        self._asked[self._tickets] = self._seconds
        return self._tickets

    def words(self, ticket: int) -> list[Word] | None:
        """The words of the reply `ticket` was given for; None when the worker failed (it is
        then closed)."""
        while ticket in self._asked:
            oldest = min(self._asked)
            self._answers[oldest] = self._read(self._asked.pop(oldest))
        return self._answers.pop(ticket, None)

    def _read(self, seconds: float) -> list[Word] | None:
        line = self._child.reply(ANSWER_WAIT + seconds) if self.alive else b""
        try:
            answer = json.loads(line) if line else {}
            return [Word(str(t), float(s), float(e), float(p)) for t, s, e, p in answer["words"]]
        except (ValueError, KeyError, TypeError):  # gone, hung, an error or a garbled line
            self.close()
            return None

    def close(self) -> None:
        self.alive = False
        self._outbox.put(None)
        self._child.close(kill=True)

    def _send(self, kind: bytes, payload: bytes) -> None:
        if self.alive:
            self._outbox.put(_HEADER.pack(kind, len(payload)) + payload)

    def _write_all(self) -> None:
        while (frame := self._outbox.get()) is not None:
            if not self._child.write(frame):
                self.alive = False
                return


def general_pass() -> GeneralPass | None:
    """The process's worker (started on first use, again after one has gone); None when no
    process can be started."""
    global _shared
    if _shared is None or not _shared.alive:
        try:
            _shared = GeneralPass()
        except OSError:
            _shared = None
    return _shared


def _forget_inherited() -> None:
    """In a forked child: the parent's worker is not ours (its pipes' threads did not come
    along), so a worker of our own is started when one is wanted."""
    global _shared
    if _shared is not None:
        _shared._child.disown()
        _shared = None


os.register_at_fork(after_in_child=_forget_inherited)


# -- the worker process ----------------------------------------------------------------------


def main() -> None:
    replies = worker_setup()

    def answer(reply: dict) -> None:
        replies.write(json.dumps(reply).encode("ascii") + b"\n")
        replies.flush()

    try:
        decoder, failure = general_decoder(), None
    except Exception as exc:  # reported with every answer: the caller then decodes itself
        decoder, failure = None, f"{type(exc).__name__}: {exc}"
    stdin, inside = sys.stdin.buffer, False
    while len(header := stdin.read(_HEADER.size)) == _HEADER.size:
        kind, size = _HEADER.unpack(header)
        payload = stdin.read(size)
        if decoder is None:
            if kind == b"E" and payload == b"1":
                answer({"error": failure})
            continue
        if kind == b"B":
            if inside:  # an abandoned reply
                decoder.end_utt()
            decoder.reinit_feat()
            decoder.set_cmn(payload.decode("ascii"))
            decoder.start_utt()
            inside = True
        elif kind == b"A" and inside:
            decoder.process_raw(payload, full_utt=False)
        elif kind == b"E":
            words = []
            if inside:
                decoder.end_utt()
                inside = False
                words = [[w.text, w.start, w.end, w.conf] for w in decoded_words(decoder)]
            if payload == b"1":
                answer({"words": words})
    sys.exit(0)


if __name__ == "__main__":
    main()
