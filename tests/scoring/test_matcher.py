"""The phrase matcher tries each phrase only where its first word stands: it must find exactly
what searching every phrase everywhere finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.scoring.detect import default_rubric
from simulator.scoring.matcher import NUMBER, PhraseMatcher, first_words
from simulator.scoring.rubric import QUESTION_FRAME, SMALL_TALK
from simulator.scoring.text import split_sentences, tokenize
from tests.scoring.paraphrases import PARAPHRASES

DEV_2 = Path(__file__).resolve().parents[1] / "data" / "replies-dev-2.jsonl"


@pytest.mark.parametrize(("phrase", "words"), [
    ("thank you", {"thank you"}),
    ("thanks?", {"thank", "thanks"}),
    ("(thank|thanks) (you|ya) (so much )?(for|so)",
     {"thank you", "thank ya", "thanks you", "thanks ya"}),
    ("(i )?(totally )?understood",
     {"i totally", "i understood", "totally understood", "understood"}),
    ("(can |really )*appreciate that", {"can", "really", "appreciate that"}),
    ("good ?bye", {"goodbye", "good bye"}),
    ("^(but )?(hold on|wait)", {"but hold", "but wait", "hold on", "wait"}),
    ("\\$?\\d+ (a|per) month", {NUMBER, f"${NUMBER}"}),
    ("\\w+ or \\w+", None),  # any word: searched for everywhere
    ("x" * 200_000 + " someone", None),  # a fuzzed 200,000-letter word: not spelled out
])
def test_the_words_a_phrase_can_start_with(phrase, words):
    found = first_words(phrase)
    assert found == (None if words is None else {NUMBER if NUMBER in w else w for w in words})


def _everywhere(rubric, joined: str) -> dict[str, list[tuple[int, int]]]:
    """Every phrase searched for at every character: the slow way the matcher must agree with."""
    groups = {name: (rule.phrases, rule.except_) for name, rule in rubric.detections.items()}
    groups[QUESTION_FRAME] = (rubric.question_frames, [])
    groups[SMALL_TALK] = (rubric.small_talk, [])
    out = {}
    for name, (phrases, exceptions) in groups.items():
        spans = [m.span() for p in phrases for m in rubric.compile([p]).finditer(joined)
                 if m.end() > m.start()]
        stops = [m.span() for p in exceptions for m in rubric.compile([p]).finditer(joined)]
        spans = [s for s in spans if not any(s[0] < b[1] and b[0] < s[1] for b in stops)]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        if merged:
            out[name] = merged
    return out


def test_the_matcher_finds_what_searching_everywhere_finds():
    rubric = default_rubric()
    matcher: PhraseMatcher = rubric.matcher
    texts = [json.loads(line)["text"] for line in DEV_2.read_text().splitlines()]
    texts += [text for text, _ in PARAPHRASES]
    for text in texts:
        sentences = split_sentences(tokenize(text))
        joined = "\n".join(sentence.text for sentence in sentences)
        positions: dict[str, list[int]] = {}
        offset = 0
        for sentence in sentences:
            for index, (word, at) in enumerate(zip(sentence.norms, sentence.offsets,
                                                   strict=True)):
                keys = [word, " ".join(sentence.norms[index:index + 2])]
                keys += [NUMBER] if word[0] in "0123456789$£€" else []
                for key in keys:
                    if key in matcher.keys:
                        positions.setdefault(key, []).append(offset + at)
            offset += len(sentence.text) + 1
        assert matcher.find(joined, positions) == _everywhere(rubric, joined), text
