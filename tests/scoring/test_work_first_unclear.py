""""Work on this first" never picks a FAIL heard unclearly: the next heaviest clear FAIL takes
its place, and the scorecard says plainly that the other was heard unclearly (say it again, or
correct it). A word is written `word~` when the recognizer was unsure of it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.scoring.detect import default_rubric
from simulator.scoring.fixes import unclear_advice, work_first
from simulator.scoring.unclear import score_heard
from simulator.session.engines import Word
from simulator.storage.calls import CallStore
from tests.scoring.test_heard_unclearly import heard
from tests.session.test_corrections import spoken_call

runner = CliRunner()
RUBRIC = default_rubric()
TITLES = {check: spec.title for check, spec in RUBRIC.checks.items()}
UNSURE_THANKS = "and~ you for your honesty how come you feel that way"


def card_of(spoken: str) -> tuple[dict, str]:
    text, words = heard(spoken)
    return score_heard([(text, words, "pocketsphinx", ())], RUBRIC).to_json(), text


@pytest.mark.parametrize(("spoken", "first", "unclear"), [
    # the heaviest FAIL (no thanks) may have been misheard: the next two clear ones instead
    (UNSURE_THANKS, ["permission_close", "explore_issues"], ["gratitude"]),
    # the same words heard clearly: thanks comes first
    (UNSURE_THANKS.replace("~", ""), ["gratitude", "permission_close"], []),
    # heard unclearly but not among the two heaviest: not mentioned
    ("thanks i fear~ you how come", ["permission_close", "explore_issues"], []),
    # an unsure word no FAIL rests on changes nothing
    ("why~ not", ["gratitude", "permission_close"], []),
])
def test_work_first_skips_fails_heard_unclearly(spoken, first, unclear):
    card, text = card_of(spoken)
    fixes, skipped = work_first(card, [text], RUBRIC)
    assert [fix.check for fix in fixes] == first
    assert [fix.check for fix in skipped] == unclear


@pytest.mark.parametrize(("call_id", "advice"), [
    (None, 'Thank them for the "no" was heard unclearly: say it again.'),
    ("c-1", 'Thank them for the "no" was heard unclearly: say it again or correct it with '
            '`callsim correct c-1 --turn 1 "what you said"`.'),
])
def test_the_advice_for_a_fail_heard_unclearly(call_id, advice):
    card, text = card_of(UNSURE_THANKS)
    (skipped,) = work_first(card, [text], RUBRIC)[1]
    assert unclear_advice(skipped, call_id) == advice


@pytest.fixture
def data_dir(tmp_path):
    """A spoken call saved with its reply heard as UNSURE_THANKS."""
    call = spoken_call("unsure-2", UNSURE_THANKS.replace("~", ""))
    card, _ = card_of(UNSURE_THANKS)
    first = call.turns[1].words[0]  # "and", unsure
    call.turns[1].words[0] = Word(first.text, first.start, first.end, 0.1)
    call.scorecard, call.score = card, card["score"]
    with CallStore.open(tmp_path) as store:
        store.import_calls([call])
    return tmp_path


def test_show_names_the_fail_heard_unclearly_and_works_on_the_clear_ones(data_dir):
    result = runner.invoke(app, ["show", "unsure-2", "--data-dir", str(data_dir)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert ("Work on this first\n"
            ' Thank them for the "no" was heard unclearly: say it again or correct it with '
            '`callsim correct unsure-2 --turn 1 "what you said"`.\n'
            f" 1. {TITLES['permission_close']}\n") in result.stdout
    assert f" 2. {TITLES['explore_issues']}\n" in result.stdout


def test_the_html_report_does_the_same(data_dir, tmp_path):
    page = tmp_path / "call.html"
    result = runner.invoke(app, ["report", "unsure-2", "--html", str(page), "--data-dir",
                                 str(data_dir)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    section = html[html.index('<section id="work-first">'):]
    section = section[:section.index("</section>")]
    assert ('<p class="unclear">Thank them for the &quot;no&quot; was heard unclearly: say it '
            'again or correct it with `callsim correct unsure-2 --turn 1 &quot;what you '
            'said&quot;`.</p><ol><li><b>' + TITLES["permission_close"]) in section
    assert f"<b>{TITLES['gratitude']}</b>" not in section.replace("&quot;", '"')
