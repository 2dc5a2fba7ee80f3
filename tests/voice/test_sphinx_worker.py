"""The general LM's second pass runs in a worker process while the trainee speaks; a worker that
dies or hangs costs only time: the recognizer then decodes the kept audio itself."""

from __future__ import annotations

import os
import signal
import time

import pytest

from simulator.session.engines import VoiceSettings
from simulator.voice import asr_sphinx, sphinx_worker
from simulator.voice.asr_sphinx import PocketSphinxRecognizer
from simulator.voice.wavio import concat, silence
from tests.voice.audio_helpers import decode

VOICE = VoiceSettings(rate=160, pitch=50, gender="male", variant="en-us+m3")
OFF_TOPIC = "The weather in the mountains was cold and my sister baked a chocolate cake."
SALES = "Thank you for your honesty. How come it's not a fit right now?"


@pytest.fixture(scope="module")
def clips(speech):
    def clip(text):
        audio = concat(silence(0.3), speech(text, VOICE), silence(0.3))
        return audio.pcm, audio.rate
    return {"off-topic": clip(OFF_TOPIC), "sales": clip(SALES)}


@pytest.fixture(scope="module")
def in_process(sales_model, clips):
    """What the general LM hears in this process, with no worker."""
    original = asr_sphinx.general_pass
    asr_sphinx.general_pass = lambda: None
    try:
        recognizer = PocketSphinxRecognizer(domain=sales_model)
        decode(recognizer, *clips["off-topic"])
    finally:
        asr_sphinx.general_pass = original
    assert recognizer.last_pass == "general"
    return recognizer.last_words["general"]


def test_the_second_pass_runs_in_a_worker_and_hears_the_same(sales_model, clips, in_process):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    worker = sphinx_worker.general_pass()
    assert worker.pid != os.getpid() and worker.alive
    transcript, _ = decode(recognizer, *clips["off-topic"])
    assert recognizer.last_pass == "general"
    assert recognizer.last_words["general"] == in_process
    assert "chocolate cake" in transcript.text
    assert sphinx_worker.general_pass() is worker  # one worker serves reply after reply


@pytest.fixture(scope="module")
def sales_in_process(sales_model, clips):
    """What the general LM hears of the sales reply in this process, with no worker."""
    original = asr_sphinx.general_pass
    asr_sphinx.general_pass = lambda: None
    try:
        recognizer = PocketSphinxRecognizer(domain=sales_model, fallback_below=1.01)
        decode(recognizer, *clips["sales"])
    finally:
        asr_sphinx.general_pass = original
    return recognizer.last_words["general"]


def test_a_sure_reply_keeps_its_words_with_the_workers_as_another_hearing(
        sales_model, clips, in_process, sales_in_process):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    transcript, _ = decode(recognizer, *clips["sales"])
    assert recognizer.last_pass == "domain"
    assert transcript.words == recognizer.last_words["domain"]
    # Not waited for when the reply ends: read once the trainee's wait is over.
    assert transcript.pending_hearings is not None and "general" not in recognizer.last_words
    next_best = transcript.also_heard
    general = " ".join(w.text for w in sales_in_process)
    assert transcript.hearings() == (general, *next_best) and general != transcript.text
    assert recognizer.last_words["general"] == sales_in_process
    decode(recognizer, *clips["off-topic"])  # and the next reply stays in step
    assert recognizer.last_words["general"] == in_process


def test_a_sure_replys_hearings_read_after_the_next_reply_are_its_own(
        sales_model, clips, in_process, sales_in_process):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    sure, _ = decode(recognizer, *clips["sales"])
    decode(recognizer, *clips["off-topic"])  # unsure: waits for its own words, read after
    assert recognizer.last_words["general"] == in_process
    assert sure.hearings()[0] == " ".join(w.text for w in sales_in_process)


def fed_with_a_hung_worker(recognizer, pcm: bytes, rate: int):
    """A reply fed in chunks while the worker is stopped (SIGSTOP: it never answers); the
    worker."""
    recognizer.start(rate)
    worker = sphinx_worker.general_pass()
    os.kill(worker.pid, signal.SIGSTOP)
    for at in range(0, len(pcm), 960):
        recognizer.accept(pcm[at:at + 960])
    return worker


