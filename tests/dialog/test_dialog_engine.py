"""The dialog engine: a pure state machine driven by explicit detection sets."""

from __future__ import annotations

import random

import pytest
from dialog_helpers import table_persona

from simulator.dialog.engine import (
    DialogState,
    end_call,
    open_call,
    phrase_in,
    step,
)

PERSONA = table_persona()


def at(state: str, **kw) -> DialogState:
    return DialogState(state=state, seed=kw.pop("seed", 1), **kw)


@pytest.mark.parametrize(
    "state, reply, detections, to_state, outcome, rule",
    [
        # all: every name needed
        ("guarded", "x", {"gratitude", "explore_issues"}, "open", None, "states.guarded.on[0]"),
        ("guarded", "x", {"gratitude", "explore_issues", "goodbye"}, "open", None,
         "states.guarded.on[0]"),
        # ... one missing: gratitude alone falls to the anytime rule
        ("guarded", "x", {"gratitude"}, "guarded", None, "anytime[1]"),
        ("guarded", "x", {"explore_issues"}, "guarded", None, "states.guarded.fallback"),
        # any: one of the names is enough
        ("guarded", "x", {"pushing"}, "guarded", "hung_up", "states.guarded.on[1]"),
        ("guarded", "x", {"dead_end", "acknowledge"}, "guarded", "hung_up",
         "states.guarded.on[1]"),
        # none: a forbidden name blocks the rule
        ("guarded", "x", {"permission_close"}, "guarded", "callback_agreed",
         "states.guarded.on[2]"),
        ("guarded", "x", {"permission_close", "imposed_next_step"}, "guarded", None,
         "states.guarded.fallback"),
        # rules are tried in order: pushing wins over a later opt_out
        ("guarded", "x", {"pushing", "opt_out"}, "guarded", "hung_up", "states.guarded.on[1]"),
        ("guarded", "x", {"opt_out"}, "guarded", "opted_out", "states.guarded.on[5]"),
        # state rules before anytime rules; anytime before the fallback
        ("guarded", "x", {"goodbye"}, "guarded", "trainee_ended", "anytime[0]"),
        ("open", "x", {"goodbye", "permission_close"}, "open", "meeting_agreed",
         "states.open.on[0]"),
        # fallback: nothing matches
        ("guarded", "x", set(), "guarded", None, "states.guarded.fallback"),
        ("open", "x", {"why_question"}, "open", None, "states.open.fallback"),
    ],
)
def test_rules_by_detection(state, reply, detections, to_state, outcome, rule):
    reaction = step(PERSONA, at(state), reply, frozenset(detections))
    assert (reaction.new_state.state, reaction.outcome, reaction.matched_rule) == (
        to_state, outcome, rule)
    assert reaction.new_state.outcome == outcome
    assert reaction.new_state.turn == 1


@pytest.mark.parametrize(
    "reply, hit",
    [
        ("Could you call me back next week?", True),
        ("cal me bak tomorrow", True),  # ASR-style misspelling within the threshold
        ("Callback would be great.", False),  # "call me back" vs "callback": too far
        ("Yes.", True),
        ("yes, please", True),
        ("yesterday was busy", False),  # a short phrase never matches inside a word
        ("Yeah sure", False),
        ("Let's talk in two weeks.", True),
        ("Let's talk in few weeks.", False),
        ("We are not interested at all", True),
        ("We are interested", False),
        ("", False),
    ],
)
def test_phrases_match_fuzzily_on_whole_words(reply, hit):
    reaction = step(PERSONA, at("guarded"), reply, frozenset())
    assert (reaction.new_state.state == "phrased") is hit


@pytest.mark.parametrize(
    "phrase, text, threshold, hit",
    [
        ("call me back", "please CALL me back!", 90, True),
        ("call me back", "call me bak", 90, True),
        ("call me back", "call me bak", 100, False),
        ("no", "I know", 90, False),
        ("no", "no", 90, True),
        ("now", "no", 60, False),  # short phrases always need an exact word
        ("circle back", "circled back", 90, True),
        ("circle back", "circus bake", 90, False),
    ],
)
def test_phrase_in(phrase, text, threshold, hit):
    assert phrase_in(phrase, text, threshold) is hit


def test_goto_without_say_speaks_a_line_of_the_target_state():
    reaction = step(PERSONA, at("guarded"), "x", frozenset({"gratitude", "explore_issues"}))
    assert reaction.prospect_line in PERSONA.states["open"].lines


def test_end_without_say_speaks_the_outcome_line_and_with_say_the_rules_line():
    opted = step(PERSONA, at("guarded"), "x", frozenset({"opt_out"}))
    assert opted.prospect_line == "Don't call again."
    pushed = step(PERSONA, at("guarded"), "x", frozenset({"pushing"}))
    assert pushed.prospect_line == "Goodbye."


def test_poor_replies_run_out_patience_and_hang_up():
    state = at("guarded")
    first = step(PERSONA, state, "why?", frozenset({"why_question"}))
    assert (first.new_state.state, first.new_state.poor, first.outcome, first.poor) == (
        "defensive", 1, None, True)
    assert first.prospect_line == "Because!"
    second = step(PERSONA, first.new_state, "ok", frozenset())
    assert (second.outcome, second.poor, second.new_state.poor) == ("hung_up", True, 2)
    # the fallback's own line, then the hang-up line
    assert second.prospect_line == "Hmph. Click."


