"""Delivery figures for spoken calls: how the trainee sounded, not just what they said."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from simulator.session.engines import Reply

FILLERS = re.compile(r"\b(um+|uh+|erm|er|hmm+|you know|i mean|kind of|sort of)\b")
GOOD_PACE = (140, 160)  # words per minute


def delivery_figures(replies: Sequence[Reply], prospect_seconds: float) -> dict | None:
    """None for typed calls (no timing to judge); otherwise the figures the scorecard shows."""
    spoken = [r for r in replies if r.duration is not None and r.duration > 0]
    if not spoken:
        return None
    talk = sum(r.duration for r in spoken)
    words = sum(len(r.text.split()) for r in spoken)
    delays = [r.delay for r in spoken if r.delay is not None]
    fillers = sum(len(FILLERS.findall(r.text.lower())) for r in spoken)
    wpm = round(60 * words / talk) if talk else 0
    return {
        "response_delay_s": round(statistics.median(delays), 2) if delays else None,
        "speaking_rate_wpm": wpm,
        "pace": "good" if GOOD_PACE[0] <= wpm <= GOOD_PACE[1] else
                ("slow" if wpm < GOOD_PACE[0] else "fast"),
        "talk_share": round(talk / (talk + prospect_seconds), 2) if talk + prospect_seconds
        else None,
        "longest_monologue_s": round(max(r.duration for r in spoken), 2),
        "filler_words": fillers,
    }
