"""`callsim score`: score one reply, or a JSON-lines batch."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from simulator.errors import MAX_PROBLEMS_SHOWN, InputError, UsageError, printable

RubricOption = Annotated[Path | None, typer.Option(
    "--rubric", help="A rubric YAML file to score with instead of the shipped one.")]


class Stage(str, Enum):
    """The stages of simulator/scoring/stages.py (listed here so `--help` imports no scorer)."""

    opening = "opening"
    close = "close"
    call = "call"


StageOption = Annotated[Stage, typer.Option(
    "--stage", case_sensitive=False,
    help='What the reply is judged on. opening: the reply to the "no" (the closing checks '
         "count only if it tries to close); close: a reply later in the call (thanks, "
         "acceptance and the issues question are n/a); call: every check, as a whole call.")]


def register(app: typer.Typer) -> None:
    app.command("score")(score)


def score(
    text: Annotated[str | None, typer.Argument(help="What the trainee said.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    jsonl: Annotated[Path | None, typer.Option(
        "--jsonl", metavar="PATH", help='Score a file of {"text": ...} lines ("-" for stdin).')
    ] = None,
    rubric_path: RubricOption = None,
    stage: StageOption = Stage.opening,
) -> None:
    """Score a reply to a prospect's "no" against the rubric."""
    from simulator.scoring.rubric import load_rubric

    rubric = load_rubric(rubric_path)
    if jsonl is not None:
        if text is not None:
            raise UsageError("give either TEXT or --jsonl PATH, not both")
        raise typer.Exit(_score_batch(jsonl, rubric, stage.value))
    if text is None:
        raise UsageError('give the reply to score: callsim score "Thanks for your honesty..."')
    from simulator.scoring.replies import check_reply

    card = _score_one(check_reply(text), stage.value, rubric)
    if as_json:
        typer.echo(json.dumps(card, ensure_ascii=False))
        return
    from rich.console import Console

    from simulator.cli.render import print_scorecard

    print_scorecard(Console(), card, text, rubric)


def _open_lines(path: Path):
    if str(path) == "-":
        return sys.stdin.buffer
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _score_one(text: str, stage: str, rubric) -> dict:
    """The scorecard of one reply at a stage of the call, as JSON."""
    from simulator.scoring.detect import detect
    from simulator.scoring.stages import score_reply

    return score_reply(detect(text, None, rubric), stage, rubric).to_json()


def _score_batch(path: Path, rubric, stage: str = "opening") -> int:
    """Score each line; bad lines are reported and skipped. Returns the exit code."""
    from simulator.scoring.replies import parse_jsonl_line

    failures = total = 0
    out = sys.stdout
    label = "<stdin>" if str(path) == "-" else path
    stream = _open_lines(path)
    try:
        for number, raw in enumerate(stream, 1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            total += 1
            try:
                record = parse_jsonl_line(raw)
            except InputError as exc:  # located like a compiler error; the batch goes on
                failures += 1
                if failures <= MAX_PROBLEMS_SHOWN:  # the first few say what is wrong
                    typer.echo(printable(f"{label}:{number}: {exc}"), err=True)
                continue
            result = {key: value for key, value in record.items() if key != "text"}
            result.update(_score_one(record["text"], stage, rubric))
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    if failures:
        unlisted = failures - MAX_PROBLEMS_SHOWN
        more = f" (…and {unlisted} more bad line{'s' * (unlisted > 1)})" if unlisted > 0 else ""
        typer.echo(f"callsim: {failures} of {total} lines failed{more}", err=True)
        return 1
    return 0
