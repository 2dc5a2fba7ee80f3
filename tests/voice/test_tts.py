"""Speaking persona lines: pyttsx3 in a worker process with verified output, the espeak-ng
fallback when that worker fails, crashes or hangs, the cache."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import wave

import pytest
from rich.console import Console
from typer.testing import CliRunner

from simulator.errors import AudioError
from simulator.session.engines import Audio, VoiceSettings
from simulator.session.voice_call import prepare_speech
from simulator.voice.speech_cache import SpeechCache
from simulator.voice.tts import (
    EspeakSynthesizer,
    Pyttsx3Synthesizer,
    expected_seconds,
    speech_problem,
)
from simulator.voice.tts_worker import TtsWorker

LINE = "Sorry, we already have a supplier and I am not interested."

VOICES = {
    "default": VoiceSettings(),
    "slow low": VoiceSettings(rate=120, pitch=20),
    "fast high": VoiceSettings(rate=220, pitch=80),
    "female": VoiceSettings(gender="female", pitch=65),
    "british": VoiceSettings(variant="en-gb"),
    "british female": VoiceSettings(variant="en-gb", gender="female"),
}


@pytest.fixture(scope="module")
def pyttsx3_synth():
    pytest.importorskip("pyttsx3")
    with Pyttsx3Synthesizer() as synth:
        yield synth


@pytest.mark.parametrize("name", list(VOICES))
def test_pyttsx3_renders_each_voice_as_plausible_speech(pyttsx3_synth, name):
    voice = VOICES[name]
    audio = pyttsx3_synth.render(LINE, voice)
    low, high = expected_seconds(LINE, voice.rate)
    assert pyttsx3_synth.last_engine == "pyttsx3", pyttsx3_synth.last_problem
    assert low <= audio.seconds <= high
    assert speech_problem(audio, LINE, voice) is None


def test_pyttsx3_applies_each_lines_rate_in_one_process(pyttsx3_synth):
    # Stale rates are a known pyttsx3 trap: alternate slow and fast lines in one engine.
    durations = [pyttsx3_synth.render(LINE, VoiceSettings(rate=r)).seconds
                 for r in (110, 230, 110, 230)]
    assert durations[0] > durations[1] * 1.5
    assert durations[2] > durations[3] * 1.5
    assert durations[0] == pytest.approx(durations[2], rel=0.02)


@pytest.mark.parametrize("synth_name", ["pyttsx3", "espeak-ng"])
def test_different_personas_sound_different(pyttsx3_synth, espeak, synth_name):
    synth = pyttsx3_synth if synth_name == "pyttsx3" else espeak
    digests = {name: hashlib.sha256(synth.render("Hello, who is calling?", v).pcm).hexdigest()
               for name, v in VOICES.items()}
    assert len(set(digests.values())) == len(VOICES), digests


def test_espeak_cli_is_deterministic(espeak):
    voice = VOICES["female"]
    assert espeak.render(LINE, voice).pcm == espeak.render(LINE, voice).pcm


def test_a_line_starting_with_a_dash_is_spoken_not_parsed_as_an_option(espeak):
    audio = espeak.render("-v is not an option here", VoiceSettings())
    assert speech_problem(audio, "-v is not an option here", VoiceSettings()) is None


def test_pyttsx3_failure_falls_back_to_the_espeak_command_line():
    synth = Pyttsx3Synthesizer(driver="no_such_driver")
    audio = synth.render(LINE, VoiceSettings())
    assert synth.last_engine == "espeak-ng"
    assert synth.fallbacks == 1
    assert "no_such_driver" in synth.last_problem
    assert synth.notice.startswith("pyttsx3 failed (")
    assert speech_problem(audio, LINE, VoiceSettings()) is None
    assert audio.pcm == EspeakSynthesizer().render(LINE, VoiceSettings()).pcm


def test_without_pyttsx3_and_espeak_synthesis_fails_with_the_install_hint():
    synth = Pyttsx3Synthesizer(driver="no_such_driver",
                               fallback=EspeakSynthesizer("/nonexistent/espeak-ng"))
    with pytest.raises(AudioError, match=r"^pyttsx3 could not render speech \(.*\) and espeak-ng "
                       r"is not installed: install it \(apt install espeak-ng\)$"):
        synth.render(LINE, VoiceSettings())


def test_an_empty_line_is_refused(espeak):
    with pytest.raises(AudioError, match="cannot speak an empty line"):
        espeak.render("   ", VoiceSettings())


@pytest.mark.parametrize(
    ("pcm", "problem"),
    [
        (b"", "empty audio"),
        (b"\x00\x00" * 22050 * 3, "silent audio"),
        (b"\x00\x40" * 2205, "0.10 s of audio, expected"),  # a truncated file
        (b"\x00\x40" * 22050 * 60, "60.00 s of audio, expected"),  # a runaway rate
    ],
)
def test_speech_problem_names_what_is_wrong(pcm, problem):
    assert problem in speech_problem(Audio(pcm, 22050), LINE, VoiceSettings())


# -- the worker process ----------------------------------------------------------------------

NOTICE = ("pyttsx3 failed ({}): the voices of this call are spoken by the espeak-ng command line "
          "instead")
CALL_LINES = [(LINE, VOICES["default"]), ("Call me next year.", VOICES["female"]),
              ("We are fine, thanks.", VOICES["british"])]


@pytest.fixture
def workers(monkeypatch):
    """Every TtsWorker started; `workers.fault(signal, times)` sends the real worker process that
    signal right after it is handed a line (SIGSEGV: what libespeak-ng did; SIGSTOP: a hang)."""

    class Started(list):
        signal: int | None = None
        times = 0

        def fault(self, sig: int, times: int = 2) -> None:
            self.signal, self.times = sig, times

    started = Started()
    start, send = TtsWorker.__init__, TtsWorker.send

    def recorded_start(self, *args, **kwargs):
        start(self, *args, **kwargs)
        started.append(self)

    def send_then_fault(self, request):
        sent = send(self, request)
        if started.times > 0:
            started.times -= 1
            os.kill(self.pid, started.signal)
        return sent

    monkeypatch.setattr(TtsWorker, "__init__", recorded_start)
    monkeypatch.setattr(TtsWorker, "send", send_then_fault)
    return started


def test_pyttsx3_renders_in_a_worker_process_that_close_ends(workers):
    pytest.importorskip("pyttsx3")
    with Pyttsx3Synthesizer() as synth:
        audios = [synth.render(text, voice) for text, voice in CALL_LINES]
        assert (synth.last_engine, synth.notice) == ("pyttsx3", None)
    for audio, (text, voice) in zip(audios, CALL_LINES, strict=True):
        assert speech_problem(audio, text, voice) is None
    # Under heavy load a line at a stale rate is retried in a fresh worker (see tts.py), so
    # there may be two; the last was ended by close(), and every one was reaped: no zombie.
    *retired, worker = workers
    assert worker.pid != os.getpid()
    assert worker.process.returncode == 0
    assert len(retired) <= 1 and all(w.process.returncode is not None for w in retired)


@pytest.mark.parametrize(
    ("sig", "problem", "ended_by"),
    [
        (signal.SIGSEGV, "the pyttsx3 worker crashed (SIGSEGV)", signal.SIGSEGV),
        (signal.SIGABRT, "the pyttsx3 worker crashed (SIGABRT)", signal.SIGABRT),  # os.abort()
        (signal.SIGKILL, "the pyttsx3 worker crashed (SIGKILL)", signal.SIGKILL),
        # A hang: the stopped worker is killed once the line's time is up.
        (signal.SIGSTOP, "the pyttsx3 worker did not answer within 1 s", signal.SIGKILL),
    ],
    ids=["segfault", "abort", "killed", "hang"],
)
def test_a_worker_that_crashes_or_hangs_twice_falls_back_with_one_notice(
        tmp_path, monkeypatch, espeak, workers, sig, problem, ended_by):
    monkeypatch.setenv("CALLSIM_CACHE", str(tmp_path))
    monkeypatch.setattr(Pyttsx3Synthesizer, "timeout", 1.0)
    workers.fault(sig)
    shown = io.StringIO()
    cache = prepare_speech(Console(file=shown, width=300), CALL_LINES)
    assert shown.getvalue().split() == NOTICE.format(problem).split()  # once, nothing else
    for text, voice in CALL_LINES:
        assert cache.get(text, voice).pcm == espeak.render(text, voice).pcm
    assert cache.synth.fallbacks == len(CALL_LINES)
    # The line that failed was tried in a fresh worker; later lines went straight to espeak-ng.
    assert len(workers) == 2
    assert [w.process.returncode for w in workers] == [-ended_by, -ended_by]  # reaped
    assert not list((tmp_path / "speech").glob("*.wav"))  # the next call tries pyttsx3 again


def test_a_worker_that_crashes_once_is_replaced_and_pyttsx3_still_speaks(tmp_path, workers):
    pytest.importorskip("pyttsx3")
    workers.fault(signal.SIGSEGV, times=1)
    shown = io.StringIO()
    cache = SpeechCache(Pyttsx3Synthesizer(), tmp_path)
    prepare_speech(Console(file=shown, width=300), CALL_LINES, cache)
    assert shown.getvalue().split() == []
    assert (cache.synth.last_engine, cache.synth.fallbacks) == ("pyttsx3", 0)
    # The crashed worker, then its replacement (on a loaded machine a line that comes out at the
    # wrong rate is retried in one more), each reaped.
    codes = [w.process.returncode for w in workers]
    assert codes[0] == -signal.SIGSEGV and codes[1:] and set(codes[1:]) == {0}
    assert len(list(tmp_path.glob("*.wav"))) == len(CALL_LINES)


def test_the_demo_survives_a_crashing_tts_worker(tmp_path, monkeypatch, workers):
    from simulator.cli.app import app

    monkeypatch.setenv("CALLSIM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CALLSIM_HOME", str(tmp_path))
    workers.fault(signal.SIGSEGV)
    result = CliRunner().invoke(app, ["demo", "--no-voice", "--json", "--data-dir",
                                      str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    notice = NOTICE.format("the pyttsx3 worker crashed (SIGSEGV)")
    assert result.stderr.count("pyttsx3 failed") == 1
    assert notice in " ".join(result.stderr.split())
    assert json.loads(result.stdout)["outcome"] == "meeting_agreed"
    assert all(w.process.returncode == -signal.SIGSEGV for w in workers)


# -- cache -----------------------------------------------------------------------------------


class CountingSynth:
    """The real espeak-ng synthesizer, counting renders (to see hits and misses)."""

    name = "espeak-ng"

    def __init__(self, synth):
        self.synth = synth
        self.rendered: list[str] = []

    def render(self, text, voice):
        self.rendered.append(text)
        return self.synth.render(text, voice)


def test_cache_renders_on_miss_then_reads_the_file(tmp_path, espeak):
    synth = CountingSynth(espeak)
    cache = SpeechCache(synth, tmp_path)
    first = cache.get(LINE, VOICES["female"])
    again = SpeechCache(synth, tmp_path).get(LINE, VOICES["female"])
    assert (cache.misses, synth.rendered) == (1, [LINE])
    assert again.pcm == first.pcm and again.rate == first.rate
    with wave.open(str(cache.path(LINE, VOICES["female"]))) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2


def test_cache_keys_on_text_and_every_voice_setting(tmp_path, espeak):
    cache = SpeechCache(espeak, tmp_path)
    keys = {cache.key(LINE, v) for v in VOICES.values()}
    keys.add(cache.key("Other words.", VoiceSettings()))
    assert len(keys) == len(VOICES) + 1
    assert cache.key("  Sorry,  we\nalready have a supplier and I am not interested. ",
                     VoiceSettings()) == cache.key(LINE, VoiceSettings())


def test_prerender_reports_progress_and_renders_each_line_once(tmp_path, espeak):
    synth = CountingSynth(espeak)
    cache = SpeechCache(synth, tmp_path)
    lines = [(LINE, VOICES["default"]), ("Call me next year.", VOICES["female"]),
             (LINE, VOICES["default"])]
    calls: list[tuple[int, int]] = []
    assert cache.prerender(lines, progress=lambda done, total: calls.append((done, total))) == 2
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert cache.prerender(lines) == 0
    assert len(synth.rendered) == 2
    cache.get("Call me next year.", VOICES["female"])
    assert cache.hits == 1


def test_a_damaged_cache_file_is_rendered_again(tmp_path, espeak):
    cache = SpeechCache(espeak, tmp_path)
    cache.path(LINE, VoiceSettings()).write_bytes(b"RIFF garbage")
    assert speech_problem(cache.get(LINE, VoiceSettings()), LINE, VoiceSettings()) is None
    assert cache.misses == 1


def test_cache_dir_comes_from_callsim_cache(tmp_path, monkeypatch, espeak):
    monkeypatch.setenv("CALLSIM_CACHE", str(tmp_path))
    cache = SpeechCache(espeak)
    cache.get("Not today.", VoiceSettings())
    assert cache.path("Not today.", VoiceSettings()).parent == tmp_path / "speech"
    assert cache.path("Not today.", VoiceSettings()).is_file()


def test_a_line_spoken_at_a_stale_rate_is_caught(espeak):
    # What pyttsx3 2.99's espeak driver sometimes does on a busy machine: the previous line's rate.
    synth = Pyttsx3Synthesizer(driver="espeak", fallback=espeak)
    fast, slow = VoiceSettings(rate=230), VoiceSettings(rate=110)
    assert synth._rate_problem(espeak.render(LINE, fast), LINE, fast) is None
    problem = synth._rate_problem(espeak.render(LINE, slow), LINE, fast)
    assert problem is not None and problem.startswith("pyttsx3 spoke at the wrong rate")
