"""Per-turn latency of a spoken call, through the real path, with p50 and p95.

    .venv/bin/python benchmarks/turn_latency.py [--replies 60] [--engine pocketsphinx|whisper]

Each synthesized reply (espeak-ng, several voices, silence around it) goes through voice activity
detection and the recognizer exactly as in a call, in real time as from a microphone (the general
LM's second pass runs in a worker process while the reply is spoken); then scoring and the dialog
step, the cached speech of the prospect's answer, and (when the test sound server can be started)
playback up to the first sample reaching the output. Also: `callsim --help` and the time from
starting `callsim practice` to the prospect's first line. Targets (2 cores): every figure but the
configured end-of-turn silence p95 <= 100 ms; recognizer real-time factor <= 0.3 (PocketSphinx);
`--help` <= 250 ms; ready to speak <= 2 s (the sales language model included: it is built in the
scratch data dir by the first, cold start); end of speech -> the prospect's first sample p50 <= 100
ms, p95 <= 400 ms including any second decoding pass; peak RSS of a spoken call <= 400 MB.

With --engine whisper (the persona's vocabulary prompt, as a call has it; its decodes run in the
worker during the trainee's pauses): also the last voiced frame -> the prospect's first sample
after a finished sentence (the end-of-turn pause included), and a check that a reply with a
1.2 s pause after an open clause ("Thank you for your honesty and ... how come ...") is heard as
one reply. Whisper goals: end of turn -> first sample p50 <= 100 ms, p95 <= 400 ms; last voiced
frame -> first sample after a finished sentence p50 <= 800 ms; ready <= 3 s; peak RSS <= 600 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator.dialog.engine import open_call, step
from simulator.dialog.validate import get_persona
from simulator.scoring.detect import detect
from simulator.session.engines import VoiceSettings
from simulator.session.voice_call import persona_lines
from simulator.voice import asr_sphinx
from simulator.voice.capture import WavSource
from simulator.voice.speech_cache import SpeechCache
from simulator.voice.tts import EspeakSynthesizer, Pyttsx3Synthesizer
from simulator.voice.turn_end import FINISHED, clause_state
from simulator.voice.vad import FRAME_SECONDS, EndpointSettings, listen
from simulator.voice.wavio import concat, resample, silence

ROOT = Path(__file__).resolve().parents[1]
REPLIES = [
    "Thank you for your honesty. How come it's not a fit right now?",
    "I can appreciate that. What issues are you facing as it relates to dispatch?",
    "Would you mind if I circled back in a few months?",
    "Thanks so much. What are your biggest challenges?",
    "Why not? Everybody in your industry uses us.",
    "Tell me more about that.",
    "I'll call you on Monday.",
    "Would you like me to explain briefly, circle back later, or never contact you again?",
    # Off the sales vocabulary: the domain LM is unsure and the general LM decodes it again.
    "My sister baked a chocolate cake for the neighbours.",
]
VOICES = [VoiceSettings(150, 50, "male", "en-us"), VoiceSettings(165, 60, "female", "en-us"),
          VoiceSettings(140, 40, "male", "en-gb")]
# A reply with a thinking pause after an open clause: one reply, not two (turn_end.py).
OPEN_CLAUSE = ("Thank you for your honesty and", "how come you are not interested?")
OPEN_PAUSE = 1.2  # seconds of digital silence between the two parts


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(name: str, values: list[float], unit: str = "ms", scale: float = 1000.0) -> None:
    print(f"  {name:<44} p50 {pct(values, .5) * scale:8.1f} {unit}   "
          f"p95 {pct(values, .95) * scale:8.1f} {unit}   (n={len(values)})")


class PacedSource(WavSource):
    """A WAV file delivered in real time, frame by frame, as a microphone delivers speech."""

    whole_reply = False

    def frames(self):
        started = time.monotonic()
        for index, frame in enumerate(super().frames()):
            delay = started + index * FRAME_SECONDS - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            yield frame


class TimedRecognizer:
    """Wraps a recognizer to time streaming and finalization separately."""

    def __init__(self, inner):
        self.inner, self.streaming, self.final = inner, 0.0, 0.0

    def start(self, rate):
        self.streaming = self.final = 0.0
        self.inner.start(rate)

    def accept(self, pcm):
        started = time.perf_counter()
        partial = self.inner.accept(pcm)
        self.streaming += time.perf_counter() - started
        return partial

    def finish(self):
        started = time.perf_counter()
        transcript = self.inner.finish()
        self.final = time.perf_counter() - started
        return transcript

    def on_frame(self, _level, pcm):
        """What SpokenReplies gives the end of turn: the words that still apply."""
        partial = self.accept(pcm)
        ending = getattr(self.inner, "turn_text", None)
        return ending() if ending is not None else partial


def sound_server_env() -> dict | None:
    done = subprocess.run(["bash", str(ROOT / "scripts" / "soundserver.sh"), "start"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None
    env = {}
    for line in done.stdout.splitlines():
        if line.startswith("export "):
            key, _, value = line[7:].partition("=")
            env[key] = value
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=60)  # enough for a stable p95
    parser.add_argument("--engine", default="pocketsphinx")
    parser.add_argument("--open-clause-runs", type=int, default=6,
                        help="replies with a pause after an open clause (Whisper; voices in turn)")
    args = parser.parse_args()
    from simulator.models.paths import models_dir
    from simulator.voice.recognizers import make_recognizer

    server = sound_server_env()
    if server:
        os.environ.update(server)
    persona = get_persona("covered-carl").persona
    cache_dir = tempfile.mkdtemp(prefix="callsim-bench-")
    # Nothing rendered yet: the first start renders every line first.
    cold_start = ready_to_speak(cache_dir, args.engine)
    voice = persona.voice.settings()
    fresh = SpeechCache(Pyttsx3Synthesizer(), tempfile.mkdtemp(prefix="callsim-cold-"))
    cold = []
    for line in persona_lines(persona):
        started = time.perf_counter()
        fresh.get(line, voice)
        cold.append(time.perf_counter() - started)
    speech = SpeechCache(Pyttsx3Synthesizer(), Path(cache_dir) / "speech")
    espeak = EspeakSynthesizer()
    prompt = None
    if args.engine == "whisper":
        from simulator.voice.whisper_prompt import persona_prompt

        prompt = persona_prompt(persona)  # as voice_setup.recognizer_for makes it for a call
    inner = make_recognizer(args.engine, models_dir(), data_dir=Path(cache_dir), prompt=prompt)
    if args.engine == "whisper":
        whisper_ready(inner)
    recognizer = TimedRecognizer(inner)
    after_finished, end_states = [], []
    second_passes = 0
    settings = EndpointSettings()
    waits, finals, rtfs, scoring, synthesis, first_sample, opened = [], [], [], [], [], [], []
    sink = None
    if server:
        from simulator.voice.playback import SoundDeviceSink

        sink = SoundDeviceSink()
        sink.play(speech.get(persona.opening[0], voice))  # a call plays its opening line first
    worker = getattr(getattr(inner, "_worker", None), "_child", None)
    worker_cpu, spoken = (_cpu_seconds(worker.pid) if worker else 0.0), 0.0
    for index in range(args.replies):
        text = REPLIES[index % len(REPLIES)]
        audio = resample(espeak.render(text, VOICES[index % len(VOICES)]), 16000)
        source = PacedSource(concat(silence(0.8), audio, silence(1.5)))
        recognizer.start(16000)
        captured = listen(source, settings, recognizer.on_frame)
        transcript = recognizer.finish()
        inner = recognizer.inner
        unsure = getattr(inner, "last_scores", {}).get("domain", 1.0) < asr_sphinx.FALLBACK_BELOW
        second_passes += unsure
        end_of_speech = captured.speech_start + captured.duration
        spoken += captured.duration
        waits.append(captured.heard - end_of_speech)
        ending = getattr(recognizer.inner, "turn_text", None)
        end_states.append(clause_state(ending() if ending is not None else ""))
        finals.append(recognizer.final)
        rtfs.append((recognizer.streaming + recognizer.final) / source.audio.seconds)
        started = time.perf_counter()
        state, _ = open_call(persona, index)
        reaction = step(persona, state, transcript.text, detect(transcript.text,
                                                                transcript.words).names)
        scoring.append(time.perf_counter() - started)
        line = reaction.prospect_line or persona.opening[0]
        started = time.perf_counter()
        answer = speech.get(line, voice)
        synthesis.append(time.perf_counter() - started)
        if sink is not None:
            turn_done = time.monotonic()
            sink.play(answer)
            opened.append(sink.last_first_sample_at - turn_done)
            first_sample.append(sink.last_first_sample_at - turn_done + recognizer.final
                                + scoring[-1] + synthesis[-1])
            if text.rstrip().endswith((".", "?", "!")):  # a finished sentence, pause included
                after_finished.append(waits[-1] + first_sample[-1])
        transcript.hearings()  # a sure reply's general LM words: read once the prospect speaks
    print(f"turn latency over {args.replies} synthesized replies, {recognizer.inner.name}:")
    row("end-of-turn wait (configured silence 0.6 s)", waits)
    row("recognition finalization (any second pass included)", finals)
    print(f"  replies the sales LM was unsure of (the general LM's words may be taken): "
          f"{second_passes}/{args.replies} (they wait for the general LM's words; a sure "
          "reply's are read once the prospect speaks, as another hearing)")
    row("scoring and dialog", scoring)
    row("prospect speech (cached, pre-rendered)", synthesis)
    row("prospect speech rendered cold (not on the turn)", cold)
    if first_sample:
        row("output stream open -> first sample", opened)
        row("end of turn -> first sample at the output", first_sample)
    else:
        print("  end of turn -> first sample at the output: no sound server (install pulseaudio)")
    row("recognizer real-time factor", rtfs, unit="x", scale=1.0)
    if args.engine == "whisper":
        whisper_figures(recognizer, after_finished, end_states, args.replies)
        if worker is not None:
            # Every pause of 0.25 s is decoded (the meter's words and the early transcript):
            # what that costs the laptop, per second the trainee speaks.
            used = _cpu_seconds(worker.pid) - worker_cpu
            print(f"  Whisper worker CPU: {used:.1f} s for {spoken:.0f} s of speech "
                  f"({used / spoken:.2f} CPU s per s spoken; "
                  f"{recognizer.inner._worker._tickets} decodes asked for {args.replies} replies)")
        open_clause_check(recognizer, settings, args.open_clause_runs)
    help_times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("callsim")), "--help"],
                       capture_output=True, check=True)
        help_times.append(time.perf_counter() - started)
    print(f"  callsim --help: median {statistics.median(help_times) * 1000:.0f} ms")
    ready = ready_to_speak(cache_dir, args.engine)
    print(f"  ready to speak after `practice` starts: {ready * 1000:.0f} ms "
          f"(first run on a machine, rendering every line and building the sales language "
          f"model: {cold_start * 1000:.0f} ms)")
    print(f"  peak RSS of a spoken call (practice --wav, 4 replies; its worker processes "
          f"included): "
          f"{spoken_call_rss(cache_dir, args.engine):.0f} MB")
    if args.engine == "whisper":
        print(f"  peak RSS of this benchmark's Whisper worker (pid {inner._worker._child.pid}): "
              f"{_peak_kb(inner._worker._child.pid) / 1024:.0f} MB; this process "
              f"{_peak_kb(os.getpid()) / 1024:.0f} MB")
        print("  Whisper goals: end of turn -> first sample p50 <= 100 ms, p95 <= 400 ms; last "
              "voiced frame -> first sample after a finished sentence p50 <= 800 ms; ready <= "
              "3 s; peak RSS <= 600 MB; no reply cut at a 1.2 s pause after an open clause")


def whisper_ready(recognizer) -> None:
    """Wait for the worker's model; then one decode, as the worker's first is slow (it would
    otherwise judge the machine too slow and step down to another engine). The recognizer never
    steps down here, so every figure is Whisper's; its own speed judgement is printed."""
    import numpy as np

    if recognizer.name != "whisper" or not recognizer.ready():
        sys.exit(f"turn_latency: Whisper is not available ({recognizer.notice or ''}"
                 f"{recognizer.failure or ''})")
    recognizer.step_down = None
    started = time.perf_counter()
    recognizer.live = False
    recognizer.start(16000)
    warm = np.random.default_rng(0).standard_normal(16000 * 2) * 3000
    recognizer.accept(np.round(warm).astype("<i2").tobytes())
    recognizer.finish()
    recognizer.live = True
    print(f"whisper worker warmed up: first decode {time.perf_counter() - started:.2f} s")


