"""`callsim report --workshop NAME --html FILE`: leaderboard, most improved, a check-by-trainee
heatmap naming the room's weakest check, outcomes per persona; one self-contained file."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.report.svg import rate_band, rate_bars
from simulator.report.workshop_html import heatmap_rows, weakest_sentence
from simulator.scoring.rubric import CHECK_IDS, load_rubric
from simulator.storage.board import build_board
from simulator.storage.queries import CallFacts
from tests.progress.test_report_html import fetching_markup
from tests.report.workshop_data import CALLS, LONG_NAME, WORKSHOP

runner = CliRunner()
TITLES = {check: spec.title for check, spec in load_rubric().checks.items()}


def callsim(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def report(workshop_dir, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("out") / "workshop.html"
    done = callsim("report", "--workshop", WORKSHOP.upper(), "--html", out,
                   "--data-dir", workshop_dir)  # the name matches ignoring case
    assert (done.exit_code, done.stdout) == (0, f"Wrote {out}\n")
    return out.read_text()


def section(page: str, name: str) -> str:
    return re.search(rf'<section id="{name}">.*?</section>', page, re.DOTALL).group(0)


def table_rows(html: str) -> list[list[str]]:
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", html) if "<td" in row]


def signed(value: int | None) -> str:
    return "-" if value is None else f"+{value}" if value > 0 else str(value)


def test_the_leaderboard_is_the_boards(report, workshop_dir):
    board = json.loads(callsim("workshop", "board", WORKSHOP, "--json", "--data-dir",
                               workshop_dir).stdout)
    expected = [[str(t["rank"]), t["trainee"], str(t["calls"]), str(t["best_score"]),
                 str(t["latest_score"]), signed(t["improvement"])] for t in board["trainees"]]
    assert table_rows(section(report, "leaderboard")) == expected
    assert [t["trainee"] for t in board["trainees"]] == [LONG_NAME, "cleo", "dev", "ben"]
    assert sum(t["calls"] for t in board["trainees"]) == len(CALLS)  # not the call after it
    assert ("Rank: latest score, then improvement (latest minus first score), then best "
            "score.") in report


def test_most_improved_names_who_improved_most(report, workshop_dir):
    board = json.loads(callsim("workshop", "board", WORKSHOP, "--json", "--data-dir",
                               workshop_dir).stdout)
    improved = sorted((t for t in board["trainees"] if (t["improvement"] or 0) > 0),
                      key=lambda t: -t["improvement"])
    items = re.findall(r"<li><b>(.*?)</b>: \+(\d+) \(from (\d+) to (\d+)",
                       section(report, "most-improved"))
    assert items == [(t["trainee"], str(t["improvement"]), str(t["first_score"]),
                      str(t["latest_score"])) for t in improved]
    assert len(items) == 2


def test_the_heatmap_names_the_weakest_check_as_progress_counts_it(report, workshop_dir):
    room = json.loads(callsim("progress", "--workshop", WORKSHOP, "--json", "--data-dir",
                              workshop_dir).stdout)["checks"]  # the same calls, counted apart
    judged = [c for c in room if c["pass_rate"] is not None]
    weakest = min(judged, key=lambda c: c["pass_rate"])  # the first of equals, rubric order
    total = weakest["pass"] + weakest["fail"]
    assert (f'<p class="weakest">The room struggles most with <b>'
            f'{escape(TITLES[weakest["check"]])}</b>: {weakest["pass"]} of '
            f'{total} judged calls passed it ({round(100 * weakest["pass_rate"])}%).</p>'
            ) in report
    heatmap = section(report, "checks")
    rows = table_rows(heatmap)
    assert len(rows) == len(CHECK_IDS) and all(len(row) == 2 + 4 for row in rows)
    room_rates = [row[1] for row in rows]
    shown = sorted(judged, key=lambda c: c["pass_rate"])
    assert room_rates == [f"{round(100 * c['pass_rate'])}%" for c in shown]  # weakest first
    for cell, rate in re.findall(r'<td class="rate (\w+)"[^>]*>(\d+)%</td>', heatmap):
        assert cell == rate_band(int(rate) / 100)[0]


def test_outcomes_per_persona_and_a_self_contained_page(report):
    outcomes = table_rows(section(report, "outcomes"))
    assert [row[:2] for row in outcomes] == [["Carl Jensen (covered-carl)", str(len(CALLS))]]
    assert fetching_markup(report) == [] and "<script" not in report
    assert '<div class="scroll heatmap">' in report


@pytest.mark.parametrize(("rate", "band", "shown"), [
    (0.0, "low", "0% low"), (0.49, "low", "49% low"), (0.5, "mid", "50% fair"),
    (0.79, "mid", "79% fair"), (0.8, "high", "80% good"), (1.0, "high", "100% good"),
    (None, "na", "n/a"),
])
def test_pass_rate_bars_are_coloured_and_worded_by_band(rate, band, shown):
    bars = rate_bars([("Ask how come", rate)], label="rates")
    assert f'<li class="rate {band}"><span class="label">Ask how come</span>' in bars
    assert f'<span class="value">{shown}</span>' in bars
    assert ('<rect class="fill' in bars) == (rate is not None)  # n/a: no bar, no green


def facts(trainee: str, verdicts: str) -> CallFacts:
    codes = {"P": "pass", "F": "fail", "N": "n/a", "-": None}
    return CallFacts(f"{trainee}-{verdicts}", "2025-03-01T09:00:00.000Z", trainee, "p", "P",
                     "text", "hung_up", 50, tuple(codes[c] for c in verdicts), None)


def test_heatmap_rates_per_trainee_weakest_first():
    # Checks in rubric order; the first is failed by all, the last judged by nobody.
    calls = [facts("ana", "FPPPPPPPP-"), facts("ana", "FFPPPPPPPN"), facts("ben", "FPPPPPPPP-")]
    board = build_board("w", calls)
    rows = heatmap_rows(board, calls, TITLES)
    assert [(row.title, row.room.pass_rate) for row in rows][:2] == [
        (TITLES[CHECK_IDS[0]], 0.0), (TITLES[CHECK_IDS[1]], 2 / 3)]
    assert rows[-1].title == TITLES[CHECK_IDS[-1]] and rows[-1].room.pass_rate is None
    assert [c.pass_rate for c in rows[1].trainees] == [0.5, 1.0]  # ana, ben (board order)
    assert weakest_sentence(rows) == (
        f'<p class="weakest">The room struggles most with <b>{escape(TITLES[CHECK_IDS[0]])}</b>: '
        "0 of 3 judged calls passed it (0%).</p>")
    assert weakest_sentence(heatmap_rows(board, [], TITLES)) == (
        "<p>No check has been judged yet.</p>")


def test_report_workshop_errors(workshop_dir, tmp_path):
    out = tmp_path / "w.html"
    callsim("workshop", "start", "empty-room", "--data-dir", tmp_path / "d")
    cases = [
        (["--workshop", "porto", "--data-dir", workshop_dir],
         "callsim: no workshop named porto; see `callsim workshop list`", 1),
        (["--workshop", "EMPTY-room", "--data-dir", tmp_path / "d"],
         "callsim: no calls count in progress for workshop 'empty-room' yet (demo calls and "
         "calls without a reply are left out); run `callsim history` to see every saved call", 1),
        (["--workshop", "x", "--trainee", "ben", "--data-dir", workshop_dir],
         "callsim: give a CALL_ID, --trainee NAME or --workshop NAME (one of them)", 2),
    ]
    for args, message, code in cases:
        done = callsim("report", *args, "--html", out)
        assert (done.exit_code, done.stderr.splitlines()) == (code, [message])
        assert not out.exists()


def test_report_workshop_without_html_prints_the_board(workshop_dir):
    board = callsim("workshop", "board", WORKSHOP, "--data-dir", workshop_dir)
    done = callsim("report", "--workshop", WORKSHOP, "--data-dir", workshop_dir)
    assert (done.exit_code, done.stdout) == (0, board.stdout)
    assert WORKSHOP in done.stdout or "Trainee" in done.stdout
