"""`callsim personas list/show/test/new` and the published JSON Schema."""

from __future__ import annotations

import json
import re
import runpy
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from dialog_helpers import TINY_PERSONA, tiny_with
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.dialog.loader import PersonaYamlLoader
from simulator.dialog.starter import SCHEMA_PATH

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "personas"
SHIPPED_IDS = sorted(path.stem for path in SHIPPED.glob("*.yaml"))
ALL_IDS = ["tiny-tom", *SHIPPED_IDS]


def run(*args: str):
    return CliRunner().invoke(app, ["personas", *args])


@pytest.fixture
def tiny_dir(tmp_path, monkeypatch):
    (tmp_path / "tiny-tom.yaml").write_text(TINY_PERSONA, encoding="utf-8")
    monkeypatch.setenv("CALLSIM_PERSONAS", str(tmp_path))
    return tmp_path


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.rstrip())


def test_list_prints_a_table_with_where_each_persona_comes_from(tiny_dir):
    result = run("list")
    lines = result.stdout.splitlines()
    assert cells(lines[0]) == ["ID", "NAME", "ROLE @ COMPANY", "DIFFICULTY", "FROM", "TAGS"]
    assert cells(lines[1]) == ["tiny-tom", "Tom Tiny", "Buyer @ Tiny Co", "2",
                               "CALLSIM_PERSONAS"]
    assert [cells(line)[0] for line in lines[2:]] == SHIPPED_IDS
    assert {cells(line)[4] for line in lines[2:]} == {"shipped"}
    column = lines[0].index("FROM")
    assert {line[column - 2:column] for line in lines} == {"  "}  # one column, aligned
    assert result.exit_code == 0


def test_list_json(tiny_dir):
    result = run("list", "--json")
    assert json.loads(result.stdout)[0] == {
        "id": "tiny-tom", "name": "Tom Tiny", "role": "Buyer", "company": "Tiny Co",
        "difficulty": 2, "tags": [], "source": "CALLSIM_PERSONAS",
        "path": str(tiny_dir / "tiny-tom.yaml"), "overrides": [],
    }


def test_list_with_a_broken_persona_names_the_problem(tiny_dir):
    (tiny_dir / "tiny-tom.yaml").write_text(tiny_with(5, "difficulty: 9"), encoding="utf-8")
    result = run("list")
    assert result.stderr == (
        f"{tiny_dir}/tiny-tom.yaml:5:13: 'difficulty' must be between 1 and 5 (got 9)\n"
    )
    assert result.exit_code == 1


def test_personas_come_from_every_folder_in_callsim_personas(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "tiny-tom.yaml").write_text(TINY_PERSONA, encoding="utf-8")
    other = TINY_PERSONA.replace("id: tiny-tom", "id: tiny-tina")
    (second / "tiny-tina.yaml").write_text(other, encoding="utf-8")
    monkeypatch.setenv("CALLSIM_PERSONAS", f"{first}:{second}")
    ids = [row["id"] for row in json.loads(run("list", "--json").stdout)]
    assert ids == ["tiny-tom", "tiny-tina", *SHIPPED_IDS]


def test_show_prints_briefing_voice_and_states(tiny_dir):
    result = run("show", "tiny-tom")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Tom Tiny — Buyer @ Tiny Co (id tiny-tom, difficulty 2)"
    assert "voice: male, rate 170, pitch 50, variant -" in lines
    assert "  You sell widgets." in lines
    assert "    any [pushing]: end: hung_up" in lines
    assert "    any [permission_close]: -> open" in lines
    assert "    otherwise: -> guarded (poor)" in lines


@pytest.mark.parametrize(
    "persona_id, suggestion",
    [
        ("tiny-tim", " — did you mean 'tiny-tom'?"),
        ("zebra", ""),
    ],
)
def test_show_unknown_persona(tiny_dir, persona_id, suggestion):
    result = run("show", persona_id)
    assert result.stderr == (
        f"callsim: unknown persona '{persona_id}'; available: {', '.join(sorted(ALL_IDS))}"
        f"{suggestion}; searched {tiny_dir}, {SHIPPED}; or give its file's path\n"
    )
    assert result.exit_code == 2


def test_test_reports_each_golden(tiny_dir):
    result = run("test", "tiny-tom")
    assert result.stdout.splitlines() == [
        "PASS tiny-tom: pushing gets a hang-up: reached outcome hung_up",
        "1 passed, 0 failed",
    ]
    assert result.exit_code == 0


