"""`callsim models list | download | install | remove` through the real CLI."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from tests.models.builders import leftovers, make_model_folder, model_zip

NAME = "vosk-model-small-en-us-0.15"
LGRAPH = "vosk-model-en-us-0.22-lgraph"
FALLBACK = ("No Whisper or Vosk speech model is installed, so the weaker PocketSphinx "
            "recognizer is used; install Whisper with: bash setup.sh install (or a Vosk model: "
            f"callsim models download {NAME})")
WHISPER_DOWNLOADS = (
    "  whisper-base.en  Whisper base.en, 148 MB, more accurate than tiny.en, about twice as slow\n"
    "  whisper-small.en  Whisper small.en, 486 MB, the most accurate, needs a fast machine\n")


@pytest.fixture
def models(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    monkeypatch.setenv("CALLSIM_MODELS", str(folder))
    return folder


def run(*args: str):
    return CliRunner().invoke(app, ["models", *args])


def test_list_without_models_names_the_fallback_and_the_download(models):
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout == (
        f"Models folder: {models}\n"
        "  (no models installed)\n"
        "Recognizer: pocketsphinx (built in)\n"
        f"  {FALLBACK}\n"
        "Available to download:\n"
        f"  {NAME}  small US English, 40 MB, fast (recommended)\n"
        f"  {LGRAPH}  larger US English, 128 MB, more accurate, slower to load\n"
        + WHISPER_DOWNLOADS
    )


def test_install_list_remove_round_trip(models, tmp_path):
    source = make_model_folder(tmp_path / "usb" / NAME)

    installed = run("install", str(source))
    assert installed.exit_code == 0
    assert installed.stdout == f"Installed {NAME} (0.0 MB) in {models}.\n"

    listed = run("list")
    assert listed.stdout.splitlines()[1:3] == [f"  {NAME}  0.0 MB  vosk  en-us",
                                              f"Recognizer: vosk ({NAME})"]
    assert listed.stdout.splitlines()[-3] == f"  {LGRAPH}  larger US English, 128 MB, more " \
                                             "accurate, slower to load"

    removed = run("remove", NAME)
    assert removed.exit_code == 0
    assert removed.stdout == f"Removed {NAME} from {models}.\n"
    assert leftovers(models) == []


def test_install_with_a_name(models, tmp_path):
    archive = tmp_path / "stick.zip"
    archive.write_bytes(model_zip(top="model"))
    result = run("install", str(archive), "--name", "vosk-model-small-ko-0.22")
    assert result.exit_code == 0
    assert (models / "vosk-model-small-ko-0.22" / "am" / "final.mdl").is_file()
    assert run("list").stdout.splitlines()[1] == "  vosk-model-small-ko-0.22  0.0 MB  vosk  ko"


@pytest.mark.parametrize("args, message", [
    (("install", "{tmp}/missing.zip"),
     "{tmp}/missing.zip: no such file or folder; give a model .zip or a model folder"),
    (("install", "{tmp}"), "{tmp} is neither a Vosk model (no am/final.mdl) nor a Whisper model "
                           "(no model.bin); give the folder that contains am/, conf/ and graph/ "
                           "(Vosk) or model.bin, config.json and tokenizer.json (Whisper)"),
    (("remove", NAME), f"no model named '{NAME}' in {{models}} (installed: none); see: "
                       "callsim models list"),
    (("download", "vosk-model-fr"), "unknown model 'vosk-model-fr'; downloadable models: "
                                    f"{NAME}, {LGRAPH}, whisper-base.en, whisper-small.en"),
])
def test_user_errors_are_one_line_on_stderr(models, tmp_path, args, message):
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"callsim: {message.format(tmp=tmp_path, models=models)}\n"


def test_download_installs_and_says_what_was_checked(models, model_site, monkeypatch):
    model_site.files[f"{LGRAPH}.zip"] = model_zip(top=LGRAPH)
    monkeypatch.setenv("CALLSIM_MODEL_URL", model_site.url)
    result = run("download", LGRAPH)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"Installed {LGRAPH} (0.0 MB) in {models}; the size and checksum "
                             f"of {LGRAPH} are not known here, so only the zip's own CRCs were "
                             "checked.\n")


def test_download_of_the_default_model_checks_its_published_size(models, model_site,
                                                                  monkeypatch):
    fake = model_zip()
    model_site.files[f"{NAME}.zip"] = fake  # not the real 41 MB zip
    monkeypatch.setenv("CALLSIM_MODEL_URL", model_site.url)
    result = run("download")
    assert result.exit_code == 1
    assert result.stderr == (f"callsim: downloaded {NAME}.zip has {len(fake)} bytes, expected "
                             f"41205931; it was deleted, run the same command again\n")
    assert leftovers(models) == []


def test_models_go_to_the_data_directory_without_callsim_models(tmp_path, monkeypatch):
    monkeypatch.delenv("CALLSIM_MODELS", raising=False)
    source = make_model_folder(tmp_path / "usb" / NAME)
    data = tmp_path / "data"
    installed = run("install", str(source), "--data-dir", str(data))
    assert installed.stdout == f"Installed {NAME} (0.0 MB) in {data / 'models'}.\n"
    listed = CliRunner().invoke(app, ["models", "list"], env={"CALLSIM_HOME": str(data)})
    assert listed.stdout.splitlines()[:3] == [f"Models folder: {data / 'models'}",
                                              f"  {NAME}  0.0 MB  vosk  en-us",
                                              f"Recognizer: vosk ({NAME})"]