def test_a_sure_reply_does_not_wait_for_a_hung_worker(sales_model, clips, monkeypatch):
    monkeypatch.setattr(sphinx_worker, "ANSWER_WAIT", 0.3)
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    worker = fed_with_a_hung_worker(recognizer, *clips["sales"])
    started = time.monotonic()
    transcript = recognizer.finish()
    assert time.monotonic() - started < 0.3  # the trainee's wait: the worker is not asked
    assert recognizer.last_pass == "domain" and worker.alive
    assert transcript.hearings() == transcript.also_heard  # given up on: the next best only
    assert worker._child.process.poll() is not None and not worker.alive


def test_with_no_worker_a_sure_reply_is_not_decoded_again(sales_model, clips, monkeypatch):
    monkeypatch.setattr(asr_sphinx, "general_pass", lambda: None)
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    transcript, _ = decode(recognizer, *clips["sales"])
    assert recognizer.last_pass == "domain" and "general" not in recognizer.last_scores
    assert transcript.also_heard  # the domain LM's next-best hypotheses only


def test_an_abandoned_reply_does_not_leak_into_the_next(sales_model, clips, in_process):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    pcm, rate = clips["sales"]
    recognizer.start(rate)
    recognizer.accept(pcm[: len(pcm) // 2])  # the call moved on without finishing this reply
    decode(recognizer, *clips["off-topic"])
    assert recognizer.last_words["general"] == in_process


@pytest.mark.parametrize("fault", [signal.SIGKILL, signal.SIGSEGV])
def test_a_worker_that_dies_mid_reply_costs_only_time(sales_model, clips, in_process, fault):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    pcm, rate = clips["off-topic"]
    recognizer.start(rate)
    worker = sphinx_worker.general_pass()
    recognizer.accept(pcm[: len(pcm) // 2])
    os.kill(worker.pid, fault)
    recognizer.accept(pcm[len(pcm) // 2:])
    transcript = recognizer.finish()
    assert recognizer.last_pass == "general"
    assert recognizer.last_words["general"] == in_process  # decoded here instead
    assert "chocolate cake" in transcript.text
    replacement = sphinx_worker.general_pass()
    assert replacement is not worker and replacement.alive  # the next reply has a new one
    decode(recognizer, *clips["off-topic"])
    assert recognizer.last_words["general"] == in_process


def test_a_hung_worker_is_given_up_on_and_killed(sales_model, clips, in_process, monkeypatch):
    monkeypatch.setattr(sphinx_worker, "ANSWER_WAIT", 0.3)
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    pcm, rate = clips["off-topic"]
    started = time.monotonic()
    worker = fed_with_a_hung_worker(recognizer, pcm, rate)
    recognizer.finish()
    assert recognizer.last_words["general"] == in_process
    assert time.monotonic() - started < 0.3 + len(pcm) / 2 / rate + 3.0
    assert worker._child.process.poll() is not None  # killed and reaped, not left stopped
    assert not worker.alive


def test_a_worker_that_cannot_start_means_decoding_here(sales_model, clips, in_process,
                                                        monkeypatch):
    def no_process(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    sphinx_worker.general_pass().close()
    monkeypatch.setattr(sphinx_worker.ChildProcess, "__init__", no_process)
    assert sphinx_worker.general_pass() is None
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    decode(recognizer, *clips["off-topic"])
    assert recognizer.last_words["general"] == in_process


def test_the_worker_leaves_when_its_input_closes(sales_model):
    worker = sphinx_worker.GeneralPass()
    worker._child.close()  # EOF on its stdin: it exits by itself, with code 0
    assert worker._child.process.returncode == 0


def test_a_forked_process_starts_its_own_worker(sales_model, clips, in_process):
    """The fuzz harness forks the test process: the parent's worker and its threads are not the
    child's to use (using them hung a call)."""
    parents = sphinx_worker.general_pass()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            recognizer = PocketSphinxRecognizer(domain=sales_model)
            decode(recognizer, *clips["off-topic"])
            mine = sphinx_worker.general_pass()
            code = 0 if (recognizer.last_words["general"] == in_process
                         and mine is not parents and mine.pid != parents.pid) else 2
        finally:
            os.write(write, bytes([code]))
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    assert answer == b"\x00"
    assert parents.alive and parents._child.process.poll() is None  # left running
