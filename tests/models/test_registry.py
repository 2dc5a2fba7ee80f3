"""Where models live, what counts as one, and which one auto mode picks."""

from __future__ import annotations

from pathlib import Path

import pytest

import simulator
from simulator.models import paths
from simulator.models.registry import english_model, installed_models, model_language
from tests.models.builders import make_model_folder


def test_models_dir_prefers_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CALLSIM_MODELS", str(tmp_path / "m"))
    assert paths.models_dir() == tmp_path / "m"


def test_models_dir_is_the_checkout_folder_when_running_from_one(monkeypatch):
    monkeypatch.delenv("CALLSIM_MODELS", raising=False)
    checkout = Path(simulator.__file__).resolve().parents[1] / "models"
    assert (checkout / "README.md").is_file()
    assert paths.models_dir() == checkout


def test_models_dir_falls_back_to_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CALLSIM_MODELS", raising=False)
    monkeypatch.setattr(simulator, "__file__", str(tmp_path / "site" / "simulator" / "x.py"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.models_dir() == tmp_path / "data" / "callsim" / "models"


@pytest.mark.parametrize("name, language", [
    ("vosk-model-small-en-us-0.15", "en-us"),
    ("vosk-model-en-us-0.22-lgraph", "en-us"),
    ("vosk-model-small-ko-0.22", "ko"),
    ("vosk-model-en-in-0.5", "en-in"),
    ("vosk-model-small-cn-0.22", "cn"),
    ("model", None),
    ("my-english-model", None),
])
def test_language_comes_from_the_model_name(name, language):
    assert model_language(name) == language


def test_only_valid_visible_models_are_listed(tmp_path):
    make_model_folder(tmp_path / "vosk-model-small-ko-0.22")
    make_model_folder(tmp_path / ".install-vosk-model-x-abc")  # an install in progress
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "README.md").write_text("readme")
    assert [m.name for m in installed_models(tmp_path)] == ["vosk-model-small-ko-0.22"]


@pytest.mark.parametrize("installed, chosen", [
    ([], None),
    (["vosk-model-small-ko-0.22"], None),
    (["vosk-model-en-us-0.22-lgraph", "vosk-model-small-en-us-0.15"],
     "vosk-model-small-en-us-0.15"),  # both known: the default first
    (["vosk-model-en-in-0.5", "vosk-model-en-us-0.22-lgraph"], "vosk-model-en-us-0.22-lgraph"),
    (["vosk-model-en-in-0.5", "vosk-model-small-ko-0.22"], "vosk-model-en-in-0.5"),
])
def test_auto_mode_picks_an_english_model_known_ones_first(tmp_path, installed, chosen):
    for name in installed:
        make_model_folder(tmp_path / name)
    found = english_model(tmp_path)
    assert (found.name if found else None) == chosen
