"""Views as WeCom messages: markdown for the words, a template card (button_interaction) per choice; the
card's task_id names the message it belongs to, so that a press finds its message again after a restart."""

from __future__ import annotations

import re
import secrets
from typing import Any

from supervisor_bot.views import mention
from supervisor_bot.views.view import Button, Choice, View
from supervisor_bot.wecom.frames import MARKDOWN_BYTES, MAX_BUTTONS

_TASK = re.compile(r"(m[0-9a-f]{12})_([0-9A-Za-z]{1,20})")
CLOSED_KEY = "closed"  # the one button of a card whose round has ended
NOTED_KEY = "noted"  # the one button of a card redrawn for one person to tell them why nothing changed


def new_message_id() -> str:
    return "m" + secrets.token_hex(6)


def task_id(message_id: str, key: str) -> str:
    return f"{message_id}_{key}"


def message_of(task: str) -> tuple[str, str] | None:
    """(message id, choice key) of a card's task_id; None for one this bot never made."""
    found = _TASK.fullmatch(task)
    return (found.group(1), found.group(2)) if found else None


def markdown(text: str) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": text}}


def split_bytes(text: str, limit: int = MARKDOWN_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, split at line ends (a longer line is cut at a character)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line.encode()) > limit:
            cut = len(line.encode()[:limit].decode(errors="ignore"))
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def _card(task: str, title: str, text: str, buttons: tuple[Button, ...]) -> dict[str, Any]:
    assert len(buttons) <= MAX_BUTTONS, f"{len(buttons)} buttons on one card"
    return {
        "card_type": "button_interaction",
        "main_title": {"title": title},
        "sub_title_text": text,
        "button_list": [{"text": b.text, "style": 1, "key": b.data} for b in buttons],
        "task_id": task,
    }


def choice_card(message_id: str, choice: Choice) -> dict[str, Any]:
    return _card(task_id(message_id, choice.key), choice.title, choice.text, choice.buttons)


def closed_card(task: str, text: str) -> dict[str, Any]:
    """A card that takes no more answers (its round ended, or its checklist was sent again): one button, which
    only says so."""
    return _card(task, "督办", text, (Button("已失效", CLOSED_KEY),))


def _button_groups(view: View) -> list[tuple[Button, ...]]:
    flat = [b for row in view.buttons for b in row]
    return [tuple(flat[i : i + MAX_BUTTONS]) for i in range(0, len(flat), MAX_BUTTONS)]


def bodies(view: View, message_id: str) -> list[dict[str, Any]]:
    """What to send for a view: its words as markdown (in pieces), then a card for each choice, or the view's
    buttons on cards of at most six."""
    sent = [markdown(piece) for piece in split_bytes(mention.in_words(view.card_text or view.text))]
    if view.choices:
        sent += [{"msgtype": "template_card", "template_card": choice_card(message_id, c)} for c in view.choices]
    elif view.buttons and not view.force_reply:
        for i, group in enumerate(_button_groups(view)):
            card = _card(task_id(message_id, str(i)), "请选择", "", group)
            sent.append({"msgtype": "template_card", "template_card": card})
    return sent


def updated_card(view: View, task: str, key: str) -> dict[str, Any]:
    """The pressed card redrawn from the view the press produced: its own choice, the view's buttons, or (no
    buttons left: the choice is made) a card that only says what came of it."""
    choice = next((c for c in view.choices if c.key == key), None)
    if choice is not None:
        return _card(task, choice.title, choice.text, choice.buttons)
    groups = _button_groups(view)
    if groups and key.isdigit() and int(key) < len(groups):
        return _card(task, "请选择", split_bytes(view.card_text or view.text, 1000)[0], groups[int(key)])
    return _card(task, "督办", split_bytes(view.card_text or view.text, 1000)[0], (Button("已处理", NOTED_KEY),))


def notice_card(task: str, text: str) -> dict[str, Any]:
    """A pressed card redrawn for the one who pressed it, to tell them why nothing changed."""
    return _card(task, "督办提示", text, (Button("知道了", NOTED_KEY),))
