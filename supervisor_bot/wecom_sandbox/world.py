"""The sandbox's world: a bot, members, groups, one-to-one chats, what the bot posted, the cards as they now
stand, uploads and inbound files; the bot's frames are answered here (the server only carries them)."""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from supervisor_bot.wecom_sandbox import limits
from supervisor_bot.wecom_sandbox.media import Uploads, encrypt

Push = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Posted:
    """A message the bot put in a chat."""

    id: int
    chat: str
    kind: str  # markdown, template_card, file, image, text
    content: str = ""  # markdown or text
    card: dict[str, Any] | None = None  # the card as it now stands (updated by presses)
    file: tuple[str, bytes] | None = None  # (name, data)

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "chat": self.chat, "kind": self.kind, "content": self.content}
        if self.card is not None:
            data["card"] = self.card
        if self.file is not None:
            data["file"] = {"name": self.file[0], "size": len(self.file[1])}
        return data


@dataclass
class Event:
    """A template_card_event pushed to the bot: its card may be updated within the window, by its req_id."""

    task_id: str
    user: str
    at: float


@dataclass
class World:
    bot_id: str = "sandbox-bot"
    secret: str = field(default="sandbox-secret", repr=False)
    base_url: str = ""  # where /media is served (set by the server)
    members: dict[str, str] = field(default_factory=dict)  # userid → name
    groups: dict[str, set[str]] = field(default_factory=dict)  # chatid → members
    known_groups: set[str] = field(default_factory=set)  # groups where someone @-mentioned the bot
    removed_groups: set[str] = field(default_factory=set)
    posted: list[Posted] = field(default_factory=list)
    cards: dict[str, Posted] = field(default_factory=dict)  # task_id → the message holding it
    events: dict[str, Event] = field(default_factory=dict)  # req_id → the press it reported
    faults: list[tuple[str, int | None]] = field(default_factory=list)  # (cmd, errcode or None: no ack) to come
    silent_pings: int = 0  # pings left unanswered
    offset: float = 0.0  # seconds the sandbox's clock was moved on
    uploads: Uploads = field(default_factory=Uploads)
    files: dict[str, tuple[bytes, float, str]] = field(default_factory=dict)  # token → (encrypted, expiry, name)
    replies: dict[str, str] = field(default_factory=dict)  # req_id of a message callback → its chat
    subscriptions: int = 0
    refused_subscriptions: int = 0
    received: list[str] = field(default_factory=list)  # every frame's cmd from the bot, in order
    push: Push | None = None  # to the bot's live connection

    def now(self) -> float:
        return time.monotonic() + self.offset

    # --- the bot's frames -------------------------------------------------------------------------------------

    def answer(self, cmd: str, req_id: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]] | None:
        """(errcode, errmsg, body) for a frame from the bot; None: no ack (a fault asked for silence)."""
        self.received.append(cmd)
        if cmd == "ping":
            if self.silent_pings > 0:
                self.silent_pings -= 1
                return None
            return limits.OK, "ok", {}
        fault = next((f for f in self.faults if f[0] == cmd), None)
        if fault is not None:
            self.faults.remove(fault)
            return None if fault[1] is None else (fault[1], "fault injected", {})
        handler = _HANDLERS.get(cmd)
        if handler is None:
            return limits.INVALID_PARAMETER, f"unknown cmd {cmd}", {}
        return handler(self, req_id, body)

    def subscribe(self, body: dict[str, Any]) -> tuple[int, str]:
        if body.get("bot_id") != self.bot_id or body.get("secret") != self.secret:
            self.refused_subscriptions += 1
            return limits.BAD_SECRET, "invalid bot_id or secret"
        self.subscriptions += 1
        return limits.OK, "ok"

    def _send(self, req_id: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
        chat = str(body.get("chatid", ""))
        if chat in self.removed_groups:
            return limits.REMOVED, "the bot is not in this group", {}
        if chat in self.groups:
            if chat not in self.known_groups:
                return limits.NOT_ALLOWED, "no one in this group has @-mentioned the bot", {}
        elif chat not in self.members:
            return limits.INVALID_CHAT, "invalid chatid", {}
        return self._post(chat, body)

    def _post(self, chat: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
        kind = str(body.get("msgtype", ""))
        section = body.get(kind) if isinstance(body.get(kind), dict) else {}
        assert isinstance(section, dict)
        message = Posted(len(self.posted) + 1, chat, kind)
        if kind in ("markdown", "text", "stream"):  # stream: a reply streamed in parts, kept as its latest text
            message.content = str(section.get("content", ""))
            if not message.content or len(message.content.encode()) > limits.MARKDOWN_BYTES:
                return limits.INVALID_PARAMETER, f"{kind} content must be 1 to {limits.MARKDOWN_BYTES} bytes", {}
        elif kind == "template_card":
            card = body.get("template_card")
            problem = limits.card_problem(card)
            if problem:
                return limits.INVALID_PARAMETER, problem, {}
            assert isinstance(card, dict)
            if card["task_id"] in self.cards:
                return limits.INVALID_PARAMETER, "task_id already used", {}
            message.card = card
            self.cards[card["task_id"]] = message
        elif kind in ("file", "image"):
            found = self.uploads.media.get(str(section.get("media_id", "")))
            if found is None:
                return limits.EXPIRED_MEDIA, "invalid media_id", {}
            message.file = found
        else:
            return limits.INVALID_PARAMETER, f"msgtype {kind!r} not supported", {}
        self.posted.append(message)
        return limits.OK, "ok", {}

    def _respond(self, req_id: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
        """A reply to a callback: posted in the chat the callback came from."""
        chat = self.replies.get(req_id)
        if chat is None:
            return limits.INVALID_PARAMETER, "no callback with this req_id", {}
        return self._post(chat, body)

    def _update(self, req_id: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
        event = self.events.get(req_id)
        card = body.get("template_card")
        if event is None:
            return limits.UPDATE_EXPIRED, "no template_card_event with this req_id", {}
        if self.now() - event.at > limits.UPDATE_WINDOW:
            return limits.UPDATE_EXPIRED, "a card can be updated only within 5 seconds of the press", {}
        problem = limits.card_problem(card)
        if problem:
            return limits.INVALID_PARAMETER, problem, {}
        assert isinstance(card, dict)
        if card["task_id"] != event.task_id:
            return limits.INVALID_PARAMETER, "task_id differs from the pressed card's", {}
        message = self.cards[event.task_id]
        users = body.get("userids")
        if isinstance(users, list) and users:
            message.card = {**(message.card or {}), "for": {str(u): card for u in users}}
        else:
            message.card = card
        return limits.OK, "ok", {}

    # --- what people do (the control API) ---------------------------------------------------------------------

    def callback(self, cmd: str, body: dict[str, Any]) -> dict[str, Any]:
        req_id = f"{cmd}_{secrets.token_hex(6)}"
        return {"cmd": cmd, "headers": {"req_id": req_id}, "body": body}

    def _base(self, user: str, chat: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "msgid": secrets.token_hex(8),
            "aibotid": self.bot_id,
            "chattype": "group" if chat in self.groups else "single",
            "from": {"userid": user},
            "create_time": int(time.time()),
        }
        if chat in self.groups:
            body["chatid"] = chat
        return body

    def text(self, user: str, chat: str, content: str, mention: bool) -> dict[str, Any] | None:
        """A person writes; in a group only a message that @-mentions the bot reaches it (and makes the group
        known to the bot). None: the bot does not get it."""
        if chat in self.groups:
            if user not in self.groups[chat]:
                raise ValueError(f"{user} is not in group {chat}")
            if not mention:
                return None
            self.known_groups.add(chat)
            content = f"@{self.bot_id} {content}"
        body = {**self._base(user, chat), "msgtype": "text", "text": {"content": content}}
        frame = self.callback("aibot_msg_callback", body)
        self.replies[frame["headers"]["req_id"]] = chat
        return frame

    def press(self, user: str, task_id: str, key: str) -> dict[str, Any]:
        message = self.cards.get(task_id)
        if message is None or message.card is None:
            raise ValueError(f"no card {task_id}")
        if key not in {b["key"] for b in message.card.get("button_list", [])}:
            raise ValueError(f"card {task_id} has no button {key}")
        event = {
            "eventtype": "template_card_event",
            "template_card_event": {"card_type": "button_interaction", "event_key": key, "task_id": task_id},
        }
        body = {**self._base(user, message.chat), "msgtype": "event", "event": event}
        frame = self.callback("aibot_event_callback", body)
        self.events[frame["headers"]["req_id"]] = Event(task_id, user, self.now())
        return frame

    def enter(self, user: str) -> dict[str, Any]:
        """A person opens the one-to-one chat with the bot: enter_chat, which a welcome may answer."""
        body = {**self._base(user, user), "msgtype": "event", "event": {"eventtype": "enter_chat"}}
        frame = self.callback("aibot_event_callback", body)
        self.replies[frame["headers"]["req_id"]] = user
        return frame

    def file(self, user: str, chat: str, name: str, data: bytes, age: float = 0.0) -> dict[str, Any] | None:
        """A file to the bot: only in a one-to-one chat (a group's files never reach it). `age`: how long ago
        its URL was issued (one over five minutes old is refused)."""
        if chat in self.groups:
            return None
        key = secrets.token_bytes(32)
        token = secrets.token_urlsafe(12)
        self.files[token] = (encrypt(data, key), self.now() - age + limits.MEDIA_URL_SECONDS, name)
        section = {"url": f"{self.base_url}/media/{token}", "aeskey": base64.b64encode(key).decode()}
        body = {**self._base(user, chat), "msgtype": "file", "file": section}
        return self.callback("aibot_msg_callback", body)

    def media(self, token: str) -> tuple[bytes, str] | None:
        found = self.files.get(token)
        if found is None or self.now() > found[1]:
            return None
        return found[0], found[2]


_HANDLERS: dict[str, Callable[[World, str, dict[str, Any]], tuple[int, str, dict[str, Any]]]] = {
    "aibot_send_msg": lambda w, r, b: w._send(r, b),
    "aibot_respond_msg": lambda w, r, b: w._respond(r, b),
    "aibot_respond_welcome_msg": lambda w, r, b: w._respond(r, b),
    "aibot_respond_update_msg": lambda w, r, b: w._update(r, b),
    "aibot_upload_media_init": lambda w, r, b: w.uploads.init(b),
    "aibot_upload_media_chunk": lambda w, r, b: w.uploads.chunk(b),
    "aibot_upload_media_finish": lambda w, r, b: w.uploads.finish(b),
}
