"""The sandbox's world: the bot, users, chats, messages, files and the log of what the bot did."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .errors import CHAT_NOT_FOUND, SandboxError, bad_request, chat_migrated, forbidden
from .faults import FaultInjector
from .limits import Clock, RateLimiter, RateLimits
from .records import CallbackAnswer, JsonDict, OutgoingRecord, UploadedFile, copied
from .updates import UpdateQueue

TELEGRAM_USER: JsonDict = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
"""The service account Telegram shows as the actor of system events."""

_GROUP_ID_BASE = -4_000_000_000
_SUPERGROUP_ID_BASE = -1_001_000_000_000


def commands_key(scope: JsonDict | None, language_code: str = "") -> str:
    """Where setMyCommands stores a command list: its scope and language."""
    scope = scope or {"type": "default"}
    parts = [str(scope["type"])] + [f"{key}={scope[key]}" for key in sorted(scope) if key != "type"]
    return "/".join(parts) + "|" + language_code


@dataclass
class ChatState:
    """A chat as the sandbox tracks it; ``bot_status`` is member, administrator, left or kicked."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    bot_status: str = "member"
    migrated_to: int | None = None
    migrated_from: int | None = None
    next_message_id: int = 1
    instance: str = ""

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_json(self) -> JsonDict:
        out: JsonDict = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def full_info(self) -> JsonDict:
        """The ChatFullInfo object getChat returns."""
        info = self.to_json()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if self.type == "group":
            info["permissions"] = {"can_send_messages": True}
        return info


@dataclass
class PendingQuery:
    """A callback query the bot has not answered yet."""

    query_id: str
    chat_id: int
    message_id: int
    created: float
    answered: bool = False


@dataclass(frozen=True)
class BotIdentity:
    """The bot: its id is the number before the colon of its token."""

    token: str
    first_name: str
    username: str

    @property
    def id(self) -> int:
        return int(self.token.split(":", 1)[0])

    def user(self) -> JsonDict:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name, "username": self.username}


