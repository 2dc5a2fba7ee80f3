"""Installing models from a zip, a tar or a folder (the USB-stick path), and removing them."""

from __future__ import annotations

import stat
import tarfile

import pytest

from simulator.errors import ModelError
from simulator.models.install import install, remove
from simulator.models.registry import installed_models
from tests.models.builders import (
    VOSK_LAYOUT,
    leftovers,
    make_model_folder,
    make_zip,
    model_tar,
    model_zip,
    tree,
)

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


@pytest.mark.parametrize("archive_name, data, installed_as", [
    ("download.tar.gz", model_tar(), NAME),
    ("download.tar", model_tar(compression=""), NAME),
    ("download.tar.xz", model_tar(compression="xz"), NAME),
    ("vosk-model-small-de-0.15.tgz", model_tar(top=None), "vosk-model-small-de-0.15"),
    ("dot.tar.gz", model_tar(top=f"./{NAME}"), NAME),  # as made by tar -C dir .
    ("no-suffix", model_tar(), NAME),  # recognized by its content
])
def test_tar_install_names_the_model(tmp_path, archive_name, data, installed_as):
    archive = tmp_path / archive_name
    archive.write_bytes(data)
    models = tmp_path / "models"
    install(archive, models)
    assert [m.name for m in installed_models(models)] == [installed_as]
    assert tree(models / installed_as) == tree(make_model_folder(tmp_path / "expected"))
    assert leftovers(models) == [installed_as]


# Two symlinks each allowed by a check of its own path (x/up -> .. stays in the model; so does
# x/up/x/up/q/esc -> ../../../../.. counted from where it claims to be), together leading two
# levels above the models folder; then a file written through them.
CHAINED_LINKS = {"m/x/up": "..", "m/x/up/x/up/q/esc": "../../../../.."}
THROUGH_LINKS = {"m/x/up/x/up/q/esc/evil.txt": b"written outside"}
LINK_REFUSED = "entry {entry!r} is a {kind}, which a model never needs; nothing was installed"
OUTSIDE = "entry {entry!r} points outside the model folder"

HOSTILE = [  # archive bytes -> why it is refused (after "refusing to install ARCHIVE: ")
    ("zip: chained symlinks", model_zip("m", symlinks=CHAINED_LINKS, then=THROUGH_LINKS),
     LINK_REFUSED.format(entry="m/x/up", kind="symbolic link")),
    ("zip: a symlink staying inside", model_zip(symlinks={f"{NAME}/graph/a.fst": "HCLr.fst"}),
     LINK_REFUSED.format(entry=f"{NAME}/graph/a.fst", kind="symbolic link")),
    ("zip: a device", model_zip(modes={f"{NAME}/null": stat.S_IFCHR | 0o666}),
     LINK_REFUSED.format(entry=f"{NAME}/null", kind="device or other special file")),
    ("zip: ..", model_zip(extra={f"{NAME}/../../evil.txt": b"x"}),
     OUTSIDE.format(entry=f"{NAME}/../../evil.txt")),
    ("zip: absolute path", model_zip(top=None, extra={"/tmp/evil.txt": b"x"}),
     OUTSIDE.format(entry="/tmp/evil.txt")),
    ("zip: Windows drive", model_zip(top=None, extra={"C:\\evil.txt": b"x"}),
     OUTSIDE.format(entry="C:\\evil.txt")),
    ("tar: chained symlinks", model_tar("m", specials=[
        *((name, tarfile.SYMTYPE, target) for name, target in CHAINED_LINKS.items())]),
     LINK_REFUSED.format(entry="m/x/up", kind="symbolic link")),
    ("tar: a hard link", model_tar(specials=[(f"{NAME}/graph/h", tarfile.LNKTYPE, "/etc/hosts")]),
     LINK_REFUSED.format(entry=f"{NAME}/graph/h", kind="hard link")),
    ("tar: a character device", model_tar(specials=[(f"{NAME}/tty", tarfile.CHRTYPE, "")]),
     LINK_REFUSED.format(entry=f"{NAME}/tty", kind="device file")),
    ("tar: a block device", model_tar(specials=[(f"{NAME}/sda", tarfile.BLKTYPE, "")]),
     LINK_REFUSED.format(entry=f"{NAME}/sda", kind="device file")),
    ("tar: a pipe", model_tar(specials=[(f"{NAME}/fifo", tarfile.FIFOTYPE, "")]),
     LINK_REFUSED.format(entry=f"{NAME}/fifo", kind="named pipe")),
    ("tar: ..", model_tar(extra={f"{NAME}/../../evil.txt": b"x"}),
     OUTSIDE.format(entry=f"{NAME}/../../evil.txt")),
    ("tar: absolute path", model_tar(top=None, extra={"/tmp/evil.txt": b"x"}),
     OUTSIDE.format(entry="/tmp/evil.txt")),
]  # fmt: skip


