"""`callsim correct` and `callsim rescore`: what was heard is fixed (by the rep, or by hearing the
saved audio again), the call is scored again, and the old transcript stays on record."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.scoring.unclear import score_heard
from simulator.session.engines import VoiceSettings, Word
from simulator.storage.calls import CallStore
from simulator.storage.records import CallRecord, TurnRecord
from simulator.voice.wavio import concat, silence, write_wav

runner = CliRunner()
CLEAR_VOICE = VoiceSettings(rate=150, pitch=50, gender="male", variant="en-us")
SAID = "Thank you for your honesty. What issues are you facing with dispatch?"
WHEN = "2025-03-01T09:30:00.125Z"


def spoken_call(call_id: str, heard: str, mode: str = "mic", outcome: str | None = "hung_up",
                conf: float = 0.9, also_heard: tuple[str, ...] = ()) -> CallRecord:
    """A finished spoken call: the prospect's no, then one reply heard as `heard` (and as
    `also_heard`)."""
    words = [Word(w, 0.1 * i, 0.1 * i + 0.1, conf) for i, w in enumerate(heard.split())]
    card = score_heard([(heard, words, "pocketsphinx", also_heard)]).to_json()
    return CallRecord(
        call_id=call_id, persona="covered-carl", persona_name="Carl Jensen", mode=mode,
        started_at=WHEN, ended_at=WHEN if outcome else None, outcome=outcome,
        score=card["score"] if outcome else None, scorecard=card if outcome else None,
        delivery={"response_delay_s": 0.5, "speaking_rate_wpm": 150, "pace": "good",
                  "talk_share": 0.5, "longest_monologue_s": 2.0, "filler_words": 0},
        turns=[TurnRecord(0, "prospect", "Not interested.", WHEN, WHEN),
               TurnRecord(1, "trainee", heard, WHEN, WHEN, words=words,
                          extra={"delay": 0.5, "duration": 2.0, "source": "mic",
                                 "engine": "pocketsphinx"}
                          | ({"also_heard": list(also_heard)} if also_heard else {}))])


@pytest.fixture
def data_dir(tmp_path):
    with CallStore.open(tmp_path) as store:
        store.import_calls([spoken_call("spoken-1", "for your august"),
                            spoken_call("typed-1", "thanks how come", mode="text"),
                            spoken_call("drill-1", "thanks how come", mode="drill"),
                            spoken_call("live-1", "thanks", outcome=None),
                            spoken_call("unsure-1", "why not", conf=0.1),
                            spoken_call("also-1", "and you how come",
                                        also_heard=("thank you how come", "and you"))])
    return tmp_path


def invoke(*args, data_dir):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)])


def saved(data_dir, call_id: str) -> CallRecord:
    with CallStore.open(data_dir) as store:
        return store.get_call(call_id)


def test_correct_rescores_the_call_and_keeps_what_was_heard(data_dir):
    before = saved(data_dir, "spoken-1")
    result = invoke("correct", "spoken-1", "--turn", "1", SAID, data_dir=data_dir)
    assert result.exit_code == 0, result.output
    after = saved(data_dir, "spoken-1")
    assert result.stdout == (
        "Reply 1 of call spoken-1 corrected.\n"
        "  heard:     for your august\n"
        f"  corrected: {SAID}\n"
        f"Score: {before.score} -> {after.score}/100\n")
    assert after.score > before.score
    assert after.scorecard["checks"]["gratitude"]["verdict"] == "pass"
    assert after.scorecard["checks"]["explore_issues"]["verdict"] == "pass"
    reply = after.turns[1]
    assert (reply.text, reply.words) == (SAID, [])
    assert sorted(reply.detections) == ["discovery_question", "explore_issues", "gratitude"]
    (earlier,) = reply.extra["earlier"]
    assert earlier["text"] == "for your august" and earlier["by"] == "pocketsphinx"
    assert [w["text"] for w in earlier["words"]] == ["for", "your", "august"]
    assert earlier["at"] == WHEN and reply.extra["by"] == "correction"
    assert (after.outcome, after.turns[0].text) == ("hung_up", "Not interested.")  # as happened
    assert after.delivery["speaking_rate_wpm"] == 360  # 12 words in the reply's 2 seconds
    assert after.delivery["talk_share"] == 0.5  # timings are not words: unchanged
    listed = json.loads(invoke("history", "--json", data_dir=data_dir).stdout)
    assert next(c["score"] for c in listed if c["call_id"] == "spoken-1") == after.score


def test_show_prints_what_was_heard_beside_the_correction(data_dir):
    invoke("correct", "spoken-1", "--turn", "1", SAID, data_dir=data_dir)
    shown = runner.invoke(app, ["show", "spoken-1", "--data-dir", str(data_dir)],
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    lines = [line.strip(" │") for line in shown.stdout.splitlines()]
    at = lines.index("You (1): heard: for your august")
    assert lines[at + 1] == f"corrected: {SAID}"


def test_unsure_words_are_marked_and_a_fail_on_them_reads_heard_unclearly(data_dir, tmp_path):
    shown = runner.invoke(app, ["show", "unsure-1", "--data-dir", str(data_dir)],
                          env={"COLUMNS": "200"})
    lines = [line.strip(" │") for line in shown.stdout.splitlines()]
    assert "You (1): why? not?" in lines
    assert ('word? = heard unclearly (the recognizer was unsure); if a reply is wrong, fix it: '
            'callsim correct unsure-1 --turn N "what you said"') in lines
    row = next(line for line in lines if line.startswith('Ask "how come", not "why"'))
    assert "heard unclearly" in row
    assert "heard unclearly" not in next(line for line in lines if line.startswith("Offer a way"))
    page = tmp_path / "call.html"
    assert invoke("report", "unsure-1", "--html", str(page), data_dir=data_dir).exit_code == 0
    html = page.read_text()
    assert '<span class="unsure">why</span>' in html
    assert '<span class="verdict unclear">heard unclearly</span>' in html


def test_a_second_correction_keeps_both_earlier_texts(data_dir):
    invoke("correct", "spoken-1", "--turn", "1", "thanks", data_dir=data_dir)
    invoke("correct", "spoken-1", "--turn", "1", SAID, data_dir=data_dir)
    earlier = saved(data_dir, "spoken-1").turns[1].extra["earlier"]
    assert [(e["text"], e["by"]) for e in earlier] == [("for your august", "pocketsphinx"),
                                                       ("thanks", "correction")]


@pytest.mark.parametrize(("args", "code", "message"), [
    (("spoken-1", "--turn", "2", SAID), 2,
     "call spoken-1 has 1 reply; --turn takes 1 to 1 (the number beside 'You' in "
     "`callsim show`)"),
    (("spoken-1", "--turn", "0", SAID), 2,
     "call spoken-1 has 1 reply; --turn takes 1 to 1 (the number beside 'You' in "
     "`callsim show`)"),
    (("spoken-1", "--turn", "1", "   "), 2,
     "the corrected reply is empty; give what you said, in quotes"),
    (("spoken-1", "--turn", "1", "\x01\x1b[2J\x7f"), 2,  # control characters only
     "the corrected reply is empty; give what you said, in quotes"),
    (("spoken-1", "--turn", "1", "a " * 40_000), 1,
     "the corrected reply is too long (79,999 bytes; a reply may have at most 65,536): split "
     "it into separate replies"),
    (("typed-1", "--turn", "1", SAID), 1,
     "call typed-1 was typed: its replies are what was typed, so nothing was misheard; only "
     "spoken calls can be corrected"),
    (("drill-1", "--turn", "1", SAID), 1,
     "call drill-1 was a drill: its replies are what was typed, so nothing was misheard; only "
     "spoken calls can be corrected"),
    (("live-1", "--turn", "1", SAID), 1,
     "call live-1 is not finished; correct it once it has ended"),
    (("nope", "--turn", "1", SAID), 1,
     "no call with id nope; run `callsim history` to list calls"),
])
def test_a_correction_that_cannot_be_made_is_one_line_and_changes_nothing(data_dir, args, code,
                                                                          message):
    before = saved(data_dir, "spoken-1")
    result = invoke("correct", *args, data_dir=data_dir)
    assert (result.exit_code, result.stderr) == (code, f"callsim: {message}\n")
    assert result.stdout == ""
    assert saved(data_dir, "spoken-1") == before


@pytest.mark.parametrize(("args", "code", "message"), [
    ((), 2, "give a CALL_ID or --all (one of them)"),
    (("spoken-1", "--all"), 2, "give a CALL_ID or --all (one of them)"),
    (("spoken-1",), 1, "call spoken-1 has no recorded replies (recorded with --no-record, or "
                       "imported without audio); nothing to hear again"),
    (("typed-1",), 1, "call typed-1 was typed: its replies are what was typed, so nothing was "
                      "misheard; only spoken calls can be corrected"),
    (("--all",), 1, "no saved call has recorded replies; nothing to hear again"),
    (("nope",), 1, "no call with id nope; run `callsim history` to list calls"),
])
def test_rescore_without_audio_to_hear_is_one_line(data_dir, args, code, message):
    result = invoke("rescore", *args, "--engine", "pocketsphinx", data_dir=data_dir)
    assert (result.exit_code, result.stderr) == (code, f"callsim: {message}\n")


@pytest.mark.parametrize("call_id", ["spoken-1", "typed-1"])
def test_a_call_rescore_cannot_hear_is_refused_before_a_recognizer_loads(data_dir, call_id):
    """Without --engine the best installed recognizer would load, and say so, before refusing."""
    result = invoke("rescore", call_id, data_dir=data_dir)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("callsim: call "), \
        result.stderr


def test_a_pasted_escape_code_is_no_part_of_the_correction(data_dir):
    result = invoke("correct", "spoken-1", "--turn", "1", "\x1b[31mI hear you.\x1b[0m\tHow come?",
                    data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert saved(data_dir, "spoken-1").turns[1].text == "I hear you. How come?"


def _record_reply(data_dir, call_id, audio):
    from simulator.storage.recordings import save_recording

    with CallStore.open(data_dir) as store:
        save_recording(store, call_id, 1, audio)


def test_rescore_hears_the_saved_audio_again_and_keeps_the_old_transcript(data_dir, speech):
    """The reply was saved as a weak recognizer heard it; its real recording says more."""
    _record_reply(data_dir, "spoken-1", concat(silence(0.3), speech(SAID, CLEAR_VOICE),
                                               silence(0.5)))
    before = saved(data_dir, "spoken-1")
    result = invoke("rescore", "spoken-1", "--engine", "pocketsphinx", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    after = saved(data_dir, "spoken-1")
    assert result.stdout == (f"spoken-1: score {before.score} -> {after.score}; re-heard by "
                             "pocketsphinx: reply 1\n")
    reply = after.turns[1]
    assert reply.text.startswith("thank you for your honesty"), reply.text
    assert reply.words and reply.extra["by"] == reply.extra["engine"] == "pocketsphinx"
    assert [e["text"] for e in reply.extra["earlier"]] == ["for your august"]
    assert after.score > before.score
    assert after.scorecard["checks"]["gratitude"]["verdict"] == "pass"
    again = invoke("rescore", "--all", "--engine", "pocketsphinx", data_dir=data_dir)
    assert again.stdout == (f"spoken-1: score {after.score} -> {after.score}; heard the same: "
                            "reply 1\n")
    assert len(saved(data_dir, "spoken-1").turns[1].extra["earlier"]) == 1


def test_rescore_never_overwrites_a_reply_corrected_by_hand(data_dir, speech):
    _record_reply(data_dir, "spoken-1", concat(silence(0.3), speech("Why not?", CLEAR_VOICE),
                                               silence(0.5)))
    invoke("correct", "spoken-1", "--turn", "1", SAID, data_dir=data_dir)
    corrected = saved(data_dir, "spoken-1")
    result = invoke("rescore", "spoken-1", "--engine", "pocketsphinx", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"spoken-1: score {corrected.score} -> {corrected.score}; "
                             "corrected by hand, kept: reply 1\n")
    assert saved(data_dir, "spoken-1").turns[1].text == SAID


def test_a_real_spoken_call_corrected_scores_again(tmp_path, speech):
    """practice --wav through the real recognizer, then the rep corrects the reply."""
    wav = tmp_path / "reply.wav"
    write_wav(wav, concat(silence(0.7), speech("Thank you. How come?", CLEAR_VOICE),
                          silence(1.0)))
    data = tmp_path / "data"
    done = runner.invoke(app, ["practice", "--persona", "covered-carl", "--seed", "1",
                               "--no-voice", "--json", "--engine", "pocketsphinx", "--wav",
                               str(wav), "--data-dir", str(data)])
    assert done.exit_code == 0, done.output
    call = json.loads(done.stdout)
    heard = next(t for t in call["turns"] if t["speaker"] == "trainee")
    assert heard["extra"]["engine"] == "pocketsphinx"
    others = heard["extra"]["also_heard"]  # kept, so scoring the call again gives its card
    assert others and all(isinstance(text, str) and text != heard["text"] for text in others)
    with CallStore.open(data) as store:
        record = store.get_call(call["call_id"])
    from simulator.scoring.rubric import load_rubric
    from simulator.session.revision import rescored
    assert rescored(record, [], load_rubric(None, data))[1] == record.scorecard
    better = (f"{SAID} Would you mind if I called you next week, or would you rather I never "
              "contacted you again?")
    result = invoke("correct", call["call_id"][:12], "--turn", "1", better, data_dir=data)
    assert result.exit_code == 0, result.output
    after = saved(data, call["call_id"])
    assert after.score > call["score"]
    reply = next(t for t in after.turns if t.speaker == "trainee")
    assert reply.text == better
    assert reply.extra["earlier"][0]["text"] == heard["text"]
    assert reply.extra["earlier"][0]["words"] == heard["words"]
    moves = ("gratitude", "explore_issues", "permission_close", "opt_out")
    assert {c: after.scorecard["checks"][c]["verdict"] for c in moves} == dict.fromkeys(
        moves, "pass")


def test_thanks_heard_another_way_pass_and_a_correction_replaces_the_hearings(data_dir,
                                                                             tmp_path):
    call = saved(data_dir, "also-1")
    gratitude = call.scorecard["checks"]["gratitude"]
    assert (gratitude["verdict"], gratitude["heard"]) == ("pass", "also heard")
    assert gratitude["evidence"] == [{"text": "thank you", "heard": "thank you how come"}]
    shown = invoke("show", "also-1", data_dir=data_dir)
    assert shown.exit_code == 0, shown.output
    assert '│ Heard as: "thank you how come" (another hearing │' in shown.stdout
    page = tmp_path / "call.html"
    assert invoke("report", "also-1", "--html", str(page), data_dir=data_dir).exit_code == 0
    assert ('<b>Heard as:</b> <span class="heard">&ldquo;thank you how come&rdquo;</span> '
            "(another hearing of your words)") in page.read_text()
    result = invoke("correct", "also-1", "--turn", "1", "Okay. How come?", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    reply = saved(data_dir, "also-1").turns[1]
    assert "also_heard" not in reply.extra  # what the rep says they said was heard once
    assert reply.extra["earlier"][0]["also_heard"] == ["thank you how come", "and you"]
    assert saved(data_dir, "also-1").scorecard["checks"]["gratitude"]["verdict"] == "fail"
