"""Failing cases in a few lines each, and a script that runs one again."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from tests.fuzz.judge import message_of
from tests.fuzz.materials import REPO, Materials
from tests.fuzz.nasty import shorten
from tests.fuzz.runner import Outcome, case_env, fill


def shell_word(arg: str) -> str:
    """The argument for bash, bytes that are not printable ASCII written as $'\\xNN'."""
    raw = os.fsencode(arg)
    if all(32 <= b < 127 for b in raw):
        return shlex.quote(arg)
    escaped = "".join(chr(b) if 32 <= b < 127 and chr(b) not in "'\\" else f"\\x{b:02x}"
                      for b in raw)  # fmt: skip
    return f"$'{escaped}'"


def write_reproduce(outcome: Outcome, workdir: Path, materials: Materials) -> Path:
    """reproduce.sh in the case's directory (a data-dir fault on a tmpfs is not remade)."""
    case = outcome.case
    case_dir = workdir / case.id
    data = case_dir / "data"
    env = case_env(case, case_dir, data, materials)
    lines = ["#!/bin/bash", f"# {case.id}: {case.what}", f"cd {shlex.quote(str(case_dir))}"]
    lines += [f"export {k}={shell_word(v)}" for k, v in env.items() if v is not None]
    lines += [f"unset {k}" for k, v in env.items() if v is None]
    command = " ".join(shell_word(fill(a, case_dir, data, materials)) for a in case.argv)
    stdin = ""
    if case.stdin is not None:
        (case_dir / "stdin").write_bytes(case.stdin)
        stdin = " < stdin"
    lines.append(f"{REPO / '.venv' / 'bin' / 'callsim'} {command}{stdin}")
    path = case_dir / "reproduce.sh"
    path.write_text("\n".join(lines) + "\n")
    return path


def describe(outcome: Outcome) -> str:
    """The case's input, what was wrong, and its answer, in a few lines."""
    case = outcome.case
    argv = " ".join(shorten(a, 30) if len(a) > 30 else shell_word(a) for a in case.argv)
    out = [f"{case.id} ({case.what})", f"    callsim {argv}"]
    for kind, detail in outcome.failures:
        out.append(f"    {kind}: {detail}")
    if outcome.exit_code is not None:
        message = message_of(outcome).splitlines()
        shown = [shorten(line, 200) if len(line) > 200 else line for line in message[:4]]
        out.append(f"    exit {outcome.exit_code}: " + " | ".join(shown)
                   + (f" | ... ({len(message)} lines)" if len(message) > 4 else ""))
    if outcome.exception:
        frames = [ln.strip().replace(f"{REPO}/", "") for ln in outcome.exception.splitlines()
                  if ln.strip().startswith("File ")]
        out.append("    raised at: " + " <- ".join(reversed(frames[-3:])))
    native = [line.strip() for line in outcome.raw.splitlines() if line.strip()]
    if native and any(kind in ("crash", "hang") for kind, _ in outcome.failures):
        out.append("    native output: " + " | ".join(native[:4]))
    return "\n".join(out)
