"""Voice test fixtures: a real PulseAudio null-sink server, and real synthesized speech.

Tests marked `sound` get the server started for them. Without pulseaudio they are skipped
locally, but fail when CI=true so a CI run can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from simulator.session.engines import Audio, VoiceSettings

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "soundserver.sh"

# Tests never touch the user's own data directory: a test that names none saves its calls,
# models and sales language model in one scratch folder for the session (and two test runs at
# once never prune each other's language models).
if not os.environ.get("CALLSIM_HOME"):
    import tempfile

    os.environ["CALLSIM_HOME"] = tempfile.mkdtemp(prefix="callsim-tests-")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"sound tests cannot run on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sound_server(tmp_path_factory):
    """Start scripts/soundserver.sh for this test session and point this process at it."""
    if shutil.which("pulseaudio") is None:
        _unavailable("pulseaudio is not installed (apt install pulseaudio pulseaudio-utils "
                     "libasound2-plugins)")
    sound_dir = tmp_path_factory.mktemp("sound")
    env = {**os.environ, "CALLSIM_SOUND_DIR": str(sound_dir)}
    started = subprocess.run(["bash", str(SCRIPT), "start"], env=env, capture_output=True,
                             text=True, timeout=60, check=False)
    if started.returncode != 0:
        _unavailable(f"the test sound server did not start: {started.stderr.strip()}")
    saved = {k: os.environ.get(k) for k in ("PULSE_SERVER", "PULSE_COOKIE", "PULSE_RUNTIME_PATH")}
    for line in started.stdout.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            os.environ[key] = value
    from simulator.voice import devices

    devices.refresh()  # PortAudio listed devices when first imported, maybe before the server
    if not devices.list_devices():
        _unavailable("PortAudio sees no device on the test sound server: install "
                     "libasound2-plugins (the ALSA pulse plugin)")
    yield sound_dir
    subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True, timeout=60,
                   check=False)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def _sound_server_for_marked_tests(request):
    if request.node.get_closest_marker("sound") is not None:
        request.getfixturevalue("sound_server")


@pytest.fixture(scope="session")
def espeak():
    from simulator.voice.tts import EspeakSynthesizer

    synth = EspeakSynthesizer()
    if not synth.available:
        _unavailable("espeak-ng is not installed (apt install espeak-ng)")
    return synth


@pytest.fixture(scope="session")
def speech(espeak):
    """speech(text, voice=None) -> real espeak-ng audio resampled to 16 kHz, rendered once."""
    from simulator.voice.wavio import resample

    rendered: dict[tuple[str, VoiceSettings], Audio] = {}

    def render(text: str, voice: VoiceSettings | None = None) -> Audio:
        key = (text, voice or VoiceSettings())
        if key not in rendered:
            rendered[key] = resample(espeak.render(*key), 16000)
        return rendered[key]

    return render


@pytest.fixture
def tmpfs(tmp_path: Path):
    """Mount tiny tmpfs file systems: `tmpfs(size_kb)` -> mount point. Skips without privilege."""
    mounted: list[Path] = []

    def mount(size_kb: int) -> Path:
        point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
