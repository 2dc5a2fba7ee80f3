"""`callsim report --html`: one self-contained page, evidence marked, every saved text escaped."""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.errors import StorageError
from simulator.report import call_report, trainee_report, write_html
from simulator.scoring.notes import turn_notes
from simulator.scoring.rubric import load_rubric
from simulator.storage import CallStore, TurnRecord
from tests.progress.histories import SPOKEN, call, practice, save

runner = CliRunner()
NAME = "<script>alert(1)</script>"
TAG = re.compile(r"<[a-zA-Z][^>]*>")  # escaped saved text has no raw "<", so these are real tags
# An in-page link (href="#call-...") fetches nothing; any other href does.
FETCHING_TAG = re.compile(r"^<(script|link|img|iframe|object|embed|base|form|audio|video)\b|"
                          r"\s(src|srcset|action|xlink:href|style)\s*=|"
                          r"\shref\s*=\s*(?![\"']#)", re.IGNORECASE)
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def fetching_markup(page: str) -> list[str]:
    """Every tag, attribute or CSS rule in `page` that would run a script or fetch something."""
    found = [tag for tag in TAG.findall(page) if FETCHING_TAG.search(tag)]
    for css in STYLE.findall(page):
        found += re.findall(r"url\(|@import", css, re.IGNORECASE)
    return found


