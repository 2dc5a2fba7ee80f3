"""PocketSphinx, the built-in recognizer, on golden espeak-ng clips (tests/data/make_golden.sh)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
import soxr

from simulator.errors import ModelError
from simulator.voice.asr_sphinx import PocketSphinxRecognizer
from simulator.voice.noise_floor import NoiseFloor
from tests.voice.audio_helpers import decode, read_golden

golden = read_golden


@pytest.mark.parametrize("clip, phrases", [
    ("en_thank_you_how_come", ["thank you", "how come", "problem"]),
    ("en_how_come_supplier", ["how come", "happy with your"]),
])
def test_key_phrases_survive_recognition(clip, phrases):
    transcript, partials = decode(PocketSphinxRecognizer(), *golden(clip))
    for phrase in phrases:
        assert phrase in transcript.text
    assert partials[-1] and partials[-1].split()[0] == transcript.text.split()[0]


@pytest.mark.parametrize("clip", ["en_thank_you_how_come", "en_how_come_supplier"])
def test_words_are_timed_in_order_with_confidences(clip):
    pcm, rate = golden(clip)
    transcript, _ = decode(PocketSphinxRecognizer(), pcm, rate)
    words = transcript.words
    assert transcript.text == " ".join(w.text for w in words)
    assert all(w.text.isalpha() and w.text.islower() for w in words)  # no <s>, <sil>, [NOISE]
    assert all(0 <= w.start < w.end <= len(pcm) / 2 / rate + 0.02 for w in words)
    assert all(a.end <= b.start for a, b in pairwise(words))
    assert all(0.0 <= w.conf <= 1.0 for w in words)


def test_a_call_decodes_the_same_for_the_same_replies_in_order_whatever_the_chunking():
    """A call keeps a running cepstral mean from reply to reply; chunking does not matter."""
    replies = ["en_thank_you_how_come", "en_how_come_supplier", "en_thank_you_how_come"]
    one, other = PocketSphinxRecognizer(), PocketSphinxRecognizer()
    heard = [decode(one, *golden(clip), chunk_seconds=0.03)[0] for clip in replies]
    again = [decode(other, *golden(clip), chunk_seconds=0.5)[0] for clip in replies]
    assert again == heard
    assert heard[2] == heard[0]  # a voice like the calibration's starts from the fixed mean


def test_other_sample_rates_are_resampled():
    pcm, rate = golden("en_thank_you_how_come")
    samples = soxr.resample(np.frombuffer(pcm, dtype="<i2"), rate, 44100)
    transcript, _ = decode(PocketSphinxRecognizer(), samples.astype("<i2").tobytes(), 44100)
    assert "how come" in transcript.text


def test_the_noise_floor_matters_on_digital_silence():
    """Without it the first words of the clean synthetic clip are lost (see the benchmark)."""
    pcm, rate = golden("en_thank_you_how_come")
    with_floor, _ = decode(PocketSphinxRecognizer(), pcm, rate)
    without, _ = decode(PocketSphinxRecognizer(noise_floor_db=None), pcm, rate)
    assert with_floor.text.startswith("thank you")
    assert not without.text.startswith("thank you")


def test_noise_floor_sits_below_the_speech_level_and_ignores_chunking():
    rng = np.random.default_rng(1)
    speech = (rng.standard_normal(16000) * 3000).astype(np.float32)  # 1 s at about -21 dBFS
    audio = np.concatenate([speech, np.zeros(16000, dtype=np.float32)])

    whole = NoiseFloor(25.0).process(audio, last=True)
    floor = NoiseFloor(25.0)
    pieces = [floor.process(audio[i:i + 777]) for i in range(0, len(audio), 777)]
    pieces.append(floor.process(np.zeros(0, dtype=np.float32), last=True))

    assert np.array_equal(np.concatenate(pieces), whole)
    noise_db = 20 * np.log10(np.sqrt(np.mean(whole[16000:] ** 2)) / 3000)
    assert noise_db == pytest.approx(-25.0, abs=0.2)


GRAMMAR = """#JSGF V1.0;
grammar replies;
public <reply> = [thank you] how come ( the price is the problem | you are happy with your
                 current supplier | you said no );
