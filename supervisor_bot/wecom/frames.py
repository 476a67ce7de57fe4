"""The long connection's frames: `{cmd, headers: {req_id}, body}` and the acks `{headers: {req_id}, errcode,
errmsg, body}` that answer them (企业微信开发者中心 → 智能机器人 → 智能机器人长连接)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

SUBSCRIBE = "aibot_subscribe"
PING = "ping"
MSG_CALLBACK = "aibot_msg_callback"
EVENT_CALLBACK = "aibot_event_callback"
RESPOND = "aibot_respond_msg"
RESPOND_UPDATE = "aibot_respond_update_msg"
RESPOND_WELCOME = "aibot_respond_welcome_msg"
SEND = "aibot_send_msg"
UPLOAD_INIT = "aibot_upload_media_init"
UPLOAD_CHUNK = "aibot_upload_media_chunk"
UPLOAD_FINISH = "aibot_upload_media_finish"

CHUNK_BYTES = 512 * 1024  # one upload chunk, before base64
MAX_CHUNKS = 100
UPDATE_WINDOW_SECONDS = 5.0  # a pressed card can be updated this long after the press
MAX_BUTTONS = 6  # on one template card
MARKDOWN_BYTES = 4096  # one markdown message's content, UTF-8


@dataclass(frozen=True)
class Frame:
    cmd: str
    req_id: str
    body: dict[str, Any] = field(default_factory=dict)
    errcode: int | None = None  # set on an ack
    errmsg: str = ""

    def dumps(self) -> str:
        data: dict[str, Any] = {"headers": {"req_id": self.req_id}}
        if self.cmd:
            data["cmd"] = self.cmd
        if self.body:
            data["body"] = self.body
        if self.errcode is not None:
            data["errcode"] = self.errcode
            data["errmsg"] = self.errmsg
        return json.dumps(data, ensure_ascii=False)


def loads(text: str) -> Frame | None:
    """A frame from the wire; None for anything that is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    headers = data.get("headers")
    req_id = headers.get("req_id") if isinstance(headers, dict) else None
    body = data.get("body")
    errcode = data.get("errcode")
    return Frame(
        str(data.get("cmd") or ""),
        str(req_id or ""),
        body if isinstance(body, dict) else {},
        errcode if isinstance(errcode, int) and not isinstance(errcode, bool) else None,
        str(data.get("errmsg") or ""),
    )


def new_req_id(cmd: str) -> str:
    return f"{cmd}_{secrets.token_hex(8)}"


def ack(frame: Frame, errcode: int = 0, errmsg: str = "ok", body: dict[str, Any] | None = None) -> Frame:
    """The answer to `frame`: its req_id, no cmd."""
    return Frame("", frame.req_id, body or {}, errcode, errmsg)
