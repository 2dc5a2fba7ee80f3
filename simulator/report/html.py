"""One self-contained HTML page: inline CSS, inline SVG, no scripts, nothing fetched.

Every piece of saved text (names, transcript, advice) goes through `esc`, and a
Content-Security-Policy forbids scripts and any network fetch even if something slipped through.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from simulator.report.heard import (
    UNSURE_CSS,
    UNSURE_LEGEND,
    also_heard_quotes,
    heard_before,
    unsure_piece,
    unsure_spans_of,
    verdict_cell,
)
from simulator.scoring.fixes import Fix, unclear_advice
from simulator.scoring.notes import TurnNote

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data:"
CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2330; max-width: 980px;
       margin: 24px auto; padding: 0 16px; background: #fff; overflow-wrap: anywhere; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px;
     border-bottom: 1px solid #d8dce6; padding-bottom: 4px; } h3 { font-size: 16px; }
.meta { color: #5a6275; margin: 0 0 12px; }
.scroll { overflow-x: auto; max-width: 100%; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #e6e9f0; padding: 5px 8px; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f3f5f9; font-weight: 600; white-space: nowrap; } td.num { text-align: right; }
a { color: #1a5fb4; }
.turn { margin: 6px 0; padding: 8px 10px; border-radius: 6px; }
.turn.prospect { background: #f6f0fa; } .turn.trainee { background: #eef4fc; }
.who { font-weight: 600; margin-right: 6px; }
audio { display: block; width: 100%; max-width: 420px; margin-top: 6px; }
mark.ev { background: none; padding: 0 1px; border-bottom: 3px solid; }
mark.ev.pass { border-color: #1e9e4a; background: #e3f6e9; }
mark.ev.fail { border-color: #d23b3b; background: #fbe5e5; }
.verdict { font-weight: 700; } .verdict.pass { color: #1e7e3e; }
.verdict.fail { color: #c02828; } .verdict.na { color: #6b7285; }
.try { font-style: italic; color: #0f5f8a; } .said { color: #b02a2a; }
.score { font-size: 20px; font-weight: 700; }
.line-chart { display: grid; grid-template-columns: auto minmax(0, 1fr); column-gap: 6px;
              margin: 8px 0; max-width: 760px; font-size: 12px; color: #3a4254; }
.line-chart .y-axis { display: flex; flex-direction: column; justify-content: space-between;
                      text-align: right; }
.line-chart .x-axis { grid-column: 2; display: flex; justify-content: space-between; gap: 8px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .axis { stroke: #9aa2b4; } svg .line { fill: none; stroke: #2a6fdb; stroke-width: 2; }
svg .dot { fill: #2a6fdb; } svg .marked { fill: none; stroke: #d2691e; stroke-width: 3; }
ul.rates { list-style: none; padding: 0; margin: 8px 0; max-width: 760px; }
ul.rates li { display: grid; grid-template-columns: minmax(0, 16em) minmax(0, 1fr) 6.5em;
              column-gap: 10px; align-items: center; margin: 4px 0; }
ul.rates li.caption { position: absolute; width: 1px; height: 1px; overflow: hidden;
                     clip-path: inset(50%); }
ul.rates .label { text-align: right; } ul.rates .value { font-variant-numeric: tabular-nums; }
svg.bar { width: 100%; height: 14px; display: block; }
svg .track { fill: #eceff5; }
.fill.low, td.rate.low { fill: #c62828; background: #fbe0e0; }
.fill.mid, td.rate.mid { fill: #d98a00; background: #fdf0d5; }
.fill.high, td.rate.high { fill: #2e8b47; background: #e1f4e6; }
td.rate.na { color: #6b7285; }
.heatmap th { white-space: normal; min-width: 4.5em; }
.heatmap td.rate { text-align: center; font-variant-numeric: tabular-nums; }
.heatmap tr > :first-child { position: sticky; left: 0; background: #fff; min-width: 10em; }
.heatmap thead tr > :first-child { background: #f3f5f9; }
.legend mark { margin-right: 10px; } .muted { color: #6b7285; }
#work-first ol { padding-left: 20px; } #work-first li { margin: 8px 0; }
#work-first p { margin: 2px 0; }
@media (max-width: 600px) {
  body { margin: 12px auto; padding: 0 10px; }
  th, td { padding: 4px 5px; }
  ul.rates li { grid-template-columns: minmax(0, 1fr) 6.5em; }
  ul.rates .label { grid-column: 1 / -1; text-align: left; }
}
""" + UNSURE_CSS

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
    # The box scrolls sideways on a narrow screen; the page itself never does.
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            "</table></div>")


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
                titles: Mapping[str, str], unsure: Sequence[tuple[int, int]] = ()) -> str:
    """The trainee's words with each piece of evidence in a <mark> (red if any check failed),
    and each word the recognizer was unsure of (`unsure` spans) marked."""
    spans = list(_spans(text, checks, turn, titles))
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans),
                   *(edge for span in unsure for edge in span if 0 <= edge <= len(text))})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):  # consecutive cut pairs
        piece = unsure_piece(esc(text[start:end]), start, end, unsure)
        covering = [span for span in spans if span[0] <= start and end <= span[1]]
        if not covering:
            out.append(piece)
            continue
        verdict = "fail" if any(span[3] == "fail" for span in covering) else "pass"
        why = "; ".join(f"{title}: {span_verdict}" for _, _, title, span_verdict in covering)
        out.append(f'<mark class="ev {verdict}" title="{esc(why)}">{piece}</mark>')
    return "".join(out)