"""


@pytest.mark.parametrize("clip, text", [
    ("en_thank_you_how_come", "thank you how come the price is the problem"),
    ("en_how_come_supplier", "how come you are happy with your current supplier"),
])
def test_a_jsgf_grammar_decodes_exactly(clip, text):
    transcript, _ = decode(PocketSphinxRecognizer(grammar=GRAMMAR), *golden(clip))
    assert transcript.text == text


def test_grammar_and_open_decoding_share_one_decoder_without_leaking():
    open_vocabulary = PocketSphinxRecognizer()
    PocketSphinxRecognizer(grammar=GRAMMAR)
    transcript, _ = decode(open_vocabulary, *golden("en_how_come_supplier"))
    assert "current supplier" not in transcript.text  # what the grammar alone would force


def test_a_grammar_with_unknown_words_is_a_model_error():
    with pytest.raises(ModelError, match=r"^invalid JSGF grammar \(.*\); every word must be in "
                                         r"the PocketSphinx dictionary$"):
        PocketSphinxRecognizer(grammar="#JSGF V1.0; grammar g; public <r> = zzqxv;")


@pytest.mark.parametrize("chunks", [[], [b""], [b"\x01"], [b"\x01\x02\x03"], [b"\x00"] * 5],
                         ids=["nothing", "empty", "one byte", "three bytes", "odd bytes"])
def test_a_turn_with_no_whole_audio_is_an_empty_transcript(chunks):
    recognizer = PocketSphinxRecognizer()
    recognizer.start(16000)
    for chunk in chunks:
        recognizer.accept(chunk)
    transcript = recognizer.finish()
    assert (transcript.text, transcript.words) == ("", [])


def test_chunks_cut_between_the_bytes_of_a_sample_decode_the_same():
    pcm, rate = golden("en_thank_you_how_come")
    even, _ = decode(PocketSphinxRecognizer(), pcm, rate)
    recognizer = PocketSphinxRecognizer()
    recognizer.start(rate)
    for at in range(0, len(pcm), 961):  # an odd step: most chunks end half-way into a sample
        recognizer.accept(pcm[at:at + 961])
    assert recognizer.finish() == even


def test_other_hearings_are_distinct_texts_other_than_the_transcript(sales_model, speech):
    """The other LM's words, then the domain LM's next-best transcripts, for the scorer."""
    from simulator.session.engines import VoiceSettings
    from simulator.voice import asr_sphinx
    from simulator.voice.wavio import concat, silence

    voice = VoiceSettings(rate=175, pitch=50, gender="female", variant="en-us+f2")
    audio = concat(silence(0.3), speech("Understood, thanks. What issues are you facing with "
                                        "dispatch?", voice), silence(0.3))
    heard = []
    for _ in range(2):
        recognizer = PocketSphinxRecognizer(domain=sales_model)
        transcript, _ = decode(recognizer, audio.pcm, audio.rate)
        others = transcript.hearings()  # with the worker's words, when they are in
        heard.append((transcript.text, others))
        assert others and all(isinstance(text, str) and text for text in others)
        assert transcript.text not in others and len(set(others)) == len(others)
        assert len(others) <= 1 + asr_sphinx.NBEST_HEARINGS
        general = " ".join(w.text for w in recognizer.last_words["general"])
        assert general == transcript.text or others[0] == general
    assert heard[0] == heard[1]  # the same reply always gives the same hearings


def test_a_grammar_has_no_other_hearings():
    transcript, _ = decode(PocketSphinxRecognizer(grammar=GRAMMAR),
                           *golden("en_thank_you_how_come"))
    assert transcript.text and transcript.also_heard == ()
