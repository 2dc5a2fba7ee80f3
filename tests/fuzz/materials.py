"""The good inputs the fuzz damages: a shipped persona and rubric, scored replies, a recorded
reply, a trainer's data directory with real calls, and a real export file from another laptop.

The export is made from fixed calls at a fixed time, so its bytes (and so every mutation of
them) are the same on every run; the trainer's calls are made by `callsim practice`: two typed,
and one spoken from the recorded reply (its audio kept), for `correct`, `rescore` and `play`.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.session.engines import Audio
from simulator.storage import CallStore
from simulator.storage.exchange import export_calls
from simulator.storage.recordings import save_recording
from simulator.storage.workshops import end_workshop, start_workshop
from simulator.voice.domain_lm.build import LM_FOLDER
from tests.workshop.workshop_helpers import call

REPO = Path(__file__).resolve().parents[2]
PERSONA_ID = "covered-carl"
EXPORTED_AT = "2025-03-01T18:00:00.000Z"
LAPTOP_CALLS = [  # another laptop's calls: none of them is on the trainer's laptop
    ("20250301-093000-bbbb0001", "ana", "covered-carl", "meeting_agreed", 81, "lisbon"),
    ("20250301-094000-bbbb0002", "Ben", "gatekeeper-gail", "hung_up", 12, "lisbon"),
    ("20250301-095000-bbbb0003", "João", "covered-carl", None, None, None),
]
TRAINER_REPLIES = [  # (trainee, seed, replies) for the calls already on the trainer's laptop
    ("ana", 3, ["Thank you for your honesty. What issues are you facing with dispatch?",
                "Would you mind if I circled back in a few months?"]),
    ("ben", 5, ["Why not? Everybody uses us.", "We are the best, you should switch."]),
]


@dataclass(frozen=True)
class Materials:
    persona: bytes  # personas/covered-carl.yaml
    rubric: bytes  # the shipped rubric
    replies: list[bytes]  # `score --jsonl` lines, without newlines
    wav: bytes  # a recorded reply (16-bit mono 16 kHz)
    data: Path  # a trainer's data directory: calls and an ended workshop
    call_id: str  # one of the trainer's typed calls
    spoken_id: str  # the trainer's spoken call, its reply recorded
    export: bytes  # an export of LAPTOP_CALLS


def _trainer_data(data: Path, wav: Path) -> tuple[str, str]:
    """(a typed call's id, the spoken call's id) of the trainer's calls, made in `data`."""
    runner = CliRunner()
    ids = []
    with CallStore.open(data) as store:
        start_workshop(store, "lisbon")
    for trainee, seed, replies in TRAINER_REPLIES:
        result = runner.invoke(app, ["practice", "--persona", PERSONA_ID, "--text", "--json",
                                     "--seed", str(seed), "--trainee", trainee,
                                     "--data-dir", str(data)],
                               input="".join(f"{r}\n" for r in replies))  # fmt: skip
        assert result.exit_code == 0, result.output
        ids.append(json.loads(result.stdout)["call_id"])
    spoken = runner.invoke(app, ["practice", "--persona", PERSONA_ID, "--wav", str(wav),
                                 "--no-voice", "--json", "--seed", "1", "--trainee", "cy",
                                 "--engine", "pocketsphinx", "--data-dir", str(data)])
    assert spoken.exit_code == 0, spoken.output
    # The recognizer's language model cache (over 1 MB) would not fit a fault's small tmpfs.
    shutil.rmtree(data / LM_FOLDER)
    with CallStore.open(data) as store:
        end_workshop(store)
    return ids[0], json.loads(spoken.stdout)["call_id"]


def _laptop_export(root: Path) -> bytes:
    laptop = root / "laptop"
    with CallStore.open(laptop) as store:
        start_workshop(store, "lisbon", "2025-03-01T09:00:00.000Z")
        store.import_calls(
            call(i, t, p, o, s, w, f"2025-03-01T{i[9:11]}:{i[11:13]}:00.000Z", turn_count=3)
            for i, t, p, o, s, w in LAPTOP_CALLS)  # fmt: skip
        end_workshop(store, None, "2025-03-01T10:30:00.000Z")
        save_recording(store, LAPTOP_CALLS[0][0], 1, _tone())  # the export carries audio too
        export_calls(store, root / "laptop.callsim", now=EXPORTED_AT)
    return (root / "laptop.callsim").read_bytes()


def _tone() -> Audio:
    """Half a second of a 440 Hz tone at 16 kHz: the same samples (and FLAC bytes) every run."""
    import math
    import struct

    samples = [round(8000 * math.sin(2 * math.pi * 440 * n / 16000)) for n in range(8000)]
    return Audio(struct.pack(f"<{len(samples)}h", *samples), 16000)


def build_materials(root: Path) -> Materials:
    """Make the good inputs under `root` (a fresh directory)."""
    lines = (REPO / "tests" / "data" / "replies-dev.jsonl").read_bytes().splitlines()
    data = root / "trainer"
    wav = REPO / "tests" / "data" / "en_thank_you_how_come.wav"
    call_id, spoken_id = _trainer_data(data, wav)
    return Materials(
        persona=(REPO / "personas" / f"{PERSONA_ID}.yaml").read_bytes(),
        rubric=(REPO / "simulator" / "scoring" / "rubric.yaml").read_bytes(),
        replies=[line for line in lines if line.strip()][:12],
        wav=wav.read_bytes(),
        data=data,
        call_id=call_id,
        spoken_id=spoken_id,
        export=_laptop_export(root),
    )
