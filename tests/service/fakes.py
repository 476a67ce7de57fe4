"""A messenger for service tests: it keeps what it was asked to send and edit, and can be told to fail."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.ports.messenger import Attachment, Delivery, MessageRef, NotSent, Sent
from supervisor_bot.views.view import View


@dataclass(frozen=True)
class Message:
    chat: ChatId
    id: MessageId
    text: str  # a file's caption, for a file
    file: str = ""  # the file's name, for a file


@dataclass
class FakeMessenger:
    """Ids are strings, as another messenger's are. Every chat answers, unless listed in `gone` (removed the bot) or `unreachable` (the network is down)."""

    sent: list[Message] = field(default_factory=list)
    edits: list[tuple[MessageRef, str]] = field(default_factory=list)
    answers: list[tuple[str, str, bool]] = field(default_factory=list)
    gone: set[ChatId] = field(default_factory=set)
    unreachable: set[ChatId] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _refused(self, chat: ChatId) -> NotSent | None:
        if chat in self.gone:
            return NotSent.GONE
        if chat in self.unreachable:
            return NotSent.FAILED
        return None

    async def send(self, chat: ChatId, view: View, reply_to: MessageId | None = None) -> Delivery:
        refused = self._refused(chat)
        if refused is not None:
            return refused
        message = Message(chat, f"msg-{next(self._ids)}", view.text)
        self.sent.append(message)
        return Sent(MessageRef(chat, message.id))

    async def edit(self, message: MessageRef, view: View) -> bool:
        self.edits.append((message, view.text))
        return True

    async def send_file(self, chat: ChatId, attachment: Attachment) -> Delivery:
        refused = self._refused(chat)
        if refused is not None:
            return refused
        message = Message(chat, f"msg-{next(self._ids)}", attachment.caption, attachment.filename)
        self.sent.append(message)
        return Sent(MessageRef(chat, message.id))

    async def answer(self, press: str, text: str = "", alert: bool = False) -> None:
        self.answers.append((press, text, alert))

    def texts(self, chat: ChatId) -> list[str]:
        return [m.text for m in self.sent if m.chat == chat and not m.file]

    def files(self, chat: ChatId) -> list[str]:
        return [m.file for m in self.sent if m.chat == chat and m.file]
