"""A recorded reply is a working audio player in the call report, as headless Chromium sees it.

The page allows no script, so the player is read through the DevTools pipe (tests/report/
browser.py). Skipped where Chromium is not installed, except on CI (CI=true): a failure there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.report import call_report, write_html
from simulator.session.engines import VoiceSettings
from simulator.storage import CallStore
from simulator.storage.recordings import save_recording
from tests.progress.histories import practice
from tests.report.browser import DevTools, chromium_path

SAID = "Thank you for your honesty. What issues are you facing with dispatch?"
# Every <audio> once its metadata has loaded (or failed to): what a listener would get.
PLAYERS_JS = """
new Promise(resolve => {
  const settled = a => a.readyState >= 1 || a.error ? Promise.resolve(a) : new Promise(r => {
    a.addEventListener('loadedmetadata', () => r(a));
    a.addEventListener('error', () => r(a));
  });
  const report = () => Promise.all([...document.querySelectorAll('audio')].map(settled))
    .then(list => resolve(list.map(a => ({
      controls: a.controls, duration: a.duration, error: a.error ? a.error.code : null,
      type: a.getAttribute('src').split(';')[0], label: a.getAttribute('aria-label'),
      reply: a.closest('.turn.trainee') !== null}))));
  if (document.readyState === 'complete') report(); else addEventListener('load', report);
})
"""


@pytest.fixture(scope="module")
def report_with_audio(tmp_path_factory, speech) -> tuple[Path, float]:
    data = tmp_path_factory.mktemp("data")
    call_id = practice(data, "ana", f"{SAID}\nWould you mind if I called back in May?\n",
                       seed=1)
    audio = speech(SAID, VoiceSettings(rate=150, variant="en-us"))
    with CallStore.open(data) as store:
        first_reply = next(t.index for t in store.get_call(call_id).turns
                           if t.speaker == "trainee")
        save_recording(store, call_id, first_reply, audio)
        page = call_report(store, call_id)
    return write_html(data / "report.html", page), audio.seconds


def players(page: Path, profile: Path) -> list[dict]:
    """PLAYERS_JS's answer for the page, opened as it is (its CSP and all)."""
    browser = DevTools(chromium_path(), profile)
    try:
        _, session = browser.open(page)
        return browser.evaluate(PLAYERS_JS, session, await_promise=True)
    finally:
        browser.close()


def test_a_recorded_reply_is_an_audio_player_that_knows_its_length(report_with_audio, tmp_path):
    page, seconds = report_with_audio
    found = players(page, tmp_path / "profile")
    assert len(found) == 1, found  # the second reply was typed: no player
    (player,) = found
    assert {k: player[k] for k in ("controls", "error", "type", "label", "reply")} == {
        "controls": True, "error": None, "type": "data:audio/flac", "label":
        "Reply 1 as recorded", "reply": True}
    assert player["duration"] == pytest.approx(seconds, abs=0.05)


def test_the_page_stays_one_file_without_scripts(report_with_audio):
    text = report_with_audio[0].read_text()
    assert text.count('<audio class="recording" controls') == 1
    assert "<script" not in text and "media-src data:" in text
