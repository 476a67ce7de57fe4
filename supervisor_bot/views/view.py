"""A message as the bot means to show it: text and buttons, independent of Telegram's classes."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TEXT = 4096


@dataclass(frozen=True)
class Button:
    text: str
    data: str


@dataclass(frozen=True)
class Choice:
    """One item to decide on with its own buttons: a messenger with cards (WeCom) shows each as a card."""

    key: str  # the item within its message (a measure's number): stable across redraws
    title: str
    text: str
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class View:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    force_reply: bool = False
    placeholder: str = ""
    link_preview: bool = True  # False: the messenger shows no preview of a link in the text (a login link)
    # for a messenger that shows `choices` as cards and takes notes by @-mention (WeCom): the words above the
    # cards (empty: `text`), and the items; a messenger with inline keyboards uses `text` and `buttons`
    card_text: str = ""
    choices: tuple[Choice, ...] = ()

    def __post_init__(self) -> None:
        assert len(self.text) <= MAX_TEXT, f"{len(self.text)} characters"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at line ends into chunks of at most `limit` characters (a line longer than that is cut)."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks
