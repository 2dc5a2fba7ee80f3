"""The report as a browser shows it: headless Chromium renders it, offline, without a script.

Skipped where Chromium is not installed, except on CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from simulator.report import call_report, write_html
from simulator.storage import CallStore
from tests.progress.histories import practice
from tests.report.browser import chromium_path

NAME = "<script>alert(1)</script>"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    practice(data_dir, NAME, "Why not? Keep us in mind.\n", seed=1)
    call_id = practice(data_dir, NAME, seed=3)
    with CallStore.open(data_dir) as store:
        page = call_report(store, call_id)
    return write_html(data_dir / "report.html", page)


def browse(chromium: str, page: Path, tmp_path: Path, *args: str) -> tuple[str, list[str]]:
    """Run Chromium on `page`: its stdout, and the http(s) URLs the page itself requested."""
    netlog = tmp_path / "net.json"
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--log-net-log={netlog}",
         *args, page.as_uri()],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, page_requests(netlog)


def page_requests(netlog: Path) -> list[str]:
    """URLs of requests made for a file:// page (Chromium's own update pings have no such key)."""
    log = json.loads(netlog.read_text())
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [event["params"]["url"] for event in log["events"]
            if event["type"] == start and "file://" in event["params"].get(
                "network_isolation_key", "") and event["params"]["url"].startswith("http")]


def test_the_rendered_dom_shows_transcript_marks_and_the_name_as_text(chromium, report_file,
                                                                      tmp_path):
    dom, requests = browse(chromium, report_file, tmp_path, "--dump-dom")
    assert "Keep us in mind" in dom and "Carl Jensen" in dom
    assert '<mark class="ev fail"' in dom and '<mark class="ev pass"' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom.lower()  # no element came out of the name
    assert dom.count("<svg") >= 2
    assert requests == []


def test_the_network_check_sees_a_page_that_fetches(chromium, tmp_path):
    page = tmp_path / "fetching.html"
    page.write_text('<p>x</p><img src="http://example.com/x.png">')
    _, requests = browse(chromium, page, tmp_path, "--dump-dom")
    assert requests == ["http://example.com/x.png"]


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, len(set(pixels[: width * height]))


def test_a_screenshot_is_a_real_picture(chromium, report_file, tmp_path):
    shot = tmp_path / "report.png"
    _, requests = browse(chromium, report_file, tmp_path, f"--screenshot={shot}",
                         "--window-size=1200,2000")
    width, height, distinct_bytes = png_size_and_colours(shot)
    assert (width, height) == (1200, 2000)
    assert shot.stat().st_size > 50_000
    assert distinct_bytes > 50  # text, marks and charts, not a blank page
    assert requests == []
