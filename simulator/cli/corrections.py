"""`callsim correct` and `callsim rescore`: fix what the recognizer heard, and score again."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from simulator.cli.options import DataDir, Engine, Json, Rubric


def register(app: typer.Typer) -> None:
    app.command("correct")(correct)
    app.command("rescore")(rescore)


def correct(
    call_id: Annotated[str, typer.Argument(metavar="CALL_ID", help="An id or its prefix.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What you really said, in quotes.")],
    turn: Annotated[int, typer.Option(
        "--turn", metavar="N", help="Which of your replies: the number beside 'You' in "
        "`callsim show`.")],
    as_json: Json = False,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
) -> None:
    """Replace what the recognizer heard in one of your replies and score the call again; the
    text it heard stays on record beside your correction."""
    from simulator.errors import UsageError
    from simulator.scoring.rubric import load_rubric
    from simulator.session.revision import CORRECTION, chosen_reply, rescored, revised
    from simulator.storage.calls import CallStore

    if not text.strip():
        raise UsageError("the corrected reply is empty; give what you said, in quotes")
    rubric = load_rubric(rubric_path, data_dir)
    with CallStore.open(data_dir) as store:
        before = store.get_call(call_id)
        heard = chosen_reply(before, turn)

        def revise(current):
            return rescored(current, [revised(chosen_reply(current, turn), text, [], CORRECTION,
                                              rubric)], rubric)

        after = store.revise_call(before.call_id, revise)
    if as_json:
        typer.echo(json.dumps(after.to_json(), ensure_ascii=False))
        return
    now = next(t for t in after.turns if t.index == heard.index)
    typer.echo(f"Reply {turn} of call {after.call_id} corrected.\n"
               f"  heard:     {heard.text}\n  corrected: {now.text}\n"
               f"Score: {_score(before.score)} -> {_score(after.score)}/100")


def rescore(
    call_id: Annotated[str | None, typer.Argument(
        metavar="[CALL_ID]", help="An id or its prefix (or use --all).")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Every spoken call with recorded replies.")] = False,
    engine: Engine = None,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
) -> None:
    """Hear a call's recorded replies again (e.g. once a Vosk model is installed) and score it
    again; old transcripts stay on record, replies corrected by hand are kept."""
    from rich.console import Console

    from simulator.errors import NoRecordingError, UsageError
    from simulator.scoring.rubric import load_rubric
    from simulator.session.rescore import hearable_call, recorded_call, rescore_call
    from simulator.session.revision import CORRECTABLE_MODES
    from simulator.session.voice_setup import recognizer_for
    from simulator.storage.calls import CallStore

    if (call_id is None) == (not every):
        raise UsageError("give a CALL_ID or --all (one of them)")
    rubric = load_rubric(rubric_path, data_dir)
    with CallStore.open(data_dir) as store:
        if call_id is not None:
            hearable_call(store, call_id)  # a call it cannot hear is refused before a model loads
            ids = [call_id]
        else:
            ids = [c.call_id for c in store.list_calls()
                   if c.mode in CORRECTABLE_MODES and c.outcome is not None
                   and recorded_call(store, c.call_id)]
            if not ids:
                raise NoRecordingError("no saved call has recorded replies; nothing to hear "
                                       "again")
        recognizer = recognizer_for(Console(stderr=True, highlight=False), engine,
                                    data_dir=data_dir)
        for each in reversed(ids):  # oldest first
            typer.echo(rescore_call(store, each, recognizer, rubric).line())


def _score(score: int | None) -> str:
    return "-" if score is None else str(score)
