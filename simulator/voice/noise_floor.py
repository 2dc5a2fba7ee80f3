"""A low, seeded noise floor under the speech, for PocketSphinx.

PocketSphinx does badly on audio with exact digital silence (synthetic speech, WAV replies): its
feature normalisation is thrown by frames of zeros. Noise 25 dB under the running speech level
fixes most of that (benchmarks/asr_wer.py measures the effect).
"""

from __future__ import annotations

from simulator.errors import require
from simulator.voice.sphinx_decoders import DECODER_RATE

NOISE_FLOOR_DB = 25.0  # noise this far below the speech level
NOMINAL_SPEECH_DBFS = -26.0  # assumed level until speech has been heard
VOICED_DBFS = -50.0  # 10 ms frames louder than this count towards the speech level
NOISE_SEED = 20240611


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
