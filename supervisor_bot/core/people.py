"""People and chats as the bot knows them: identities the messenger defines, and a display name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TypeAlias

ChatId: TypeAlias = int | str  # Telegram's integers; another messenger's strings
UserId: TypeAlias = int | str
MessageId: TypeAlias = int | str


# control and format characters (U+202E RIGHT-TO-LEFT OVERRIDE turns `gpj.exe` into `exe.jpg` on screen),
# line and paragraph separators, surrogates
_UNSHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def display_name(text: str) -> str:
    """A name as the bot keeps and shows it: without bidi overrides and other control or invisible characters."""
    if text.isprintable():  # the common case, at C speed (isprintable is False for every category removed here)
        return text
    return "".join(c if unicodedata.category(c) not in _UNSHOWN else ("" if c not in "\t\n\r" else " ") for c in text)


@dataclass(frozen=True)
class Actor:
    user_id: UserId
    name: str

    def __post_init__(self) -> None:
        cleaned = display_name(self.name)
        if cleaned != self.name:
            object.__setattr__(self, "name", cleaned)


SYSTEM = Actor(0, "督办机器人")
