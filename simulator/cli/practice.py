"""`callsim practice`: a whole call with a persona, typed (--text), from WAV files or spoken."""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated

import typer

from simulator.cli.options import (
    Cue,
    DataDir,
    EndSilence,
    Engine,
    InputDevice,
    Json,
    NoRecord,
    NoVoice,
    OutputDevice,
    Rubric,
    Trainee,
    Wav,
    Workshop,
    check_devices,
    check_engine,
    parse_seed,
)
from simulator.cli.persona_search import PersonaFolders, use_personas


def register(app: typer.Typer) -> None:
    app.command("practice")(practice)
    app.command("practise", hidden=True)(practice)  # the verb as the README spells it


def practice(
    persona_id: Annotated[str, typer.Option("--persona", help="The persona to call: its id (see "
                                            "`callsim personas list`) or its file.")],
    text: Annotated[bool, typer.Option("--text", help="Type the replies (or pipe them, one "
                                       "per line) instead of speaking.")] = False,
    wav: Wav = None,
    seed: Annotated[int | None, typer.Option("--seed", parser=parse_seed,
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
    end_silence: EndSilence = 0.6,
    cue: Cue = True,
    persona_folders: PersonaFolders = None,
    ctx: typer.Context = None,
    no_record: NoRecord = False,
) -> None:
    """Practise a call: the prospect says no, you answer, the prospect reacts; then a scorecard."""
    from rich.console import Console
    from rich.panel import Panel

    from simulator.cli.render import print_call
    from simulator.dialog.validate import get_persona
    from simulator.scoring.rubric import load_rubric
    from simulator.session.call import CallOptions, CallSession
    from simulator.session.text_io import wait_for_enter
    from simulator.storage.calls import CallStore

    console = Console(stderr=as_json, highlight=False)
    use_personas(ctx, persona_folders, data_dir)
    persona = get_persona(persona_id).persona
    replies = None
    if wav and not text:
        from simulator.session.voice_call import read_replies

        replies = read_replies(wav)  # a bad file is refused before the call is started
    rubric = load_rubric(rubric_path, data_dir)
    mode = "text" if text else "wav" if wav else "mic"
    if mode != "text":
        check_engine(engine, data_dir)
    check_devices(input_device, output_device, microphone=mode == "mic",
                  speakers=mode != "text" and not no_voice)
    options = CallOptions(seed=seed, trainee=trainee, workshop=workshop, mode=mode,
                          rubric=rubric, record=not no_record)
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
                input_device=input_device, output_device=output_device,
                end_silence=end_silence, cue=cue, data_dir=data_dir)
        session = CallSession(persona, store, trainee_input, prospect, options)
        try:
            if mode == "mic" and not wait_for_enter(console, sys.stdin):
                console.print("Hung up before the call started; nothing was saved.")
                return
            record = session.run()
        finally:
            getattr(trainee_input, "close", lambda: None)()
    if as_json:
        typer.echo(json.dumps(record.to_json(), ensure_ascii=False))
    else:
        print_call(console, record.to_json(), rubric)
    if session.unrecorded:
        console.print(f"The audio of your replies was not all kept: {session.unrecorded}",
                      style="yellow")


def _typed_engines(console, name: str):
    from simulator.session.text_io import PrintedProspect, typed_replies

    interactive = sys.stdin.isatty()
    if interactive:
        console.print("Type your replies; an empty line is ignored, Ctrl-D or Ctrl-C hangs up.",
                      style="dim")
    replies = typed_replies(console, sys.stdin.buffer, interactive, sys.stdout.isatty())
    return replies, PrintedProspect(console, name)
