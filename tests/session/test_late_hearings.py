"""A recognizer pass slower than the reply (the general LM's words of a reply the sales LM was
sure of) is not waited for while the trainee waits for the prospect: its hearings are read once
the prospect has answered (or when the call ends, however it ends), saved with the reply's turn,
and counted on the scorecard as if they had come with the reply."""

from __future__ import annotations

import pytest

from simulator.dialog.validate import get_persona
from simulator.scoring.hearings import ALSO_HEARD
from simulator.session.call import CallOptions, CallSession
from simulator.session.engines import Reply, Word
from simulator.storage.calls import CallStore
from simulator.storage.records import TurnRecord

HEARD = "and you for your honesty how come you feel that way"
SOON = ("and you for your honest how come you feel that way",)  # with the reply (next best)
LATE = ("thank you for your honesty how come you feel that way", *SOON)  # the slower pass's


class Events(list):
    def late(self) -> tuple[str, ...]:
        self.append("hearings read")
        return LATE


class Prospect:
    def __init__(self, events: Events, then: str):
        self.events, self.then = events, then

    def say(self, text, voice) -> None:
        self.events.append("prospect speaks")
        if self.then == "ctrl-c" and self.events.count("prospect speaks") == 2:
            raise KeyboardInterrupt  # while the prospect answers: the call ends here


class Trainee:
    """One spoken reply whose hearings come late, then no more."""

    class recognizer:  # noqa: N801 - stands where SpokenReplies keeps its recognizer
        name = "pocketsphinx"

    def __init__(self, events: Events):
        self.events, self.replies = events, 0

    def next_reply(self) -> Reply | None:
        self.replies += 1
        if self.replies > 1:
            return None
        self.events.append("trainee replies")
        words = tuple(Word(w, 0.0, 0.0, 0.9) for w in HEARD.split())
        return Reply(HEARD, words, source="wav", also_heard=SOON,
                     pending_hearings=self.events.late)


@pytest.mark.parametrize("then", ["hang up", "ctrl-c"])
def test_late_hearings_are_read_after_the_prospect_answers_and_kept(tmp_path, then):
    events = Events()
    persona = get_persona("covered-carl").persona
    with CallStore.open(tmp_path) as store:
        record = CallSession(persona, store, Trainee(events), Prospect(events, then),
                             CallOptions(seed=1, mode="wav")).run()
    # Read only once the prospect has begun to answer the reply: never on the trainee's wait.
    assert events[:3] == ["prospect speaks", "trainee replies", "prospect speaks"]
    assert events.count("hearings read") == 1 and events.index("hearings read") >= 3
    reply = next(turn for turn in record.turns if turn.speaker == "trainee")
    assert reply.extra["also_heard"] == list(LATE)
    gratitude = record.scorecard["checks"]["gratitude"]
    assert (gratitude["verdict"], gratitude.get("heard")) == ("pass", ALSO_HEARD)
    assert gratitude["evidence"][0]["heard"] == LATE[0]


def test_a_reply_saved_before_its_hearings_keeps_those_it_came_with(tmp_path):
    """Saved as it happens: had the call stopped before the late hearings, the first ones hold."""
    with CallStore.open(tmp_path) as store:
        record = store.start_call("covered-carl", "Carl", 1, None, None, "wav")
        store.add_turn(record.call_id, TurnRecord(0, "trainee", HEARD,
                                                  extra={"also_heard": list(SOON)}))
        assert store.get_call(record.call_id).turns[0].extra["also_heard"] == list(SOON)
        store.set_hearings(record.call_id, 0, list(LATE))
        assert store.get_call(record.call_id).turns[0].extra == {"also_heard": list(LATE)}
