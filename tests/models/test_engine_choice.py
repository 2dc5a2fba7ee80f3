"""Which recognizer a call gets, given the engine asked for and the models installed."""

from __future__ import annotations

import pytest

from simulator.errors import ModelError
from simulator.voice.asr_sphinx import PocketSphinxRecognizer
from simulator.voice.recognizers import FALLBACK_NOTICE, available_engine, make_recognizer
from tests.models.builders import make_model_folder

EN = "vosk-model-small-en-us-0.15"
KO = "vosk-model-small-ko-0.22"


@pytest.mark.parametrize("engine, installed, expected", [
    (None, [], ("pocketsphinx", None, FALLBACK_NOTICE)),
    (None, [KO], ("pocketsphinx", None, FALLBACK_NOTICE)),
    (None, [EN, KO], ("vosk", EN, None)),
    ("vosk", [KO], ("vosk", KO, None)),
    ("vosk", [KO, EN], ("vosk", EN, None)),
    ("pocketsphinx", [EN], ("pocketsphinx", None, None)),
])
def test_engine_choice(tmp_path, engine, installed, expected):
    for name in installed:
        make_model_folder(tmp_path / name)
    choice = available_engine(engine, tmp_path)
    model = choice.model.name if choice.model else None
    assert (choice.engine, model, choice.notice) == expected
    if model:
        assert choice.model == tmp_path / model


def test_a_named_model_is_used_even_when_not_english(tmp_path):
    for name in (EN, KO):
        make_model_folder(tmp_path / name)
    assert available_engine(None, tmp_path, model=KO).model == tmp_path / KO


@pytest.mark.parametrize("engine, model, message", [
    ("julius", None, "unknown speech recognizer 'julius'; choose one of: whisper, vosk, "
                     "pocketsphinx"),
    ("whisper", None, "no Whisper model is installed; install it with: bash setup.sh install, "
                      "or choose another recognizer: --engine vosk|pocketsphinx"),
    ("vosk", None, "no Vosk model is installed in {models}; install one with: "
                   "callsim models download vosk-model-small-en-us-0.15"),
    (None, EN, "no Vosk model named 'vosk-model-small-en-us-0.15' in {models}; see: "
               "callsim models list"),
])
def test_impossible_choices_are_model_errors(tmp_path, engine, model, message):
    with pytest.raises(ModelError) as error:
        make_recognizer(engine, tmp_path, model=model)
    assert str(error.value) == message.format(models=tmp_path)


def test_the_fallback_recognizer_carries_its_notice_for_the_caller(tmp_path):
    fallback = make_recognizer(None, tmp_path)
    chosen = make_recognizer("pocketsphinx", tmp_path)
    assert isinstance(fallback, PocketSphinxRecognizer)
    assert fallback.notice == FALLBACK_NOTICE
    assert chosen.notice is None


def test_importing_the_chooser_loads_no_engine():
    import subprocess
    import sys

    code = ("import sys, simulator.voice.recognizers, simulator.cli.models; "
            "print(sorted(m for m in ('vosk', 'pocketsphinx', 'numpy', 'soxr') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_folder_that_only_looks_like_a_model_fails_to_load(tmp_path):
    fake = make_model_folder(tmp_path / "vosk-model-small-en-us-0.15")
    with pytest.raises(ModelError) as error:
        make_recognizer(None, tmp_path)
    assert str(error.value) == (f"cannot load the Vosk model in {fake} (damaged?); remove it and "
                                "install it again with: callsim models download "
                                "vosk-model-small-en-us-0.15")
