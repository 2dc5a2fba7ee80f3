"""`callsim personas ...`: list, show, validate, test and create persona files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

personas_app = typer.Typer(
    help="Scripted prospects: list, inspect, check and create persona files.",
    no_args_is_help=True,
)


@personas_app.command("list")
def list_personas(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the personas available for calls."""
    from simulator.dialog.validate import load_personas

    personas = [p.persona for p in load_personas()]
    if as_json:
        rows = [
            {"id": p.id, "name": p.name, "role": p.role, "company": p.company,
             "difficulty": p.difficulty, "tags": list(p.tags)}
            for p in personas
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    rows = [("ID", "NAME", "ROLE @ COMPANY", "DIFFICULTY", "TAGS")] + [
        (p.id, p.name, f"{p.role} @ {p.company}", str(p.difficulty), ", ".join(p.tags))
        for p in personas
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row[:4], widths, strict=True)] + [row[4]]
        typer.echo("  ".join(cells).rstrip())


@personas_app.command("show")
def show(persona_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Show a persona's briefing, voice and states."""
    from simulator.dialog.validate import get_persona

    p = get_persona(persona_id).persona
    v = p.voice
    typer.echo(f"{p.name} — {p.role} @ {p.company} (id {p.id}, difficulty {p.difficulty})")
    typer.echo(f"tags: {', '.join(p.tags) or '-'}")
    typer.echo(f"voice: {v.gender}, rate {v.rate}, pitch {v.pitch}, variant {v.variant or '-'}")
    typer.echo(f"patience: {p.patience} poor replies; at most {p.max_turns} replies")
    typer.echo("\nbriefing:\n" + "\n".join("  " + ln for ln in p.briefing.splitlines()))
    typer.echo("\nopening:")
    for line in p.opening:
        typer.echo(f"  - {line}")
    typer.echo(f"\nstates (starts in {p.start}):")
    for name, state in p.states.items():
        moves = [(r.when, r) for r in state.on] + [(None, state.fallback)]
        typer.echo(f"  {name}:")
        for when, move in moves:
            cond = _describe_when(when) if when else "otherwise"
            dest = f"end: {move.end}" if move.end else f"-> {move.goto or name}"
            typer.echo(f"    {cond}: {dest}{' (poor)' if move.poor else ''}")
    if p.anytime:
        typer.echo("  in any state:")
        for rule in p.anytime:
            dest = f"end: {rule.end}" if rule.end else f"-> {rule.goto}"
            typer.echo(f"    {_describe_when(rule.when)}: {dest}{' (poor)' if rule.poor else ''}")
    typer.echo(f"\noutcomes: {', '.join(p.outcomes)}")
    typer.echo(f"golden conversations: {len(p.golden)}")


def _describe_when(when) -> str:
    parts = [f"{key} [{', '.join(getattr(when, key))}]" for key in ("all", "any", "none",
                                                                   "earlier")
             if getattr(when, key)]
    if when.phrases:
        parts.append("phrases [" + ", ".join(repr(x) for x in when.phrases) + "]")
    return " and ".join(parts)


@personas_app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(None, metavar="[PATH]...", show_default=False,
                                       help="Persona files or folders (default: all)."),
) -> None:
    """Check persona files; print every problem as path:line:column: message."""
    from simulator.dialog.loader import persona_dirs
    from simulator.dialog.validate import check_paths
    from simulator.errors import InputError, problem_lines

    targets = list(paths) if paths else persona_dirs()
    missing = [str(p) for p in targets if not p.exists()]
    if missing and paths:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    sound, problems = check_paths([p for p in targets if p.exists()])
    for line in problem_lines(problems):
        typer.echo(line)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{len(sound)} persona{'' if len(sound) == 1 else 's'} OK")


@personas_app.command("test")
def test(
    persona_ids: list[str] = typer.Argument(None, metavar="[ID]...", show_default=False,
                                            help="Persona ids (default: all)."),
) -> None:
    """Run the golden conversations of personas; exit 1 if any fails."""
    from simulator.dialog.golden import run_goldens
    from simulator.dialog.validate import get_persona, load_personas

    loaded = [get_persona(i) for i in persona_ids] if persona_ids else load_personas()
    passed = failed = 0
    for item in loaded:
        for result in run_goldens(item.persona):
            verdict = "PASS" if result.passed else "FAIL"
            typer.echo(f"{verdict} {result.persona_id}: {result.name}: {result.explain()}")
            passed, failed = passed + result.passed, failed + (not result.passed)
    typer.echo(f"{passed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)


@personas_app.command("new")
def new(
    persona_id: str = typer.Argument(..., metavar="ID"),
    directory: Path = typer.Option(None, "--dir", help="Folder to write it in."),
) -> None:
    """Write a commented starter persona to edit."""
    import re

    from simulator.dialog.loader import persona_dirs
    from simulator.dialog.persona import ID_MAX_LENGTH, ID_PATTERN
    from simulator.dialog.starter import write_starter
    from simulator.errors import UsageError, shorten

    if len(persona_id) > ID_MAX_LENGTH or not re.fullmatch(ID_PATTERN, persona_id):
        raise UsageError(
            f"persona id '{shorten(persona_id)}' must be lowercase letters and digits in words "
            f"joined by hyphens, at most {ID_MAX_LENGTH} characters, e.g. 'covered-carl'"
        )
    if directory is None:
        import os

        from platformdirs import user_data_dir

        env = os.environ.get("CALLSIM_PERSONAS")
        directory = persona_dirs()[0] if env else Path(user_data_dir("callsim")) / "personas"
    path = write_starter(persona_id, directory)
    typer.echo(f"wrote {path}; edit it, then check it with: callsim personas validate {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(personas_app, name="personas")
