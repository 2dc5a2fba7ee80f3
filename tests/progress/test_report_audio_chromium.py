"""A recorded reply is a working audio player in the call report and in the trainee report, as
headless Chromium sees it; `--no-audio` leaves the players out.

The page allows no script, so the players are read through the DevTools pipe (tests/report/
browser.py). Skipped where Chromium is not installed, except on CI (CI=true): a failure there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.session.engines import VoiceSettings
from simulator.storage import CallStore
from simulator.storage.recordings import save_recording
from tests.progress.histories import practice
from tests.report.browser import DevTools, chromium_path

SAID = [  # the first reply of each of ana's two calls, spoken and recorded
    "Thank you for your honesty. What issues are you facing with dispatch?",
    "I hear you. How come?",
]
VOICE = VoiceSettings(rate=150, variant="en-us")


@dataclass(frozen=True)
class Recorded:
    data: Path
    calls: list[str]  # ana's calls, oldest first
    seconds: list[float]  # the length of each call's recorded first reply


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, speech) -> Recorded:
    """ana's two typed calls, the first reply of each recorded (the second reply typed)."""
    data = tmp_path_factory.mktemp("data")
    calls, seconds = [], []
    for seed, said in enumerate(SAID, start=1):
        call_id = practice(data, "ana", f"{said}\nWould you mind if I called back in May?\n",
                           seed=seed)
        audio = speech(said, VOICE)
        with CallStore.open(data) as store:
            first_reply = next(t.index for t in store.get_call(call_id).turns
                               if t.speaker == "trainee")
            save_recording(store, call_id, first_reply, audio)
        calls.append(call_id)
        seconds.append(audio.seconds)
    return Recorded(data, calls, seconds)


def written(recorded: Recorded, out: Path, *report: str) -> Path:
    result = CliRunner().invoke(app, ["report", *report, "--html", str(out), "--data-dir",
                                      str(recorded.data)])
    assert (result.exit_code, result.stdout) == (0, f"Wrote {out}\n"), result.output
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    tools = DevTools(chromium_path(), tmp_path_factory.mktemp("profile"))
    yield tools
    tools.close()


PLAYER = {"controls": True, "error": None, "type": "data:audio/flac",
          "label": "Reply 1 as recorded", "reply": True}


def test_a_recorded_reply_is_an_audio_player_that_knows_its_length(recorded, browser,
                                                                   tmp_path):
    page = written(recorded, tmp_path / "call.html", recorded.calls[0])
    (player,) = browser.players(page)  # the second reply was typed: no player
    assert {k: player[k] for k in PLAYER} == PLAYER and player["section"] == "transcript"
    assert player["duration"] == pytest.approx(recorded.seconds[0], abs=0.05)


def test_each_recorded_reply_of_a_trainee_is_a_player_in_its_calls_transcript(recorded,
                                                                              browser, tmp_path):
    page = written(recorded, tmp_path / "ana.html", "--trainee", "ana")
    found = browser.players(page)
    assert [p["section"] for p in found] == [f"call-{c}" for c in reversed(recorded.calls)]
    for player, seconds in zip(found, reversed(recorded.seconds), strict=True):  # newest first
        assert {k: player[k] for k in PLAYER} == PLAYER
        assert player["duration"] == pytest.approx(seconds, abs=0.05)


@pytest.mark.parametrize("report", [["--trainee", "ana"], ["CALL"]], ids=["trainee", "call"])
def test_no_audio_leaves_the_players_out(recorded, browser, tmp_path, report):
    report = [recorded.calls[0] if arg == "CALL" else arg for arg in report]
    full = written(recorded, tmp_path / "full.html", *report)
    bare = written(recorded, tmp_path / "bare.html", *report, "--no-audio")
    assert browser.players(bare) == [] and browser.players(full) != []
    # The same page but for the players.
    assert bare.read_text() == re.sub(r'<audio class="recording"[^>]*></audio>', "",
                                      full.read_text())


@pytest.mark.parametrize("report", [["--trainee", "ana"], ["CALL"]], ids=["trainee", "call"])
def test_the_page_stays_one_file_without_scripts(recorded, tmp_path, report):
    report = [recorded.calls[0] if arg == "CALL" else arg for arg in report]
    text = written(recorded, tmp_path / "page.html", *report).read_text()
    assert text.count('<audio class="recording" controls') == (2 if "--trainee" in report
                                                                else 1)
    assert "<script" not in text and "media-src data:" in text
