"""The seeded generator: case `index` of seed `seed` is always the same case (as long as the
shipped persona and rubric it damages are unchanged).

Families take turns by a fixed schedule (cheap families more often than WAV replies, which
load a recognizer), and each case draws from its own random.Random("seed:index"), so any one
case can be made again on its own: `benchmarks/fuzz.py --seed S --only FAMILY-INDEX`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from random import Random

from tests.fuzz.case import Case
from tests.fuzz.cli_cases import args_case, datadir_case
from tests.fuzz.data_cases import import_case, jsonl_case, stdin_case, wav_case
from tests.fuzz.materials import Materials
from tests.fuzz.search_cases import search_case
from tests.fuzz.yaml_cases import persona_case, rubric_case

FAMILIES: dict[str, Callable[[Random, Materials], dict]] = {
    "persona": persona_case,
    "rubric": rubric_case,
    "jsonl": jsonl_case,
    "import": import_case,
    "wav": wav_case,
    "args": args_case,
    "datadir": datadir_case,
    "stdin": stdin_case,
    "search": search_case,
}
SCHEDULE = ["args", "persona", "rubric", "jsonl", "import", "datadir", "args", "persona",
            "rubric", "jsonl", "import", "datadir", "args", "wav", "stdin", "args", "search",
            "args"]


def family_of(index: int) -> str:
    return SCHEDULE[index % len(SCHEDULE)]


def case_at(materials: Materials, seed: int, index: int) -> Case:
    family = family_of(index)
    rng = Random(f"{seed}:{index}")
    return Case(family=family, index=index, seed=seed, **FAMILIES[family](rng, materials))


def generate(materials: Materials, seed: int, count: int) -> Iterator[Case]:
    for index in range(count):
        yield case_at(materials, seed, index)
