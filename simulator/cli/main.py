"""Entry point. `main` wraps the typer app; errors become one line and an exit code here.

`CallsimGroup.invoke` is where a CallsimError turns into `callsim: <message>` on stderr and its
exit code, so the same handling applies under `typer.testing.CliRunner` and the console script.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from simulator.cli.app import app

    for stream in (sys.stdout, sys.stderr):  # a path or name with undecodable bytes still prints
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        app(args=argv, prog_name="callsim")
    except KeyboardInterrupt:
        print("callsim: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
