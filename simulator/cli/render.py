"""Rich rendering of scorecards, shared by `score`, `practice` and `show`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from simulator.scoring.fixes import WORK_FIRST, Fix, unclear_advice, work_first
from simulator.scoring.rubric import Rubric

VERDICT_STYLE = {"pass": ("PASS", "bold green"), "fail": ("FAIL", "bold red"),
                 "n/a": ("n/a", "dim")}


UNSURE_MARK = "?"  # after a word the recognizer was unsure of
UNSURE_LEGEND = ("word? = heard unclearly (the recognizer was unsure); if a reply is wrong, fix "
                 "it: callsim correct {call_id} --turn N \"what you said\"")
UNCLEAR_LABEL = ("heard unclearly", "bold yellow")  # a FAIL resting on unsure words


def highlighted(text: str, checks: dict, turn: int | None = None,
                unsure: Sequence[tuple[int, int]] = ()) -> Text:
    """The reply with every piece of evidence coloured by its check's verdict, and each word
    the recognizer was unsure of dimmed and followed by a "?"."""
    rendered = Text(text)
    for result in checks.values():
        style = "green" if result["verdict"] == "pass" else "red"
        for item in result["evidence"]:
            if turn is not None and item.get("turn", 0) != turn or "start" not in item:
                continue  # (no offsets: found in another hearing, not in these words)
            rendered.stylize(f"underline {style}", item["start"], item["end"])
    if not unsure:
        return rendered
    for start, end in unsure:
        rendered.stylize("dim italic", start, end)
    ends = {end for _, end in unsure}
    marked, at = Text(), 0
    for part in rendered.divide(sorted(ends)):
        marked.append_text(part)
        at += len(part)
        if at in ends:
            marked.append(UNSURE_MARK, style="bold yellow")
            ends.discard(at)
    return marked


def unsure_in(turn: dict) -> list[tuple[int, int]]:
    """Spans of the saved turn's words its recognizer was unsure of (none for typed text)."""
    from simulator.scoring.confidence import unsure_spans

    words = turn.get("words") or []
    return unsure_spans(turn["text"], words, (turn.get("extra") or {}).get("engine")) \
        if words else []


def scorecard_table(card: dict, rubric: Rubric) -> Table:
    from simulator.scoring.hearings import hearing_of

    table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
    table.add_column("Check", ratio=2)
    unclear = any(r.get("heard") == "unclear" for r in card["checks"].values())
    table.add_column("", width=len(UNCLEAR_LABEL[0]) if unclear else 5)
    table.add_column("Advice", ratio=5)
    for check_id, result in card["checks"].items():
        label, style = VERDICT_STYLE[result["verdict"]]
        if result["verdict"] == "fail" and result.get("heard") == "unclear":
            label, style = UNCLEAR_LABEL
        advice = Text(result["advice"])
        if result["rewrite"]:
            advice.append("\nTry: ", style="bold")
            advice.append(result["rewrite"], style="italic cyan")
        quotes = [f'"{item["text"]}"' for item in result["evidence"][:3]
                  if result["verdict"] == "fail"]
        if quotes:
            advice.append("\nYou said: ", style="bold")
            advice.append(", ".join(quotes), style="red")
        heard = hearing_of(result)
        if heard is not None:
            advice.append("\nHeard as: ", style="bold")
            advice.append(f'"{heard}" (another hearing of your words)', style="green")
        title = rubric.checks[check_id].title
        table.add_row(Text(title), Text(label, style=style), advice)
    return table


class Indented:
    """Text wrapped to the console and indented, without padding lines out to the width."""

    def __init__(self, text: Text, indent: int):
        self.text, self.indent = text, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.text.wrap(console, max(options.max_width - self.indent, 20)):
            line.rstrip()
            yield Text(" " * self.indent) + line


def fix_text(fix: Fix, heading: Text, multi: bool = False) -> Group:
    """A failed check: its title line, then (indented) advice, the rep's words, a rewrite."""
    details = Text(fix.advice)
    details.append(f"\nYou said{f' (reply {fix.turn + 1})' if multi else ''}: ", style="bold")
    details.append(f'"{fix.quote}"', style="red")
    if fix.rewrite:  # no "Try instead" row without a rewrite
        details.append("\nTry instead: ", style="bold")
        details.append(fix.rewrite, style="italic cyan")
    return Group(heading, Indented(details, 4))


