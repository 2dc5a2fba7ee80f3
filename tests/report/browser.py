"""Headless Chromium measuring a page at a given viewport width, over the DevTools pipe.

`--window-size` cannot go below 500 px in headless Chromium, so the viewport is set with
Emulation.setDeviceMetricsOverride (a desktop page in a 390 px wide window, scrollbars hidden
as on a phone). The page is opened as it is: the measuring script runs through DevTools, so
the report itself stays script-free and keeps its Content-Security-Policy.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-pipe"]

# Every element with visible text of its own, and every SVG <text>, with the size its glyphs
# are drawn at: CSS font-size times the SVG's scale (a viewBox shrinks SVG text with the chart).
MEASURE = """(() => {
  const sizes = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || style.display === 'none') continue;
    let px = parseFloat(style.fontSize);
    if (el instanceof SVGElement && el.getScreenCTM) px *= Math.abs(el.getScreenCTM().a);
    sizes.push([Math.round(px * 100) / 100, el.tagName.toLowerCase(), el.className.baseVal
                ?? el.className, el.textContent.trim().slice(0, 40)]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.right > window.innerWidth + 0.5 && !el.closest('.scroll');
  }).map(el => el.tagName.toLowerCase() + '.' + (el.className.baseVal ?? el.className));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          smallest: sizes.slice(0, 3), texts: sizes.length, overflowing: wide.slice(0, 5),
          scrollBoxes: document.querySelectorAll('.scroll').length};
})()"""

LOADED = "location.protocol === 'file:' && document.readyState === 'complete'"

# Every <audio> once its metadata has loaded (or failed to): what a listener would get, and
# where the player is (in a reply, in which transcript section).
PLAYERS = """
new Promise(resolve => {
  const settled = a => a.readyState >= 1 || a.error ? Promise.resolve(a) : new Promise(r => {
    a.addEventListener('loadedmetadata', () => r(a));
    a.addEventListener('error', () => r(a));
  });
  const report = () => Promise.all([...document.querySelectorAll('audio')].map(settled))
    .then(list => resolve(list.map(a => ({
      controls: a.controls, duration: a.duration, error: a.error ? a.error.code : null,
      type: a.getAttribute('src').split(';')[0], label: a.getAttribute('aria-label'),
      reply: a.closest('.turn.trainee') !== null,
      section: a.closest('section') ? a.closest('section').id : null}))));
  if (document.readyState === 'complete') report(); else addEventListener('load', report);
})
"""


@dataclass(frozen=True)
class Measurement:
    scroll_width: int
    inner_width: int
    smallest: list  # [font px, tag, class, text] of the three smallest texts
    texts: int  # elements with visible text
    overflowing: list  # elements sticking out of the viewport, outside a scroll box
    scroll_boxes: int

    @property
    def smallest_font(self) -> float:
        return self.smallest[0][0]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (apt-get install -y chromium; see setup.sh)")
        pytest.skip("chromium is not installed (apt-get install chromium to run these checks)")
    return found


class DevTools:
    """One Chromium process driven over --remote-debugging-pipe (fds 3 and 4, NUL-framed JSON)."""

    def __init__(self, chromium: str, profile: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def pipe_fds() -> None:  # in the child: Chromium reads fd 3 and writes fd 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        # close_fds=False keeps the inheritable fds 3 and 4; Python's own fds are close-on-exec.
        self.process = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=pipe_fds,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self._buffer:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Chromium did not answer {method}")
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe during {method}")
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b"\0")
            reply = json.loads(raw)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def open(self, page: Path, width: int | None = None, height: int = 900) -> tuple[str, str]:
        """(target, session) of a new tab showing `page` once it has loaded; a `width` sets
        the viewport (see the module's docstring)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}
                            )["sessionId"]
        if width is not None:
            self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                      "deviceScaleFactor": 1, "mobile": False}, session)
            self.send("Emulation.setScrollbarsHidden", {"hidden": True}, session)
        opened = self.send("Page.navigate", {"url": page.as_uri()}, session)
        if opened.get("errorText"):
            raise RuntimeError(f"Chromium could not open {page}: {opened['errorText']}")
        for _ in range(200):  # until the page (a local file, no longer about:blank) has loaded
            if self.evaluate(LOADED, session):
                break
            time.sleep(0.05)
        return target, session

    def evaluate(self, expression: str, session: str, await_promise: bool = False):
        """The value of a JavaScript expression in the tab (awaited, if it is a promise)."""
        return self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                              "awaitPromise": await_promise},
                         session)["result"].get("value")

    def measure(self, page: Path, width: int, height: int = 900) -> Measurement:
        target, session = self.open(page, width, height)
        result = self.evaluate(MEASURE, session)
        self.send("Target.closeTarget", {"targetId": target})
        return Measurement(result["scrollWidth"], result["innerWidth"], result["smallest"],
                           result["texts"], result["overflowing"], result["scrollBoxes"])

    def players(self, page: Path) -> list[dict]:
        """Each audio player of `page` (opened as it is, its CSP and all), as PLAYERS finds
        it."""
        target, session = self.open(page)
        found = self.evaluate(PLAYERS, session, await_promise=True)
        self.send("Target.closeTarget", {"targetId": target})
        return found

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