def test_good_replies_do_not_count_toward_patience():
    state = at("guarded", poor=1)
    reaction = step(PERSONA, state, "x", frozenset({"gratitude", "explore_issues"}))
    assert (reaction.new_state.poor, reaction.outcome, reaction.poor) == (1, None, False)


@pytest.mark.parametrize("patience, outcome", [(1, "hung_up"), (2, None), (3, None)])
def test_patience_is_the_number_of_poor_replies_tolerated(patience, outcome):
    persona = table_persona(patience=patience)
    reaction = step(persona, at("guarded"), "x", frozenset())
    assert reaction.outcome == outcome


def test_the_call_ends_at_max_turns():
    state = at("open")
    lines = []
    for _ in range(4):
        reaction = step(PERSONA, state, "hm", frozenset())
        lines.append(reaction.prospect_line)
        state = reaction.new_state
    assert (state.turn, state.outcome) == (4, "max_turns")
    assert lines == ["Anyway.", "Anyway.", "Anyway.", "Anyway. Out of time."]


def test_an_ended_call_does_not_change():
    ended = step(PERSONA, at("guarded"), "x", frozenset({"pushing"})).new_state
    again = step(PERSONA, ended, "sorry!", frozenset({"gratitude", "explore_issues"}))
    assert (again.new_state, again.prospect_line, again.outcome, again.matched_rule) == (
        ended, None, "hung_up", None)


def test_the_trainee_can_end_the_call():
    reaction = end_call(PERSONA, at("open", turn=2))
    assert (reaction.outcome, reaction.prospect_line, reaction.new_state.turn) == (
        "trainee_ended", "Bye.", 2)


def test_the_same_seed_and_replies_give_the_same_call():
    def play(seed: int) -> list[str | None]:
        state, opening = open_call(PERSONA, seed)
        said = [opening]
        for names in ({"why_question"}, {"how_come"}, {"permission_close"}):
            reaction = step(PERSONA, state, "x", frozenset(names))
            said.append(reaction.prospect_line)
            state = reaction.new_state
        return said

    assert play(7) == play(7)
    assert play(7)[-1] == "Tuesday works."
    openings = {open_call(PERSONA, seed)[1] for seed in range(30)}
    assert openings == set(PERSONA.opening)  # every variant is used across seeds
    middles = {play(seed)[2] for seed in range(30)}
    assert middles == set(PERSONA.states["open"].lines)


def test_an_explicit_rng_picks_the_line():
    state = at("guarded")
    names = frozenset({"gratitude", "explore_issues"})
    picked = {step(PERSONA, state, "x", names, random.Random(i)).prospect_line for i in range(30)}
    assert picked == set(PERSONA.states["open"].lines)


def test_the_call_starts_in_the_start_state():
    state, line = open_call(PERSONA, 3)
    assert (state.state, state.turn, state.poor, state.outcome, state.seed) == (
        "guarded", 0, 0, None, 3)
    assert line in PERSONA.opening


def play(*replies: set[str], state: str = "guarded") -> list:
    """Each reply's reaction, one after the other, from `state`."""
    current, reactions = at(state), []
    for names in replies:
        reaction = step(PERSONA, current, "x", frozenset(names))
        reactions.append(reaction)
        current = reaction.new_state
    return reactions


@pytest.mark.parametrize(
    "replies, to_state, rule",
    [
        # thanks first, the question next: the rule sees the earlier thanks
        ([{"acknowledge"}, {"explore_issues"}], "open", "states.guarded.on[6]"),
        ([{"gratitude"}, {"how_come"}, {"explore_issues"}], "open", "states.guarded.on[6]"),
        # never thanked: the question alone does not open them up
        ([{"explore_issues"}, {"explore_issues"}], "guarded", "states.guarded.fallback"),
        # the reply itself is not "earlier": acknowledge and the question together are not enough
        ([{"acknowledge", "explore_issues"}], "guarded", "states.guarded.fallback"),
    ],
)
def test_earlier_sees_the_moves_of_previous_replies(replies, to_state, rule):
    last = play(*replies)[-1]
    assert (last.new_state.state, last.matched_rule) == (to_state, rule)


def test_the_state_remembers_every_move_heard_so_far():
    reactions = play({"gratitude"}, {"how_come", "discovery_question"})
    assert [r.new_state.heard for r in reactions] == [
        frozenset({"gratitude"}), frozenset({"gratitude", "how_come", "discovery_question"})]


@pytest.mark.parametrize(
    "state, detections, poor",
    [
        # courteous: thanks or acknowledgement and no fault -> never poor, even in a poor rule
        ("guarded", {"acknowledge"}, False),
        ("defensive", {"acknowledge", "discovery_question"}, False),
        # a fault makes it an ordinary reply again
        ("guarded", {"acknowledge", "permission_close", "imposed_next_step"}, True),
        ("guarded", {"acknowledge", "why_question"}, True),
        ("defensive", {"acknowledge", "i_question"}, True),
        ("defensive", {"acknowledge", "keep_us_in_mind"}, True),
        # no courtesy at all
        ("defensive", set(), True),
    ],
)
def test_a_courteous_reply_is_never_poor(state, detections, poor):
    reaction = step(PERSONA, at(state), "x", frozenset(detections))
    assert (reaction.poor, reaction.new_state.poor) == (poor, int(poor))


def test_courtesy_never_runs_out_patience():
    reactions = play({"acknowledge"}, {"acknowledge"}, {"acknowledge"})
    assert [(r.outcome, r.new_state.poor) for r in reactions] == [(None, 0)] * 3
    assert reactions[0].prospect_line == "I'm busy."  # the rule's line is still said
