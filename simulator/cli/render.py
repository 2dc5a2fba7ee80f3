"""Rich rendering of scorecards, shared by `score`, `practice` and `show`."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from simulator.scoring.rubric import Rubric

VERDICT_STYLE = {"pass": ("PASS", "bold green"), "fail": ("FAIL", "bold red"),
                 "n/a": ("n/a", "dim")}


def highlighted(text: str, checks: dict, turn: int | None = None) -> Text:
    """The reply with every piece of evidence coloured by its check's verdict."""
    rendered = Text(text)
    for result in checks.values():
        style = "green" if result["verdict"] == "pass" else "red"
        for item in result["evidence"]:
            if turn is not None and item.get("turn", 0) != turn:
                continue
            if item["end"] - item["start"] < len(text) or len(checks) == 1:
                rendered.stylize(f"underline {style}", item["start"], item["end"])
    return rendered


def scorecard_table(card: dict, rubric: Rubric) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
    table.add_column("Check", ratio=2)
    table.add_column("", width=5)
    table.add_column("Advice", ratio=5)
    for check_id, result in card["checks"].items():
        label, style = VERDICT_STYLE[result["verdict"]]
        advice = Text(result["advice"])
        if result["rewrite"]:
            advice.append("\nTry: ", style="bold")
            advice.append(result["rewrite"], style="italic cyan")
        quotes = [f'"{item["text"]}"' for item in result["evidence"][:3]
                  if result["verdict"] == "fail"]
        if quotes:
            advice.append("\nYou said: ", style="bold")
            advice.append(", ".join(quotes), style="red")
        title = rubric.checks[check_id].title
        table.add_row(Text(title), Text(label, style=style), advice)
    return table


def score_heading(score: int) -> Text:
    style = "bold green" if score >= 75 else "bold yellow" if score >= 50 else "bold red"
    return Text.assemble(("Score: ", "bold"), (f"{score}/100", style))


def print_scorecard(console: Console, card: dict, text: str, rubric: Rubric) -> None:
    console.print(Panel(Group(score_heading(card["score"]), Text(""),
                              highlighted(text, card["checks"])),
                        title="Your reply", title_align="left"))
    console.print(scorecard_table(card, rubric))
