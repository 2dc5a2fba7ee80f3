"""Where installed speech models live.

Downloads and installs go to `<data dir>/models` (the data directory of --data-dir, CALLSIM_HOME
or the platform's user data folder), or to $CALLSIM_MODELS when it is set. A source checkout's
`models/` folder, where earlier versions installed models, is still read while it holds one and
the data directory holds none.
"""

from __future__ import annotations

import os
from pathlib import Path

MODELS_ENV = "CALLSIM_MODELS"


def checkout_models_dir() -> Path | None:
    """`<repo>/models` when the package runs from a source checkout (the folder has a README)."""
    import simulator

    candidate = Path(simulator.__file__).resolve().parents[1] / "models"
    return candidate if (candidate / "README.md").is_file() else None


def install_dir(data_dir: str | Path | None = None) -> Path:
    """Where `callsim models download/install` put a model: $CALLSIM_MODELS, else
    `<data dir>/models`."""
    env = os.environ.get(MODELS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from simulator.storage.paths import data_dir_path

    return data_dir_path(data_dir) / "models"


def models_dir(data_dir: str | Path | None = None) -> Path:
    """The folder models are read from: install_dir(), or the checkout's models/ while only
    that one holds a model."""
    folder = install_dir(data_dir)
    if os.environ.get(MODELS_ENV, "").strip() or _holds_a_model(folder):
        return folder
    checkout = checkout_models_dir()
    return checkout if checkout is not None and _holds_a_model(checkout) else folder


def _holds_a_model(folder: Path) -> bool:
    """`folder` holds a Vosk model, or a Whisper one (a whisper-* folder with model.bin)."""
    from simulator.models.registry import vosk_layout_problem
    from simulator.models.whisper import WHISPER_PREFIX, whisper_layout_problem

    def a_model(entry: Path) -> bool:
        if entry.name.startswith("."):
            return False
        if entry.name.startswith(WHISPER_PREFIX) and whisper_layout_problem(entry) is None:
            return True
        return vosk_layout_problem(entry) is None

    return folder.is_dir() and any(a_model(entry) for entry in folder.iterdir())
