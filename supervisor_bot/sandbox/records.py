"""Value records the sandbox keeps about what the bot did: outgoing calls, files, callback answers."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson

JsonDict = dict[str, Any]
J = TypeVar("J")


def copied(value: J) -> J:
    """A deep copy of JSON data (what the sandbox hands out, so that no caller shares its state): through orjson,
    five times faster than copy.deepcopy on a message with a keyboard."""
    result: J = orjson.loads(orjson.dumps(value))
    return result


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (or a user posted) and the ids Telegram gave it."""

    param: str
    filename: str
    content: bytes = field(repr=False)
    mime_type: str
    file_id: str
    file_unique_id: str

    @property
    def size(self) -> int:
        return len(self.content)

    def to_json(self, *, with_content: bool = False) -> JsonDict:
        out: JsonDict = {
            "param": self.param,
            "filename": self.filename,
            "mime_type": self.mime_type,
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "size": self.size,
            "sha256": hashlib.sha256(self.content).hexdigest(),
        }
        if with_content:
            out["content_base64"] = base64.b64encode(self.content).decode("ascii")
        return out


@dataclass(frozen=True)
class OutgoingRecord:
    """One thing the bot did to a chat, in order: a send, an edit, a delete or a callback answer."""

    seq: int
    method: str
    chat_id: int | None
    message_id: int | None
    timestamp: float
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: JsonDict | None = None
    reply_to_message_id: int | None = None
    files: tuple[UploadedFile, ...] = ()
    disable_notification: bool = False
    link_preview_options: JsonDict | None = None
    callback_query_id: str | None = None
    show_alert: bool | None = None

    @property
    def is_send(self) -> bool:
        """True for records that created a new message (sendMessage, sendDocument, sendPhoto)."""
        return self.method.startswith("send")

    @property
    def is_edit(self) -> bool:
        return self.method.startswith("edit")

    def to_json(self, *, with_content: bool = False) -> JsonDict:
        return {
            "seq": self.seq,
            "method": self.method,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "timestamp": self.timestamp,
            "text": self.text,
            "caption": self.caption,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "reply_to_message_id": self.reply_to_message_id,
            "files": [f.to_json(with_content=with_content) for f in self.files],
            "disable_notification": self.disable_notification,
            "link_preview_options": self.link_preview_options,
            "callback_query_id": self.callback_query_id,
            "show_alert": self.show_alert,
        }


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery for one pressed button."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    timestamp: float

    def to_json(self) -> JsonDict:
        return {
            "query_id": self.query_id,
            "text": self.text,
            "show_alert": self.show_alert,
            "url": self.url,
            "cache_time": self.cache_time,
            "timestamp": self.timestamp,
        }


@dataclass(frozen=True)
class RecordFilter:
    """A ready-made ``wait_for`` predicate: every field that is set must match."""

    chat_id: int | None = None
    method: str | None = None
    text_contains: str | None = None
    message_id: int | None = None

    def __call__(self, record: OutgoingRecord) -> bool:
        if self.chat_id is not None and record.chat_id != self.chat_id:
            return False
        if self.method is not None and record.method.lower() != self.method.lower():
            return False
        if self.message_id is not None and record.message_id != self.message_id:
            return False
        if self.text_contains is not None:
            return self.text_contains in (record.text or "") + "\n" + (record.caption or "")
        return True
