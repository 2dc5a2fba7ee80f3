"""The README's trainer's guide runs as written: every line of its `bash` blocks, in order, through
the installed console script, in a fresh data directory and an empty working folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simulator.storage.calls import CallStore

README = Path(__file__).resolve().parents[2] / "README.md"
CALLSIM = Path(sys.executable).parent / "callsim"  # the console script of this environment
BASH_BLOCK = re.compile(r"^( *)```bash\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def guide_commands() -> list[str]:
    """The command lines of the `bash` blocks between "## The trainer's guide" and the next
    top-level section (comments and blank lines left out)."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## The trainer's guide\n")
    end = text.index("\n## ", start + 1)
    lines = [line for _, block in BASH_BLOCK.findall(text[start:end])
             for line in textwrap.dedent(block).splitlines()]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


COMMANDS = guide_commands()


def test_the_guide_writes_tests_tries_and_shares_a_persona():
    assert [c.split("  ")[0] for c in COMMANDS if c.startswith("callsim personas")][:4] == [
        "callsim personas new dental-dana", "callsim personas validate dental-dana",
        "callsim personas test dental-dana", "callsim personas show dental-dana"]
    assert any("callsim practice --persona dental-dana --text" in c for c in COMMANDS)


def test_every_command_of_the_guide_runs_in_a_fresh_data_directory(tmp_path):
    assert CALLSIM.is_file(), "install callsim into the environment: bash setup.sh test"
    home, work = tmp_path / "callsim-home", tmp_path / "work"
    work.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("CALLSIM_PERSONAS", "CALLSIM_RUBRIC")}
    env.update(CALLSIM_HOME=str(home), HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg"),
               PATH=f"{CALLSIM.parent}{os.pathsep}{env.get('PATH', '')}", COLUMNS="100")
    for command in COMMANDS:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=work, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120, check=False)
        assert (done.returncode, done.stderr) == (0, ""), f"README: {command}\n{done.stdout}"
        assert done.stdout, f"README: {command} printed nothing"
    assert sorted(p.name for p in (home / "personas").iterdir()) == [
        "dental-dana.yaml", "persona.schema.json"]
    with CallStore.open(home) as store:
        [call] = store.list_calls()
    assert (call.persona, call.outcome) == ("dental-dana", "meeting_agreed")


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith("callsim ")])
def test_no_command_of_the_guide_needs_a_microphone(command):
    assert "--text" in command or not command.startswith(("callsim practice", "callsim drill",
                                                          "callsim demo"))
