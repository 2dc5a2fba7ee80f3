"""pyttsx3 in a child process, so a native crash or hang in a TTS driver cannot end a call.

The espeak driver has segfaulted inside libespeak-ng; in a child that is one failed line, which
the caller retries in a fresh worker and then renders with the espeak-ng command line.

Protocol, one ASCII JSON object per line: the parent writes a request (text, WAV path, voice
settings) on the worker's stdin; the worker renders the text to that path and answers
`{"ok": true}` or `{"error": "..."}` on its stdout. EOF on stdin ends the worker. Anything the
driver prints (the espeak driver announces every saved file) goes to /dev/null instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time

from simulator.voice.child_process import ChildProcess, worker_setup


class TtsWorker(ChildProcess):
    """One worker process; `render` reports every fault of the worker as a problem string."""

    def __init__(self, driver: str | None = None):
        super().__init__("simulator.voice.tts_worker", [driver] if driver else [],
                         "pyttsx3 worker")

    def render(self, request: dict, timeout: float) -> str | None:
        """Have the worker render `request`; None when it did, else what went wrong."""
        if not self.send(request):
            return self.death()
        line = self.reply(timeout)
        if line is None:
            return f"the pyttsx3 worker did not answer within {timeout:g} s"
        if not line:
            return self.death()
        try:
            reply = json.loads(line)
        except ValueError:
            return f"the pyttsx3 worker answered garbage: {line[:60]!r}"
        return None if reply.get("ok") else str(reply.get("error", "unknown error"))

    def send(self, request: dict) -> bool:
        """Write one request; False when the worker is gone."""
        return self.write(json.dumps(request).encode("ascii") + b"\n")


# -- the worker process ----------------------------------------------------------------------


def main(argv: list[str]) -> None:
    driver = argv[0] if argv else None
    replies = worker_setup()  # the driver's prints, Python's and native, go nowhere
    try:  # now, while the parent prepares the first request
        import pyttsx3

        engine, failure = (pyttsx3.init(driver) if driver else pyttsx3.init()), None
    except Exception as exc:  # reported with every request: the caller then falls back
        engine, failure = None, f"{type(exc).__name__}: {exc}"
    for line in iter(sys.stdin.buffer.readline, b""):
        try:
            request = json.loads(line)
            if engine is None:
                raise RuntimeError(failure)
            _apply_voice(engine, request)
            engine.save_to_file(request["text"], request["path"])
            engine.runAndWait()
            _wait_until_written(engine, request["path"])
            reply: dict = {"ok": True}
        except Exception as exc:  # pyttsx3 fails with anything from RuntimeError to OSError
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply).encode("ascii") + b"\n")
        replies.flush()
    os._exit(0)  # every file is written: skip tearing down the interpreter and the driver



def _wait_until_written(engine, path: str, limit: float = 5.0) -> None:
    # The 2.99 espeak driver synthesizes on espeak's own thread and writes the file when the
    # message ends, but runAndWait can return before that (often on a busy machine): the file
    # is then missing, and the next line's rate lands while this line is still being spoken.
    if type(engine.proxy._driver).__module__.endswith(".espeak"):
        from pyttsx3.drivers import _espeak

        _espeak.Synchronize()
    deadline = time.monotonic() + limit
    while not (os.path.exists(path) and os.path.getsize(path) > 44):  # 44: a bare WAV header
        if time.monotonic() > deadline:
            return  # the parent reports the missing file and retries
        time.sleep(0.005)


def _apply_voice(engine, request: dict) -> None:
    # Every property is set before every line; none is read back, because the 2.99 espeak
    # driver's getters are unreliable (GetParameter is declared without its `current` flag).
    driver = type(engine.proxy._driver).__module__.rsplit(".", 1)[-1]
    if driver == "espeak":
        engine.setProperty("voice", request["espeak_voice"])
        engine.setProperty("pitch", min(99, max(0, request["pitch"])))
    else:
        chosen = _platform_voice(engine.getProperty("voices"), request)
        if chosen is not None:
            engine.setProperty("voice", chosen)
        with contextlib.suppress(Exception):  # SAPI5/NSSS have no pitch: rate and voice only
            engine.setProperty("pitch", request["pitch"])
    engine.setProperty("rate", request["rate"])


def _platform_voice(voices, request: dict) -> str | None:
    """SAPI5/NSSS: the first voice of the wanted gender, preferring the language hint."""
    variant = (request.get("variant") or "").lower()

    def gender_of(v) -> str:
        text = f"{v.gender or ''} {v.name or ''}".lower()
        female = ("female", "zira", "hazel", "susan", "samantha", "karen", "victoria", "moira")
        return "female" if any(w in text for w in female) else "male"

    def language_match(v) -> bool:
        langs = " ".join(str(x) for x in (v.languages or [])).lower().replace("_", "-")
        return bool(variant) and variant in f"{langs} {v.id.lower()}"

    ranked = sorted(voices,
                    key=lambda v: (gender_of(v) != request["gender"], not language_match(v)))
    return ranked[0].id if ranked else None


if __name__ == "__main__":
    main(sys.argv[1:])