def audio_player(mime: str, data: bytes, label: str) -> str:
    """A reply's recording as a player carried inside the page (a data: URL, no script)."""
    source = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<audio class="recording" controls preload="metadata" src="{source}" '
            f'aria-label="{esc(label)}"></audio>')


LEGEND = ('<p class="legend"><mark class="ev pass">meets a check</mark>'
          '<mark class="ev fail">breaks a check</mark></p>')


def transcript(call: Mapping[str, Any], titles: Mapping[str, str],
               players: Mapping[int, str] | None = None, *, section_id: str = "transcript",
               heading: str = "<h2>Transcript</h2>", legend: bool = True) -> str:
    """`players`: ready <audio> HTML by turn index, shown under the replies recorded.

    `heading` is ready HTML: the trainee report titles each call's transcript itself.
    """
    checks = (call.get("scorecard") or {}).get("checks") or {}
    lines, trainee_turn = [f'<section id="{esc(section_id)}">{heading}'], 0
    unsure_shown = False
    if legend:
        lines.append(LEGEND)
    for turn in call["turns"]:
        if turn["speaker"] == "prospect":
            lines.append(f'<div class="turn prospect"><span class="who">'
                         f'{esc(call["persona_name"])}:</span>{esc(turn["text"])}</div>')
        else:
            unsure = unsure_spans_of(turn)
            unsure_shown = unsure_shown or bool(unsure)
            words = marked_text(turn["text"], checks, trainee_turn, titles, unsure)
            player = (players or {}).get(turn["index"], "")
            lines.append(f'<div class="turn trainee"><span class="who">You ({trainee_turn + 1}):'
                         f"</span>{heard_before(turn)}{words}{player}</div>")
            trainee_turn += 1
    if unsure_shown:
        lines.append(UNSURE_LEGEND)
    lines.append("</section>")
    return "".join(lines)


def _try_instead(rewrite: str | None) -> str:
    """The "Try instead" line, or nothing when there is no rewrite (never a "-")."""
    if not rewrite:
        return ""
    return f'<br><b>Try instead:</b> <span class="try">{esc(rewrite)}</span>'


def work_first_section(fixes: Sequence[Fix], unclear: Sequence[Fix], replies: int,
                       call_id: str | None = None) -> str:
    """"Work on this first": the heaviest failed checks, each with the rep's words and a fix;
    before them, any heavier FAIL heard unclearly (to say again or correct)."""
    if not fixes and not unclear:
        return ""
    items = [f'<p class="unclear">{esc(unclear_advice(fix, call_id))}</p>' for fix in unclear]
    for fix in fixes:
        where = f" (reply {fix.turn + 1})" if replies > 1 else ""
        items.append(f"<li><b>{esc(fix.title)}</b><p>{esc(fix.advice)}</p>"
                     f'<p><b>You said{where}:</b> <span class="said">&ldquo;{esc(fix.quote)}'
                     f"&rdquo;</span>{_try_instead(fix.rewrite)}</p></li>")
    notes, items = items[:len(unclear)], items[len(unclear):]
    return ('<section id="work-first"><h2>Work on this first</h2>' + "".join(notes) + "<ol>"
            + "".join(items) + "</ol></section>")


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
        heard = also_heard_quotes(result)  # the quotes are of another hearing, not what was said
        if quotes and not heard:
            cls = "said" if verdict == "fail" else "muted"
            advice += f'<br><b>You said:</b> <span class="{cls}">{", ".join(quotes)}</span>'
        advice += heard
        rows.append([esc(titles.get(check, check)), verdict_cell(result, verdict_html(verdict)),
                     advice])
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
