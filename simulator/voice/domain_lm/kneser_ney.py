"""Interpolated modified Kneser-Ney trigram estimation, written as an ARPA language model.

As in Chen & Goodman (1998) and KenLM: the highest order counts n-grams, lower orders count the
distinct words seen before them (n-grams starting with <s> keep their counts); three discounts
per order come from the counts of counts; each distribution is interpolated with the one below,
the unigrams with the uniform distribution. Written in ARPA form the interpolation weight of a
context is its back-off weight, so a decoder's back-off gives exactly the interpolated estimate.
Everything is iterated in sorted order: the same sentences always give the same bytes.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

BOS, EOS, UNK = "<s>", "</s>", "<unk>"
ORDER = 3
NO_PROBABILITY = -99.0  # log10 of zero in ARPA files (<s> is never predicted)
FALLBACK_DISCOUNTS = (0.5, 1.0, 1.5)  # when counts of counts are too few to estimate them

Gram = tuple[str, ...]


def ngram_counts(sentences: Iterable[tuple[Sequence[str], int]]) -> list[Counter]:
    """Raw counts of 1..ORDER-grams of (words, times) sentences padded with <s> and </s>."""
    merged: Counter = Counter()
    for words, times in sentences:
        merged[tuple(words)] += times
    counts = [Counter() for _ in range(ORDER + 1)]
    for words, times in merged.items():
        padded = (BOS, *words, EOS)
        for n in range(1, ORDER + 1):
            for _ in range(times):
                counts[n].update(zip(*(padded[i:] for i in range(n)), strict=False))
    return counts


def _adjusted(counts: list[Counter]) -> list[dict[Gram, int]]:
    """Highest order and <s>-initial grams: counts; the rest: distinct words seen before."""
    adjusted: list[dict[Gram, int]] = [{} for _ in range(ORDER + 1)]
    adjusted[ORDER] = dict(counts[ORDER])
    for n in range(ORDER - 1, 0, -1):
        left: Counter = Counter(gram[1:] for gram in counts[n + 1])
        adjusted[n] = {gram: (count if gram[0] == BOS else left[gram])
                       for gram, count in counts[n].items()}
    return adjusted


def _discounts(adjusted: dict[Gram, int]) -> tuple[float, float, float]:
    """D1, D2, D3+ from the counts of counts n1..n4 (Chen & Goodman's estimates)."""
    n = Counter(min(count, 4) for count in adjusted.values())
    if not all(n[k] for k in (1, 2, 3, 4)):
        return FALLBACK_DISCOUNTS
    y = n[1] / (n[1] + 2 * n[2])
    found = (1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3])
    if not all(0 < d < k for k, d in enumerate(found, start=1)):
        return FALLBACK_DISCOUNTS
    return found


def estimate(sentences: Iterable[tuple[Sequence[str], int]]
             ) -> tuple[list[dict[Gram, float]], list[dict[Gram, float]]]:
    """(probabilities, back-off weights) per order, both as plain probabilities (not logs).

    probabilities[n][gram] is the interpolated P(last word | the words before); back-off
    weights[n][gram] is the interpolation weight of `gram` as a context of order n + 1.
    """
    counts = ngram_counts(sentences)
    adjusted = _adjusted(counts)
    probabilities: list[dict[Gram, float]] = [{} for _ in range(ORDER + 1)]
    backoffs: list[dict[Gram, float]] = [{} for _ in range(ORDER + 1)]
    vocabulary = sorted({gram[0] for gram in counts[1]} - {BOS} | {UNK})
    for n in range(1, ORDER + 1):
        d1, d2, d3 = _discounts({g: c for g, c in adjusted[n].items() if g[-1] != BOS})
        totals: dict[Gram, list[float]] = defaultdict(lambda: [0.0, 0, 0, 0])
        for gram, count in adjusted[n].items():
            if gram[-1] == BOS:
                continue
            total = totals[gram[:-1]]
            total[0] += count
            total[min(count, 3)] += 1
        weights = {context: (d1 * t[1] + d2 * t[2] + d3 * t[3]) / t[0]
                   for context, t in totals.items()}
        grams = sorted(adjusted[n]) if n > 1 else [(word,) for word in vocabulary]
        for gram in grams:
            if gram[-1] == BOS:
                continue
            count = adjusted[n].get(gram, 0)
            discount = (0, d1, d2, d3)[min(count, 3)]
            context = gram[:-1]
            lower = probabilities[n - 1][gram[1:]] if n > 1 else 1 / len(vocabulary)
            own = (count - discount) / totals[context][0] if count else 0.0
            probabilities[n][gram] = own + weights[context] * lower
        if n > 1:
            backoffs[n - 1] = {context: weight for context, weight in weights.items()}
    probabilities[1][(BOS,)] = 0.0
    return probabilities, backoffs


def _log(value: float) -> float:
    return math.log10(value) if value > 0 else NO_PROBABILITY


def arpa(sentences: Iterable[tuple[Sequence[str], int]]) -> str:
    """The ARPA text of the model of (words, times) sentences."""
    probabilities, backoffs = estimate(sentences)
    lines = ["\\data\\"]
    lines += [f"ngram {n}={len(probabilities[n])}" for n in range(1, ORDER + 1)]
    for n in range(1, ORDER + 1):
        lines += ["", f"\\{n}-grams:"]
        for gram in sorted(probabilities[n]):
            line = f"{_log(probabilities[n][gram]):.6f}\t{' '.join(gram)}"
            if n < ORDER and gram in backoffs[n]:
                line += f"\t{_log(backoffs[n][gram]):.6f}"
            lines.append(line)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
