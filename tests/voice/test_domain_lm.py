"""The recognizer's domain language model: built from the rubric, personas and templates,
cached by content, written atomically, and hearing sales replies in real espeak-ng audio."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.errors import DomainModelError
from simulator.scoring.rubric import DEFAULT_RUBRIC
from simulator.voice.domain_lm import build, domain_model
from simulator.voice.domain_lm.kneser_ney import arpa

# A trainer's persona: 'whiteboard' and 'onboardings' are not in the recognizer's dictionary.
PERSONA = """\
id: whiteboard-wendy
name: Wendy Marsh
role: Office Manager
company: Marsh Dental
difficulty: 2
briefing: You sell scheduling software to dental practices.
opening: ["Not interested, we use a whiteboard."]
start: guarded
states:
  guarded:
    on:
      - when: {any: [pushing]}
        end: hung_up
      - when: {any: [permission_close]}
        end: callback_agreed
    fallback: {say: ["Onboardings take all my time."], poor: true}
outcomes:
  hung_up: {say: ["Bye."]}
  callback_agreed: {say: ["Call me."]}
  max_turns: {say: ["Got to go."]}
golden:
  - name: a permission close gets a callback
    replies: ["Thank you for your honesty. Would you mind if I called you next week?"]
    expect: {outcome: callback_agreed}
