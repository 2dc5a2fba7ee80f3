"""The personas shipped in personas/: each validates and behaves as its golden replies say."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.dialog.golden import run_golden
from simulator.dialog.loader import load_persona_file

SHIPPED = Path(__file__).resolve().parents[2] / "personas"
FILES = sorted(SHIPPED.glob("*.yaml"))


def run(*args: str):
    return CliRunner().invoke(app, ["personas", *args])


@pytest.fixture(autouse=True)
def only_shipped(monkeypatch, tmp_path):
    # Personas in the user's data folder must not leak into these tests.
    monkeypatch.delenv("CALLSIM_PERSONAS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))


def test_at_least_eight_personas_across_every_difficulty():
    personas = [load_persona_file(path).persona for path in FILES]
    assert len(personas) >= 8
    assert {p.difficulty for p in personas} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_persona_validates_including_its_goldens(path):
    result = run("validate", str(path))
    assert (result.stdout, result.exit_code) == ("1 persona OK\n", 0)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_persona_has_goldens_reaching_three_different_outcomes(path):
    persona = load_persona_file(path).persona
    outcomes = {g.expect.outcome for g in persona.golden if g.expect.outcome}
    assert len(outcomes) >= 3, f"{path.name}: golden outcomes {sorted(outcomes)}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_persona_golden_replies_pass(path):
    persona = load_persona_file(path).persona
    for index, golden in enumerate(persona.golden):
        result = run_golden(persona, golden, index)
        assert result.passed, f"{persona.id}: {golden.name}: {result.explain()}"


def test_default_folders_hold_the_shipped_personas():
    result = run("validate")
    assert (result.stdout, result.exit_code) == (f"{len(FILES)} personas OK\n", 0)
    listed = run("list").stdout.splitlines()[1:]
    assert [line.split()[0] for line in listed] == [p.stem for p in FILES]


def test_personas_test_runs_every_golden():
    result = run("test")
    total = sum(len(load_persona_file(p).persona.golden) for p in FILES)
    assert result.stdout.splitlines()[-1] == f"{total} passed, 0 failed"
    assert result.exit_code == 0
