"""PocketSphinx recognizer: the fallback that needs no download (its wheel ships en-us models).

A reply is decoded first with the domain language model (what sales reps say, built from the
rubric and personas by simulator.voice.domain_lm), which cuts the word error rate on sales
replies (53% -> 35% on the benchmark's dev set of unseen sentences); when the words' mean
posterior is low (the trainee said something else) the general LM's transcript is taken when
it is more confident. That second pass runs in a worker process while the trainee speaks
(sphinx_worker.py), so it costs no waiting; without a worker the kept audio is decoded here.
Its words, and the domain LM's next-best transcripts, go with every transcript as other
hearings (Transcript.also_heard): a move found only there still counts (scoring/hearings.py).
Only an unsure reply waits for the worker's words; a sure one's are read once the prospect is
answering (Transcript.pending_hearings), so they cost the trainee no wait.

PocketSphinx does badly on audio with exact digital silence (synthetic speech, WAV replies):
its feature normalisation is thrown by frames of zeros. A low, seeded noise floor mixed in before
decoding fixes most of that (noise_floor.py).

Its cepstral mean (CMN) is held for a whole reply (PocketSphinx updates it at the end), starting
from a fixed estimate calibrated on espeak-ng speech. A recognizer serves one call and keeps a
running estimate of the caller's mean from reply to reply. Measured (benchmarks/asr_wer.py), the
fixed start is better for voices and channels like the calibration's (35% vs 38% WER), while a
different channel (a narrow-band, coloured, quiet microphone) needs the running one (70% vs 81%
WER, first word 42% vs 33%); so a reply starts from the running mean only when that is further
than CMN_CARRY_BEYOND from the fixed one. The same replies in the same order always decode the
same way.
"""

from __future__ import annotations

from itertools import islice

from simulator.errors import require
from simulator.session.engines import Transcript, Word
from simulator.voice.noise_floor import NOISE_FLOOR_DB, NoiseFloor
from simulator.voice.sphinx_decoders import (
    CMN_INIT,
    DECODER_RATE,
    DomainModel,
    clean_word,
    decoded_words,
    domain_decoder,
    general_decoder,
    grammar_search,
    is_word,
)
from simulator.voice.sphinx_worker import general_pass

PARTIAL_EVERY = 0.2  # seconds of audio between partial hypotheses (each costs a backtrace)
# Below this mean word posterior the domain LM's transcript is doubted and the general LM tries
# too. Tuned on benchmarks/asr_wer.py's own dev set (--tune): 0.3 re-decodes 18% of its replies
# (~7% of sales ones, half the off-topic ones; off-topic WER 102% -> 89%, sales 35% -> 37%);
# 0.4 re-decodes 37% (off-topic 76%), and each re-decode keeps the trainee waiting ~0.3 s per
# second of reply. With the pronunciation variants (a word's posterior is spread over its
# pronunciations): 0.3 re-decodes 19% (off-topic 101% -> 83%), 0.2 only 7% (off-topic 94%), as
# off-topic speech then scores 0.23-0.34 - so 0.3 stays, with the second pass in a worker.
FALLBACK_BELOW = 0.3
# Other hearings kept for the scorer: the domain LM's NBEST_HEARINGS best distinct transcripts,
# looked for among its first NBEST_LOOKED_AT hypotheses (p95 ~50 ms after the reply ends;
# measured with benchmarks/asr_wer.py, see scoring/hearings.py).
NBEST_HEARINGS = 3
NBEST_LOOKED_AT = 20
# Distance (Euclidean, over the 13 cepstra) from CMN_INIT beyond which the caller's running mean
# is used: espeak-ng voices stay within ~20, a telephone-like microphone is ~34 away.
CMN_CARRY_BEYOND = 25.0

_open: set[int] = set()  # ids of decoders inside an utterance (an abandoned turn leaves one)


