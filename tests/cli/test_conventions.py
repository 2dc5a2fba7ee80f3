"""Conventions a command-line user expects: --version, shell completion that installs and
completes, and `practise` (the README's spelling) as the same command as `practice`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.storage.calls import CallStore

runner = CliRunner()
BIN = Path(sys.executable).parent  # the venv's bin/, where the `callsim` console script is


def callsim(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The installed console script, as a shell runs it."""
    return subprocess.run([str(BIN / "callsim"), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60, check=False, **kwargs)


def test_version_is_the_package_version():
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"callsim {version('callsim')}\n", "")
    assert callsim("--version").stdout == f"callsim {version('callsim')}\n"


def completions(words: str) -> list[str]:
    """What the shell's Tab offers after `words` (bash's protocol, through the real script)."""
    typed = words.split() + ([""] if words.endswith(" ") else [])
    result = callsim(env={"_CALLSIM_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(typed),
                          "COMP_CWORD": str(len(typed) - 1)})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(("words", "offered"), [
    ("callsim pra", ["practice"]),  # the alias is not offered twice
    ("callsim personas ", ["list", "show", "validate", "test", "new", "schema"]),
    ("callsim practice --eng", ["--engine"]),
    ("callsim models ", ["list", "download", "install", "remove"]),
])
def test_completion_completes_commands_and_options(words, offered):
    assert completions(words) == offered


def test_show_completion_prints_the_script_for_the_shell():
    result = callsim("--show-completion", "bash")
    assert result.returncode == 0
    assert "_CALLSIM_COMPLETE=complete_bash" in result.stdout
    assert "complete -o default -F _callsim_completion callsim" in result.stdout


def test_install_completion_makes_bash_complete_callsim(tmp_path):
    home = {"HOME": str(tmp_path), "SHELL": "/bin/bash"}
    installed = callsim("--install-completion", "bash", env=home)
    assert installed.returncode == 0, installed.stderr
    assert "bash completion installed in" in installed.stdout
    # A new interactive shell reads ~/.bashrc; then Tab after `callsim wor` offers `workshop`.
    script = ('source ~/.bashrc; COMP_WORDS=(callsim wor); COMP_CWORD=1; '
              '_callsim_completion callsim; echo "${COMPREPLY[@]}"')
    shell = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                           env={**os.environ, **home, "PATH": f"{BIN}:{os.environ['PATH']}"},
                           check=False)
    assert shell.stdout == "workshop\n", shell.stderr


def test_practise_is_practice(tmp_path):
    args = ["--persona", "covered-carl", "--text", "--seed", "3", "--json", "--trainee", "ana",
            "--data-dir", str(tmp_path)]
    reply = "Thank you for your honesty. What issues are you facing with dispatch?\n"
    calls = [json.loads(runner.invoke(app, [verb, *args], input=reply).stdout)
             for verb in ("practise", "practice")]
    assert calls[0]["turns"][1]["text"] == reply.strip()
    assert [t["text"] for t in calls[0]["turns"]] == [t["text"] for t in calls[1]["turns"]]
    assert calls[0]["scorecard"] == calls[1]["scorecard"]
    with CallStore.open(tmp_path) as store:
        assert len(store.list_calls()) == 2
    shown = runner.invoke(app, ["practise", "--help"])
    assert shown.stdout.startswith("Usage: callsim practise [OPTIONS]\n")