"""


def personas_dir(tmp_path: Path, text: str = PERSONA) -> Path:
    folder = tmp_path / "personas"
    folder.mkdir(exist_ok=True)
    (folder / "whiteboard-wendy.yaml").write_text(text, encoding="utf-8")
    return folder


def build_in(data_dir: Path, personas: Path):
    return domain_model(data_dir, rubric=DEFAULT_RUBRIC, personas=[personas])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lm")
    return build_in(tmp / "data", personas_dir(tmp)), tmp


# --- the ARPA file ---------------------------------------------------------------------------

def read_arpa(text: str) -> tuple[dict[int, int], dict[int, dict[tuple, tuple[float, float]]]]:
    """(declared counts, n-grams of each order -> (log10 prob, log10 backoff))."""
    declared = {int(n): int(c) for n, c in re.findall(r"^ngram (\d)=(\d+)$", text, re.M)}
    grams: dict[int, dict[tuple, tuple[float, float]]] = {}
    order = 0
    for line in text.splitlines():
        if m := re.fullmatch(r"\\(\d)-grams:", line):
            order = int(m.group(1))
            grams[order] = {}
        elif order and line and not line.startswith("\\"):
            fields = line.split("\t")
            backoff = float(fields[2]) if len(fields) > 2 else 0.0
            grams[order][tuple(fields[1].split())] = (float(fields[0]), backoff)
    assert text.startswith("\\data\\\n") and text.rstrip().endswith("\\end\\")
    return declared, grams


def probability(grams, context: tuple, word: str) -> float:
    """P(word | context) by the ARPA back-off rule."""
    if not context:
        return 10 ** grams[1][(word,)][0]
    if context + (word,) in grams[len(context) + 1]:
        return 10 ** grams[len(context) + 1][context + (word,)][0]
    backoff = grams[len(context)].get(context, (0.0, 0.0))[1]
    return 10 ** backoff * probability(grams, context[1:], word)


SMALL_CORPUS = [(s.split(), times) for s, times in [
    ("thank you for your honesty", 2), ("thank you for your time", 1), ("how come", 3),
    ("what issues are you facing", 1), ("thank you", 1), ("why not", 1),
    ("would you mind if i called you next week", 1), ("you are welcome", 1),
    ("what issues are you facing with dispatch", 1), ("i hear you", 2),
]]


def test_arpa_counts_match_and_every_context_sums_to_one():
    declared, grams = read_arpa(arpa(SMALL_CORPUS))
    assert declared == {n: len(grams[n]) for n in (1, 2, 3)}
    vocabulary = [w for (w,) in grams[1] if w != "<s>"]
    assert grams[1][("<s>",)][0] == -99.0
    contexts = [()] + list(grams[1]) + list(grams[2])
    for context in contexts:
        if context and context[-1] == "</s>":
            continue
        total = sum(probability(grams, context, word) for word in vocabulary)
        assert total == pytest.approx(1.0, abs=1e-4), context


def test_arpa_backoffs_are_given_for_contexts_and_below_one():
    _, grams = read_arpa(arpa(SMALL_CORPUS))
    assert grams[1][("thank",)][1] < 0 and grams[2][("thank", "you")][1] < 0
    assert all(backoff == 0.0 for _, backoff in grams[3].values())
    assert all(logp < 0 for n in (1, 2, 3) for (logp, _) in grams[n].values())
    # every trigram's prefix and suffix is listed, as decoders require
    assert all(g[:2] in grams[2] and g[1:] in grams[2] for g in grams[3])


def test_the_built_arpa_is_well_formed(built):
    model, _ = built
    declared, grams = read_arpa((model.lm.parent / build.ARPA_FILE).read_text())
    assert declared == {n: len(grams[n]) for n in (1, 2, 3)}
    assert 1000 < declared[1] < 4000  # the vocabulary of sales calls, not of everything
    for words in ["why not", "thank you for your honesty", "keep us in mind",
                  "how come", "would you mind if", "take you off our list"]:
        gram = tuple(words.split())
        for i in range(len(gram) - 2):
            assert gram[i:i + 3] in grams[3], words


# --- pronunciations, persona words, determinism ------------------------------------------

def test_a_trainers_persona_words_are_in_the_model_and_the_dictionary(built):
    model, _ = built
    _, grams = read_arpa((model.lm.parent / build.ARPA_FILE).read_text())
    added = model.added()
    assert added["whiteboard"] == "W AY T B AO R D"
    assert added["onboardings"] == "AA N B AO R D IH NG Z"
    assert ("whiteboard",) in grams[1] and ("a", "whiteboard") in grams[2]
    assert ("onboardings",) in grams[1]
    dictionary = model.dictionary.read_text(encoding="utf-8").splitlines()
    assert "whiteboard W AY T B AO R D" in dictionary and "thank TH AE NG K" in dictionary


def test_the_same_sources_give_the_same_bytes(built, tmp_path):
    model, tmp = built
    again = build_in(tmp_path / "other", personas_dir(tmp))
    assert again.key == model.key
    for name in (build.LM_FILE, build.ARPA_FILE, build.WORDS_FILE):
        assert (again.lm.parent / name).read_bytes() == (model.lm.parent / name).read_bytes()


# --- the cache -------------------------------------------------------------------------------

def test_a_cached_model_is_found_again_and_a_changed_persona_builds_a_new_one(tmp_path):
    folder = personas_dir(tmp_path)
    first = build_in(tmp_path / "data", folder)
    built_at = first.lm.stat().st_mtime_ns
    assert build_in(tmp_path / "data", folder) == first
    assert first.lm.stat().st_mtime_ns == built_at  # found, not rebuilt

    personas_dir(tmp_path, PERSONA.replace("Bye.", "Bye, I'm off to the gazebo."))
    second = build_in(tmp_path / "data", folder)
    assert second.key != first.key
    assert ("gazebo",) in read_arpa((second.lm.parent / build.ARPA_FILE).read_text())[1][1]
    assert first.lm.exists()  # kept: another process may be using it


def test_old_models_are_pruned_to_the_newest_few(tmp_path):
    root = tmp_path / "lm"
    for age, key in enumerate(["k5", "k4", "k3", "k2", "k1"]):
        (root / key).mkdir(parents=True)
        os.utime(root / key, (1e9 - age * 100, 1e9 - age * 100))
    (root / ".k0-stale").mkdir()
    os.utime(root / ".k0-stale", (1e9, 1e9))
    (root / ".k9-building").mkdir()  # another process's build in progress: left alone
    build.prune(root, keep="k1")
    assert sorted(p.name for p in root.iterdir()) == [".k9-building", "k1", "k4", "k5"]


# --- atomic builds and failures ----------------------------------------------------------

def test_a_build_that_fails_half_way_leaves_no_model(tmp_path, monkeypatch):
    def half_then_fail(folder, found, added):
        (folder / build.ARPA_FILE).write_text("\\data\\\n")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(build, "write_model", half_then_fail)
    with pytest.raises(DomainModelError) as failure:
        build_in(tmp_path / "data", personas_dir(tmp_path))
    assert str(failure.value) == (
        f"cannot build the recognizer's sales language model in {tmp_path / 'data' / 'lm'} "
        "(Input/output error); make it writable or pass --data-dir with a writable folder")
    assert list((tmp_path / "data" / "lm").iterdir()) == []


def test_a_build_that_loses_the_race_uses_the_winners_model(tmp_path, monkeypatch):
    real_write = build.write_model

    def another_process_finishes_first(folder, found, added):
        real_write(folder, found, added)
        winner = folder.parent / folder.name[1:].split("-")[0]  # .<key>-xxxx -> <key>
        winner.mkdir()
        real_write(winner, found, added)

    monkeypatch.setattr(build, "write_model", another_process_finishes_first)
    model = build_in(tmp_path / "data", personas_dir(tmp_path))
    assert model.lm.is_file() and model.lm.parent.name == model.key
    assert [p.name for p in model.lm.parent.parent.iterdir()] == [model.key]


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, tmpfs):
    disk = tmpfs(256)
    with pytest.raises(DomainModelError) as failure:
        build_in(disk / "data", personas_dir(tmp_path))
    assert str(failure.value) == (f"cannot build the recognizer's sales language model in "
                                  f"{disk / 'data' / 'lm'} (the disk is full); free some space")
    assert list((disk / "data" / "lm").iterdir()) == []


# --- personas validate ---------------------------------------------------------------------

def test_validate_warns_about_persona_words_with_no_pronunciation(tmp_path):
    path = personas_dir(tmp_path) / "whiteboard-wendy.yaml"
    result = CliRunner().invoke(app, ["personas", "validate", str(path)])
    assert (result.stdout, result.exit_code) == ("1 persona OK\n", 0)
    assert result.stderr.splitlines() == [
        f"{path}:7:11: warning: 'whiteboard' has no pronunciation in the recognizer's "
        "dictionary; one was derived (w ay t b ao r d)",
        f"{path}:16:22: warning: 'onboardings' has no pronunciation in the recognizer's "
        "dictionary; one was derived (aa n b ao r d ih ng z)",
    ]


# --- hearing sales replies -----------------------------------------------------------------

def decode(model, audio, general: bool = False) -> str:
    import pocketsphinx

    from simulator.voice.asr_sphinx import CMN_INIT, DECODER_RATE
    from simulator.voice.noise_floor import NoiseFloor

    language = {} if general else {"lm": str(model.lm), "dict": str(model.dictionary)}
    decoder = pocketsphinx.Decoder(samprate=DECODER_RATE, loglevel="FATAL", cmninit=CMN_INIT,
                                   remove_noise=False, fwdflat=False, **language)
    assert audio.rate == DECODER_RATE
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float32)
    samples = np.concatenate([np.zeros(4000, np.float32), samples, np.zeros(4000, np.float32)])
    noisy = NoiseFloor().process(samples, last=True)
    decoder.start_utt()
    decoder.process_raw(np.clip(noisy, -32768, 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr if decoder.hyp() else ""


@pytest.mark.slow
@pytest.mark.parametrize("said, heard", [
    ("Thank you for your honesty. What issues are you facing with dispatch?",
     ["thank you for your honesty", "what issues are you facing with dispatch"]),
    ("I hear you. Would you mind if I called you next week?",
     ["i hear you", "would you mind if i called you next week"]),
    ("Fair enough. How is the whiteboard working out for you?",
     ["how is the whiteboard working out for you"]),
])
def test_the_domain_model_hears_sales_replies(built, speech, said, heard):
    model, _ = built
    text = decode(model, speech(said))
    for phrase in heard:
        assert phrase in text


def word_errors(said: str, heard: str) -> int:
    reference, hypothesis = said.split(), heard.split()
    row = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, start=1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(hypothesis, start=1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (word != other))
    return row[-1]


@pytest.mark.slow
def test_the_domain_model_makes_far_fewer_errors_than_the_general_one(built, speech):
    """Why it exists: the same audio through the bundled general LM is misheard far more."""
    model, _ = built
    said = ["thank you for your honesty what issues are you facing with dispatch",
            "i hear you would you mind if i called you next week",
            "why not our price is the lowest",
            "i'll take you off our list have a good day"]
    domain = sum(word_errors(s, decode(model, speech(s))) for s in said)
    general = sum(word_errors(s, decode(model, speech(s), general=True)) for s in said)
    assert domain * 3 <= general and general >= 4