def whisper_figures(recognizer, after_finished: list[float], end_states: list[str],
                    replies: int) -> None:
    inner = recognizer.inner
    if after_finished:
        row("last voiced frame -> first sample, finished sentence", after_finished)
    else:
        print("  last voiced frame -> first sample: no sound server (install pulseaudio)")
    finished = sum(state == FINISHED for state in end_states)
    print(f"  replies whose words at the end of the turn read as a finished sentence: "
          f"{finished}/{len(end_states)} (others waited the open or unfinished pause)")
    if inner.name != "whisper":
        print(f"  NOTE: the recognizer stepped down to {inner.name} during the run "
              f"({inner.failure or 'too slow'}; first-reply RTF {inner.last_rtf})")
    elif inner.last_rtf is not None:
        from simulator.voice.asr_whisper import SLOW_RTF

        verdict = "a call would step down" if inner.last_rtf > SLOW_RTF else "fast enough"
        print(f"  Whisper's speed judgement (first reply of >= 2 s): RTF {inner.last_rtf:.2f} "
              f"({verdict}; {SLOW_RTF} at most)")


def open_clause_check(recognizer, settings: EndpointSettings, runs: int) -> None:
    """A reply with a 1.2 s pause after an open clause must come out as one reply."""
    import numpy as np

    espeak = EspeakSynthesizer()
    cut = 0
    print(f"  open clause: {OPEN_CLAUSE[0]!r} + {OPEN_PAUSE} s pause + {OPEN_CLAUSE[1]!r}, "
          f"{runs} replies in real time:")
    for index in range(runs):
        voice = VOICES[index % len(VOICES)]
        parts = []
        for text in OPEN_CLAUSE:  # espeak-ng's own leading and trailing silence cut off
            audio = resample(espeak.render(text, voice), 16000)
            samples = np.frombuffer(audio.pcm, dtype="<i2")
            loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 200)
            parts.append(type(audio)(samples[loud[0]:loud[-1] + 1].tobytes(), 16000))
        second_at = 0.8 + parts[0].seconds + OPEN_PAUSE
        source = PacedSource(concat(silence(0.8), parts[0], silence(OPEN_PAUSE), parts[1],
                                    silence(1.5)))
        recognizer.start(16000)
        states = []

        def on_frame(level, pcm, states=states):
            partial = recognizer.on_frame(level, pcm)
            if not states or states[-1][1] != partial:
                states.append((round(time.monotonic(), 2), partial))
            return partial

        captured = listen(source, settings, on_frame)
        transcript = recognizer.finish()
        end = captured.speech_start + captured.duration
        whole = end > second_at + 0.3  # (it may end with the input, after a long wait)
        cut += not whole
        partials = " | ".join(repr(p) for _, p in states if p)
        print(f"    {'one reply ' if whole else 'CUT       '} {voice.gender}/{voice.variant}: "
              f"ended {end:.2f} s by {captured.reason} (second part from {second_at:.2f} s), heard "
              f"{transcript.text!r}; partials {partials}")
    print(f"  replies cut at the pause after an open clause: {cut}/{runs} (goal 0)")