class PocketSphinxRecognizer:
    """engines.Recognizer over PocketSphinx for one call.

    `domain` (a domain_lm.DomainModel) is tried first, the general LM when its words are unsure;
    `grammar` (JSGF text) instead restricts what it can hear. `fallback_below` is the mean word
    posterior under which the general LM is tried too (None: never).
    """

    name = "pocketsphinx"

    def __init__(self, grammar: str | None = None, noise_floor_db: float | None = NOISE_FLOOR_DB,
                 domain: DomainModel | None = None, fallback_below: float | None = FALLBACK_BELOW):
        self.grammar = grammar
        self.noise_floor_db = noise_floor_db
        self.fallback_below = fallback_below
        self.notice: str | None = None
        self._general = general_decoder()
        self._search = grammar_search(grammar) if grammar else None
        self._domain = domain_decoder(domain) if domain is not None and not grammar else None
        self._parallel = None  # the general LM's worker for this reply (sphinx_worker.py)
        if self._second_pass:
            general_pass()  # start loading it now, while the call opens
        self._cmn = CMN_INIT  # where the next reply starts (see the module's docstring)
        self._running = CMN_INIT  # the caller's mean over the replies so far
        self._unmeasured = b""  # the last reply's audio, when it did not update _running
        self._started = False
        self.last_pass: str | None = None  # "domain", "general" or "grammar": who won the turn
        self.last_scores: dict[str, float] = {}  # mean word posterior of each pass tried
        self.last_words: dict[str, list[Word]] = {}  # and its words

    def start(self, rate: int) -> None:
        np = require("numpy")
        self._np = np
        self._rate = rate
        self._partial, self._unreported = "", 0.0
        self._odd_byte = b""  # half a sample, kept for the next chunk
        self._kept: list[bytes] = []  # the 16 kHz audio decoded, for a second pass
        self._resampler = None
        if rate != DECODER_RATE:
            soxr = require("soxr")
            self._resampler = soxr.ResampleStream(rate, DECODER_RATE, 1, dtype="float32")
        self._floor = NoiseFloor(self.noise_floor_db) if self.noise_floor_db is not None else None
        self._decoder = self._domain or self._general
        self._update_running_mean()
        self._begin(self._decoder, self._search)
        if self._second_pass:
            self._parallel = general_pass()
            if self._parallel is not None:
                self._parallel.begin(self._cmn)
        self._started = True

    @property
    def _second_pass(self) -> bool:
        """Whether an unsure reply is tried with the general LM too."""
        return self._domain is not None and self.fallback_below is not None

    def _begin(self, decoder, search: str | None, cmn: str | None = None) -> None:
        if id(decoder) in _open:  # an abandoned turn: drop it
            decoder.end_utt()
            _open.discard(id(decoder))
        if decoder is self._general and decoder.current_search() != (search or "_default"):
            decoder.activate_search(search)
        decoder.reinit_feat()
        decoder.set_cmn(cmn or self._cmn)
        decoder.start_utt()
        _open.add(id(decoder))

    def _end(self, decoder) -> list[Word]:
        decoder.end_utt()
        _open.discard(id(decoder))
        return decoded_words(decoder)

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
        self._started = False
        # The worker's words are wanted for every reply (an unsure one may take them, a sure one
        # keeps them as another hearing): it ends its pass while this process ends its own.
        parallel, self._parallel = self._parallel, None
        ticket = parallel.ask() if parallel is not None else None
        decoder = self._decoder
        words = self._end(decoder)
        started_from = self._cmn
        if started_from == self._running:
            self._running, self._unmeasured = decoder.get_cmn(), b""
        else:  # measured at the next start, off the time the trainee waits for the prospect
            self._unmeasured = b"".join(self._kept)
        score = _mean_posterior(words)
        self.last_pass = "grammar" if self._search else "domain" if self._domain else "general"
        self.last_scores, self.last_words = {self.last_pass: score}, {self.last_pass: words}
        best = self._next_best()
        said = " ".join(w.text for w in words)
        if not (self._second_pass and score < self.fallback_below):
            if parallel is None:
                return Transcript(said, words, _hearings(said, best))
            # A sure reply keeps the domain LM's words: the worker's are only another hearing,
            # read once the trainee's wait is over (Transcript.pending_hearings).
            return Transcript(said, words, _hearings(said, best), _Later(
                parallel, ticket, said, best, self.last_scores, self.last_words).hearings)
        again = parallel.words(ticket) if parallel is not None else None
        if again is None and self._kept:  # no worker, or it failed: decode here
            again = self._redecode(started_from)
        if again is not None:
            self.last_scores["general"] = _mean_posterior(again)
            self.last_words["general"] = again
            if self.last_scores["general"] > score:
                words, self.last_pass = again, "general"
        said = " ".join(w.text for w in words)
        return Transcript(said, words, _hearings(said, [*_texts(self.last_words), *best]))

    def _next_best(self) -> list[str]:
        """The domain LM's NBEST_HEARINGS best distinct transcripts of the reply just ended."""
        best: list[str] = []
        if self._domain is None or self._search:
            return best
        # (no lattice, e.g. nothing but noise: no N-best at all)
        for hypothesis in islice(self._domain.nbest() or (), NBEST_LOOKED_AT):
            text = _clean_text(hypothesis.hypstr)
            if text not in best:
                best.append(text)
            if len(best) == NBEST_HEARINGS:
                break
        return best

    def _redecode(self, cmn: str) -> list[Word]:
        """The kept audio through the general LM, from the cepstral mean the turn started with."""
        self._begin(self._general, None, cmn)
        self._general.process_raw(b"".join(self._kept), full_utt=False)
        return self._end(self._general)

    def _update_running_mean(self) -> None:
        """Fold the last reply into the running mean (feature extraction only), then pick where
        this reply starts: the running mean if the channel is far from the calibration's."""
        if self._unmeasured:
            decoder = self._decoder
            self._begin(decoder, self._search, self._running)
            decoder.process_raw(self._unmeasured, no_search=True, full_utt=False)
            decoder.end_utt()
            _open.discard(id(decoder))
            self._running, self._unmeasured = decoder.get_cmn(), b""
        far = _distance(self._running, CMN_INIT) > CMN_CARRY_BEYOND
        self._cmn = self._running if far else CMN_INIT

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
            self._kept.append(data)
            if self._parallel is not None:
                self._parallel.feed(data)