class TraineeTurns(HTMLParser):
    """Each trainee turn's text, and which characters are inside <mark class="ev pass|fail">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.turns: list[tuple[str, list[str | None]]] = []
        self._in_turn = self._in_who = False
        self._mark: str | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and classes == ["turn", "trainee"]:
            self._in_turn = True
            self.turns.append(("", []))
        elif self._in_turn and tag == "span" and "who" in classes:
            self._in_who = True
        elif self._in_turn and tag == "mark":
            self._mark = classes[-1]

    def handle_endtag(self, tag):
        if tag == "div":
            self._in_turn = False
        elif tag == "span":
            self._in_who = False
        elif tag == "mark":
            self._mark = None

    def handle_data(self, data):
        if self._in_turn and not self._in_who:
            text, marks = self.turns[-1]
            self.turns[-1] = (text + data, marks + [self._mark] * len(data))


def expected_marks(text: str, checks: dict, turn: int) -> list[str | None]:
    marks: list[str | None] = [None] * len(text)
    for result in checks.values():
        for item in result["evidence"]:
            if item.get("turn", 0) == turn:
                for n in range(item["start"], item["end"]):
                    if marks[n] != "fail":
                        marks[n] = "fail" if result["verdict"] == "fail" else "pass"
    return marks


@pytest.fixture
def real_call(tmp_path):
    """A real typed call by a trainee whose name is markup, plus an earlier call of theirs."""
    practice(tmp_path, NAME, "Why not? Keep us in mind.\n", seed=1)
    call_id = practice(tmp_path, NAME, seed=3)
    with CallStore.open(tmp_path) as store:
        return tmp_path, store.get_call(call_id)


def test_call_page_marks_exactly_the_evidence_in_the_trainees_words(real_call):
    data_dir, record = real_call
    with CallStore.open(data_dir) as store:
        page = call_report(store, record.call_id)
    parser = TraineeTurns()
    parser.feed(page)
    said = [turn.text for turn in record.turns if turn.speaker == "trainee"]
    assert [text for text, _ in parser.turns] == said
    checks = record.scorecard["checks"]
    assert any(item.get("turn") == 2 for r in checks.values() for item in r["evidence"])
    for turn, (text, marks) in enumerate(parser.turns):
        assert marks == expected_marks(text, checks, turn)
    assert "fail" in parser.turns[1][1] and "pass" in parser.turns[0][1]


def test_call_page_has_notes_scorecard_and_the_trainees_progress(real_call):
    data_dir, record = real_call
    with CallStore.open(data_dir) as store:
        page = call_report(store, record.call_id)
    said = [turn.text for turn in record.turns if turn.speaker == "trainee"]
    for note in turn_notes(said):
        assert f"&ldquo;{note.quote}&rdquo;" in page
        assert note.rewrite is None or note.rewrite in page
    for result in record.scorecard["checks"].values():
        assert html.escape(result["advice"]) in page
    assert f"Scorecard <span class=\"score\">{record.score}/100</span>" in page
    assert "Progress of &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "2 calls (0 drills, 0 spoken)" in page
    assert page.count('class="marked"') == 1  # this call, circled on the score line
    assert "Typed call: no timing to judge." in page


@pytest.mark.parametrize("kind", ["call", "trainee"])
def test_pages_escape_saved_text_and_fetch_nothing(real_call, kind):
    data_dir, record = real_call
    with CallStore.open(data_dir) as store:
        page = (call_report(store, record.call_id) if kind == "call"
                else trainee_report(store, NAME.upper()))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert fetching_markup(page) == []
    assert page.count("<svg") >= 2
    assert "default-src 'none'" in page


def test_hostile_text_anywhere_in_a_call_stays_text(tmp_path):
    evil = '<img src=x onerror="alert(1)">'
    record = call(0, trainee=evil, persona="x", delivery=SPOKEN)
    record.persona_name = evil
    record.turns = [TurnRecord(0, "prospect", evil), TurnRecord(1, "trainee", evil + " thanks")]
    record.scorecard["checks"]["gratitude"]["evidence"] = [{"text": evil, "start": 0,
                                                           "end": len(evil)}]
    record.scorecard["checks"]["gratitude"]["advice"] = evil
    with CallStore.open(save(tmp_path, [record])) as store:
        pages = [call_report(store, record.call_id), trainee_report(store, evil)]
    for page in pages:
        assert fetching_markup(page) == []
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_trainee_page_has_charts_rates_and_calls(tmp_path):
    records = [call(n, score=10 * n, delivery=SPOKEN if n % 2 else None) for n in range(6)]
    with CallStore.open(save(tmp_path, records)) as store:
        page = trainee_report(store, "ana")
    assert "<h1>Progress report: <span class=\"trainee\">ana</span></h1>" in page
    assert page.count('<rect class="fill high"') == 10  # a green pass-rate bar per check
    assert "6 calls (0 drills, 3 spoken)" in page
    assert all(record.call_id in page for record in records)
    assert "Score: first <b>0</b>, best <b>50</b>, latest <b>50</b>" in page


def test_the_static_check_finds_fetching_markup():
    page = ('<style>a{background:url(x.png)}</style><p>&lt;img src=x&gt;</p>'
            '<img src="http://example.com/x.png"><a href="https://example.com">x</a><script>'
            '<a href="#call-1">an in-page link fetches nothing</a>')
    assert fetching_markup(page) == ['<img src="http://example.com/x.png">',
                                     '<a href="https://example.com">', "<script>", "url("]


def test_write_replaces_the_file_atomically(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    write_html(target, "<p>new</p>")
    assert target.read_text() == "<p>new</p>"
    assert os.listdir(tmp_path) == ["report.html"]


def test_write_failures_are_one_line_and_keep_the_old_file(tmp_path, tmpfs):
    full = tmpfs(8)
    (full / "filler").write_bytes(b"x" * 8 * 1024)
    cases = {
        tmp_path / "missing" / "r.html": "No such file or directory",
        tmp_path: "Is a directory",
        full / "r.html": "No space left on device",
    }
    for path, reason in cases.items():
        with pytest.raises(StorageError) as raised:
            write_html(path, "<p>" + "x" * 20000 + "</p>")
        assert str(raised.value) == (
            f"cannot write {path}: {reason}; choose another file or free some disk space")
    assert sorted(os.listdir(full)) == ["filler"]  # no temp file left behind


def test_report_command(real_call, tmp_path):
    data_dir, record = real_call
    out = tmp_path / "out.html"
    base = ["report", "--data-dir", str(data_dir), "--html", str(out)]
    done = runner.invoke(app, [*base, record.call_id[:-2]])  # an id prefix will do
    assert (done.exit_code, done.stdout) == (0, f"Wrote {out}\n")
    assert record.call_id in out.read_text()
    done = runner.invoke(app, [*base, "--trainee", NAME])
    assert (done.exit_code, done.stdout) == (0, f"Wrote {out}\n")
    assert "Progress report" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["nope"], "callsim: no call with id nope; run `callsim history` to list calls", 1),
        (["--trainee", "x"],
         "callsim: no calls for trainee 'x'; run `callsim history` to see what is saved", 1),
        ([], "callsim: give a CALL_ID, --trainee NAME or --workshop NAME (one of them)", 2),
        (["abc", "--trainee", "x"], "callsim: give a CALL_ID, --trainee NAME or --workshop NAME "
                                    "(one of them)", 2),
    ],
)
def test_report_command_errors(real_call, tmp_path, args, message, code):
    data_dir, _ = real_call
    done = runner.invoke(app, ["report", "--data-dir", str(data_dir),
                               "--html", str(tmp_path / "r.html"), *args])
    assert (done.exit_code, done.stderr.splitlines()) == (code, [message])
    assert not (tmp_path / "r.html").exists()


def test_report_command_unwritable_file(real_call, tmp_path):
    data_dir, record = real_call
    target = tmp_path / "no" / "r.html"
    done = runner.invoke(app, ["report", record.call_id, "--data-dir", str(data_dir),
                               "--html", str(target)])
    assert (done.exit_code, done.stderr.splitlines()) == (1, [
        f"callsim: cannot write {target}: No such file or directory; choose another file or "
        "free some disk space"])


def test_call_page_opens_with_what_to_work_on_first(real_call):
    data_dir, record = real_call
    with CallStore.open(data_dir) as store:
        page = call_report(store, record.call_id)
    advice = {check: html.escape(spec.advice.fail) for check, spec in
              load_rubric().checks.items()}
    # The two heaviest failures (15 and 8 of the rubric's weight), quoted and rewritten.
    assert ('<section id="work-first"><h2>Work on this first</h2><ol>'
            '<li><b>Ask &quot;how come&quot;, not &quot;why&quot;</b>'
            f'<p>{advice["how_come_not_why"]}</p>'
            '<p><b>You said (reply 1):</b> <span class="said">&ldquo;Why&rdquo;</span>'
            '<br><b>Try instead:</b> <span class="try">How come?</span></p></li>'
            f'<li><b>Explore their issues</b><p>{advice["explore_issues"]}</p>'
            '<p><b>You said (reply 1):</b> <span class="said">&ldquo;Thank you for your honesty. '
            'Why not?&rdquo;</span><br><b>Try instead:</b> <span class="try">… If you could '
            'change one thing about how you handle this today, what would it be?</span></p></li>'
            '</ol></section>') in page
    assert page.index('id="work-first"') < page.index('id="transcript"') \
        < page.index('id="scorecard"')


def test_notes_show_a_rewrite_only_where_there_is_one(tmp_path):
    call_id = practice(tmp_path, "ann", "Thank you. Our price is the lowest.\n", seed=1)
    with CallStore.open(tmp_path) as store:
        page = call_report(store, call_id)
    assert ('<tr><td>Reply 1</td><td><span class="said">&ldquo;Our price is the lowest&rdquo;'
            '</span></td><td>No pushing after the &quot;no&quot;</td></tr>') in page
    notes = re.search(r'<section id="notes">.*?</section>', page).group(0)
    assert "<td>-</td>" not in notes and "Try instead:</b> -" not in page


def test_report_without_html_prints_the_text_form(real_call):
    data_dir, record = real_call
    shown = runner.invoke(app, ["show", record.call_id, "--data-dir", str(data_dir)])
    done = runner.invoke(app, ["report", record.call_id, "--data-dir", str(data_dir)])
    assert (done.exit_code, done.stdout) == (0, shown.stdout)
    assert "Work on this first" in done.stdout or "Scorecard" in done.stdout
    progress = runner.invoke(app, ["progress", "--trainee", NAME, "--data-dir", str(data_dir)])
    done = runner.invoke(app, ["report", "--trainee", NAME, "--data-dir", str(data_dir)])
    assert (done.exit_code, done.stdout) == (0, progress.stdout)
    assert list(data_dir.glob("*.html")) == []
