"""Where personas are found: --personas DIR, CALLSIM_PERSONAS, <data dir>/personas, ./personas,
the shipped folder (first match wins); personas named by their file; `personas new`'s default
folder and `personas schema`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dialog_helpers import TINY_PERSONA
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.dialog.starter import SCHEMA_PATH
from simulator.dialog.validate import load_personas
from simulator.storage.calls import CallStore

SHIPPED = Path(__file__).resolve().parents[2] / "personas"
SHIPPED_IDS = sorted(path.stem for path in SHIPPED.glob("*.yaml"))
CARL = TINY_PERSONA.replace("id: tiny-tom", "id: covered-carl")  # a trainer's own Carl


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def write(folder: Path, text: str = TINY_PERSONA, name: str = "tiny-tom") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A data directory, a working folder (the current one) and two other folders."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    home = tmp_path / "callsim-home"
    monkeypatch.setenv("CALLSIM_HOME", str(home))
    return {"option": tmp_path / "option", "env": tmp_path / "env",
            "data dir": home / "personas", "./personas": work / "personas", "home": home}


def listed(*args: str) -> dict[str, dict]:
    result = invoke("personas", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


SOURCES = ["option", "env", "data dir", "./personas"]


@pytest.mark.parametrize("where", SOURCES)
def test_a_persona_is_found_in_each_place_and_the_shipped_ones_stay(places, monkeypatch,
                                                                    where):
    path = write(places[where])
    monkeypatch.setenv("CALLSIM_PERSONAS", str(places["env"]) if where == "env" else "")
    option = ["--personas", str(places["option"])] if where == "option" else []
    rows = listed(*option)
    assert list(rows) == ["tiny-tom", *SHIPPED_IDS]
    source = {"option": "--personas", "env": "CALLSIM_PERSONAS"}.get(where, where)
    assert (rows["tiny-tom"]["source"], rows["tiny-tom"]["path"]) == (source, str(path))
    assert {rows[i]["source"] for i in SHIPPED_IDS} == {"shipped"}


@pytest.mark.parametrize("first", range(len(SOURCES)))
def test_the_first_place_on_the_search_path_wins(places, monkeypatch, first):
    for where in SOURCES[first:]:
        write(places[where], CARL, "covered-carl")
    monkeypatch.setenv("CALLSIM_PERSONAS", str(places["env"]))
    places["env"].mkdir(exist_ok=True)
    places["option"].mkdir(exist_ok=True)
    carl = listed("--personas", str(places["option"]))["covered-carl"]
    labels = ["--personas", "CALLSIM_PERSONAS", "data dir", "./personas"]
    assert carl["source"] == labels[first]
    assert carl["overrides"] == labels[first + 1:] + ["shipped"]


def test_the_list_says_when_a_trainers_persona_overrides_a_shipped_one(places):
    write(places["data dir"], CARL, "covered-carl")
    result = invoke("personas", "list")
    lines = result.stdout.splitlines()
    assert lines[-1] == "covered-carl (data dir) overrides the shipped one"
    carl = next(line for line in lines if line.startswith("covered-carl "))
    assert re.split(r"\s{2,}", carl) == ["covered-carl", "Tom Tiny", "Buyer @ Tiny Co", "2",
                                          "data dir"]
    shown = invoke("personas", "show", "covered-carl").stdout.splitlines()
    assert shown[1] == f"file: {places['data dir']}/covered-carl.yaml (data dir)"


def test_two_trainer_folders_overriding_each_other_are_named(places, monkeypatch):
    write(places["env"], CARL, "covered-carl")
    write(places["./personas"], CARL, "covered-carl")
    monkeypatch.setenv("CALLSIM_PERSONAS", str(places["env"]))
    assert invoke("personas", "list").stdout.splitlines()[-1] == (
        "covered-carl (CALLSIM_PERSONAS) overrides the one from ./personas and the shipped one")


def test_personas_is_repeatable_and_comes_before_callsim_personas(places, monkeypatch):
    other = places["option"].parent / "option2"
    write(places["option"])
    write(other, TINY_PERSONA.replace("tiny-tom", "tiny-tina"), "tiny-tina")
    write(places["env"], CARL, "covered-carl")
    monkeypatch.setenv("CALLSIM_PERSONAS", str(places["env"]))
    rows = listed("--personas", str(places["option"]), "--personas", str(other))
    assert list(rows)[:3] == ["tiny-tom", "tiny-tina", "covered-carl"]


def test_a_folder_named_twice_is_read_once(places, monkeypatch):
    write(places["./personas"])
    monkeypatch.setenv("CALLSIM_PERSONAS", "personas")
    rows = listed("--personas", "personas")
    assert (rows["tiny-tom"]["source"], rows["tiny-tom"]["overrides"]) == ("--personas", [])


def test_a_current_folder_without_persona_files_is_not_searched(places):
    places["./personas"].mkdir()
    (places["./personas"] / "notes.txt").write_text("not a persona", encoding="utf-8")
    assert list(listed()) == SHIPPED_IDS


def test_the_data_dir_option_moves_the_data_dir_personas(places, tmp_path):
    write(tmp_path / "elsewhere" / "personas")
    assert "tiny-tom" not in listed()
    assert listed("--data-dir", str(tmp_path / "elsewhere"))["tiny-tom"]["source"] == "data dir"


def test_personas_given_for_one_command_are_not_kept_for_the_next(places):
    write(places["option"])
    assert "tiny-tom" in listed("--personas", str(places["option"]))
    assert "tiny-tom" not in listed()
    assert "tiny-tom" not in [p.persona.id for p in load_personas()]


MISSING_OPTION = "callsim: --personas {missing}: no such folder; give a folder holding persona " \
                 "files\n"


@pytest.mark.parametrize("command", [
    ["personas", "list"], ["personas", "show", "covered-carl"], ["personas", "test"],
    ["personas", "validate"], ["practice", "--persona", "covered-carl", "--text"],
    ["drill", "--text"], ["demo", "--no-voice"],
])
def test_every_command_naming_a_persona_refuses_a_missing_personas_folder(places, command):
    missing = places["option"]
    result = invoke(*command, "--personas", str(missing), stdin="Thanks\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == MISSING_OPTION.format(missing=missing)
    assert not (places["home"] / "callsim.db").exists() or _no_calls(places["home"])


def _no_calls(home: Path) -> bool:
    with CallStore.open(home) as store:
        return store.list_calls() == []


def test_a_missing_callsim_personas_folder_is_named(places, monkeypatch):
    monkeypatch.setenv("CALLSIM_PERSONAS", f"{places['env']}")
    result = invoke("personas", "list")
    assert result.stderr == (f"callsim: CALLSIM_PERSONAS names {places['env']}, which does not "
                             "exist; fix the path in CALLSIM_PERSONAS or unset it\n")
    assert result.exit_code == 2


def test_an_unknown_persona_is_a_usage_error_before_the_briefing(places):
    result = invoke("practice", "--persona", "nobody", "--text", stdin="Thanks\n")
    assert result.stdout == ""
    assert result.stderr == (
        f"callsim: unknown persona 'nobody'; available: {', '.join(SHIPPED_IDS)}; searched "
        f"{SHIPPED}; or give its file's path\n")
    assert result.exit_code == 2
    assert _no_calls(places["home"])


def test_many_long_search_folders_keep_the_unknown_persona_line_short(places, tmp_path):
    folders = []
    for n in range(3):
        folder = tmp_path / f"{n}-{'trainer-personas-' * 4}"
        folder.mkdir()
        folders += ["--personas", str(folder)]
    result = invoke("practice", "--persona", "nobody", "--text", *folders, stdin="Thanks\n")
    assert result.stderr == (
        f"callsim: unknown persona 'nobody'; available: {', '.join(SHIPPED_IDS)}; searched "
        "4 folders (callsim personas list names them); or give its file's path\n")
    assert result.exit_code == 2


GOOD_ANSWER = ("Thank you for your honesty, I can appreciate that. What issues are you facing? "
               "Would you mind if I circled back in a few months, or would you rather I never "
               "contacted you again?\n")
GOOD_CALL = "Would you mind if I called you back in May?\nCould we talk again in May?\n"


@pytest.mark.parametrize("name", ["./tiny-tom.yaml", "tiny-tom.yaml", "{work}/tiny-tom.yaml",
                                  "sub/../tiny-tom.yaml"])
def test_practice_takes_a_persona_file_by_its_path(places, name):
    (places["./personas"].parent / "sub").mkdir()
    write(places["./personas"].parent)
    persona = name.format(work=places["./personas"].parent)
    result = invoke("practice", "--persona", persona, "--text", "--json", stdin=GOOD_CALL)
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    assert (call["persona"], call["outcome"]) == ("tiny-tom", "callback_agreed")


@pytest.mark.parametrize("command", [["personas", "show"], ["personas", "test"]])
def test_show_and_test_take_a_path(places, command):
    path = write(places["option"])
    result = invoke(*command, str(path))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] in (
        ["Tom Tiny — Buyer @ Tiny Co (id tiny-tom, difficulty 2)", f"file: {path} (path)"],
        ["PASS tiny-tom: pushing gets a hang-up: reached outcome hung_up", "1 passed, 0 failed"],
    )


@pytest.mark.parametrize(("name", "message"), [
    ("./nobody.yaml", "no persona file ./nobody.yaml: check the path, or give a persona id (see: "
                      "callsim personas list)"),
    ("nobody.yml", "no persona file nobody.yml: check the path, or give a persona id (see: "
                   "callsim personas list)"),
    ("folder/", "folder/ is a folder, not a persona file: name the .yaml file in it, or pass "
                "the folder with --personas"),
])
@pytest.mark.parametrize("command", [["personas", "show"], ["personas", "test"],
                                     ["practice", "--text", "--persona"]])
def test_a_path_with_no_persona_file_is_a_usage_error(places, command, name, message):
    (places["./personas"].parent / "folder").mkdir()
    result = invoke(*command, name, stdin="Thanks\n")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"callsim: {message}\n")


def test_a_broken_persona_file_given_by_path_is_located(places):
    path = write(places["option"], TINY_PERSONA.replace("difficulty: 2", "difficulty: 9"))
    result = invoke("practice", "--persona", str(path), "--text", stdin="Thanks\n")
    assert result.stderr == f"{path}:5:13: 'difficulty' must be between 1 and 5 (got 9)\n"
    assert result.exit_code == 1


def test_personas_from_the_option_reach_practice_and_drill(places):
    write(places["option"])
    option = ["--personas", str(places["option"])]
    called = invoke("practice", "--persona", "tiny-tom", "--text", "--json", *option,
                    stdin=GOOD_CALL)
    assert json.loads(called.stdout)["outcome"] == "callback_agreed"
    drilled = invoke("drill", "--text", "--json", "--seed", "1", *option, stdin=GOOD_ANSWER * 40)
    items = json.loads(drilled.stdout)["items"]  # answered well: each objection once, then again
    assert {item["persona"] for item in items} == {"tiny-tom", *SHIPPED_IDS}


def test_new_writes_to_the_data_directory_and_the_id_then_works(places):
    result = invoke("personas", "new", "dental-dana")
    path = places["data dir"] / "dental-dana.yaml"
    assert result.stdout == (
        f"wrote {path}; edit it, then check it with: callsim personas validate {path}\n")
    assert (places["data dir"] / "persona.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()
    assert invoke("personas", "test", "dental-dana").stdout.endswith("3 passed, 0 failed\n")
    assert invoke("personas", "validate", "dental-dana").stdout == "1 persona OK\n"
    assert listed()["dental-dana"]["source"] == "data dir"


def test_new_honours_the_data_dir_option(places, tmp_path):
    assert invoke("personas", "new", "pat-morgan", "--data-dir", str(tmp_path / "d")
                  ).exit_code == 0
    assert (tmp_path / "d" / "personas" / "pat-morgan.yaml").is_file()


def test_new_brings_an_outdated_schema_copy_up_to_date(places):
    places["data dir"].mkdir(parents=True)
    (places["data dir"] / "persona.schema.json").write_text("{}", encoding="utf-8")
    assert invoke("personas", "new", "pat-morgan").exit_code == 0
    assert (places["data dir"] / "persona.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()


def test_schema_prints_the_published_schema(places):
    result = invoke("personas", "schema")
    assert result.stdout == SCHEMA_PATH.read_text(encoding="utf-8")
    assert json.loads(result.stdout)["title"]
    assert result.exit_code == 0


def test_validate_without_arguments_accepts_an_override(places):
    write(places["data dir"], CARL, "covered-carl")
    result = invoke("personas", "validate")
    assert (result.stdout, result.exit_code) == (f"{len(SHIPPED_IDS)} personas OK\n", 0)


BROKEN = TINY_PERSONA.replace("difficulty: 2", "difficulty: 9")


def test_a_broken_persona_stops_only_calls_with_it(places):
    path = write(places["data dir"], BROKEN)
    located = f"{path}:5:13: 'difficulty' must be between 1 and 5 (got 9)\n"
    other = invoke("practice", "--persona", "covered-carl", "--text", "--json", stdin="Thanks\n")
    assert json.loads(other.stdout)["persona"] == "covered-carl"
    for command in (["practice", "--persona", "tiny-tom", "--text"], ["personas", "list"],
                    ["personas", "show", "nobody"]):
        result = invoke(*command, stdin="Thanks\n")
        assert (result.exit_code, result.stderr) == (1, located), command
