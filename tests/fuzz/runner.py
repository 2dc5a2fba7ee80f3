"""Run one fuzz case in a forked child, and judge what it did.

A child of an already warmed-up process runs the command through typer's CliRunner (the same
`CallsimGroup.invoke` error handling as the console script), in the case's own directory, with
a memory limit and the network blocked. The parent kills it past the time limit (a hang) and
notices if it dies (a crash). The calls in the data directory are snapshotted before and after.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import shutil
import signal
import socket
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz.case import Case
from tests.fuzz.faults import Fault, Unavailable
from tests.fuzz.judge import judge
from tests.fuzz.materials import Materials
from tests.fuzz.saved import damaged_audio_kept, data_lost, snapshot

# A case hangs when it uses more than TIME_LIMIT seconds of CPU (the machine may be shared, so
# wall time alone would blame a busy neighbour), or waits WAIT_FACTOR times as long in all.
TIME_LIMIT = 10.0
WAIT_FACTOR = 6
SPEECH_FACTOR = 3  # cases that recognize speech (noise takes a while) get three times as long
# Address space a case may add to the warmed-up process: `import` reserves 2 GiB up front.
MEMORY_LIMIT = 4 << 30
SPEECH_COMMANDS = ("demo", "rescore")  # commands that load a recognizer (so does --wav)
WARM = [  # imported once in the parent, so each forked case starts fast
    "simulator.cli.app", "simulator.storage.calls", "simulator.storage.exchange",
    "simulator.storage.merge", "simulator.scoring.scorer", "simulator.scoring.replies",
    "simulator.dialog.validate", "simulator.dialog.golden", "simulator.session.call",
    "simulator.session.text_io", "simulator.session.voice_setup", "simulator.cli.render",
    "simulator.progress", "simulator.report", "simulator.drill.session", "simulator.drill.bank",
    "simulator.drill.engines", "simulator.voice.wavio", "simulator.voice.recognizers",
    "simulator.session.revision", "simulator.session.rescore", "simulator.storage.recordings",
    "simulator.storage.forget", "simulator.storage.shared_personas",
    "simulator.report.workshop_html", "rich.console", "rich.table", "rich.panel", "numpy", "soxr",
    "soundfile", "pocketsphinx",
]


def warm_up() -> None:
    import importlib

    for name in WARM:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


@dataclass
class Outcome:
    case: Case
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    exception: str | None = None  # the traceback of an exception that escaped the command
    raw: str = ""  # what native code wrote straight to file descriptors 1 and 2
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)
    skipped: str | None = None


def fill(text: str, case_dir: Path, data: Path, m: Materials) -> str:
    return (text.replace("{case}", str(case_dir)).replace("{data}", str(data))
            .replace("{call}", m.call_id).replace("{spoken}", m.spoken_id))  # fmt: skip


def _child(argv: list[str], env: dict, stdin: bytes | None, case_dir: Path, out: Path) -> None:
    """In the forked child: run the command, pickle what happened to `out`."""
    payload: dict = {}
    try:
        os.chdir(case_dir)
        raw = os.open(case_dir / "fd-output", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(raw, 1)
        os.dup2(raw, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        faulthandler.enable(2)  # a crash's stack goes to the case's raw output
        status = Path("/proc/self/status").read_text()
        size = int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmSize")))
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size * 1024 + MEMORY_LIMIT
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))

        def no_network(*_args, **_kwargs):
            raise OSError(101, "network is blocked in the fuzz")

        socket.socket.connect = no_network  # type: ignore[method-assign]
        socket.getaddrinfo = no_network  # type: ignore[assignment]
        from typer.testing import CliRunner

        from simulator.cli.app import app

        result = CliRunner().invoke(app, argv, input=stdin, env=env)
        escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
        payload = dict(exit_code=result.exit_code, stdout=result.stdout, stderr=result.stderr,
                       exception="".join(traceback.format_exception(*result.exc_info))
                       if escaped else None)  # fmt: skip
    except BaseException:  # noqa: B036 - the harness itself must report, never raise
        payload = dict(exit_code=None, stdout="", stderr="",
                       exception="harness: " + traceback.format_exc())
    finally:
        with contextlib.suppress(BaseException):
            out.with_suffix(".tmp").write_bytes(pickle.dumps(payload))
            os.replace(out.with_suffix(".tmp"), out)
        os._exit(0)


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user + system), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fork_run(argv: list[str], env: dict, stdin: bytes | None, case_dir: Path,
              limit: float) -> tuple[dict | None, str | None, float]:
    """(payload or None, hang/crash description or None, seconds)."""
    out = case_dir / "result.pickle"
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(argv, env, stdin, case_dir, out)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        elapsed = time.monotonic() - started
        if done:
            break
        cpu = _cpu_seconds(pid)
        if cpu > limit or elapsed > limit * WAIT_FACTOR:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, (f"hang: still running after {cpu:.0f} s of CPU and {elapsed:.0f} s in "
                          "all, killed"), elapsed
        time.sleep(0.005)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return None, f"crash: the process died of {name}", elapsed
    if not out.exists():
        return None, "crash: the process ended without a result", elapsed
    return pickle.loads(out.read_bytes()), None, elapsed


def case_env(case: Case, case_dir: Path, data: Path, m: Materials) -> dict[str, str | None]:
    """Everything a command could write outside the case's directory is moved into it."""
    env: dict[str, str | None] = {
        "HOME": str(case_dir / "home"), "XDG_DATA_HOME": str(case_dir / "xdg-data"),
        "XDG_CONFIG_HOME": str(case_dir / "xdg-config"),
        "XDG_CACHE_HOME": str(case_dir / "xdg-cache"), "CALLSIM_MODELS": str(case_dir / "models"),
        "CALLSIM_MODEL_URL": "http://127.0.0.1:9", "CALLSIM_HOME": None, "CALLSIM_RUBRIC": None,
        "CALLSIM_PERSONAS": None, "COLUMNS": "100",
    }  # fmt: skip
    env.update({key: fill(value, case_dir, data, m) for key, value in case.env.items()})
    return env