def spoken_call_rss(cache_dir: str, engine: str = "pocketsphinx") -> float:
    """Peak resident memory (MB) of `callsim practice --wav` through a whole spoken call."""
    from simulator.voice.wavio import write_wav

    espeak = EspeakSynthesizer()
    wavs = []
    for index, text in enumerate(REPLIES[:4]):
        wav = Path(cache_dir) / f"rss-reply{index}.wav"
        write_wav(wav, concat(silence(0.5), resample(espeak.render(text, VOICES[index % 3]),
                                                     16000), silence(1.0)))
        wavs += ["--wav", str(wav)]
    env = {**os.environ, "CALLSIM_HOME": cache_dir, "CALLSIM_CACHE": cache_dir, "COLUMNS": "200"}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("callsim")), "practice",
                             "--persona", "covered-carl", "--seed", "1", "--engine", engine,
                             *wavs],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while proc.poll() is None:  # the call and its workers (the general LM's, the TTS one)
        peak = max(peak, sum(_rss_kb(pid) for pid in [proc.pid, *_descendants(proc.pid)]))
        time.sleep(0.02)
    return peak / 1024


def _descendants(root: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines()
                 if line.startswith("VmRSS:")), 0)


def _cpu_seconds(pid: int) -> float:
    """A live process's CPU time so far (user + system), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_kb(pid: int) -> int:
    """A live process's peak resident memory (VmHWM), in kB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines()
                 if line.startswith("VmHWM:")), 0)


def ready_to_speak(cache_dir: str, engine: str = "pocketsphinx") -> float:
    """Seconds from starting `callsim practice --wav` until the prospect's first line."""
    wav = Path(cache_dir) / "reply.wav"
    if wav.exists():
        wav.unlink()
    from simulator.voice.wavio import write_wav

    write_wav(wav, concat(silence(0.5), resample(EspeakSynthesizer().render(
        "Thank you for your honesty.", VOICES[0]), 16000), silence(1.0)))
    env = {**os.environ, "CALLSIM_HOME": cache_dir, "CALLSIM_CACHE": cache_dir, "COLUMNS": "200"}
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("callsim")), "practice",
                             "--persona", "covered-carl", "--seed", "1", "--engine", engine,
                             "--wav", str(wav)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    ready = None
    for line in proc.stdout:
        if line.startswith("Carl Jensen:"):
            ready = time.perf_counter() - started
            break
    proc.kill()
    proc.wait()
    return ready if ready is not None else float("nan")


if __name__ == "__main__":
    main()
