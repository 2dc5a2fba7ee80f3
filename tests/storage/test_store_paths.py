"""Where callsim.db lives: --data-dir, else $CALLSIM_HOME, else the platform's data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import StorageError
from simulator.storage import CallStore, database_path, resolve_data_dir

PRECEDENCE = [  # argument, $CALLSIM_HOME, expected directory (relative to tmp_path)
    ("arg", "env", "arg"),
    ("arg", None, "arg"),
    (None, "env", "env"),
    ("", "env", "env"),
    (None, None, "xdg/callsim"),
    (None, "", "xdg/callsim"),
    ("nested/deeper/dir", None, "nested/deeper/dir"),
]


@pytest.mark.parametrize(("arg", "env", "expected"), PRECEDENCE)
def test_data_dir_precedence(tmp_path: Path, monkeypatch, arg, env, expected):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # what platformdirs reads on Linux
    if env is None:
        monkeypatch.delenv("CALLSIM_HOME", raising=False)
    else:
        monkeypatch.setenv("CALLSIM_HOME", str(tmp_path / env) if env else "")
    given = None if arg is None else (str(tmp_path / arg) if arg else "")
    directory = resolve_data_dir(given)
    assert directory == tmp_path / expected
    assert directory.is_dir()


def test_relative_and_home_paths_are_made_absolute(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_data_dir("rel") == tmp_path / "rel"
    assert resolve_data_dir(Path("~/calls")) == tmp_path / "home" / "calls"


def test_store_opens_callsim_db_in_the_data_dir(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CALLSIM_HOME", str(tmp_path / "home"))
    with CallStore.open() as store:
        assert store.path == tmp_path / "home" / "callsim.db"
        assert database_path(tmp_path / "home") == store.path
    assert (tmp_path / "home" / "callsim.db").is_file()


def test_data_dir_that_is_a_file(tmp_path: Path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(StorageError) as caught:
        resolve_data_dir(tmp_path / "taken")
    assert str(caught.value) == (
        f"data directory {tmp_path / 'taken'} is a file, not a directory; "
        "pass --data-dir or set CALLSIM_HOME to a writable directory"
    )


def test_data_dir_under_a_file(tmp_path: Path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(StorageError) as caught:
        resolve_data_dir(tmp_path / "taken" / "sub")
    assert str(caught.value) == (
        f"cannot create data directory {tmp_path / 'taken' / 'sub'} (Not a directory); "
        "pass --data-dir or set CALLSIM_HOME to a writable directory"
    )
