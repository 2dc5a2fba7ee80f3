"""`callsim demo`: a whole spoken call with no microphone: a scripted trainee answers."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from simulator.cli.options import (
    DataDir,
    Engine,
    InputDevice,
    Json,
    NoVoice,
    OutputDevice,
    Rubric,
    check_devices,
    check_engine,
    parse_seed,
)
from simulator.cli.persona_search import PersonaFolders, use_personas


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    persona_id: Annotated[str, typer.Option(
        "--persona", help="The persona to call: its id or its file.")] = "covered-carl",
    seed: Annotated[int, typer.Option("--seed", parser=parse_seed,
                                      help="Make the call repeatable.")] = 1,
    engine: Engine = None,
    no_voice: NoVoice = False,
    input_device: InputDevice = None,
    output_device: OutputDevice = None,
    persona_folders: PersonaFolders = None,
    ctx: typer.Context = None,
    as_json: Json = False,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
) -> None:
    """Play a whole call: the prospect speaks, a synthesized trainee answers through the same
    speech recognition path, and the scorecard follows."""
    from rich.console import Console

    from simulator.cli.render import print_call
    from simulator.dialog.validate import get_persona
    from simulator.scoring.rubric import load_rubric
    from simulator.session.call import CallOptions, CallSession
    from simulator.session.voice_setup import demo_engines
    from simulator.storage.calls import CallStore

    console = Console(stderr=as_json, highlight=False)
    use_personas(ctx, persona_folders, data_dir)
    persona = get_persona(persona_id).persona
    rubric = load_rubric(rubric_path, data_dir)
    check_engine(engine, None)
    check_devices(input_device, output_device, microphone=not no_voice, speakers=not no_voice)
    trainee_input, prospect, route = demo_engines(console, persona, engine, input_device,
                                                  output_device, no_voice)
    route_text = ("played through the speakers into the microphone" if route == "looped"
                  else "fed straight to the speech recognizer")
    console.print(f"Demo call with {persona.name}: the trainee's replies are synthesized and "
                  f"{route_text}.", style="dim")
    # A demo's replies are synthesized, not a trainee's voice: nothing worth keeping to play.
    options = CallOptions(seed=seed, trainee="demo", mode="demo", rubric=rubric, record=False)
    with CallStore.open(data_dir) as store:
        try:
            record = CallSession(persona, store, trainee_input, prospect, options,
                                 on_turn=_echo_trainee(console)).run()
        finally:
            trainee_input.close()
    if as_json:
        typer.echo(json.dumps(record.to_json(), ensure_ascii=False))
    else:
        print_call(console, record.to_json(), rubric)


def _echo_trainee(console):
    def echo(turn) -> None:
        if turn.speaker == "trainee":
            console.print(f"[bold blue]Trainee (heard):[/] {turn.text}", highlight=False)
    return echo
