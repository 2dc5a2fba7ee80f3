"""PocketSphinx recognizer: the fallback that needs no download (its wheel ships en-us models).

PocketSphinx does badly on audio with exact digital silence (synthetic speech, WAV replies):
its feature normalisation is thrown by frames of zeros. A low, seeded noise floor mixed in before
decoding fixes most of that (see benchmarks/asr_wer.py for the measured effect).

Its live cepstral mean (CMN) starts from the model's default, which is far from real speech, so
the first words of an utterance were lost ("thank you" -> "very few"). Carrying the estimate from
turn to turn fixes that but makes a turn's transcript depend on the turns before it; instead every
turn starts from a fixed, calibrated mean (`benchmarks/asr_wer.py --calibrate` derives it).
"""

from __future__ import annotations

import hashlib
import re

from simulator.errors import ModelError, require
from simulator.session.engines import Transcript, Word

DECODER_RATE = 16000  # the bundled acoustic model is 16 kHz
FRAMES_PER_SECOND = 100  # pocketsphinx's default frame rate, for segment timings
NOISE_FLOOR_DB = 25.0  # noise this far below the speech level
NOMINAL_SPEECH_DBFS = -26.0  # assumed level until speech has been heard
VOICED_DBFS = -50.0  # 10 ms frames louder than this count towards the speech level
NOISE_SEED = 20240611
PARTIAL_EVERY = 0.2  # seconds of audio between partial hypotheses (each costs a backtrace)
# Cepstral mean after espeak-ng en-us reading "The North Wind and the Sun" with the noise floor.
CMN_INIT = "61.44,-2.60,-1.79,12.62,-2.52,-0.74,-4.41,-16.46,-8.37,-5.13,3.82,1.22,-5.66"

_decoder = None  # one per process: building it loads the models (about a second)
_grammars: set[str] = set()
_open_utterance = False  # the shared decoder runs one utterance at a time
_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


def _shared_decoder():
    global _decoder
    if _decoder is None:
        ps = require("pocketsphinx")
        try:
            # No second (fwdflat) pass: it costs ~300 ms at the end of every reply, the time the
            # trainee waits for the prospect, for ~2 points of word error rate. A tighter HMM
            # limit keeps the final lattice search short (same error rate on sales replies).
            _decoder = ps.Decoder(samprate=DECODER_RATE, loglevel="FATAL", cmninit=CMN_INIT,
                                  remove_noise=False, fwdflat=False, maxhmmpf=6000)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load the PocketSphinx model ({exc}); reinstall it with: "
                             f".venv/bin/pip install --force-reinstall pocketsphinx") from exc
    return _decoder


def _grammar_search(decoder, jsgf: str) -> str:
    name = "jsgf-" + hashlib.sha1(jsgf.encode()).hexdigest()[:12]
    if name not in _grammars:
        try:
            decoder.add_jsgf_string(name, jsgf)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"invalid JSGF grammar ({exc}); every word must be in the "
                             f"PocketSphinx dictionary") from exc
        _grammars.add(name)
    return name


class NoiseFloor:
    """Seeded Gaussian noise `below_db` under the running speech level, 10 ms at a time.

    Works on whole 10 ms frames carried across calls, so the output does not depend on how the
    audio was chunked: the same reply always decodes the same way.
    """

    FRAME = DECODER_RATE // 100

    def __init__(self, below_db: float = NOISE_FLOOR_DB, seed: int = NOISE_SEED):
        np = require("numpy")
        self._np = np
        self._gain = 10 ** (-below_db / 20)
        self._rng = np.random.default_rng(seed)
        self._held = np.zeros(0, dtype=np.float32)
        self._voiced_energy = 0
        self._voiced_frames = 0

    def process(self, samples, last: bool = False):
        np = self._np
        samples = np.concatenate([self._held, samples])
        whole = len(samples) if last else len(samples) - len(samples) % self.FRAME
        self._held, samples = samples[whole:], samples[:whole]
        if not whole:
            return samples
        level = self._levels(samples)
        noise = self._rng.standard_normal(whole).astype(np.float32)
        scale = (np.repeat(level, self.FRAME)[:whole] * self._gain).astype(np.float32)
        return samples.astype(np.float32) + noise * scale

    def _levels(self, samples):
        """Per-frame speech level: RMS over the voiced frames so far (a nominal level before).

        Energies are summed as integers so the sums do not depend on where chunks were cut.
        """
        np = self._np
        padded = np.pad(samples, (0, -len(samples) % self.FRAME))
        energy = np.rint((padded.reshape(-1, self.FRAME).astype(np.float64) ** 2).mean(axis=1))
        energy = energy.astype(np.int64)
        voiced = energy > int((32768 * 10 ** (VOICED_DBFS / 20)) ** 2)
        sums = self._voiced_energy + np.cumsum(np.where(voiced, energy, 0))
        counts = self._voiced_frames + np.cumsum(voiced)
        self._voiced_energy, self._voiced_frames = int(sums[-1]), int(counts[-1])
        nominal = (32768 * 10 ** (NOMINAL_SPEECH_DBFS / 20)) ** 2
        return np.sqrt(np.where(counts > 0, sums / np.maximum(counts, 1), nominal))


