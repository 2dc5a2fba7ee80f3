"""Golden replies: scripted conversations a persona must handle as its trainer meant.

This is the one place in the dialog package that runs the scorer: each reply is scored, and
its detections drive the engine exactly as in a real call.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.dialog.engine import Reaction, open_call, step
from simulator.dialog.persona import Golden, Persona


@dataclass(frozen=True)
class GoldenTurn:
    reply: str
    detections: tuple[str, ...]
    reaction: Reaction


@dataclass(frozen=True)
class GoldenResult:
    persona_id: str
    index: int
    name: str
    expected: str
    reached: str
    unheard: int  # replies left over after the call ended
    opening: str
    turns: tuple[GoldenTurn, ...]

    @property
    def passed(self) -> bool:
        return self.reached == self.expected and not self.unheard

    def explain(self) -> str:
        """Why it failed, with the path the conversation took."""
        if self.passed:
            return f"reached {self.reached}"
        heard = len(self.turns)
        if self.reached == self.expected:
            why = (f"reached {self.reached} after reply {heard}, so the last {self.unheard} "
                   f"repl{'y was' if self.unheard == 1 else 'ies were'} never heard")
        else:
            why = f"expected {self.expected}, reached {self.reached}"
        path = "; ".join(
            f"reply {i}: [{', '.join(t.detections) or 'no detections'}] -> "
            f"{t.reaction.matched_rule}"
            for i, t in enumerate(self.turns, 1)
        )
        return f"{why} ({path})"


def run_golden(persona: Persona, golden: Golden, index: int = 0) -> GoldenResult:
    """Play one golden conversation through the scorer and the engine."""
    from simulator.scoring.detect import detect

    state, opening = open_call(persona, golden.seed)
    turns: list[GoldenTurn] = []
    for reply in golden.replies:
        if state.ended:
            break
        names = frozenset(detect(reply).names)
        reaction = step(persona, state, reply, names)
        turns.append(GoldenTurn(reply, tuple(sorted(names)), reaction))
        state = reaction.new_state
    reached = f"outcome {state.outcome}" if state.ended else f"state {state.state}"
    return GoldenResult(
        persona_id=persona.id,
        index=index,
        name=golden.name,
        expected=golden.expect.describe(),
        reached=reached,
        unheard=len(golden.replies) - len(turns),
        opening=opening,
        turns=tuple(turns),
    )


def run_goldens(persona: Persona) -> list[GoldenResult]:
    return [run_golden(persona, g, i) for i, g in enumerate(persona.golden)]