def test_test_fails_when_a_golden_fails(tiny_dir):
    text = tiny_with(30, "    expect: {state: open}")
    (tiny_dir / "tiny-tom.yaml").write_text(text, encoding="utf-8")
    result = run("test")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "FAIL tiny-tom: pushing gets a hang-up: expected state open, reached outcome hung_up"
    )
    assert lines[-1] == f"{len(lines) - 2} passed, 1 failed"  # the shipped ones all pass
    assert result.exit_code == 1


def test_new_writes_a_starter_that_validates_and_passes(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSIM_PERSONAS", str(tmp_path))
    result = run("new", "pat-morgan", "--dir", str(tmp_path))
    path = tmp_path / "pat-morgan.yaml"
    assert result.stdout == (
        f"wrote {path}; edit it, then check it with: callsim personas validate {path}\n"
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=persona.schema.json\n")
    assert (tmp_path / "persona.schema.json").read_text(encoding="utf-8") == (
        SCHEMA_PATH.read_text(encoding="utf-8"))
    assert run("validate", str(path)).stdout == "1 persona OK\n"
    tested = run("test", "pat-morgan")
    assert tested.stdout.endswith("3 passed, 0 failed\n")
    outcomes = {g["expect"]["outcome"] for g in yaml.load(text, PersonaYamlLoader)["golden"]}
    assert len(outcomes) == 3




def test_new_refuses_to_overwrite(tmp_path):
    path = tmp_path / "tiny-tom.yaml"
    path.write_text("keep me", encoding="utf-8")
    result = run("new", "tiny-tom", "--dir", str(tmp_path))
    assert result.stderr == (
        f"callsim: {path} already exists; choose another id or remove the file first\n"
    )
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(("persona_id", "shown"), [
    ("Pat Morgan", "Pat Morgan"),
    ("pat_morgan", "pat_morgan"),
    ("pat--morgan", "pat--morgan"),
    ("pat-", "pat-"),
    ("p" * 65, "p" * 60 + "…"),
    ("x" * 300, "x" * 60 + "…"),  # once a "File name too long" traceback
])
def test_new_rejects_a_bad_id(tmp_path, persona_id, shown):
    result = run("new", persona_id, "--dir", str(tmp_path))
    assert result.stderr == (
        f"callsim: persona id '{shown}' must be lowercase letters and digits in words joined by "
        "hyphens, at most 64 characters, e.g. 'covered-carl'\n"
    )
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_new_takes_an_id_of_64_characters(tmp_path):
    persona_id = "-".join(["pat"] * 16)
    assert run("new", persona_id, "--dir", str(tmp_path)).exit_code == 0
    assert run("validate", str(tmp_path / f"{persona_id}.yaml")).stdout == "1 persona OK\n"


WRITABLE = "give --dir a folder you can write to"


@pytest.mark.parametrize(("folder", "exit_code", "message"), [
    ("{file}", 2, "{file} is a file, not a folder; " + WRITABLE),
    ("{file}/sub/folder", 2, "{file}/sub/folder cannot be created: {file} is a file, not a "
     "folder; " + WRITABLE),
    ("{ro}", 1, "cannot write {ro}/pat-morgan.yaml (Read-only file system): " + WRITABLE),
    ("{ro}/sub", 1, "cannot create the folder {ro}/sub (Read-only file system): " + WRITABLE),
    ("{full}", 1, "cannot write {full}/pat-morgan.yaml (No space left on device): " + WRITABLE),
])
def test_new_needs_a_folder_it_can_write(tmp_path, tmpfs, folder, exit_code, message):
    places = {"file": tmp_path / "file", "ro": tmpfs(64), "full": tmpfs(4)}
    places["file"].write_text("keep me", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(places["ro"])], check=True)
    (places["full"] / "filler").write_bytes(b"x" * 4096)
    result = run("new", "pat-morgan", "--dir", folder.format(**places))
    assert result.stderr == "callsim: " + message.format(**places) + "\n"
    assert result.exit_code == exit_code
    assert places["file"].read_text(encoding="utf-8") == "keep me"
    assert list(places["full"].iterdir()) == [places["full"] / "filler"]  # no half-written file


def test_the_published_schema_is_up_to_date():
    schema_text = runpy.run_path(str(REPO / "scripts" / "gen_persona_schema.py"))["schema_text"]
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "run: .venv/bin/python scripts/gen_persona_schema.py"
    )


def test_the_schema_accepts_every_shipped_persona_and_rejects_a_typo():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for path in sorted(SHIPPED.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), PersonaYamlLoader)
        jsonschema.validate(data, schema)
    data["stats"] = data.pop("states")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