def run_case(case: Case, materials: Materials, workdir: Path,
             limit: float = TIME_LIMIT) -> Outcome:
    """Lay the case out under `workdir`, run it, and judge it."""
    outcome = Outcome(case)
    case_dir = workdir / case.id
    shutil.rmtree(case_dir, ignore_errors=True)
    for sub in ("", "home", "models"):
        (case_dir / sub).mkdir(parents=True, exist_ok=True)
    fault = Fault(case.fault, case_dir) if case.fault else None
    try:
        if fault is not None:
            data = fault.setup(materials.data)
        else:
            data = case_dir / "data"
            shutil.copytree(materials.data, data)
    except Unavailable as exc:
        outcome.skipped = str(exc)
        return outcome
    try:
        for name, content in case.files.items():
            path = Path(fill(name, case_dir, data, materials))
            path = path if path.is_absolute() else case_dir / path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        for name in case.dirs:
            (case_dir / name).mkdir(parents=True, exist_ok=True)
        argv = [fill(arg, case_dir, data, materials) for arg in case.argv]
        before = snapshot(data)
        if fault is not None:
            fault.arm()
        try:
            env = case_env(case, case_dir, data, materials)
            speech = "--wav" in case.argv or case.argv[0] in SPEECH_COMMANDS
            limit *= SPEECH_FACTOR if speech else 1
            payload, died, outcome.seconds = _fork_run(argv, env, case.stdin, case_dir, limit)
        finally:
            if fault is not None:
                fault.disarm()
        after = snapshot(data)
    finally:
        if fault is not None:
            fault.cleanup()
    raw = case_dir / "fd-output"
    outcome.raw = raw.read_text(errors="replace") if raw.exists() else ""
    if died:
        outcome.failures.append(tuple(died.split(": ", 1)))
    else:
        outcome.exit_code = payload["exit_code"]
        outcome.stdout, outcome.stderr = payload["stdout"], payload["stderr"]
        outcome.exception = payload["exception"]
    lost = data_lost(case, before, after, outcome.exit_code)
    if lost:
        outcome.failures.append(("data lost", lost))
    unplayable = damaged_audio_kept(before, after)
    if unplayable:
        outcome.failures.append(("damaged audio kept", unplayable))
    outcome.failures += judge(outcome)
    return outcome
