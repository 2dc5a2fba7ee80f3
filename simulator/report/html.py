"""One self-contained HTML page: inline CSS, inline SVG, no scripts, nothing fetched.

Every piece of saved text (names, transcript, advice) goes through `esc`, and a
Content-Security-Policy forbids scripts and any network fetch even if something slipped through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from simulator.scoring.fixes import Fix
from simulator.scoring.notes import TurnNote

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CSS = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2330; max-width: 980px;
       margin: 24px auto; padding: 0 16px; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px;
     border-bottom: 1px solid #d8dce6; padding-bottom: 4px; }
.meta { color: #5a6275; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid #e6e9f0; padding: 5px 8px; text-align: left;
         vertical-align: top; }
th { background: #f3f5f9; font-weight: 600; } td.num { text-align: right; }
.turn { margin: 6px 0; padding: 8px 10px; border-radius: 6px; }
.turn.prospect { background: #f6f0fa; } .turn.trainee { background: #eef4fc; }
.who { font-weight: 600; margin-right: 6px; }
mark.ev { background: none; padding: 0 1px; border-bottom: 3px solid; }
mark.ev.pass { border-color: #1e9e4a; background: #e3f6e9; }
mark.ev.fail { border-color: #d23b3b; background: #fbe5e5; }
.verdict { font-weight: 700; } .verdict.pass { color: #1e7e3e; }
.verdict.fail { color: #c02828; } .verdict.na { color: #8a90a0; }
.try { font-style: italic; color: #0f5f8a; } .said { color: #b02a2a; }
.score { font-size: 20px; font-weight: 700; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .axis { stroke: #9aa2b4; } svg .line { fill: none; stroke: #2a6fdb; stroke-width: 2; }
svg .dot { fill: #2a6fdb; } svg .marked { fill: none; stroke: #d2691e; stroke-width: 3; }
svg .track { fill: #eceff5; } svg .fill { fill: #2a9d5b; }
svg text { font: 12px system-ui, sans-serif; fill: #3a4254; }
.legend mark { margin-right: 10px; } .muted { color: #7a8296; }
#work-first ol { padding-left: 20px; } #work-first li { margin: 8px 0; }
#work-first p { margin: 2px 0; }
"""

VERDICT_CLASS = {"pass": "pass", "fail": "fail", "n/a": "na"}
DELIVERY_LABELS = {
    "response_delay_s": "Response delay (s)", "speaking_rate_wpm": "Speaking rate (wpm)",
    "pace": "Pace (140-160 wpm is good)", "talk_share": "Your share of talk time",
    "longest_monologue_s": "Longest monologue (s)", "filler_words": "Filler words",
}  # fmt: skip


def esc(value: Any) -> str:
    """Saved text as HTML text or attribute value: <, >, &, quotes all escaped."""
    return escape("" if value is None else str(value), quote=True)


def page(title: str, body: Sequence[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head><body>",
        *body,
        '<p class="muted">Made by callsim. This file works offline and can be shared as is.</p>',
        "</body></html>",
    ])


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] = frozenset()
          ) -> str:
    """`rows` hold ready HTML (callers escape); headers are escaped here."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{cell}</td>' if n in numeric else f"<td>{cell}</td>"
                         for n, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def verdict_html(verdict: str | None) -> str:
    if verdict is None:
        return '<span class="muted">-</span>'
    css = VERDICT_CLASS.get(verdict, "na")
    return f'<span class="verdict {css}">{esc(verdict.upper() if css != "na" else verdict)}</span>'


def _spans(text: str, checks: Mapping[str, Any], turn: int, titles: Mapping[str, str]):
    """(start, end, check title, verdict) for each piece of evidence in this trainee turn."""
    for check, result in checks.items():
        if not isinstance(result, dict):
            continue
        for item in result.get("evidence") or []:
            if not isinstance(item, dict) or item.get("turn", 0) != turn:
                continue
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                yield start, end, titles.get(check, check), result.get("verdict")


def marked_text(text: str, checks: Mapping[str, Any], turn: int,
                titles: Mapping[str, str]) -> str:
    """The trainee's words with each piece of evidence in a <mark> (red if any check failed)."""
    spans = list(_spans(text, checks, turn, titles))
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):  # consecutive cut pairs
        piece = esc(text[start:end])
        covering = [span for span in spans if span[0] <= start and end <= span[1]]
        if not covering:
            out.append(piece)
            continue
        verdict = "fail" if any(span[3] == "fail" for span in covering) else "pass"
        why = "; ".join(f"{title}: {span_verdict}" for _, _, title, span_verdict in covering)
        out.append(f'<mark class="ev {verdict}" title="{esc(why)}">{piece}</mark>')
    return "".join(out)


