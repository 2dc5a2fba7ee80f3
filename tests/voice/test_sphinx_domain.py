"""PocketSphinx with the sales language model: domain LM first, the general LM when unsure,
the cepstral mean carried through a call, and the general LM (with a notice) when there is no
sales model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.session.engines import VoiceSettings
from simulator.voice.asr_sphinx import FALLBACK_BELOW, PocketSphinxRecognizer
from simulator.voice.recognizers import make_recognizer
from simulator.voice.wavio import concat, silence
from tests.voice.audio_helpers import decode

US_MALE = VoiceSettings(rate=160, pitch=50, gender="male", variant="en-us+m3")
US_FEMALE = VoiceSettings(rate=160, pitch=50, gender="female", variant="en-us+f2")
SALES = "I can appreciate that. What issues are you facing as it relates to dispatch?"
OFF_TOPIC = "The weather in the mountains was cold and my sister baked a chocolate cake."


@pytest.fixture
def spoken(speech):
    """spoken(text, voice) -> (pcm, rate) with a little silence around the speech."""
    def render(text: str, voice: VoiceSettings = US_MALE) -> tuple[bytes, int]:
        audio = concat(silence(0.3), speech(text, voice), silence(0.3))
        return audio.pcm, audio.rate
    return render


def test_the_sales_model_hears_what_the_general_model_garbles(sales_model, spoken):
    general, _ = decode(PocketSphinxRecognizer(), *spoken(SALES))
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    domain, _ = decode(recognizer, *spoken(SALES))
    assert domain.text == "i can appreciate that what issues are you facing as it relates to " \
                          "dispatch"
    assert general.text != domain.text  # "... what the shoe bomber you receive know the cleats"
    assert recognizer.last_pass == "domain"
    assert recognizer.last_scores["domain"] >= FALLBACK_BELOW  # sure enough: no second pass


def test_off_topic_speech_is_decoded_again_with_the_general_model(sales_model, spoken):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    transcript, partials = decode(recognizer, *spoken(OFF_TOPIC))
    assert recognizer.last_pass == "general"
    assert recognizer.last_scores["domain"] < FALLBACK_BELOW
    assert recognizer.last_scores["general"] > recognizer.last_scores["domain"]
    assert "chocolate cake" in transcript.text
    assert "chocolate" not in recognizer._partial  # the live partials came from the domain LM
    assert all(0.0 <= w.conf <= 1.0 for w in transcript.words)


def test_without_a_fallback_the_domain_model_answers_alone(sales_model, spoken):
    recognizer = PocketSphinxRecognizer(domain=sales_model, fallback_below=None)
    transcript, _ = decode(recognizer, *spoken(OFF_TOPIC))
    assert recognizer.last_pass == "domain" and set(recognizer.last_scores) == {"domain"}
    assert "chocolate" not in transcript.text


def test_the_same_replies_in_the_same_order_decode_the_same_however_chunked(sales_model,
                                                                           spoken):
    replies = [spoken(SALES, US_FEMALE), spoken(OFF_TOPIC, US_FEMALE),
               spoken("How come you're happy with your current supplier?", US_FEMALE)]
    first = PocketSphinxRecognizer(domain=sales_model)
    again = PocketSphinxRecognizer(domain=sales_model)
    for pcm, rate in replies:
        heard, _ = decode(first, pcm, rate, chunk_seconds=0.03)
        repeated, _ = decode(again, pcm, rate, chunk_seconds=0.5)
        assert repeated == heard
        assert first.last_pass == again.last_pass


def telephone(pcm: bytes, rate: int) -> tuple[bytes, int]:
    """The audio through a narrow-band, coloured, quiet microphone: far from the calibration."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    spectrum = np.fft.rfft(samples)
    hertz = np.fft.rfftfreq(len(samples), 1 / rate)
    spectrum[(hertz < 300) | (hertz > 3400)] *= 0.05
    spectrum *= 1 + 0.8 * np.sin(hertz / 700)
    quiet = np.fft.irfft(spectrum, len(samples)) * 0.15
    return np.clip(np.round(quiet), -32768, 32767).astype("<i2").tobytes(), rate


