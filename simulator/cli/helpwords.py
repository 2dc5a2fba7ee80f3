"""Help in the user's words.

Typer names a value by its Python type (`--wav <list[Path]>`, `--seed <int range>`,
`CALL_ID <str>`), prints number ranges (`[0<=x<=9223372036854775807]`) and cuts command summaries
("Practise a call: the prospect says no, you answer, the..."). Here every option and argument is
named by what it is, with the same word in every command (FILE, DIR, NAME, ID, N, TEXT); a range
is left to the message a value outside it gets; a summary is a whole sentence.

Typer builds the click parameters itself; giving them the subclasses below once it has built the
command tree is the one hook it leaves for their help text.
"""

from __future__ import annotations

import re

from typer.core import TyperArgument, TyperGroup, TyperOption


class PlainOption(TyperOption):
    def _get_number_range_help_str(self) -> None:
        return None  # "[0<=x<=9223372036854775807]": the error for a value outside says it


class PlainArgument(TyperArgument):
    """Shown as its metavar alone: `CALL_ID`, not `CALL_ID <str>`; `FILE...`, not `{FILE}...`."""

    def display_type_rich(self, ctx) -> None:
        return None

    def _get_number_range_help_str(self) -> None:
        return None

    def _rich_display_name(self) -> str:
        return self.metavar + ("..." if self.nargs != 1 else "")

    def _usage_display_name(self) -> str:
        name = self._rich_display_name()
        return name if self.required else f"[{name}]"


# Options whose value is the same kind of thing in every command, by their parameter's name.
WORDS = {"name": "NAME", "trainee": "NAME", "workshop": "NAME", "persona_id": "ID|PATH"}


def value_word(option: TyperOption) -> str:
    """The word for what an option without a metavar of its own takes."""
    if option.name in WORDS:
        return WORDS[option.name]
    described = option.type_descriptor
    if described.is_choice:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in described.choices) + "]"
    if described.is_path:
        return "DIR" if option.name.endswith("dir") else "FILE"
    element = described.annotation
    if described.is_list:
        (element,) = getattr(element, "__args__", (str,))
    if element in (int, float):
        return "N"
    return "TEXT"


def first_sentence(help_text: str) -> str:
    """The help's first sentence, whole (its first paragraph if that has no full stop); "e.g."
    or "i.e." inside it, followed by a small letter, ends no sentence."""
    paragraph = " ".join(help_text.split("\n\n")[0].split())
    match = re.match(r"(.+?[.!?])(?=\s+[^a-z]|$)", paragraph)
    return match.group(1) if match else paragraph


def plain_help(command, summaries: dict[str, str] | None = None) -> None:
    """Give `command` and every command under it help in the user's words; `summaries` are the
    one-line summaries of `command`'s own subcommands, by name."""
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, TyperArgument):
            param.__class__ = PlainArgument
            param.metavar = (param.metavar or param.name.upper()).strip("[].")
        elif isinstance(param, TyperOption):
            param.__class__ = PlainOption
            if param.metavar is None and not (param.is_flag or param.count):
                param.metavar = value_word(param)
    if isinstance(command, TyperGroup):
        for name, subcommand in command.commands.items():
            subcommand.short_help = ((summaries or {}).get(name) or subcommand.short_help
                                     or first_sentence(subcommand.help or ""))
            plain_help(subcommand)