def transcript(call: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    checks = (call.get("scorecard") or {}).get("checks") or {}
    lines, trainee_turn = ['<section id="transcript"><h2>Transcript</h2>'], 0
    lines.append('<p class="legend"><mark class="ev pass">meets a check</mark>'
                 '<mark class="ev fail">breaks a check</mark></p>')
    for turn in call["turns"]:
        if turn["speaker"] == "prospect":
            lines.append(f'<div class="turn prospect"><span class="who">'
                         f'{esc(call["persona_name"])}:</span>{esc(turn["text"])}</div>')
        else:
            words = marked_text(turn["text"], checks, trainee_turn, titles)
            lines.append(f'<div class="turn trainee"><span class="who">You:</span>{words}</div>')
            trainee_turn += 1
    lines.append("</section>")
    return "".join(lines)


def _try_instead(rewrite: str | None) -> str:
    """The "Try instead" line, or nothing when there is no rewrite (never a "-")."""
    if not rewrite:
        return ""
    return f'<br><b>Try instead:</b> <span class="try">{esc(rewrite)}</span>'


def work_first_section(fixes: Sequence[Fix], replies: int) -> str:
    """"Work on this first": the heaviest failed checks, each with the rep's words and a fix."""
    if not fixes:
        return ""
    items = []
    for fix in fixes:
        where = f" (reply {fix.turn + 1})" if replies > 1 else ""
        items.append(f"<li><b>{esc(fix.title)}</b><p>{esc(fix.advice)}</p>"
                     f'<p><b>You said{where}:</b> <span class="said">&ldquo;{esc(fix.quote)}'
                     f"&rdquo;</span>{_try_instead(fix.rewrite)}</p></li>")
    return ('<section id="work-first"><h2>Work on this first</h2><ol>' + "".join(items)
            + "</ol></section>")


def notes_section(notes: Sequence[TurnNote]) -> str:
    if not notes:
        return ""
    rows = [[f"Reply {note.turn + 1}", f'<span class="said">&ldquo;{esc(note.quote)}&rdquo;</span>',
             esc(note.title) + _try_instead(note.rewrite)]
            for note in notes]
    return ('<section id="notes"><h2>Per-turn notes</h2>'
            + table(["Reply", "You said", "Check"], rows) + "</section>")


def scorecard_section(card: Mapping[str, Any] | None, titles: Mapping[str, str]) -> str:
    checks = (card or {}).get("checks") or {}
    if not checks:
        return '<section id="scorecard"><h2>Scorecard</h2><p>No scorecard saved.</p></section>'
    rows = []
    for check, result in checks.items():
        verdict = result.get("verdict")
        advice = esc(result.get("advice"))
        if result.get("rewrite"):
            advice += f'<br><b>Try:</b> <span class="try">{esc(result["rewrite"])}</span>'
        quotes = [f"&ldquo;{esc(item.get('text'))}&rdquo;" for item in
                  (result.get("evidence") or [])[:3] if isinstance(item, dict)]
        if quotes:
            cls = "said" if verdict == "fail" else "muted"
            advice += f'<br><b>You said:</b> <span class="{cls}">{", ".join(quotes)}</span>'
        rows.append([esc(titles.get(check, check)), verdict_html(verdict), advice])
    return ('<section id="scorecard"><h2>Scorecard <span class="score">'
            f'{esc(card.get("score"))}/100</span></h2>'
            + table(["Check", "Verdict", "Advice"], rows) + "</section>")


def delivery_section(delivery: Mapping[str, Any] | None) -> str:
    if not delivery:
        return ('<section id="delivery"><h2>Delivery</h2><p class="muted">Typed call: no '
                "timing to judge.</p></section>")
    rows = [[esc(DELIVERY_LABELS.get(key, key)), esc("-" if value is None else value)]
            for key, value in delivery.items()]
    return ('<section id="delivery"><h2>Delivery</h2>' + table(["Figure", "Value"], rows, {1})
            + "</section>")
