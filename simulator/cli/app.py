"""The typer application: registers each command module (each kept thin and lazily importing)."""

from __future__ import annotations

import errno
import sys
from typing import Annotated, NoReturn

import typer
from typer.core import TyperGroup

from simulator.cli.arguments import RAW_ARGS, check_arguments
from simulator.cli.helpwords import plain_help
from simulator.cli.usage import click_errors, usage_message
from simulator.errors import (
    CallsimError,
    FileProblemsError,
    PathTooLongError,
    UsageError,
    message_lines,
    problem_lines,
)

# The top-level help's list: one short whole sentence per command, each fitting 80 columns.
# A command not listed here is summed up by the first sentence of its help, uncut.
SUMMARIES = {
    "score": "Score a reply to a prospect's \"no\" against the rubric.",
    "practice": "Practise a whole call with a persona; a scorecard follows.",
    "demo": "Watch a whole spoken call with a synthesized trainee.",
    "drill": "Drill single objections; weak spots come back sooner.",
    "history": "List saved calls, newest first.",
    "show": "Print a saved call's transcript and scorecard again.",
    "play": "Listen again to the replies recorded in a saved call.",
    "correct": "Fix a misheard reply of a saved call and score it again.",
    "rescore": "Hear a call's recorded replies again and score it again.",
    "progress": "Show pass rates, outcomes and delivery over time.",
    "report": "Write an HTML report of a call, a trainee or a workshop.",
    "export": "Write saved calls to a file, to merge on another laptop.",
    "import": "Merge exported calls into this laptop's history.",
    "forget": "Delete a trainee's calls and recordings for good.",
    "devices": "List the microphones and speakers there are.",
    "personas": "List, show, check and create the scripted prospects.",
    "rubric": "Show, check or copy the rubric the scorer uses.",
    "workshop": "Tag a group's calls and rank the trainees.",
    "models": "List, download and install speech models.",
}


class CallsimGroup(TyperGroup):
    """Turns library errors into one plain line on stderr and a non-zero exit code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_help(self, SUMMARIES)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        ctx.meta[RAW_ARGS] = list(args)
        return super().parse_args(ctx, args)

    def make_context(self, info_name, args, parent=None, **extra) -> typer.Context:
        given = list(args)  # the parser uses up `args`
        try:  # `callsim --frob`: refused before any command is looked up
            return super().make_context(info_name, args, parent=parent, **extra)
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.UsageError as exc:
            _refuse(UsageError(usage_message(exc, self, info_name or "callsim", given)))

    def invoke(self, ctx: typer.Context):
        for stream in (sys.stdout, sys.stderr):  # a path with undecodable bytes still prints,
            if hasattr(stream, "reconfigure"):  # under CliRunner as under the console script
                stream.reconfigure(errors="backslashreplace")
        try:
            try:
                check_arguments(self, ctx, ctx.meta.get(RAW_ARGS, []))
                return super().invoke(ctx)
            except OSError as exc:  # a path made too long inside a command (name + folder)
                if exc.errno != errno.ENAMETOOLONG:
                    raise
                raise PathTooLongError(exc.filename or "") from None
        except click_errors.NoArgsIsHelpError:  # `callsim personas`: its help, as asked
            raise
        except click_errors.UsageError as exc:  # click's usage block and error, as one line
            _refuse(UsageError(usage_message(exc, self, ctx.command_path,
                                             ctx.meta.get(RAW_ARGS, []))))
        except typer.TyperException as exc:  # "Got unexpected extra argument(s) (<10,000 …>)"
            exc.message = "\n".join(message_lines(exc.message))
            raise
        except FileProblemsError as exc:  # compiler style: one located line per problem
            for line in problem_lines(exc.problems):
                typer.echo(line, err=True)
            raise typer.Exit(exc.exit_code) from None
        except CallsimError as exc:
            _refuse(exc)


def _refuse(error: CallsimError) -> NoReturn:
    """`callsim: <message>` on stderr and the error's exit code. Quoted values were shortened
    at their source; and here."""
    typer.echo("callsim: " + "\n".join(message_lines(str(error))), err=True)
    raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=CallsimGroup,
    name="callsim",
    help="Offline voice-call training: practise handling a sales 'no' out loud, get scored.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, pwsh)
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"callsim {version('callsim')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("callsim (not installed: run `pip install -e .` for a version)")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version,
        help="Print callsim's version and exit.")] = False) -> None:
    """Options before the command (--version, shell completion)."""

from simulator.cli import score as _score  # noqa: E402

_score.register(app)
from simulator.cli import calls as _calls  # noqa: E402
from simulator.cli import corrections as _corrections  # noqa: E402
from simulator.cli import demo as _demo  # noqa: E402
from simulator.cli import devices as _devices  # noqa: E402
from simulator.cli import drill as _drill  # noqa: E402
from simulator.cli import exchange as _exchange  # noqa: E402
from simulator.cli import forget as _forget  # noqa: E402
from simulator.cli import models as _models  # noqa: E402
from simulator.cli import personas as _personas  # noqa: E402
from simulator.cli import play as _play  # noqa: E402
from simulator.cli import practice as _practice  # noqa: E402
from simulator.cli import progress as _progress  # noqa: E402
from simulator.cli import report as _report  # noqa: E402
from simulator.cli import rubric as _rubric  # noqa: E402
from simulator.cli import workshop as _workshop  # noqa: E402

_practice.register(app)
_demo.register(app)
_drill.register(app)
_calls.register(app)
_play.register(app)
_corrections.register(app)
_progress.register(app)
_report.register(app)
_personas.register(app)
_rubric.register(app)
_workshop.register(app)
_exchange.register(app)
_forget.register(app)
_models.register(app)
_devices.register(app)
