"""`download_model` against a local stand-in for the Vosk model site."""

from __future__ import annotations

import errno
import socket

import pytest

from simulator.errors import ModelError
from simulator.models.download import download_model
from simulator.models.registry import installed_models
from tests.models.builders import catalog_for, leftovers, make_zip, model_zip

NAME = "vosk-model-small-en-us-0.15"


def test_good_download_is_verified_installed_and_reports_progress(model_site, tmp_path):
    data = model_zip()
    model_site.files[f"{NAME}.zip"] = data
    seen = []

    result = download_model(NAME, tmp_path, base_url=model_site.url,
                            catalog=catalog_for(NAME, data),
                            progress=lambda done, total: seen.append((done, total)))

    assert [m.name for m in installed_models(tmp_path)] == [NAME]
    assert result.model.path == tmp_path / NAME
    assert (tmp_path / NAME / "am" / "final.mdl").read_bytes() == b"acoustic model"
    assert result.checked == "size and sha256 checksum verified"
    assert seen[-1] == (len(data), len(data))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert leftovers(tmp_path) == [NAME]
    assert not (tmp_path / ".downloads").exists()


def test_unknown_size_and_checksum_are_said_to_be_unchecked(model_site, tmp_path):
    data = model_zip(top="vosk-model-en-us-0.22-lgraph")
    name = "vosk-model-en-us-0.22-lgraph"
    model_site.files[f"{name}.zip"] = data

    result = download_model(name, tmp_path, base_url=model_site.url,
                            catalog=catalog_for(name, data, size=None, sha=None))

    assert result.checked == (f"the size and checksum of {name} are not known here, "
                              f"so only the zip's own CRCs were checked")
    assert (tmp_path / name).is_dir()


