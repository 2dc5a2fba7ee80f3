"""Every HTML report fits a phone (390 px) and a laptop (1280 px), checked in headless Chromium.

For the call, trainee and workshop reports of a realistic workshop (long names, long replies,
several calls, plus a recorded reply's player and a word marked unsure): the page is exactly as
wide as the window (tables scroll inside their own box), and no visible text, chart labels
included, is drawn smaller than 12 px. Skipped without Chromium, except on CI (CI=true).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.report import call_report, trainee_report, workshop_report, write_html
from simulator.report.html import audio_player
from simulator.storage import CallStore
from tests.report.browser import DevTools, chromium_path
from tests.report.workshop_data import LONG_NAME, LONG_REPLY, WORKSHOP

WIDTHS = [390, 1280]
# A second of 16-bit silence as a WAV: enough for Chromium to lay out its player.
SILENCE = (b"RIFF" + (36 + 32000).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
           + (1).to_bytes(2, "little") + (1).to_bytes(2, "little")
           + (16000).to_bytes(4, "little") + (32000).to_bytes(4, "little")
           + (2).to_bytes(2, "little") + (16).to_bytes(2, "little") + b"data"
           + (32000).to_bytes(4, "little") + bytes(32000))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    tools = DevTools(chromium_path(), tmp_path_factory.mktemp("profile"))
    yield tools
    tools.close()


def with_player_and_unsure_word(page: str) -> str:
    """The call (or trainee) page as RECORDINGS and CONFIDENCE extend it: a player and an
    unsure word in the first reply."""
    player = audio_player("audio/wav", SILENCE, "Reply 1 as recorded")
    trainee_turn = r'(<div class="turn trainee"><span class="who">[^<]*</span>)(.*?)</div>'
    page, count = re.subn(trainee_turn, lambda m: f'{m[1]}<span class="unsure">{m[2]}</span>'
                          f"{player}</div>", page, count=1, flags=re.DOTALL)
    assert count == 1
    return page


@pytest.fixture(scope="module")
def pages(workshop_dir, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    with CallStore.open(workshop_dir) as store:
        long_call = next(c.call_id for c in store.list_calls(trainee="cleo")
                         if LONG_REPLY.split(",")[0] in store.get_call(c.call_id).turns[1].text)
        made = {
            "call": call_report(store, long_call),
            "call with audio": with_player_and_unsure_word(call_report(store, long_call)),
            "trainee": trainee_report(store, LONG_NAME),
            "trainee with audio": with_player_and_unsure_word(trainee_report(store, LONG_NAME)),
            "workshop": workshop_report(store, WORKSHOP),
        }
    return {kind: write_html(out / f"{kind.replace(' ', '-')}.html", page)
            for kind, page in made.items()}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["call", "call with audio", "trainee", "trainee with audio",
                                  "workshop"])
def test_the_report_fits_the_window(browser, pages, kind, width):
    seen = browser.measure(pages[kind], width)
    assert seen.texts > 50  # the page rendered: a report, not an error page
    assert (seen.scroll_width, seen.overflowing) == (width, [])
    assert seen.inner_width == width
    assert seen.smallest_font >= 12, seen.smallest
    assert seen.scroll_boxes >= 3  # its tables scroll in their own box when they must


def test_the_check_sees_a_page_that_does_not_fit(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<table><tr>' + "<td>a-long-cell-that-does-not-wrap</td>" * 12 + "</tr></table>"
        '<svg viewBox="0 0 720 160" style="width:100%"><text x="0" y="20" '
        'style="font-size:12px">a label that shrinks</text></svg><p>p</p>' * 30)
    seen = browser.measure(page, 390)
    assert seen.scroll_width > 390 and seen.overflowing
    assert seen.smallest_font < 12 and seen.smallest[0][1] == "text"