@pytest.mark.parametrize("channel, carried", [(None, False), (telephone, True)],
                         ids=["like the calibration", "telephone microphone"])
def test_a_reply_starts_from_the_callers_mean_only_on_a_different_channel(sales_model, spoken,
                                                                          channel, carried):
    from simulator.voice.asr_sphinx import CMN_CARRY_BEYOND
    from simulator.voice.sphinx_decoders import CMN_INIT

    replies = [spoken(SALES, US_FEMALE), spoken("Thanks so much. What are your biggest "
                                                 "challenges?", US_FEMALE)]
    replies = [channel(*reply) if channel else reply for reply in replies]
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    for pcm, rate in replies:
        decode(recognizer, pcm, rate)
    recognizer.start(16000)  # the next reply folds the last one in and picks its start
    recognizer.finish()
    assert recognizer._running != CMN_INIT
    distance = sum((float(a) - float(b)) ** 2 for a, b in
                   zip(recognizer._running.split(","), CMN_INIT.split(","), strict=True)) ** 0.5
    assert (distance > CMN_CARRY_BEYOND) is carried
    assert (recognizer._cmn == recognizer._running) is carried
    assert (recognizer._cmn == CMN_INIT) is not carried


def test_a_grammar_ignores_the_sales_model(tmp_path, sales_model, spoken):
    grammar = ("#JSGF V1.0;\ngrammar g;\npublic <r> = thank you for your honesty | "
               "how come you said no ;\n")
    recognizer = make_recognizer("pocketsphinx", tmp_path / "models", grammar=grammar,
                                 data_dir=tmp_path / "data")
    transcript, _ = decode(recognizer, *spoken("Thank you for your honesty."))
    assert transcript.text == "thank you for your honesty"
    assert recognizer.last_pass == "grammar"
    assert not (tmp_path / "data").exists()  # no sales model was built for it


def test_the_default_pocketsphinx_recognizer_uses_the_data_dirs_sales_model(tmp_path, spoken):
    recognizer = make_recognizer("pocketsphinx", tmp_path / "models", data_dir=tmp_path)
    assert recognizer.notice is None
    decode(recognizer, *spoken(SALES))
    assert recognizer.last_pass == "domain"
    assert list((tmp_path / "lm").iterdir())  # built there at first use


def test_no_sales_model_means_the_general_model_and_a_notice(tmp_path, spoken):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data directory should be")
    recognizer = make_recognizer("pocketsphinx", tmp_path / "models", data_dir=blocked)
    assert recognizer.notice is not None and "\n" not in recognizer.notice
    assert recognizer.notice.startswith("cannot build the recognizer's sales language model in ")
    assert recognizer.notice.endswith("; meanwhile replies are recognized with the general "
                                      "vocabulary, which mishears more")
    transcript, _ = decode(recognizer, *spoken(SALES))
    assert recognizer.last_pass == "general" and transcript.text


def test_a_damaged_sales_model_means_the_general_model_and_a_notice(tmp_path, spoken):
    from simulator.voice.domain_lm import domain_model

    model = domain_model(tmp_path)
    Path(model.lm).write_bytes(b"not a language model")
    recognizer = make_recognizer("pocketsphinx", tmp_path / "models", data_dir=tmp_path)
    assert recognizer.notice == (
        f"cannot read the sales language model {model.lm} (damaged?); delete it to have it "
        f"rebuilt; meanwhile replies are recognized with the general vocabulary, which "
        f"mishears more")
    transcript, _ = decode(recognizer, *spoken(SALES))
    assert recognizer.last_pass == "general" and transcript.text


def test_a_reply_with_no_audio_has_no_words_and_no_other_hearings(sales_model):
    recognizer = PocketSphinxRecognizer(domain=sales_model)
    recognizer.start(16000)
    transcript = recognizer.finish()
    assert (transcript.text, transcript.words, transcript.also_heard) == ("", [], ())
