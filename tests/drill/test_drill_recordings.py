"""Spoken drill answers are kept as audio with their one-reply call, unless --no-record."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.storage.calls import CallStore
from simulator.storage.recordings import load_recording, recorded_turns
from tests.drill.test_drill_voice import CLIPS, wav_args

runner = CliRunner()


@pytest.mark.parametrize(("options", "kept"), [((), True), (("--no-record",), False)])
def test_each_spoken_answer_is_kept_unless_no_record(tmp_path, options, kept):
    result = runner.invoke(app, wav_args(tmp_path, "--no-voice", *options, clips=CLIPS[:1]))
    assert result.exit_code == 0, result.output
    with CallStore.open(tmp_path) as store:
        (summary,) = store.list_calls()
        assert recorded_turns(store, summary.call_id) == ([1] if kept else [])
        audio = load_recording(store, summary.call_id, 1)
        reply = store.get_call(summary.call_id).turns[1]
    if kept:
        assert audio.rate == 16000
        assert audio.seconds == pytest.approx(reply.extra["duration"], abs=0.6)
    else:
        assert audio is None
