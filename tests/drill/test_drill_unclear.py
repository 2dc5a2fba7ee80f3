"""Drill answers heard unclearly: a FAIL resting on words the recognizer was unsure of says
"heard unclearly", as in practice, and a poor answer because of it does not count as handled
poorly (the objection is not due again as a retry, and not among the weakest checks).

A word is written `word~` when the recognizer was unsure of it (confidence 0.1)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console

from simulator.cli.drill import UNCLEAR_HINT, _verdicts
from simulator.drill.bank import load_bank
from simulator.drill.engines import DrillProspect
from simulator.drill.schedule import PASS_SCORE, Attempt, next_objection
from simulator.drill.session import DrillOptions, DrillSession, drill_history
from simulator.scoring.rubric import load_rubric
from simulator.session.engines import Reply, Word
from simulator.storage.calls import CallStore

RUBRIC = load_rubric()
OBJECTION = next(o for o in load_bank() if o.stage == "opening")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class HeardReplies:
    """Spoken replies as a recognizer gave them (the recognizer's name says whose scale)."""

    class recognizer:  # noqa: N801 - stands where SpokenReplies keeps its recognizer
        name = "pocketsphinx"

    def __init__(self, *spoken: str):
        self.replies = [self.heard(text) for text in spoken]

    @staticmethod
    def heard(spoken: str) -> Reply:
        words = tuple(Word(t.rstrip("~"), 0.0, 0.0, 0.1 if t.endswith("~") else 0.95)
                      for t in spoken.split())
        return Reply(" ".join(w.text for w in words), words, source="wav")

    def next_reply(self) -> Reply | None:
        return self.replies.pop(0) if self.replies else None


def drilled(data_dir, spoken: str):
    """One answer to OBJECTION: (the drill's result, what it printed, the store's history)."""
    console = Console(record=True, width=200, color_system=None)
    with CallStore.open(data_dir) as store:
        session = DrillSession([OBJECTION], store, HeardReplies(spoken),
                               DrillProspect(console, [OBJECTION]),
                               DrillOptions(seed=1, rubric=RUBRIC),
                               on_item=_verdicts(console, RUBRIC, echo=True))
        result = session.run()
        history = drill_history(store, None, [OBJECTION])
    return result, console.export_text(), history


@pytest.mark.parametrize(("spoken", "label", "unclear", "failed_gratitude", "counts"), [
    # "and" unsure: may have been "thank" -> heard unclearly, not held against the trainee
    ("and~ you for your honesty how come you feel that way", "heard unclearly Thank",
     ["gratitude"], False, False),
    # the same words heard clearly: a plain FAIL, and a poor answer
    ("and you for your honesty how come you feel that way", "FAIL Thank", [], True, True),
])
def test_a_fail_resting_on_unsure_words_is_heard_unclearly_and_not_held_against(
        tmp_path, spoken, label, unclear, failed_gratitude, counts):
    result, shown, history = drilled(tmp_path, spoken)
    (item,) = result.items
    assert item.unclear == unclear
    assert ("gratitude" in item.failed) is failed_gratitude
    assert f"  {label}" in shown
    assert (" ".join(UNCLEAR_HINT.split()) in " ".join(shown.split())) is bool(unclear)
    assert item.to_json()["unclear"] == unclear
    assert ("gratitude" in dict(result.weakest())) is failed_gratitude
    (attempt,) = history  # as read back from the saved call
    assert attempt.unclear == frozenset(unclear) and attempt.counts is counts
    assert item.score < PASS_SCORE  # poor either way: only the clear FAIL makes it a retry
    later = datetime.now(timezone.utc) + timedelta(minutes=2)  # a retry is due after a minute
    pick = next_objection([OBJECTION.id], history, later, seed=1)
    assert pick.reason == ("retry" if counts else "new")


def test_the_saved_answer_keeps_the_heard_flag_and_the_recognizer(tmp_path):
    result, _, _ = drilled(tmp_path, "and~ you for your honesty how come you feel that way")
    with CallStore.open(tmp_path) as store:
        call = store.get_call(result.items[0].call_id)
    assert call.scorecard["checks"]["gratitude"] == {**call.scorecard["checks"]["gratitude"],
                                                     "verdict": "fail", "heard": "unclear"}
    assert call.turns[1].extra["engine"] == "pocketsphinx"


@pytest.mark.parametrize(("score", "failed", "unclear", "counts"), [
    (90, set(), set(), True),  # handled well
    (40, {"gratitude"}, set(), True),  # handled poorly, heard clearly
    (40, set(), {"gratitude"}, False),  # poor only on words heard unclearly: says nothing
    (40, {"permission_close"}, {"gratitude"}, False),  # poor, but may have been misheard
    (90, set(), {"opt_out"}, True),  # handled well all the same
])
def test_which_answers_count_in_the_schedule(score, failed, unclear, counts):
    attempt = Attempt("a", T0, score, frozenset(failed), frozenset(unclear))
    assert attempt.counts is counts
    history = [attempt]
    expected = "retry" if counts and not attempt.handled_well else \
        "review" if counts else "new"
    assert next_objection(["a"], history, T0 + timedelta(days=30), 1).reason == expected


def test_a_move_heard_another_way_passes_and_says_so(tmp_path):
    spoken = HeardReplies.heard("and you for your honesty how come you feel that way")
    console = Console(record=True, width=200, color_system=None)
    replies = HeardReplies()
    replies.replies = [Reply(spoken.text, spoken.words, source="wav", also_heard=(
        "thank you for your honesty how come you feel that way",))]
    with CallStore.open(tmp_path) as store:
        result = DrillSession([OBJECTION], store, replies, DrillProspect(console, [OBJECTION]),
                              DrillOptions(seed=1, rubric=RUBRIC),
                              on_item=_verdicts(console, RUBRIC, echo=True)).run()
        saved = store.get_call(store.list_calls()[0].call_id)
    (item,) = result.items
    assert "gratitude" not in item.failed
    assert ('  PASS Thank them for the "no": heard as "thank you for your honesty how come you '
            'feel that way" (another hearing of your words)') in console.export_text()
    assert saved.turns[1].extra["also_heard"] == [
        "thank you for your honesty how come you feel that way"]
