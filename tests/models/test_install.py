"""Installing models from a zip or a folder (the USB-stick path), and removing them."""

from __future__ import annotations

import pytest

from simulator.errors import ModelError
from simulator.models.install import install, remove
from simulator.models.registry import installed_models
from tests.models.builders import VOSK_LAYOUT, leftovers, make_model_folder, make_zip, model_zip

NAME = "vosk-model-small-en-us-0.15"


@pytest.mark.parametrize("zip_name, top, name, installed_as", [
    ("download.zip", NAME, None, NAME),  # official zips: one top folder names the model
    ("vosk-model-small-de-0.15.zip", None, None, "vosk-model-small-de-0.15"),  # flat: zip name
    ("download.zip", NAME, "my-model", "my-model"),
])
def test_zip_install_names_the_model(tmp_path, zip_name, top, name, installed_as):
    archive = tmp_path / zip_name
    archive.write_bytes(model_zip(top=top))
    models = tmp_path / "models"

    model = install(archive, models, name)

    assert model.name == installed_as
    assert [m.name for m in installed_models(models)] == [installed_as]
    assert (models / installed_as / "graph" / "HCLr.fst").read_bytes() == b"lexicon graph"
    assert leftovers(models) == [installed_as]


def test_zip_keeps_symlinks_that_stay_inside(tmp_path):
    archive = tmp_path / "m.zip"
    archive.write_bytes(model_zip(symlinks={f"{NAME}/graph/alias.fst": "HCLr.fst"}))
    install(archive, tmp_path / "models")
    assert (tmp_path / "models" / NAME / "graph" / "alias.fst").read_bytes() == b"lexicon graph"


def test_folder_install_copies_the_model(tmp_path):
    source = make_model_folder(tmp_path / "usb" / NAME)
    model = install(source, tmp_path / "models")
    assert model.path == tmp_path / "models" / NAME
    assert model.size == sum(len(data) for data in VOSK_LAYOUT.values())
    assert model.language == "en-us"
    assert source.is_dir()  # the stick is left alone


@pytest.mark.parametrize("build, message", [
    (lambda p: p.mkdir() or p, "{src} is not a Vosk model (no am/final.mdl); give the folder "
                               "that contains am/, conf/ and graph/"),
    (lambda p: (make_model_folder(p) / "conf" / "mfcc.conf").unlink() or p,
     "{src} is not a Vosk model (no conf/mfcc.conf); give the folder that contains am/, conf/ "
     "and graph/"),
    (lambda p: (make_model_folder(p) / "graph" / "Gr.fst").unlink() or p,
     "{src} is not a Vosk model (no graph/HCLG.fst (or graph/HCLr.fst with graph/Gr.fst)); give "
     "the folder that contains am/, conf/ and graph/"),
    (lambda p: (p.write_text("hello"), p)[1], "{src} is not a valid zip file (File is not a zip "
                                           "file); download it again or give the unpacked "
                                           "model folder"),
    (lambda p: (p.write_bytes(make_zip({"notes.txt": b"hi"})), p)[1],
     "{src} does not contain a Vosk model (no am/final.mdl)"),
    (lambda p: p, "{src}: no such file or folder; give a model .zip or a model folder"),
])
def test_what_is_not_a_model_is_refused(tmp_path, build, message):
    source = build(tmp_path / "thing")
    models = tmp_path / "models"
    with pytest.raises(ModelError) as error:
        install(source, models)
    assert str(error.value) == message.format(src=source)
    assert leftovers(models) == []


def test_installing_over_an_installed_model_is_refused(tmp_path):
    source = make_model_folder(tmp_path / NAME)
    install(source, tmp_path / "models")
    with pytest.raises(ModelError) as error:
        install(source, tmp_path / "models")
    assert str(error.value) == (f"a model named '{NAME}' is already installed in "
                                f"{tmp_path / 'models'}; remove it first with: "
                                f"callsim models remove {NAME}")


def test_remove_deletes_the_folder(tmp_path):
    models = tmp_path / "models"
    install(make_model_folder(tmp_path / NAME), models)
    removed = remove(NAME, models)
    assert removed.name == NAME
    assert leftovers(models) == []


@pytest.mark.parametrize("name, message", [
    ("nope", "no model named 'nope' in {models} (installed: " + NAME + "); see: callsim models "
             "list"),
    ("..", "invalid model name '..'; use letters, digits, '.', '_' and '-' "
           "(e.g. vosk-model-small-en-us-0.15)"),
    (".install-x", "invalid model name '.install-x'; use letters, digits, '.', '_' and '-' "
                   "(e.g. vosk-model-small-en-us-0.15)"),
])
def test_remove_refuses_what_is_not_an_installed_model(tmp_path, name, message):
    models = tmp_path / "models"
    install(make_model_folder(tmp_path / NAME), models)
    with pytest.raises(ModelError) as error:
        remove(name, models)
    assert str(error.value) == message.format(models=models)
    assert leftovers(models) == [NAME]
