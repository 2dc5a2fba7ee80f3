"""scripts/soundserver.sh: the private PulseAudio server the sound tests run against."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "soundserver.sh"

pytestmark = pytest.mark.sound


def run(*args: str, sound_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CALLSIM_SOUND_DIR": str(sound_dir)}
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=30,
                          check=True).stdout


def test_env_points_clients_at_the_servers_socket(sound_server):
    result = run("env", sound_dir=sound_server)
    assert result.stdout.splitlines() == [
        f"export PULSE_SERVER=unix:{sound_server}/runtime/native",
        f"export PULSE_COOKIE={sound_server}/cookie",
        f"export PULSE_RUNTIME_PATH={sound_server}/runtime",
    ]
    assert os.environ["PULSE_SERVER"] == f"unix:{sound_server}/runtime/native"


def test_the_null_sink_and_its_monitor_are_the_defaults(sound_server):
    info = pactl("info")
    assert "Default Sink: callsim_null\n" in info
    assert "Default Source: callsim_null.monitor\n" in info


def test_one_reader_keeps_the_monitor_running(sound_server):
    pid = int((sound_server / "monitor-reader.pid").read_text())
    assert "pacat" in Path(f"/proc/{pid}/cmdline").read_text()
    assert "RUNNING" in next(line for line in pactl("list", "short", "sources").splitlines()
                             if "callsim_null.monitor" in line)


def test_start_is_idempotent_and_status_reports_it(sound_server):
    again = run("start", sound_dir=sound_server)
    assert again.returncode == 0
    assert again.stdout == run("env", sound_dir=sound_server).stdout
    assert run("status", sound_dir=sound_server).stdout == "running\n"


def test_stop_ends_the_server(tmp_path, sound_server):
    private = tmp_path / "private"
    assert run("start", sound_dir=private).returncode == 0
    reader = int((private / "monitor-reader.pid").read_text())
    assert run("stop", sound_dir=private).returncode == 0
    status = run("status", sound_dir=private)
    assert (status.returncode, status.stdout) == (1, "stopped\n")
    assert not Path(f"/proc/{reader}").exists() or "pacat" not in Path(
        f"/proc/{reader}/cmdline").read_text()


def test_unknown_commands_print_usage(tmp_path):
    result = run("restart", sound_dir=tmp_path)
    assert (result.returncode, result.stderr.strip().endswith("usage: " + str(SCRIPT)
            + " start|stop|env|status")) == (2, True)
