"""The domain model's text: written as the recognizer writes words, and phrase patterns
expanded into the word sequences they stand for."""

from __future__ import annotations

import pytest

from simulator.voice.domain_lm.phrases import expand, with_short_forms
from simulator.voice.domain_lm.pronounce import arpabet
from simulator.voice.domain_lm.text import sentences_of


@pytest.mark.parametrize("text, sentences", [
    ("Not interested, we're covered. Thanks!", ["not interested we're covered", "thanks"]),
    ("We run 40 trucks.", ["we run forty trucks"]),
    ("Call me at 9:30 a.m. on the 21st.", ["call me at nine thirty a.m. on the twenty first"]),
    ("It's $1,250 a month — 15% off?", ["it's one thousand two hundred fifty dollars a month "
                                        "fifteen percent off"]),
    ("Route-planning & dispatch since 1998", ["route planning and dispatch since nineteen "
                                              "ninety eight"]),
    ("Don’t “quote” me", ["don't quote me"]),
])
def test_text_is_written_as_the_recognizer_writes_it(text, sentences):
    assert [" ".join(words) for words in sentences_of(text)] == sentences


@pytest.mark.parametrize("pattern, lists, expanded", [
    ("issues?", {}, ["issues", "issue"]),
    ("least favou?rite", {}, ["least favourite", "least favorite"]),
    ("thanks to(?! you for)", {}, ["thanks to"]),
    ("^((oh|ah) )?nice$", {}, ["oh nice", "ah nice", "nice"]),
    ("holding \\w+ back", {}, ["holding you back", "holding them back", "holding things back",
                               "holding it back"]),
    ("(\\w+er|less) than", {}, ["than", "less than"]),  # no made-up "youer"
    ("or [^\\n]{0,60}that is the end", {}, ["or", "that is the end"]),
    ("(\\w+er|more \\w+) than", {}, ["than", "more you than", "more them than",
                                   "more things than", "more it than"]),
    ("what is (not|n't) working", {}, ["what is not working", "what isn't working"]),
    ("(can|may) i {contact}", {"contact": ["call", "ring you"]},
     ["can i call", "can i ring you", "may i call", "may i ring you"]),
    ("at {clock}", {"clock": ["two p.m.", "nine"]}, ["at two p.m.", "at nine"]),
])
def test_phrase_patterns_expand_to_what_they_stand_for(pattern, lists, expanded):
    assert [" ".join(words) for words in expand(pattern, lists)] == expanded


def test_a_long_pattern_covers_every_alternative_without_multiplying_out():
    words = ["w" + chr(97 + i // 26) + chr(97 + i % 26) for i in range(30)]
    pattern = "(" + "|".join(words) + ") and (" + "|".join(reversed(words)) + ") (x|y)"
    expanded = expand(pattern)
    assert len(expanded) == 30  # not 30 * 30 * 2
    assert {seq[0] for seq in expanded} == set(words) == {seq[2] for seq in expanded}
    assert {seq[3] for seq in expanded} == {"x", "y"}


@pytest.mark.parametrize("words, short", [
    ("i do not think it is", "i don't think it's"),
    ("you are right", "you're right"),
    ("thank you", "thank you"),
])
def test_short_forms_are_what_people_say(words, short):
    assert " ".join(with_short_forms(words.split())) == short


@pytest.mark.parametrize("ipa, phones", [
    ("wˈaɪtboːɹd", "W AY T B AO R D"),
    ("ˈɑːnboːɹdɪŋ", "AA N B AO R D IH NG"),
    ("m_ˈɑːɹ_ɹ_ɪ__ˌoʊ".replace("_", ""), "M AA R IH OW"),
    ("dʒˈɛnsən", "JH EH N S AH N"),
    ("ʘ", None),  # a click: no English phone, so the word is left out
])
def test_espeak_ipa_maps_onto_the_acoustic_models_phones(ipa, phones):
    assert arpabet(ipa) == phones
