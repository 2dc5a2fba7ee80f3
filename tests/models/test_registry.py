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
    monkeypatch.setenv("CALLSIM_HOME", str(tmp_path / "home"))
    assert paths.models_dir() == paths.install_dir() == tmp_path / "m"


@pytest.fixture
def no_models_env(monkeypatch, tmp_path):
    """No CALLSIM_MODELS, CALLSIM_HOME or user data folder of the machine's: all in tmp_path."""
    monkeypatch.delenv("CALLSIM_MODELS", raising=False)
    monkeypatch.delenv("CALLSIM_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def fake_checkout(monkeypatch, root: Path) -> Path:
    """Run `simulator` as if from a checkout at `root` (its models/ has the README)."""
    (root / "models").mkdir(parents=True)
    (root / "models" / "README.md").write_text("# models/\n")
    monkeypatch.setattr(simulator, "__file__", str(root / "simulator" / "__init__.py"))
    return root / "models"


@pytest.mark.parametrize(("data_dir", "home", "expected"), [
    (None, None, "xdg/callsim/models"),  # the platform's user data folder
    (None, "home", "home/models"),  # CALLSIM_HOME
    ("given", "home", "given/models"),  # --data-dir wins over CALLSIM_HOME
])
def test_models_go_to_the_data_directory(no_models_env, monkeypatch, tmp_path, data_dir, home,
                                         expected):
    if home:
        monkeypatch.setenv("CALLSIM_HOME", str(tmp_path / home))
    fake_checkout(monkeypatch, tmp_path / "checkout")
    given = tmp_path / data_dir if data_dir else None
    assert paths.install_dir(given) == paths.models_dir(given) == tmp_path / expected


def test_a_model_already_in_the_checkout_is_still_read(no_models_env, monkeypatch, tmp_path):
    checkout = fake_checkout(monkeypatch, tmp_path / "checkout")
    make_model_folder(checkout / "vosk-model-small-en-us-0.15")
    data = tmp_path / "data"
    assert paths.models_dir(data) == checkout
    assert paths.install_dir(data) == data / "models"  # while new ones go to the data directory
    make_model_folder(data / "models" / "vosk-model-small-en-us-0.15")
    assert paths.models_dir(data) == data / "models"  # once it holds one, it is the one read


def test_the_real_checkout_is_not_where_models_go(no_models_env, tmp_path):
    checkout = Path(simulator.__file__).resolve().parents[1] / "models"
    assert (checkout / "README.md").is_file()
    assert paths.install_dir(tmp_path / "data") == tmp_path / "data" / "models"


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