def _bad(kind: str) -> tuple[bytes, dict]:
    good = model_zip()
    top = f"{NAME}/"
    return {
        "truncated": (good[: len(good) // 2], catalog_for(NAME, good)),
        "wrong checksum": (good, catalog_for(NAME, good, sha="0" * 64)),
        "zip slip": (model_zip(extra={f"{top}../evil": b"x"}), None),
        "absolute path": (model_zip(top=None, extra={"/etc/evil": b"x"}), None),
        "escaping symlink": (model_zip(symlinks={f"{top}graph/link": "../../outside"}), None),
        "absolute symlink": (model_zip(symlinks={f"{top}graph/link": "/etc/passwd"}), None),
        "not a model": (make_zip({f"{top}README": b"just a readme"}), None),
        "not a zip": (b"<html>sorry</html>", None),
    }[kind]


@pytest.mark.parametrize("kind, message", [
    ("truncated", "downloaded {name}.zip has {half} bytes, expected {full}; it was deleted, "
                  "run the same command again"),
    ("wrong checksum", "downloaded {name}.zip has the wrong sha256 checksum; it was deleted, "
                       "run the same command again"),
    ("zip slip", "refusing to install {part}: entry '{name}/../evil' points outside the model "
                 "folder"),
    ("absolute path", "refusing to install {part}: entry '/etc/evil' points outside the model "
                      "folder"),
    ("escaping symlink", "refusing to install {part}: entry '{name}/graph/link' is a symbolic "
                         "link, which a model never needs; nothing was installed"),
    ("absolute symlink", "refusing to install {part}: entry '{name}/graph/link' is a symbolic "
                         "link, which a model never needs; nothing was installed"),
    ("not a model", "{part} does not contain a Vosk model (no am/final.mdl)"),
    ("not a zip", "{part} is not a valid zip file (File is not a zip file); download it again "
                  "or give the unpacked model folder"),
])
def test_bad_downloads_fail_in_one_line_and_leave_no_model(model_site, tmp_path, kind, message):
    data, catalog = _bad(kind)
    model_site.files[f"{NAME}.zip"] = data
    catalog = catalog or catalog_for(NAME, data)
    part = tmp_path / ".downloads" / f"{NAME}.zip.part"

    with pytest.raises(ModelError) as error:
        download_model(NAME, tmp_path, base_url=model_site.url, catalog=catalog)

    full = catalog[NAME].size
    assert str(error.value) == message.format(name=NAME, part=part, half=len(data), full=full)
    assert leftovers(tmp_path) == []
    assert not part.exists()  # a complete but bad download would fail the same way again
    assert not (tmp_path.parent / "outside").exists()


def test_interrupted_download_keeps_the_part_and_resumes_with_a_range(model_site, tmp_path):
    data = model_zip(extra={f"{NAME}/graph/padding": bytes(range(256)) * 400})
    model_site.files[f"{NAME}.zip"] = data
    model_site.drop_after[f"{NAME}.zip"] = len(data) // 3
    catalog = catalog_for(NAME, data)
    part = tmp_path / ".downloads" / f"{NAME}.zip.part"

    with pytest.raises(ModelError) as error:
        download_model(NAME, tmp_path, base_url=model_site.url, catalog=catalog, retries=0)
    assert str(error.value) == (f"download of {NAME} was interrupted ({len(data) // 3} of "
                                f"{len(data)} bytes received); run the same command again "
                                f"to resume")
    assert leftovers(tmp_path) == []
    assert part.stat().st_size == len(data) // 3

    download_model(NAME, tmp_path, base_url=model_site.url, catalog=catalog)

    assert [r for _, r in model_site.requests] == [None, f"bytes={len(data) // 3}-"]
    assert [m.name for m in installed_models(tmp_path)] == [NAME]
    assert not part.exists()


def test_a_dropped_connection_is_resumed_within_one_call(model_site, tmp_path):
    data = model_zip(extra={f"{NAME}/graph/padding": bytes(range(256)) * 400})
    model_site.files[f"{NAME}.zip"] = data
    model_site.drop_after[f"{NAME}.zip"] = len(data) // 2

    download_model(NAME, tmp_path, base_url=model_site.url, catalog=catalog_for(NAME, data))

    assert [r for _, r in model_site.requests] == [None, f"bytes={len(data) // 2}-"]
    assert (tmp_path / NAME / "graph" / "padding").stat().st_size == 256 * 400


@pytest.mark.parametrize("base, message", [
    ("{site}", "cannot download {site}/{name}.zip: HTTP 404 Not Found"),
    ("http://127.0.0.1:9", "cannot download http://127.0.0.1:9/{name}.zip: the server cannot be "
                           "reached (Connection refused); check the network, or copy the zip by "
                           "hand and run: callsim models install FILE.zip"),
])
def test_network_errors_are_one_line(model_site, tmp_path, base, message):
    base = base.format(site=model_site.url)
    with pytest.raises(ModelError) as error:
        download_model(NAME, tmp_path, base_url=base, catalog=catalog_for(NAME, b"x"))
    assert str(error.value) == message.format(site=model_site.url, name=NAME)
    assert leftovers(tmp_path) == []


def test_no_network_is_said_in_plain_words(tmp_path, monkeypatch):
    def unreachable(*_args, **_kwargs):  # a machine with no network: ENETUNREACH at once
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", unreachable)
    with pytest.raises(ModelError) as error:
        download_model(NAME, tmp_path, base_url="http://10.0.0.1",
                       catalog=catalog_for(NAME, b"x"))
    assert str(error.value) == (
        f"cannot download http://10.0.0.1/{NAME}.zip: no network connection (Network is "
        "unreachable); check the network, or copy the zip by hand and run: callsim models "
        "install FILE.zip")
    assert leftovers(tmp_path) == []


def test_base_url_comes_from_the_environment(model_site, tmp_path, monkeypatch):
    data = model_zip()
    model_site.files[f"{NAME}.zip"] = data
    monkeypatch.setenv("CALLSIM_MODEL_URL", model_site.url)
    download_model(NAME, tmp_path, catalog=catalog_for(NAME, data))
    assert model_site.requests[0][0] == f"/models/{NAME}.zip"


@pytest.mark.parametrize("name, message", [
    ("vosk-model-fr-0.22", "unknown model 'vosk-model-fr-0.22'; downloadable models: "
                           "vosk-model-small-en-us-0.15, vosk-model-en-us-0.22-lgraph, "
                           "whisper-base.en, whisper-small.en"),
    ("../x", "invalid model name '../x'; use letters, digits, '.', '_' and '-' "
             "(e.g. vosk-model-small-en-us-0.15)"),
])
def test_unknown_names_are_refused_before_any_request(model_site, tmp_path, name, message):
    with pytest.raises(ModelError) as error:
        download_model(name, tmp_path, base_url=model_site.url)
    assert str(error.value) == message
    assert model_site.requests == []


def test_an_installed_model_is_not_downloaded_again(model_site, tmp_path):
    (tmp_path / NAME).mkdir()
    with pytest.raises(ModelError) as error:
        download_model(NAME, tmp_path, base_url=model_site.url)
    assert str(error.value) == (f"{NAME} is already installed in {tmp_path}; remove it first "
                                f"with: callsim models remove {NAME}")
    assert model_site.requests == []
