"""The objection bank: every persona's opening lines and the lines where the trainee should
close, once each, under ids that stay put, each saying what it asks for."""

from __future__ import annotations

import pytest

from simulator.dialog.validate import load_personas
from simulator.drill.bank import find_objection, load_bank, objection_bank
from simulator.errors import InputError

PERSONAS = [loaded.persona for loaded in load_personas()]


def test_every_shipped_opening_line_is_in_the_bank_with_its_persona():
    bank = load_bank()
    expected = [(f"{p.id}:{n}", line, p.id, p.name) for p in sorted(PERSONAS, key=lambda p: p.id)
                for n, line in enumerate(p.opening, 1)]
    assert [(o.id, o.text, o.persona, o.persona_name) for o in bank
            if o.stage == "opening"] == expected
    by_persona = {p.id: p for p in PERSONAS}
    assert all(o.voice == by_persona[o.persona].voice.settings() for o in bank)


def test_a_line_two_personas_share_is_kept_once_under_the_first_persona():
    carl, dora = (next(p for p in PERSONAS if p.id == pid) for pid in ("covered-carl",
                                                                       "doubtful-dora"))
    shared = carl.opening[1]
    dora = dora.model_copy(update={"opening": [dora.opening[0], f"  {shared.upper()} ",
                                               dora.opening[1]]})
    bank = objection_bank([dora, carl])
    assert [o.id for o in bank if o.persona == "doubtful-dora" and o.stage == "opening"] == [
        "doubtful-dora:1", "doubtful-dora:3"]
    assert [o.text for o in bank].count(shared) == 1


# The lines said on entering a state where a permission close gets a meeting and only a fault
# leads elsewhere: the prospect has opened up, the item asks for a close.
CLOSE_ITEMS = [
    ("absurd-al:open:1", "absurd-al:open:2"),
    ("covered-carl:open:1", "covered-carl:open:2"),
    ("doubtful-dora:talking:1", "doubtful-dora:talking:2"),
    ("email-emma:open:1", "email-emma:open:2"),  # not "curious": a probe moves her on from there
    ("forgetful-fred:open:1", "forgetful-fred:open:2"),
    ("impatient-iris:open:1",),
    ("monthly-fee-mario:open:1", "monthly-fee-mario:open:2"),
]


def test_the_lines_where_the_prospect_has_opened_up_are_close_items():
    bank = load_bank()
    assert [o.id for o in bank if o.stage == "close"] == [i for ids in CLOSE_ITEMS for i in ids]
    carl = next(p for p in PERSONAS if p.id == "covered-carl")
    assert [o.text for o in bank if o.id.startswith("covered-carl:open:")] == \
        carl.states["open"].lines
    assert {o.stage for o in bank} == {"opening", "close"}


def test_ids_do_not_move_when_personas_are_added_or_removed():
    everyone = {o.id: o.text for o in objection_bank(PERSONAS)}
    some = {o.id: o.text for o in objection_bank(PERSONAS[::2])}
    assert some.items() <= everyone.items()


@pytest.mark.parametrize(("text", "found"), [
    ("Not interested, we're covered.", "covered-carl:1"),
    ("  not interested,   WE'RE covered. ", "covered-carl:1"),
    ("Not interested at all.", None),
])
def test_a_saved_prospect_line_maps_back_to_its_objection(text, found):
    objection = find_objection(load_bank(), text)
    assert (objection.id if objection else None) == found


def test_no_personas_is_one_line(tmp_path):
    with pytest.raises(InputError, match="^there are no personas to drill with: create one "
                                         "with `callsim personas new <id>`$"):
        load_bank([tmp_path])
