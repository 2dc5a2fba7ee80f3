"""Progress over time: pass rates per check, outcomes per persona, delivery, score trends."""

from __future__ import annotations

from simulator.errors import NothingFoundError, nothing_found
from simulator.progress.stats import Progress, progress
from simulator.storage.calls import CallStore
from simulator.storage.queries import call_facts


def no_progress(store: CallStore, trainee: str | None = None, workshop: str | None = None,
                persona: str | None = None) -> NothingFoundError:
    """Why there is no progress to show: no call matches at all, or none of them counts."""
    saved = store.count_calls(trainee, workshop, persona) > 0
    return nothing_found(trainee, workshop, persona, counted=saved)


def no_trainee(trainee: str) -> NothingFoundError:
    return nothing_found(trainee=trainee)


def load_progress(store: CallStore, trainee: str | None = None, workshop: str | None = None,
                  persona: str | None = None, required: bool = True) -> Progress:
    """Progress over the calls that count (see storage.rows.COUNTED_SQL), filtered.

    With `required`, no such call is a NothingFoundError; otherwise an empty Progress.
    """
    calls = call_facts(store, trainee, workshop, persona)
    if required and not calls:
        raise no_progress(store, trainee, workshop, persona)
    # The name as saved on the latest call, not as typed on the command line.
    return progress(calls, calls[-1].trainee if trainee is not None and calls else None)


__all__ = ["Progress", "load_progress", "no_progress", "no_trainee", "progress"]
