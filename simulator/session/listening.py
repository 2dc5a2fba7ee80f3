"""The trainee's turn as they see and hear it: a "your turn" cue (and a short tone), then one
"listening…" line with the input level and the words heard so far.

On a terminal the line is rewritten in place and erased when the reply ends, so the prospect's
next line never glues onto it. Anywhere else (a pipe, a file) the cue is one plain line and no
meter is written at all.
"""

from __future__ import annotations

import math

from rich.control import Control, ControlType
from rich.text import Text

from simulator.session.engines import Audio, AudioSource

CUE = "Your turn"
LISTENING = "listening…"
REDRAW_EVERY = 0.1  # seconds of audio between redraws (a meter needs no more)
BAR = 12  # characters of level bar
TONE_HZ = 880.0
TONE_SECONDS = 0.12
TONE_VOLUME = 0.25  # of full scale: audible, not startling
TONE_FADE = 0.01  # seconds of fade in and out, so the tone does not click


def cue_tone(rate: int = 16000) -> Audio:
    """A short soft sine beep: the sound of "your turn"."""
    count = round(TONE_SECONDS * rate)
    fade = round(TONE_FADE * rate)
    samples = []
    for i in range(count):
        envelope = min(1.0, i / fade, (count - 1 - i) / fade)
        value = TONE_VOLUME * envelope * math.sin(2 * math.pi * TONE_HZ * i / rate)
        samples.append(round(value * 32767))
    return Audio(b"".join(s.to_bytes(2, "little", signed=True) for s in samples), rate)


class YourTurn:
    """Shown while SpokenReplies listens: `begin` cues the trainee, `update` is called for every
    frame heard, `end` clears the line. `sink` (the prospect's AudioSink) plays the cue tone;
    None for no tone."""

    def __init__(self, console, sink=None):
        self.console = console
        self.sink = sink
        self.tone = cue_tone() if sink is not None else None
        self._live = False
        self._unshown = 0.0  # seconds of audio since the last redraw

    def begin(self, source: AudioSource) -> None:
        if self.sink is not None:
            source.pause()  # the microphone must not take the beep for the trainee
            try:
                self.sink.play(self.tone)
            finally:
                source.resume()
        # The microphone hears again only after its resume tail: cue then, not before, so a
        # word started right at the cue is not clipped.
        wait = getattr(source, "wait_until_listening", None)
        if wait is not None:
            wait()
        if self.console.is_terminal:
            self._live = True
            self._unshown = 0.0
            self._draw(0.0, "")
        else:
            self.console.print(f"{CUE}: {LISTENING}", highlight=False)

    def update(self, level: float, partial: str, seconds: float) -> None:
        if not self._live:
            return
        self._unshown += seconds
        if self._unshown + 1e-9 >= REDRAW_EVERY:
            self._unshown = 0.0
            self._draw(level, partial)

    def end(self) -> None:
        if self._live:
            self._live = False
            self.console.control(_ERASE)

    def _draw(self, level: float, partial: str) -> None:
        bar = "█" * min(BAR, round(level * BAR))
        line = Text.assemble((f"{CUE} · ", "bold"), (LISTENING, "dim"), " ",
                             (f"{bar:<{BAR}}", "green"), " ")
        room = max(0, self.console.width - 1 - len(line))  # never wrap: one line, always
        words = partial if len(partial) <= room else "…" + partial[len(partial) - room + 1:]
        line.append(words[:room])
        self.console.control(_ERASE)
        self.console.print(line, end="", soft_wrap=True)


# Back to the start of the line and erase it (the meter redraws over itself).
_ERASE = Control((ControlType.CARRIAGE_RETURN,), (ControlType.ERASE_IN_LINE, 2))
