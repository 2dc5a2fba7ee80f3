"""One fuzz case: the command line, the files it reads, and what a good answer is.

Text in `argv`, `env` and file names may hold placeholders filled in when the case runs:
{case} (the case's own directory, also the working directory), {data} (its data directory,
a copy of the trainer's), {call} (the id of a typed call saved there) and {spoken} (the id of
the spoken call saved there, its reply recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    family: str
    index: int
    seed: int
    what: str  # the input, in a few words, for reports
    argv: tuple[str, ...]
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content
    dirs: tuple[str, ...] = ()  # relative paths made as (empty) directories
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)
    fault: str | None = None  # a broken data directory (see faults.py)
    expect: str = "error"  # "error": must exit non-zero; "any": exit 0 is fine too
    names: tuple[str, ...] = ()  # a failure's message must contain one of these (what is bad)

    @property
    def id(self) -> str:
        return f"{self.family}-{self.index}"
