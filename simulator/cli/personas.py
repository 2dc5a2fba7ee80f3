"""`callsim personas ...`: list, show, validate, test and create persona files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from simulator.cli.options import DataDir, Json
from simulator.cli.persona_search import PersonaFolders, use_personas

personas_app = typer.Typer(
    help="Scripted prospects: list, inspect, check and create persona files.",
    no_args_is_help=True,
)


@personas_app.command("list")
def list_personas(
    as_json: Json = False,
    folders: PersonaFolders = None,
    ctx: typer.Context = None,
    data_dir: DataDir = None,
) -> None:
    """List the personas available for calls, and where each comes from."""
    from simulator.dialog.loader import SHIPPED
    from simulator.dialog.validate import load_personas

    use_personas(ctx, folders, data_dir)
    loaded = load_personas()
    if as_json:
        rows = [
            {"id": p.id, "name": p.name, "role": p.role, "company": p.company,
             "difficulty": p.difficulty, "tags": list(p.tags), "source": item.source,
             "path": str(item.path), "overrides": list(item.hides)}
            for item in loaded for p in [item.persona]
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    rows = [("ID", "NAME", "ROLE @ COMPANY", "DIFFICULTY", "FROM", "TAGS")] + [
        (p.id, p.name, f"{p.role} @ {p.company}", str(p.difficulty), item.source,
         ", ".join(p.tags))
        for item in loaded for p in [item.persona]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row[:5], widths, strict=True)] + [row[5]]
        typer.echo("  ".join(cells).rstrip())
    for item in loaded:
        if item.hides:
            hidden = " and ".join("the shipped one" if source == SHIPPED else
                                  f"the one from {source}" for source in item.hides)
            typer.echo(f"{item.persona.id} ({item.source}) overrides {hidden}")


@personas_app.command("show")
def show(
    persona: str = typer.Argument(..., metavar="ID|PATH",
                                  help="A persona id, or the path of its file."),
    folders: PersonaFolders = None,
    ctx: typer.Context = None,
    data_dir: DataDir = None,
) -> None:
    """Show a persona's file, briefing, voice and states."""
    from simulator.dialog.validate import get_persona

    use_personas(ctx, folders, data_dir)
    loaded = get_persona(persona)
    p = loaded.persona
    v = p.voice
    typer.echo(f"{p.name} — {p.role} @ {p.company} (id {p.id}, difficulty {p.difficulty})")
    typer.echo(f"file: {loaded.path} ({loaded.source})")
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
    names: list[str] = typer.Argument(
        None, metavar="[ID|PATH]...", show_default=False,
        help="Persona ids, files or folders (default: every persona on the search path)."),
    folders: PersonaFolders = None,
    ctx: typer.Context = None,
    data_dir: DataDir = None,
) -> None:
    """Check persona files; print every problem as path:line:column: message."""
    from simulator.dialog.validate import check_paths, check_search_path
    from simulator.errors import problem_lines

    use_personas(ctx, folders, data_dir)
    if names:
        sound, problems = check_paths(_named_files(names))
    else:
        sound, problems = check_search_path()
    for line in problem_lines(problems):
        typer.echo(line)
    _pronunciation_warnings(sound)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{len(sound)} persona{'' if len(sound) == 1 else 's'} OK")


def _pronunciation_warnings(sound: list) -> None:
    """Words the recognizer cannot pronounce: warnings on stderr, not problems (the exit code
    and the report on stdout stay as they were)."""
    from simulator.errors import printable
    from simulator.voice.domain_lm.check import pronunciation_warnings

    for loaded in sound:
        for warning in pronunciation_warnings(loaded):
            typer.echo(printable(str(warning)), err=True)


def _named_files(names: list[str]) -> list[Path]:
    """Each name as the file or folder it names, else as the id of a persona on the search path
    (its file is <id>.yaml); InputError naming those that are neither."""
    from simulator.dialog.loader import SUFFIXES, looks_like_path, persona_dirs
    from simulator.errors import InputError

    def find(name: str) -> Path | None:
        if Path(name).exists() or looks_like_path(name):
            return Path(name) if Path(name).exists() else None
        files = [folder / f"{name}{suffix}" for folder in persona_dirs() for suffix in SUFFIXES]
        return next((file for file in files if file.is_file()), None)

    found = {name: find(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    return [path for path in found.values() if path is not None]


@personas_app.command("test")
def test(
    names: list[str] = typer.Argument(None, metavar="[ID|PATH]...", show_default=False,
                                      help="Persona ids or files (default: all)."),
    folders: PersonaFolders = None,
    ctx: typer.Context = None,
    data_dir: DataDir = None,
) -> None:
    """Run the golden conversations of personas; exit 1 if any fails."""
    from simulator.dialog.golden import run_goldens
    from simulator.dialog.validate import get_persona, load_personas

    use_personas(ctx, folders, data_dir)
    loaded = [get_persona(name) for name in names] if names else load_personas()
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
    directory: Path = typer.Option(
        None, "--dir", metavar="DIR", show_default=False,
        help="Folder to write it in (default: the personas folder of the data directory)."),
    data_dir: DataDir = None,
) -> None:
    """Write a commented starter persona to edit (into the data directory by default)."""
    import re

    from simulator.dialog.loader import data_personas_dir
    from simulator.dialog.persona import ID_MAX_LENGTH, ID_PATTERN
    from simulator.dialog.starter import write_starter
    from simulator.errors import UsageError, shorten

    if len(persona_id) > ID_MAX_LENGTH or not re.fullmatch(ID_PATTERN, persona_id):
        raise UsageError(
            f"persona id '{shorten(persona_id)}' must be lowercase letters and digits in words "
            f"joined by hyphens, at most {ID_MAX_LENGTH} characters, e.g. 'covered-carl'"
        )
    path = write_starter(persona_id, directory or data_personas_dir(data_dir))
    typer.echo(f"wrote {path}; edit it, then check it with: callsim personas validate {path}")


@personas_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of persona files, for editors that complete YAML."""
    from simulator.dialog.starter import SCHEMA_PATH

    typer.echo(SCHEMA_PATH.read_text(encoding="utf-8"), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(personas_app, name="personas")
