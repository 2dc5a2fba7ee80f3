"""What the recognizer heard, in HTML: unsure words marked, corrections beside what was heard,
FAILs resting on unsure words shown as "heard unclearly" (the rules: scoring/confidence.py,
scoring/unclear.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

UNSURE_CSS = """
.unsure { color: #7a5a00; text-decoration: underline dotted #b7791f; }
.unsure::after { content: "?"; font-weight: 700; color: #b7791f; }
.heard { color: #6b7285; } .verdict.unclear { color: #9a6a00; }
"""
UNSURE_LEGEND = ('<p class="legend muted"><span class="unsure">word</span> heard unclearly '
                 "(the recognizer was unsure); fix a reply with <code>callsim correct CALL_ID "
                 '--turn N "what you said"</code></p>')
UNCLEAR_VERDICT = '<span class="verdict unclear">heard unclearly</span>'


def unsure_spans_of(turn: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Spans of a saved trainee turn's words its recognizer was unsure of (none when typed)."""
    from simulator.scoring.confidence import unsure_spans

    words = turn.get("words") or []
    if not words or not isinstance(turn.get("text"), str):
        return []
    extra = turn.get("extra") if isinstance(turn.get("extra"), dict) else {}
    try:
        return unsure_spans(turn["text"], words, extra.get("engine"))
    except (TypeError, ValueError, AttributeError):  # a hand-edited record: show it unmarked
        return []


def unsure_piece(piece: str, start: int, end: int, unsure: Sequence[tuple[int, int]]) -> str:
    """`piece` (ready HTML of text[start:end]) in a span when it lies in an unsure word."""
    if any(s <= start and end <= e for s, e in unsure):
        return f'<span class="unsure">{piece}</span>'
    return piece


def heard_before(turn: Mapping[str, Any]) -> str:
    """"heard: … corrected:" ahead of a reply the rep corrected, else nothing."""
    extra = turn.get("extra") if isinstance(turn.get("extra"), dict) else {}
    earlier = [e for e in extra.get("earlier") or [] if isinstance(e, dict)]
    if extra.get("by") != "correction" or not earlier:
        return ""
    heard = next((e for e in reversed(earlier) if e.get("by") != "correction"), earlier[-1])
    return (f'<span class="heard"><b>heard:</b> {escape(str(heard.get("text", "")))}</span>'
            "<br><b>corrected:</b> ")


def verdict_cell(result: Mapping[str, Any], plain: str) -> str:
    """The scorecard's verdict cell: "heard unclearly" for a FAIL resting on unsure words."""
    if result.get("verdict") == "fail" and result.get("heard") == "unclear":
        return UNCLEAR_VERDICT
    return plain


def also_heard_quotes(result: Mapping[str, Any]) -> str:
    """"Heard as: …" for a move found in another hearing of a reply (scoring/hearings.py)."""
    from simulator.scoring.hearings import hearing_of

    heard = hearing_of(result)
    return (f'<br><b>Heard as:</b> <span class="heard">&ldquo;{escape(heard)}&rdquo;</span> '
            "(another hearing of your words)") if heard is not None else ""
