"""The typer application: registers each command module (each kept thin and lazily importing)."""

from __future__ import annotations

import errno
import sys

import typer
from typer.core import TyperGroup

from simulator.cli.arguments import RAW_ARGS, check_arguments
from simulator.errors import (
    CallsimError,
    FileProblemsError,
    PathTooLongError,
    message_lines,
    problem_lines,
)


class CallsimGroup(TyperGroup):
    """Turns library errors into one plain line on stderr and a non-zero exit code."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        ctx.meta[RAW_ARGS] = list(args)
        return super().parse_args(ctx, args)

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
        except typer.TyperException as exc:  # "Got unexpected extra argument(s) (<10,000 …>)"
            exc.message = "\n".join(message_lines(exc.message))
            raise
        except FileProblemsError as exc:  # compiler style: one located line per problem
            for line in problem_lines(exc.problems):
                typer.echo(line, err=True)
            raise typer.Exit(exc.exit_code) from None
        except CallsimError as exc:  # quoted values were shortened at their source; and here
            typer.echo("callsim: " + "\n".join(message_lines(str(exc))), err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=CallsimGroup,
    name="callsim",
    help="Offline voice-call training: practise handling a sales 'no' out loud, get scored.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

from simulator.cli import score as _score  # noqa: E402

_score.register(app)
from simulator.cli import calls as _calls  # noqa: E402
from simulator.cli import demo as _demo  # noqa: E402
from simulator.cli import devices as _devices  # noqa: E402
from simulator.cli import drill as _drill  # noqa: E402
from simulator.cli import exchange as _exchange  # noqa: E402
from simulator.cli import models as _models  # noqa: E402
from simulator.cli import personas as _personas  # noqa: E402
from simulator.cli import practice as _practice  # noqa: E402
from simulator.cli import progress as _progress  # noqa: E402
from simulator.cli import report as _report  # noqa: E402
from simulator.cli import rubric as _rubric  # noqa: E402
from simulator.cli import workshop as _workshop  # noqa: E402

_practice.register(app)
_demo.register(app)
_drill.register(app)
_calls.register(app)
_progress.register(app)
_report.register(app)
_personas.register(app)
_rubric.register(app)
_workshop.register(app)
_exchange.register(app)
_models.register(app)
_devices.register(app)
