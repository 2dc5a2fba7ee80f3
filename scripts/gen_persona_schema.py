"""Regenerate simulator/dialog/persona.schema.json from the pydantic persona model.

Run after changing simulator/dialog/persona.py:  .venv/bin/python scripts/gen_persona_schema.py
(tests/dialog/test_schema.py fails while the committed file is out of date).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.dialog.persona import json_schema  # noqa: E402
from simulator.dialog.starter import SCHEMA_PATH  # noqa: E402


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