@pytest.mark.parametrize("data, reason", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_archives_are_refused_and_nothing_is_written_anywhere(tmp_path, data, reason):
    home = tmp_path / "home"
    models = home / "user" / "models"  # an escape two levels up would land in `home`
    make_model_folder(models / "installed-before")
    archive = home / "model.archive"
    archive.write_bytes(data)
    before = tree(tmp_path)
    with pytest.raises(ModelError) as error:
        install(archive, models)
    assert str(error.value) == f"refusing to install {archive}: {reason}"
    assert tree(tmp_path) == before  # nothing new outside the models folder, nor inside it
    assert not list(tmp_path.rglob("evil.txt"))


@pytest.mark.parametrize("data, message", [
    (model_tar()[:300], "{src} is not a valid tar archive (it is cut short); download it again "
                        "or give the unpacked model folder"),
    (b"hello", "{src} is not a valid tar archive (it is damaged or not a tar file); download "
               "it again or give the unpacked model folder"),
])
def test_damaged_tar_archives_are_refused(tmp_path, data, message):
    source = tmp_path / "model.tar.gz"
    source.write_bytes(data)
    with pytest.raises(ModelError) as error:
        install(source, tmp_path / "models")
    assert str(error.value) == message.format(src=source)
    assert leftovers(tmp_path / "models") == []


def test_a_zip_entry_twice_is_refused(tmp_path):
    archive = tmp_path / "twice.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive.write_bytes(model_zip(then={f"{NAME}/README": b"second"}))
    with pytest.raises(ModelError) as error:
        install(archive, tmp_path / "models")
    assert str(error.value) == (f"refusing to install {archive}: entry '{NAME}/README' appears "
                                "twice; download it again")
    assert leftovers(tmp_path / "models") == []


def test_folder_install_copies_the_model(tmp_path):
    source = make_model_folder(tmp_path / "usb" / NAME)
    model = install(source, tmp_path / "models")
    assert model.path == tmp_path / "models" / NAME
    assert model.size == sum(len(data) for data in VOSK_LAYOUT.values())
    assert model.language == "en-us"
    assert source.is_dir()  # the stick is left alone


@pytest.mark.parametrize("build, message", [
    (lambda p: p.mkdir() or p, "{src} is neither a Vosk model (no am/final.mdl) nor a Whisper "
                               "model (no model.bin); give the folder that contains am/, conf/ "
                               "and graph/ (Vosk) or model.bin, config.json and tokenizer.json "
                               "(Whisper)"),
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
     "{src} contains neither a Vosk model (no am/final.mdl) nor a Whisper model (no "
     "model.bin)"),
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


SMALL_FILES = {f"{NAME}/graph/part{n:03}": b"0123456789" for n in range(200)}


@pytest.mark.parametrize("kind", ["zip", "tar", "folder"])
def test_a_disk_filling_up_midway_leaves_nothing(tmpfs, tmp_path, kind):
    # 2 kB of data passes the free-space check, but on tmpfs each file takes a 4 kB page.
    models = tmpfs(256) / "models"
    source = tmp_path / f"model.{kind}"
    if kind == "folder":
        make_model_folder(source)
        for name, data in SMALL_FILES.items():
            (source / name.split("/", 1)[1]).write_bytes(data)
    else:
        source.write_bytes((model_zip if kind == "zip" else model_tar)(extra=SMALL_FILES))
    with pytest.raises(ModelError) as error:
        install(source, models)
    assert str(error.value) == (f"the disk holding {models} is full; free some space and try "
                                "again (nothing was installed)")
    assert leftovers(models) == []
