"""`callsim score`: score one reply, or a JSON-lines batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from simulator.errors import InputError, UsageError

RubricOption = Annotated[Path | None, typer.Option(
    "--rubric", help="A rubric YAML file to score with instead of the shipped one.")]


def register(app: typer.Typer) -> None:
    app.command("score")(score)


def score(
    text: Annotated[str | None, typer.Argument(help="What the trainee said.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    jsonl: Annotated[str | None, typer.Option(
        "--jsonl", metavar="PATH", help='Score a file of {"text": ...} lines ("-" for stdin).')
    ] = None,
    rubric_path: RubricOption = None,
) -> None:
    """Score a reply to a prospect's "no" against the rubric."""
    from simulator.scoring.rubric import load_rubric
    from simulator.scoring.scorer import score_text

    rubric = load_rubric(rubric_path)
    if jsonl is not None:
        if text is not None:
            raise UsageError("give either TEXT or --jsonl PATH, not both")
        raise typer.Exit(_score_batch(jsonl, rubric))
    if text is None:
        raise UsageError('give the reply to score: callsim score "Thanks for your honesty..."')
    from simulator.scoring.replies import check_reply

    card = score_text(check_reply(text), rubric=rubric).to_json()
    if as_json:
        typer.echo(json.dumps(card, ensure_ascii=False))
        return
    from rich.console import Console

    from simulator.cli.render import print_scorecard

    print_scorecard(Console(), card, text, rubric)


def _open_lines(path: str):
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _score_batch(path: str, rubric) -> int:
    """Score each line; bad lines are reported and skipped. Returns the exit code."""
    from simulator.scoring.replies import parse_jsonl_line
    from simulator.scoring.scorer import score_text

    failures = total = 0
    out = sys.stdout
    stream = _open_lines(path)
    try:
        for number, raw in enumerate(stream, 1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            total += 1
            try:
                record = parse_jsonl_line(raw, number)
            except InputError as exc:
                failures += 1
                typer.echo(f"callsim: {exc}", err=True)
                continue
            result = {key: value for key, value in record.items() if key != "text"}
            result.update(score_text(record["text"], rubric=rubric).to_json())
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    if failures:
        typer.echo(f"callsim: {failures} of {total} lines failed", err=True)
        return 1
    return 0
