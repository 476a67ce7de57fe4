"""What a callback says, read off its frame: a message to the bot (text, a file) or a card's button pressed.
Group messages reach the bot only when it is @-mentioned; the mention leads the text and is taken off here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from supervisor_bot.wecom import frames
from supervisor_bot.wecom.frames import Frame

_MENTION = re.compile(r"^\s*(@\S+\s*)+")


@dataclass(frozen=True)
class File:
    url: str
    aeskey: str
    name: str | None


@dataclass(frozen=True)
class Said:
    msgid: str
    chat: str  # the group's chatid, or the person's userid for the one-to-one chat
    group: bool
    user: str
    text: str  # without the leading @-mention
    file: File | None = None


@dataclass(frozen=True)
class Pressed:
    msgid: str
    req_id: str
    chat: str
    group: bool
    user: str
    task_id: str
    key: str


@dataclass(frozen=True)
class Entered:
    """Someone opened the one-to-one chat (the first time that day): a welcome may answer, within 5 s."""

    msgid: str
    req_id: str
    user: str


def _text(body: dict[str, Any]) -> str:
    if body.get("msgtype") == "text":
        return str(_section(body, "text").get("content", ""))
    if body.get("msgtype") == "mixed":  # text and pictures: the words only
        items = _section(body, "mixed").get("msg_item", [])
        return "".join(str(_section(i, "text").get("content", "")) for i in items if isinstance(i, dict))
    return ""


def _section(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key)
    return value if isinstance(value, dict) else {}


def read(frame: Frame) -> Said | Pressed | Entered | None:
    body = frame.body
    user = str(_section(body, "from").get("userid", ""))
    group = body.get("chattype") == "group"
    chat = str(body.get("chatid") or "") if group else user
    msgid = str(body.get("msgid", ""))
    if not user or not chat or not msgid:
        return None
    if frame.cmd == frames.EVENT_CALLBACK:
        event = _section(body, "event")
        if event.get("eventtype") == "enter_chat":
            return Entered(msgid, frame.req_id, user)
        if event.get("eventtype") != "template_card_event":
            return None
        card = _section(event, "template_card_event")
        return Pressed(
            msgid, frame.req_id, chat, group, user, str(card.get("task_id", "")), str(card.get("event_key", ""))
        )
    if body.get("msgtype") == "file":
        file = _section(body, "file")
        name = file.get("filename") or file.get("name")
        return Said(msgid, chat, group, user, "", File(str(file.get("url", "")), str(file.get("aeskey", "")), name))
    text = _MENTION.sub("", _text(body), count=1)  # in a one-to-one chat too, if someone writes it
    return Said(msgid, chat, group, user, text.strip())
