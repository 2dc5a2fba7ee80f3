"""Progress over time: pass rates per check, outcomes per persona, delivery, score trends."""

from __future__ import annotations

from simulator.errors import UnknownCallError, shorten
from simulator.progress.stats import Progress, progress
from simulator.storage.calls import CallStore
from simulator.storage.queries import call_facts


def no_trainee(trainee: str) -> UnknownCallError:
    return UnknownCallError(
        f"no calls for trainee '{shorten(trainee)}'; run `callsim history` to see trainees"
    )


def load_progress(store: CallStore, trainee: str | None = None) -> Progress:
    """Progress over the finished calls of `trainee` (any case), or of everyone."""
    calls = call_facts(store, trainee)
    if trainee is not None and not calls:
        raise no_trainee(trainee)
    # The name as saved on the latest call, not as typed on the command line.
    return progress(calls, calls[-1].trainee if trainee is not None else None)


__all__ = ["Progress", "load_progress", "no_trainee", "progress"]
