"""Second pronunciations of the sales LM's words: British and US as espeak-ng says them, and
weak first sounds of the words a check turns on (simulator/voice/domain_lm/variants.py)."""

from __future__ import annotations

import pytest

from simulator.voice.domain_lm import build, variants
from simulator.voice.domain_lm.pronounce import IPA_TO_ARPABET, arpabet

BRITISH_TABLE = {**variants.BRITISH, **IPA_TO_ARPABET}


@pytest.mark.parametrize(("ipa", "phones"), [
    ("fˈeə", "F EH"),  # "fair" without its r
    ("jˈɔː", "Y AO"),  # "your"
    ("ʃˈʊə", "SH UH"),  # "sure"
    ("ˌʌndəstˈʊd", "AH N D AH S T UH D"),  # "understood"
    ("nˈəʊ", "N OW"),  # "no"
    ("ɪdˈɪə", "IH D IH AH"),  # "idea"
])
def test_british_vowels_map_onto_the_american_phones(ipa, phones):
    assert arpabet(ipa, BRITISH_TABLE) == phones


def test_the_us_table_alone_reads_the_british_diphthong_as_two_vowels():
    assert arpabet("fˈeə") == "F EH AH"


def test_a_words_variants_come_from_the_shipped_file_and_the_weak_onsets(tmp_path):
    shipped = tmp_path / "variants.dict"
    shipped.write_text("fair F EH R\nfair F EH\nthank TH AE NG K\n", encoding="utf-8")
    found = variants.variants({"fair", "thank"}, shipped)
    assert found["fair"] == ["F EH R", "F EH"]
    assert found["thank"] == ["TH AE NG K", "AE NG K", "T AE NG K", "F AE NG K"]


def test_words_the_shipped_file_lacks_are_derived_in_both_voices(tmp_path):
    found = variants.variants({"whiteboard"}, tmp_path / "none.dict")
    assert found["whiteboard"][0] == "W AY T B AO R D"  # US first
    assert "W AY T B AO D" in found["whiteboard"]  # then British, without the r


def test_the_shipped_file_covers_the_shipped_vocabulary():
    from simulator.dialog.loader import SHIPPED_DIR, persona_files
    from simulator.scoring.rubric import DEFAULT_RUBRIC, RubricChoice, load_rubric_file

    rubric = load_rubric_file(RubricChoice(DEFAULT_RUBRIC, "shipped"))
    found, _ = build.pronounceable(build.sentences(rubric, persona_files([SHIPPED_DIR])))
    vocabulary = {word for words, _ in found for word in words}
    shipped = variants.read(variants.SHIPPED)
    missing = sorted(vocabulary - set(shipped))
    # Words espeak can't map stay out; any other is a sign templates or personas changed.
    assert variants.derive(missing) == {}, (
        "variants.dict is out of date: run .venv/bin/python -m simulator.voice.domain_lm.variants")


def test_the_decoders_dictionary_numbers_each_new_pronunciation_once():
    from simulator.voice.sphinx_decoders import _dictionary_lines

    lines = _dictionary_lines(["thank", "fair", "read"], {},
                              {"thank": ["TH AE NG K", "AE NG K"], "fair": ["F EH R", "F EH"],
                               "read": ["R IY D"]})
    assert lines[:2] == ["thank TH AE NG K\n", "thank(2) AE NG K\n"]
    assert "fair(2) F EH\n" in lines and "fair(3) F EH\n" not in lines
    reads = [line for line in lines if line.startswith("read")]
    assert reads == ["read R EH D\n", "read(2) R IY D\n"] or \
        reads == ["read R IY D\n", "read(2) R EH D\n"]  # cmudict's two, no third


def test_a_built_model_carries_its_variants(tmp_path):
    from simulator.voice.domain_lm import domain_model

    model = domain_model(tmp_path)
    assert (model.lm.parent / build.VARIANTS_FILE).is_file()
    assert "F EH" in model.variants()["fair"]
    assert "fair(21) F EH\n" in model.dictionary.read_text(encoding="utf-8")
