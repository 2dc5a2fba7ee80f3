"""Single-objection micro-drills: one rejection, one reply, instant verdicts, spaced repetition."""
