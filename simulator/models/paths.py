"""Where installed speech models live."""

from __future__ import annotations

import os
from pathlib import Path

MODELS_ENV = "CALLSIM_MODELS"


def checkout_models_dir() -> Path | None:
    """`<repo>/models` when the package runs from a source checkout (the folder has a README)."""
    import simulator

    candidate = Path(simulator.__file__).resolve().parents[1] / "models"
    return candidate if (candidate / "README.md").is_file() else None


def models_dir() -> Path:
    """$CALLSIM_MODELS, else the checkout's models/, else the per-user data folder."""
    env = os.environ.get(MODELS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    checkout = checkout_models_dir()
    if checkout is not None:
        return checkout
    from platformdirs import user_data_dir

    return Path(user_data_dir("callsim")) / "models"
