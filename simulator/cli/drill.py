"""`callsim drill`: one objection, one reply, instant verdicts, next; weak spots come back."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from simulator.cli.options import (
    Cue,
    DataDir,
    EndSilence,
    Engine,
    InputDevice,
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

REASON_LABELS = {"new": "new", "retry": "again: handled poorly last time", "review": "review",
                 "early": "review (early)"}
UNCLEAR_HINT = ("Heard unclearly: the recognizer was unsure of the words this rests on, so it "
                "does not count against you; say it again when the objection comes back.")
STOP_LABELS = {"time": "time is up", "end_of_input": "end of input", "interrupted": "stopped"}
# What each kind of item asks the trainee for (simulator/scoring/stages.py).
STAGE_LABELS = {"opening": "the first reply: thank, accept, probe",
                "close": "later in the call, they opened up: close"}


def register(app: typer.Typer) -> None:
    app.command("drill")(drill)


def drill(
    trainee: Trainee = None,
    minutes: Annotated[float, typer.Option("--minutes", min=0, metavar="MINUTES",
                                           show_default=False,
                                           help="How long to drill (default: 10; checked "
                                           "after each answer).")] = 10.0,
    text: Annotated[bool, typer.Option("--text", help="Type the replies (or pipe them, one "
                                       "per line) instead of speaking.")] = False,
    seed: Annotated[int | None, typer.Option("--seed", parser=parse_seed, help="Fix the "
                                             "order of new objections.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the drill's summary as JSON "
                                          "(the drill itself goes to stderr).")] = False,
    data_dir: DataDir = None,
    rubric_path: Rubric = None,
    workshop: Workshop = None,
    wav: Wav = None,
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
    """Drill single objections: the prospect says no, you answer once, verdicts, next one.
    Objections you handled poorly come back sooner. Every answer is saved to your history."""
    from rich.console import Console

    from simulator.drill.bank import load_bank
    from simulator.drill.session import DrillOptions, DrillSession
    from simulator.scoring.rubric import load_rubric
    from simulator.storage.calls import CallStore

    use_personas(ctx, persona_folders, data_dir)
    replies = None
    if wav and not text:
        from simulator.session.voice_call import read_replies

        replies = read_replies(wav)  # a bad file is refused before anything is asked or saved
    console = Console(stderr=as_json, highlight=False)
    rubric = load_rubric(rubric_path, data_dir)  # as practice: a trainer's rubric too
    bank = load_bank()
    if not text:
        check_engine(engine, data_dir)
    check_devices(input_device, output_device, microphone=not text and not wav,
                  speakers=not text and not no_voice)
    options = DrillOptions(minutes=minutes, seed=seed, trainee=trainee, workshop=workshop,
                           rubric=rubric, record=not no_record)
    with CallStore.open(data_dir) as store:
        if text:
            from simulator.drill.engines import typed_engines

            trainee_input, prospect = typed_engines(console, bank, sys.stdin.buffer,
                                                    sys.stdin.isatty(), sys.stdout.isatty())
        else:
            from simulator.drill.engines import voice_engines

            trainee_input, prospect = voice_engines(console, bank, replies, no_voice, engine,
                                                    input_device, output_device,
                                                    end_silence=end_silence, cue=cue,
                                                    data_dir=data_dir)
        echo = not (text and sys.stdin.isatty())  # show what was piped in or heard
        session = DrillSession(bank, store, trainee_input, prospect, options,
                               on_ask=_announce(console), on_item=_verdicts(console, rubric, echo))
        try:
            result = session.run()
        finally:
            getattr(trainee_input, "close", lambda: None)()
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    _summary(console, result, rubric)
    if session.unrecorded:
        console.print(f"The audio of your answers was not all kept: {session.unrecorded}",
                      style="yellow")


def _announce(console):
    from rich.markup import escape

    def announce(number, objection, pick) -> None:
        console.print(f"\n[bold]{number}.[/] [dim]{REASON_LABELS[pick.reason]} · "
                      f"{escape(objection.role)} at {escape(objection.company)} · "
                      f"{STAGE_LABELS[objection.stage]}[/]")
    return announce


def _verdicts(console, rubric, echo: bool):
    from rich.markup import escape
    from rich.text import Text

    from simulator.cli.render import UNCLEAR_LABEL, fix_text, score_heading
    from simulator.scoring.fixes import fixes
    from simulator.scoring.hearings import hearing_of

    def show(item) -> None:
        if echo:
            heard = " (heard)" if item.reply.source != "text" else ""
            console.print(f"[bold blue]You{heard}:[/] {escape(item.reply.text)}")
        console.print(score_heading(item.score))
        # The heaviest failure first, each with its advice, the words said and a rewrite.
        for fix in fixes(item.scorecard, [item.reply.text], rubric):
            label = UNCLEAR_LABEL if fix.check in item.unclear else ("FAIL", "bold red")
            console.print(fix_text(fix, Text.assemble("  ", label, f" {fix.title}")))
        for check, result in item.scorecard["checks"].items():
            if (heard := hearing_of(result)) is not None:
                console.print(Text.assemble(
                    "  ", ("PASS", "bold green"), f" {rubric.checks[check].title}: heard as ",
                    (f'"{heard}"', "green"), " (another hearing of your words)"))
        if item.unclear:
            console.print(f"  {UNCLEAR_HINT}", style=UNCLEAR_LABEL[1])
        elif not item.failed:
            console.print("  [bold green]Every check passed.[/]")
    return show


def _summary(console, result, rubric) -> None:
    stop = STOP_LABELS[result.stopped]
    if not result.items:
        console.print(f"\nDrill over ({stop}): no objection answered, nothing saved.")
        return
    count = len(result.items)
    console.print(f"\n[bold]Drill over ({stop}):[/] {count} objection"
                  f"{'s' if count != 1 else ''}, average score {result.average:g}/100.")
    weakest = ", ".join(f"{rubric.checks[check].title} (failed {failed} of {count})"
                        for check, failed in result.weakest())
    if weakest:
        console.print(f"Weakest: {weakest}.")
    console.print("Saved to your history as drill calls (see `callsim history`).", style="dim")
