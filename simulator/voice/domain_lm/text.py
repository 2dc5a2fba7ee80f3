"""Text written the way PocketSphinx writes what it heard: lower case, words only, numbers and
symbols spelled out, apostrophes kept as in its dictionary ("don't", "we're", "o'clock")."""

from __future__ import annotations

import re

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}
CURRENCY = {"$": "dollars", "£": "pounds", "€": "euros"}
SYMBOLS = {"&": " and ", "%": " percent ", "+": " plus ", "@": " at ", "=": " equals "}

# Sentence ends: each sentence is one stretch of speech to the model.
# (a full stop inside "a.m." or "2.5" is none: a sentence ends before a capital or the end)
_SENTENCE_END = re.compile(r"[.!?;:…]+(?=\s+[^a-z\s]|\s*$)|[!?;…]+|\n+")
_MONEY = re.compile(r"([$£€])\s?(\d[\d,]*(?:\.\d+)?)(k|m)?\b", re.IGNORECASE)
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_MERIDIEM = re.compile(r"(?<=\d)\s?([ap])\.?m\b\.?", re.IGNORECASE)


def number_words(number: int) -> str:
    """0..999,999,999 as spoken: 40 -> 'forty', 1250 -> 'one thousand two hundred fifty'."""
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    for size, name in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if number >= size:
            high, rest = divmod(number, size)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError(number)  # pragma: no cover


def _spoken_number(text: str) -> str:
    whole, _, fraction = text.replace(",", "").partition(".")
    value = int(whole)
    year = text.isdigit() and len(whole) == 4 and 1100 <= value <= 2099
    if year and value % 100 and not 2000 < value < 2010:
        spoken = f"{number_words(value // 100)} {number_words(value % 100)}"  # a year
    elif value >= 10**9:
        spoken = " ".join(ONES[int(d)] for d in whole)
    else:
        spoken = number_words(value)
    if fraction:
        spoken += " point " + " ".join(ONES[int(d)] for d in fraction)
    return f" {spoken} "


def _ordinal(match: re.Match) -> str:
    words = _spoken_number(match.group(1)).split()
    last = words[-1]
    if last in ORDINALS:
        words[-1] = ORDINALS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " " + " ".join(words) + " "


def _money(match: re.Match) -> str:
    symbol, amount, scale = match.groups()
    scale = {"k": " thousand", "m": " million"}.get((scale or "").lower(), "")
    return f" {amount}{scale} {CURRENCY[symbol]} "


def words_of(text: str) -> list[str]:
    """One stretch of text as the recognizer would write it, word by word."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = _MONEY.sub(_money, text)
    text = _TIME.sub(lambda m: f" {m.group(1)} {'' if m.group(2) == '00' else m.group(2)} ",
                     text)
    text = _MERIDIEM.sub(lambda m: f" {m.group(1)}.m. ", text)
    text = _ORDINAL.sub(_ordinal, text)
    text = _NUMBER.sub(lambda m: _spoken_number(m.group()), text)
    for symbol, spoken in SYMBOLS.items():
        text = text.replace(symbol, spoken)
    text = text.replace("a.m.", " a.m. ").replace("p.m.", " p.m. ")
    found = []
    for token in text.split():
        if token in ("a.m.", "p.m."):
            found.append(token)
        else:
            found += _WORD.findall(token)
    return found


def sentences_of(text: str) -> list[list[str]]:
    """Text cut into sentences, each as the recognizer's words; empty ones left out."""
    pieces = _SENTENCE_END.split(text)
    return [words for piece in pieces if (words := words_of(piece))]
