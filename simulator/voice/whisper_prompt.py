"""Whisper's prompt for a call: the persona's names and nouns, never the rubric's moves. Pure.

A prompt biases Whisper toward its words. Names ("Becker & Sons Distribution") and the trade's
nouns ("payroll", "dispatch") are what it mishears most, so they go in. The moves the scorer
looks for ("thank you for…", "would it be okay if…", "keep us in mind") never do: a prompt
that held "Thank you for your honesty" once turned "Thanks to our new pricing" into "Thank
you for your time", a gratitude pass the rep never earned.
"""

from __future__ import annotations

import re

MAX_WORDS = 40


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())

# Everyday words that say nothing about the trade, and words the rubric's moves are made of.
_COMMON = _word_set("""
    about after again against also always another anything around because been before being
    between both call calls called calling could does doing during each every expect first from
    get gets good have having here into just keep know like make many more most much need next
    only other over past really said same should since some something still such than that their
    them then there these they thing things this those through time today until very want what
    when where which while will with without would your you thank thanks thankful grateful
    appreciate appreciated honesty honest sorry permission mind okay alright reach touch back
    later talk talking ask asking come sounds sound fine interested interest covered happy busy
    not no yes maybe perhaps tell telling told rejection objection turn turns opportunity
    opportunities prospect prospects trainee reply replies answer answers listen listening he
    she his her him who whom manages runs sell sells help find argue trying whose down tired
    once give saying replied please take left last months probably remember assume hang focus
    already making question poor single person deeper concerns options including respect three
    five eight second faces facing relates relate fast issues problem problems hung tried
""")
_WORD = re.compile(r"[A-Za-z][A-Za-z'&-]*")


def vocabulary_prompt(name: str, role: str, company: str, briefing: str) -> str:
    """A comma-separated list of the persona's proper names and trade nouns (at most MAX_WORDS
    words), e.g. "Al Becker, Regional Sales Manager, Becker & Sons Distribution, reps, ..."."""
    terms: list[str] = [name, role, company]
    seen = {t.lower() for t in terms}
    seen |= {part.lower() for term in terms for part in term.split()}
    for word in _WORD.findall(briefing):
        plain = word.strip("'&-").lower()
        if (len(plain) < 4 or plain in _COMMON or plain in seen or "'" in plain
                or plain.endswith("ed")):
            continue
        seen.add(plain)
        terms.append(word.strip("'&-") if word[0].isupper() else plain)
    prompt, count = [], 0
    for term in terms:
        count += len(term.split())
        if count > MAX_WORDS:
            break
        prompt.append(term)
    return ", ".join(prompt) + "."


def persona_prompt(persona) -> str:
    return vocabulary_prompt(persona.name, persona.role, persona.company, persona.briefing)
