"""The scorer: pure text-in, verdicts-out grading of a trainee's replies."""

from __future__ import annotations

# Per-utterance detections the dialog engine reacts to (persona transitions name these).
DETECTION_NAMES: tuple[str, ...] = (
    "gratitude",  # thanks the prospect ("thank you for your honesty")
    "acknowledge",  # accepts the no ("I can appreciate that", "fair enough")
    "why_question",  # asks why ("why not?", "may I ask why")
    "how_come",  # non-confrontational probe ("how come", "tell me more", "what's that about")
    "discovery_question",  # any question about the prospect's situation
    "i_question",  # a discovery question with I in it ("I was wondering what...")
    "explore_issues",  # asks about issues/challenges as they relate to the rep's world
    "permission_close",  # asks permission for the next step ("would you mind if I circled back")
    "imposed_next_step",  # imposes the next step ("I'll call you Tuesday")
    "pushing",  # pitches or argues after the no (price, features, "are you sure?")
    "dead_end",  # ends the conversation on the rep's side ("I can't help you there")
    "keep_us_in_mind",  # "keep us in mind", "keep me on your radar"
    "opt_out",  # offers a clear way out ("or never contact you again?")
    "goodbye",  # says goodbye / ends the call
)