class PocketSphinxRecognizer:
    """engines.Recognizer over PocketSphinx; `grammar` (JSGF text) restricts what it can hear."""

    name = "pocketsphinx"

    def __init__(self, grammar: str | None = None, noise_floor_db: float | None = NOISE_FLOOR_DB):
        self.grammar = grammar
        self.noise_floor_db = noise_floor_db
        self.notice: str | None = None
        self._decoder = _shared_decoder()
        self._search = _grammar_search(self._decoder, grammar) if grammar else None
        self._started = False

    def start(self, rate: int) -> None:
        np = require("numpy")
        self._np = np
        self._rate = rate
        self._partial, self._unreported = "", 0.0
        self._odd_byte = b""  # half a sample, kept for the next chunk
        self._resampler = None
        if rate != DECODER_RATE:
            soxr = require("soxr")
            self._resampler = soxr.ResampleStream(rate, DECODER_RATE, 1, dtype="float32")
        self._floor = NoiseFloor(self.noise_floor_db) if self.noise_floor_db is not None else None
        global _open_utterance
        decoder = self._decoder
        if _open_utterance:  # an abandoned turn: drop it
            decoder.end_utt()
        if decoder.current_search() != (self._search or "_default"):
            decoder.activate_search(self._search)
        # Fresh feature extraction (normalisation from CMN_INIT) for every turn, so a reply
        # decodes the same way whatever came before it.
        decoder.reinit_feat()
        decoder.start_utt()
        _open_utterance = self._started = True

    def accept(self, pcm: bytes) -> str:
        if not self._started:
            self.start(DECODER_RATE)
        self._feed(pcm, last=False)
        self._unreported += len(pcm) / 2 / self._rate
        if self._unreported >= PARTIAL_EVERY:
            self._unreported = 0.0
            hyp = self._decoder.hyp()
            self._partial = _clean_text(hyp.hypstr) if hyp else ""
        return self._partial

    def finish(self) -> Transcript:
        if not self._started:
            self.start(DECODER_RATE)
        self._feed(b"", last=True)
        global _open_utterance
        decoder = self._decoder
        decoder.end_utt()
        _open_utterance = self._started = False
        words = [
            Word(
                _ALTERNATE.sub("", seg.word),
                seg.start_frame / FRAMES_PER_SECOND,
                (seg.end_frame + 1) / FRAMES_PER_SECOND,
                min(max(float(seg.prob), 0.0), 1.0),
            )
            for seg in decoder.seg() or ()  # None when no audio was decoded
            if _is_word(seg.word)
        ]
        return Transcript(" ".join(w.text for w in words), words)

    def _feed(self, pcm: bytes, last: bool) -> None:
        np = self._np
        pcm = self._odd_byte + pcm
        whole = len(pcm) - len(pcm) % 2  # chunks need not end on a sample boundary
        pcm, self._odd_byte = pcm[:whole], b"" if last else pcm[whole:]
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(samples, last=last)
        if self._floor is not None:
            samples = self._floor.process(samples, last=last)
        if len(samples):
            data = np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()
            self._decoder.process_raw(data, full_utt=False)


def _is_word(token: str) -> bool:
    """Skip <s>, </s>, <sil> and fillers such as [NOISE] or ++BREATH++."""
    return bool(token) and token[0] not in "<[+"


def _clean_text(hypstr: str) -> str:
    return " ".join(_ALTERNATE.sub("", t) for t in hypstr.split() if _is_word(t))
