"""Score 10,000 varied replies on one core and print replies per second (target >= 5,000/s).

Replies per second of the process's own CPU time, so other programs on the machine do not
count against the scorer; the wall-clock time is printed beside it.

    .venv/bin/python benchmarks/scorer.py [--count N]
"""

from __future__ import annotations

import argparse
import random
import re
import time

from simulator.scoring.detect import detect
from simulator.scoring.scorer import score_call

OPENERS = ["Thank you for your honesty.", "Thanks for letting me know.", "I can appreciate that.",
           "Got it.", "Understood, thanks.", "Fair enough.", "Okay.", "No worries.", "",
           "Why not?", "Are you sure?", "I totally respect that, and thanks for your candor."]
MIDDLES = ["How come it's not a fit right now?", "What issues are you facing as it relates to "
           "{topic}?", "I was wondering what issues you face with {topic}.", "Tell me more.",
           "Why aren't you interested?", "Our price is the lowest on the market.",
           "If you could change one thing about your {topic}, what would it be?",
           "Can I ask what's behind the no?", "What's that about?", "",
           "Everybody in your industry uses us for {topic}.", "I can't help you there then."]
CLOSES = ["Would you mind if I circled back in a few months?", "I'll call you on {day}.",
          "Keep us in mind.", "Would you like me to explain briefly, circle back later, or "
          "never contact you again?", "Is it okay if I send a short note in {month}?", "",
          "Have a great day.", "Can we agree to talk again in two weeks?"]
TOPICS = ["hiring", "scheduling", "invoicing", "security", "sales", "support", "payroll"]
DAYS = ["Monday", "Tuesday", "Friday"]
MONTHS = ["March", "the fall", "three months"]


def replies(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for index in range(count):
        text = " ".join(part for part in (rng.choice(OPENERS), rng.choice(MIDDLES),
                                          rng.choice(CLOSES)) if part)
        text = text.format(topic=rng.choice(TOPICS), day=rng.choice(DAYS),
                           month=rng.choice(MONTHS)) or "Thanks."
        if index % 2:  # half in recognizer form: lower case, no punctuation
            text = re.sub(r"[^a-z' ]+", " ", text.lower()).strip()
        out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    batch = replies(args.count)
    score_call([detect("Thanks, how come?")])  # load the rubric and compile it once
    started, cpu_started = time.perf_counter(), time.process_time()
    for text in batch:
        score_call([detect(text)])
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # the scorer's own time, whatever else runs
    print(f"scored {len(batch):,} replies in {cpu:.2f} s of CPU ({elapsed:.2f} s wall): "
          f"{len(batch) / cpu:,.0f} replies/s on one core (target >= 5,000)")


if __name__ == "__main__":
    main()