def print_work_first(console: Console, card: dict, replies: Sequence[str],
                     rubric: Rubric, call_id: str | None = None) -> None:
    """"Work on this first": the one or two heaviest failed checks heard clearly, before
    everything else; a heavier one heard unclearly is named, to say again or correct."""
    first, unclear = work_first(card, replies, rubric, WORK_FIRST)
    if not first and not unclear:
        return
    console.print(Text("Work on this first", style="bold underline"))
    for fix in unclear:
        console.print(Indented(Text(unclear_advice(fix, call_id), style=UNCLEAR_LABEL[1]), 1))
    for number, fix in enumerate(first, 1):
        heading = Text.assemble(f" {number}. ", (fix.title, "bold"))
        console.print(fix_text(fix, heading, multi=len(replies) > 1))
    console.print()


def score_heading(score: int) -> Text:
    style = "bold green" if score >= 75 else "bold yellow" if score >= 50 else "bold red"
    return Text.assemble(("Score: ", "bold"), (f"{score}/100", style))


def print_scorecard(console: Console, card: dict, text: str, rubric: Rubric) -> None:
    console.print(Panel(Group(score_heading(card["score"]), Text(""),
                              highlighted(text, card["checks"])),
                        title="Your reply", title_align="left"))
    print_work_first(console, card, [text], rubric)
    console.print(scorecard_table(card, rubric))


OUTCOME_STYLE = {"callback_agreed": "green", "meeting_agreed": "bold green",
                 "opted_out": "cyan", "hung_up": "red", "trainee_ended": "yellow",
                 "max_turns": "yellow", "interrupted": "red", "error": "red"}


def print_call(console: Console, call: dict, rubric: Rubric) -> None:
    """A finished call: outcome, transcript with evidence, per-turn notes, scorecard."""
    from simulator.scoring.notes import turn_notes

    card = call.get("scorecard") or {"score": 0, "checks": {}}
    outcome = call.get("outcome") or "unfinished"
    console.print(Text.assemble(
        ("Call ", "bold"), (call["call_id"], "cyan"), " with ", (call["persona_name"], "bold"),
        f" (seed {call['seed']})  outcome: ", (outcome, OUTCOME_STYLE.get(outcome, "bold")),
        "  ", score_heading(card["score"])))
    trainee_texts = [t["text"] for t in call["turns"] if t["speaker"] == "trainee"]
    transcript, trainee_turn, unsure_shown = Text(), 0, False
    for turn in call["turns"]:
        if turn["speaker"] == "prospect":
            transcript.append(f"{call['persona_name']}: ", style="bold magenta")
            transcript.append(turn["text"] + "\n")
            continue
        unsure = unsure_in(turn)
        unsure_shown = unsure_shown or bool(unsure)
        # numbered: `callsim correct --turn N` and `play --turn N` take this number
        transcript.append(f"You ({trainee_turn + 1}): ", style="bold blue")
        earlier = (turn.get("extra") or {}).get("earlier") or []
        if (turn.get("extra") or {}).get("by") == "correction" and earlier:
            transcript.append("heard: ", style="bold")
            heard = next((e for e in reversed(earlier) if e.get("by") != "correction"),
                         earlier[-1])
            transcript.append(heard["text"] + "\n", style="dim")
            transcript.append(" " * len(f"You ({trainee_turn + 1}): ") + "corrected: ",
                              style="bold")
        transcript.append(highlighted(turn["text"], card["checks"], trainee_turn, unsure))
        transcript.append("\n")
        trainee_turn += 1
    if unsure_shown:
        transcript.append(UNSURE_LEGEND.format(call_id=call["call_id"]), style="dim")
    console.print(Panel(transcript, title="Transcript", title_align="left"))
    print_work_first(console, card, trainee_texts, rubric, call["call_id"])
    notes = turn_notes(trainee_texts, rubric)
    if notes:
        lines = Text()
        for note in notes:
            lines.append(f"Reply {note.turn + 1}: ", style="bold")
            lines.append(f'"{note.quote}"', style="red")
            lines.append(f" ({note.title})")
            if note.rewrite:
                lines.append("  Try: ", style="bold")
                lines.append(note.rewrite, style="italic cyan")
            lines.append("\n")
        console.print(Panel(lines, title="Per-turn notes", title_align="left"))
    if card["checks"]:
        console.print(scorecard_table(card, rubric))
    if call.get("delivery"):
        console.print(delivery_table(call["delivery"]))


def delivery_table(delivery: dict) -> Table:
    table = Table(title="Delivery", show_header=False, title_justify="left")
    labels = {"response_delay_s": "Response delay (s)", "speaking_rate_wpm": "Speaking rate (wpm)",
              "pace": "Pace (140-160 wpm is good)", "talk_share": "Your share of talk time",
              "longest_monologue_s": "Longest monologue (s)", "filler_words": "Filler words"}
    for key, label in labels.items():
        value = delivery.get(key)
        table.add_row(label, "-" if value is None else str(value))
    return table