class Notifier:
    """Wakes everyone awaiting a change of the outgoing log."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def wait(self, timeout: float) -> Awaitable[bool]:
        """Wait for the next change; the event is taken now, so no change between check and wait is lost."""
        event = self._event
        return asyncio.wait_for(event.wait(), timeout)


class World:
    """All sandbox state. Plain synchronous methods; callers run in one event loop."""

    def __init__(
        self,
        bot: BotIdentity,
        *,
        privacy_mode: bool = True,
        limits: RateLimits | None = None,
        clock: Clock | None = None,
        callback_ttl: float = 15.0,
        seed: int | None = 0,
    ) -> None:
        self.bot = bot
        self.privacy_mode = privacy_mode
        self.limiter = RateLimiter(limits, clock)
        self.clock: Clock = self.limiter.clock
        self.callback_ttl = callback_ttl
        self.seed = seed
        self.faults = FaultInjector(seed)
        self.updates = UpdateQueue()
        self.changed = Notifier()
        self.users: dict[int, JsonDict] = {}
        self.chats: dict[int, ChatState] = {}
        self.messages: dict[int, dict[int, JsonDict]] = {}
        self.log: list[OutgoingRecord] = []
        self.calls: Counter[str] = Counter()  # Bot API requests by method: getUpdates tells a bot is polling
        self.queries: dict[str, PendingQuery] = {}
        self.answers: dict[str, CallbackAnswer] = {}
        self.commands: dict[str, list[JsonDict]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.file_paths: dict[str, str] = {}
        self._counter = 0

    def reset(self) -> None:
        """Forget everything except the bot and the update_id sequence."""
        self.users.clear()
        self.chats.clear()
        self.messages.clear()
        self.log.clear()
        self.queries.clear()
        self.answers.clear()
        self.commands.clear()
        self.files.clear()
        self.file_paths.clear()
        self.updates.clear()
        self.faults.reset(self.seed)
        self.limiter.reset()
        self.changed.notify()

    def next_number(self) -> int:
        """A fresh number for ids that only need to be unique."""
        self._counter += 1
        return self._counter

    # --- users and chats -------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> JsonDict:
        if user_id <= 0:
            raise SandboxError("user ids are positive")
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            user["last_name"] = last_name
        if username is not None:
            user["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        self.users[user_id] = user
        return copied(user)

    def user(self, user_id: int) -> JsonDict:
        try:
            return self.users[user_id]
        except KeyError:
            raise SandboxError(f"unknown user {user_id}; add_user() it first") from None

    def add_chat(self, chat: ChatState) -> ChatState:
        if chat.id in self.chats:
            raise SandboxError(f"chat {chat.id} already exists")
        chat.instance = str(int(hashlib.sha256(f"chat-instance:{chat.id}".encode()).hexdigest()[:15], 16))
        self.chats[chat.id] = chat
        self.messages[chat.id] = {}
        return chat

    def new_group_id(self, supergroup: bool) -> int:
        base = _SUPERGROUP_ID_BASE if supergroup else _GROUP_ID_BASE
        chat_id = base - self.next_number()
        while chat_id in self.chats:
            chat_id = base - self.next_number()
        return chat_id

    def chat(self, chat_id: int) -> ChatState:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise SandboxError(f"unknown chat {chat_id}") from None

    def resolve_chat_id(self, raw: Any) -> int | None:
        """A chat id parameter as a number: numeric strings, or ``@username`` of a known chat."""
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            text = raw.strip()
            if text.startswith("@"):
                for chat in self.chats.values():
                    if chat.username and chat.username.lower() == text[1:].lower():
                        return chat.id
                return None
            try:
                return int(text)
            except ValueError:
                return None
        return None

    def chat_for_bot(self, raw_chat_id: Any) -> ChatState:
        """The chat a bot call addresses, or the error Telegram would answer."""
        if raw_chat_id is None or raw_chat_id == "":
            raise bad_request("chat_id is empty")
        chat_id = self.resolve_chat_id(raw_chat_id)
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            if chat_id in self.users:
                raise forbidden("bot can't initiate conversation with a user")
            raise bad_request(CHAT_NOT_FOUND)
        if chat.migrated_to is not None:
            raise chat_migrated(chat.migrated_to)
        if chat.type == "private":
            if chat.bot_status == "kicked":
                raise forbidden("bot was blocked by the user")
        elif chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.type} chat")
        elif chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    # --- messages --------------------------------------------------------

    def new_message(self, chat: ChatState, sender: JsonDict, content: JsonDict) -> JsonDict:
        """Store a new message in ``chat`` and return the stored (live) dict."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JsonDict = {
            "message_id": message_id,
            "from": copied(sender),
            "chat": chat.to_json(),
            "date": int(time.time()),
        }
        message.update(content)
        self.messages[chat.id][message_id] = message
        return message

    def message(self, chat_id: int, message_id: int) -> JsonDict | None:
        return self.messages.get(chat_id, {}).get(message_id)

    @staticmethod
    def snapshot(message: JsonDict) -> JsonDict:
        """A copy fit for ``reply_to_message`` (Telegram does not nest replies further)."""
        quoted = copied(message)
        quoted.pop("reply_to_message", None)
        return quoted

    def messages_in(self, chat_id: int) -> list[JsonDict]:
        return [copied(m) for _, m in sorted(self.messages.get(chat_id, {}).items())]

    # --- files -----------------------------------------------------------

    def store_file(self, field_name: str, filename: str, content: bytes, mime_type: str) -> UploadedFile:
        number = self.next_number()
        digest = hashlib.sha256(content).hexdigest()
        uploaded = UploadedFile(
            param=field_name,
            filename=filename,
            content=content,
            mime_type=mime_type,
            file_id=f"SBX{field_name[:3].upper()}{number:06d}{digest[:16]}",
            file_unique_id=f"U{digest[:15]}",
        )
        folder = "photos" if field_name == "photo" else "documents"
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else ("jpg" if field_name == "photo" else "bin")
        path = f"{folder}/file_{number}.{suffix}"
        self.files[uploaded.file_id] = uploaded
        self.file_paths[path] = uploaded.file_id
        return uploaded

    def file_path_of(self, file_id: str) -> str | None:
        for path, known in self.file_paths.items():
            if known == file_id:
                return path
        return None

    # --- the outgoing log ------------------------------------------------

    def record(self, method: str, chat_id: int | None, message_id: int | None, **details: Any) -> OutgoingRecord:
        entry = OutgoingRecord(
            seq=len(self.log) + 1,
            method=method,
            chat_id=chat_id,
            message_id=message_id,
            timestamp=time.time(),
            **details,
        )
        self.log.append(entry)
        self.changed.notify()
        return entry

    def find_records(self, predicate: Callable[[OutgoingRecord], bool], after: int = 0) -> OutgoingRecord | None:
        for entry in self.log[after:]:
            if predicate(entry):
                return entry
        return None
