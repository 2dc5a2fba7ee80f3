"""Shareable HTML reports: one call (transcript, evidence, scorecard) or a trainee's progress."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from simulator.errors import StorageError
from simulator.progress import load_progress, progress
from simulator.report.html import (
    audio_player,
    delivery_section,
    esc,
    notes_section,
    page,
    scorecard_section,
    transcript,
    work_first_section,
)
from simulator.report.progress_html import (
    calls_html,
    listed_calls,
    progress_section,
    transcripts_html,
)
from simulator.scoring.fixes import WORK_FIRST, work_first
from simulator.scoring.notes import turn_notes
from simulator.scoring.rubric import Rubric, load_rubric
from simulator.storage.calls import CallStore
from simulator.storage.queries import call_facts


def _titles(rubric: Rubric) -> dict[str, str]:
    return {check: spec.title for check, spec in rubric.checks.items()}


def call_report(store: CallStore, call_id: str, rubric: Rubric | None = None,
                audio: bool = True) -> str:
    """The page for one call (id or prefix), with its trainee's progress when one is named;
    an audio player under each recorded reply, unless not `audio`."""
    rubric = rubric or load_rubric()
    titles = _titles(rubric)
    call = store.get_call(call_id).to_json()
    card = call.get("scorecard") or {}
    who = call["trainee"] or "no trainee named"
    outcome = call["outcome"] or "unfinished"
    score = card.get("score", call.get("score"))
    replies = [t["text"] for t in call["turns"] if t["speaker"] == "trainee"]
    body = [
        f"<h1>Call with {esc(call['persona_name'])}</h1>",
        f'<p class="meta">Trainee: <b class="trainee">{esc(who)}</b> &middot; call '
        f"{esc(call['call_id'])} &middot; {esc(call['started_at'].replace('T', ' ')[:16])} UTC "
        f"&middot; {esc(call['mode'])} &middot; outcome <b>{esc(outcome)}</b> &middot; score "
        f"<b>{esc('-' if score is None else score)}/100</b></p>",
        work_first_section(*work_first(card, replies, rubric, WORK_FIRST), len(replies),
                           call["call_id"]),
        transcript(call, titles, recording_players(store, call) if audio else {}),
        notes_section(turn_notes(replies, rubric)),
        scorecard_section(card, titles),
        delivery_section(call.get("delivery")),
    ]
    history = call_facts(store, call["trainee"]) if call["trainee"] else []
    if history:  # none when this is the trainee's only call and it is unfinished
        body.append(progress_section(progress(history, history[-1].trainee), titles,
                                     current_call=call["call_id"]))
    return page(f"callsim: call {call['call_id']} ({who})", body)


def recording_players(store: CallStore, call: dict) -> dict[int, str]:
    """An audio player for each recorded reply of the call, by turn index."""
    from simulator.storage.recordings import MIME_TYPES, stored_recordings

    replies = {turn["index"]: n for n, turn in enumerate(
        (t for t in call["turns"] if t["speaker"] == "trainee"), start=1)}
    return {clip.idx: audio_player(MIME_TYPES[clip.format], clip.data,
                                   f"Reply {replies.get(clip.idx, clip.idx)} as recorded")
            for clip in stored_recordings(store, call["call_id"]) if clip.format in MIME_TYPES}


def trainee_report(store: CallStore, trainee: str, rubric: Rubric | None = None,
                   audio: bool = True) -> str:
    """The page for all of a trainee's calls: charts, pass rates, outcomes, delivery, calls,
    and their transcripts, with an audio player under each recorded reply unless not `audio`."""
    titles = _titles(rubric or load_rubric())
    progress = load_progress(store, trainee)
    name = progress.trainee or trainee
    calls = [store.get_call(call.call_id).to_json() for call in listed_calls(progress)]
    players = {call["call_id"]: recording_players(store, call) for call in calls} if audio else {}
    body = [f"<h1>Progress report: <span class=\"trainee\">{esc(name)}</span></h1>",
            progress_section(progress, titles), calls_html(progress),
            transcripts_html(calls, titles, players)]
    return page(f"callsim: progress of {name}", body)


def workshop_report(store: CallStore, name: str, rubric: Rubric | None = None) -> str:
    """The page for a workshop: leaderboard, most improved, checks by trainee, outcomes."""
    from simulator.errors import nothing_found
    from simulator.report.workshop_html import workshop_page
    from simulator.storage.board import build_board, shown_workshop

    shown = shown_workshop(store, name)
    calls = call_facts(store, workshop=name)
    board = build_board(shown, calls)
    if not board.rows:
        raise nothing_found(workshop=shown, counted=True)
    return workshop_page(board, calls, _titles(rubric or load_rubric()))


def write_html(path: str | Path, text: str) -> Path:
    """Write the page atomically (temp file + rename): the old file or the new one, never half.

    Any failure (missing directory, read-only or full disk) is one StorageError line.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    data = text.encode("utf-8")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temp, 0o644)  # mkstemp makes it private; a report is meant to be shared
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StorageError(
            f"cannot write {path}: {reason}; choose another file or free some disk space"
        ) from None
    return path


__all__ = ["call_report", "trainee_report", "workshop_report", "write_html"]