class _Later:
    """A sure reply's other hearings once the worker's words are in: theirs first (as for an
    unsure reply), then the domain LM's next best. Read once; a failed worker leaves the next
    best only."""

    def __init__(self, parallel, ticket: int, said: str, best: list[str],
                 scores: dict[str, float], found: dict[str, list[Word]]):
        self._parallel, self._ticket, self._said, self._best = parallel, ticket, said, best
        self._scores, self._found = scores, found  # that reply's: the benchmark reads them
        self._heard: tuple[str, ...] | None = None

    def hearings(self) -> tuple[str, ...]:
        if self._heard is None:
            general = self._parallel.words(self._ticket)
            if general is not None:
                self._scores["general"], self._found["general"] = _mean_posterior(general), \
                    general
            self._heard = _hearings(self._said, [*_texts(self._found), *self._best])
        return self._heard


def _texts(found: dict[str, list[Word]]) -> list[str]:
    """The transcript of each pass tried."""
    return [" ".join(w.text for w in words) for words in found.values()]


def _hearings(said: str, heard: list[str]) -> tuple[str, ...]:
    """Other hearings of the reply, for the scorer (scoring/hearings.py), most likely first and
    each once: not what was said, not empty."""
    return tuple(dict.fromkeys(text for text in heard if text and text != said))


def _distance(cmn: str, other: str) -> float:
    return sum((float(a) - float(b)) ** 2 for a, b in zip(cmn.split(","), other.split(","),
                                                           strict=True)) ** 0.5


def _mean_posterior(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _clean_text(hypstr: str) -> str:
    return " ".join(clean_word(t) for t in hypstr.split() if is_word(t))
