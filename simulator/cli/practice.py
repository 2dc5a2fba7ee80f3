"""`callsim practice`: a whole call with a persona, typed (--text), from WAV files or spoken."""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated

import typer

from simulator.cli.options import (
    SEED_MAX,
    DataDir,
    Engine,
    InputDevice,
    Json,
    NoVoice,
    OutputDevice,
    Rubric,
    Trainee,
    Wav,
    Workshop,
)


def register(app: typer.Typer) -> None:
    app.command("practice")(practice)


def practice(
    persona_id: Annotated[str, typer.Option("--persona", help="The persona to call (see "
                                            "`callsim personas list`).")],
    text: Annotated[bool, typer.Option("--text", help="Type the replies (or pipe them, one "
                                       "per line) instead of speaking.")] = False,
    wav: Wav = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, max=SEED_MAX,
                                             help="Make the call repeatable.")] = None,
    trainee: Trainee = None,
    workshop: Workshop = None,
    as_json: Json = False,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
    no_voice: NoVoice = False,
    engine: Engine = None,
    input_device: InputDevice = None,
    output_device: OutputDevice = None,
) -> None:
    """Practise a call: the prospect says no, you answer, the prospect reacts; then a scorecard."""
    from rich.console import Console
    from rich.panel import Panel

    from simulator.cli.render import print_call
    from simulator.dialog.validate import get_persona
    from simulator.scoring.rubric import load_rubric
    from simulator.session.call import CallOptions, CallSession
    from simulator.storage.calls import CallStore

    console = Console(stderr=as_json, highlight=False)
    persona = get_persona(persona_id).persona
    replies = None
    if wav and not text:
        from simulator.session.voice_call import read_replies

        replies = read_replies(wav)  # a bad file is refused before the call is started
    rubric = load_rubric(rubric_path, data_dir)
    mode = "text" if text else "wav" if wav else "mic"
    options = CallOptions(seed=seed, trainee=trainee, workshop=workshop, mode=mode,
                          rubric=rubric)
    with CallStore.open(data_dir) as store:
        # A workshop that needs a name refuses before the briefing, not after it.
        options.workshop = store.workshop_for(trainee, workshop, mode)
        console.print(f"[bold]{persona.name}[/], {persona.role} at {persona.company} "
                      f"(difficulty {persona.difficulty})")
        briefing = re.sub(r"(?<!\n)\n(?!\n)", " ", persona.briefing.strip())  # lines to prose
        console.print(Panel(briefing, title="Briefing", title_align="left"))
        if text:
            trainee_input, prospect = _typed_engines(console, persona.name)
        else:
            from simulator.session.voice_setup import voice_engines

            trainee_input, prospect = voice_engines(
                console, persona, wav=replies, no_voice=no_voice, engine=engine,
                input_device=input_device, output_device=output_device)
        session = CallSession(persona, store, trainee_input, prospect, options)
        try:
            record = session.run()
        finally:
            getattr(trainee_input, "close", lambda: None)()
    if as_json:
        typer.echo(json.dumps(record.to_json(), ensure_ascii=False))
    else:
        print_call(console, record.to_json(), rubric)


def _typed_engines(console, name: str):
    from simulator.session.text_io import PrintedProspect, TypedReplies

    interactive = sys.stdin.isatty()
    prompt = (lambda: console.print("[bold blue]You:[/] ", end="")) if interactive else None
    if interactive:
        console.print("Type your replies; an empty line is ignored, Ctrl-D or Ctrl-C hangs up.",
                      style="dim")
    return TypedReplies(sys.stdin.buffer, prompt), PrintedProspect(console, name)
