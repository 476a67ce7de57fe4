"""The Messenger port on WeCom: views to markdown and cards, files uploaded in chunks, and a card changed only
in answer to a press (within five seconds of it) — any other edit is "not editable"."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from dataclasses import dataclass
from typing import Any

from supervisor_bot.core.people import ChatId, MessageId
from supervisor_bot.ports.messenger import Attachment, Delivery, MessageRef, NotSent, Sent
from supervisor_bot.views.view import View
from supervisor_bot.wecom import cards, errors, frames, media
from supervisor_bot.wecom.client import Unanswered, WeComClient

log = logging.getLogger("supervisor_bot")
RETRIES = 3  # a rate-limited or busy answer means nothing arrived: tried again, waiting longer each time


@dataclass(frozen=True)
class PendingPress:
    """A press being answered: its callback's req_id, the pressed card, who pressed, when (monotonic)."""

    req_id: str
    task_id: str
    message_id: str
    key: str
    user: str
    at: float


answering: contextvars.ContextVar[PendingPress | None] = contextvars.ContextVar("answering", default=None)


class WeComMessenger:
    def __init__(self, client: WeComClient, retry_wait: float = 1.0) -> None:
        self.client = client
        self.retry_wait = retry_wait

    async def _push(self, chat: ChatId, body: dict[str, Any]) -> NotSent | None:
        """One aibot_send_msg; None when it arrived."""
        for attempt in range(RETRIES):
            answer = await self.client.request(frames.SEND, {"chatid": str(chat), **body})
            if answer is Unanswered.NOT_SENT:
                log.warning("WeCom: not connected; nothing sent to chat %s", chat)
                return NotSent.FAILED
            if answer is Unanswered.NO_ACK:
                log.warning("WeCom: no ack within 5 s for a message to chat %s: it may have arrived", chat)
                return NotSent.FAILED
            assert isinstance(answer, frames.Frame)
            if answer.errcode == 0:
                return None
            if answer.errcode not in errors.RETRIABLE:
                log.warning("WeCom: message to chat %s refused: errcode %s %s", chat, answer.errcode, answer.errmsg)
                if answer.errcode == errors.NOT_ALLOWED:
                    log.warning("WeCom: someone in chat %s must @-mention the bot once before it can post there", chat)
                return errors.meaning(answer.errcode or 0)
            await asyncio.sleep(self.retry_wait * 2**attempt)
        log.warning("WeCom: chat %s still rate-limited after %d tries", chat, RETRIES)
        return NotSent.FAILED

    async def send(self, chat: ChatId, view: View, reply_to: MessageId | None = None) -> Delivery:
        """The words first, then the cards: a part after the first that fails is logged, the message stands."""
        message_id = cards.new_message_id()
        for i, body in enumerate(cards.bodies(view, message_id)):
            failed = await self._push(chat, body)
            if failed is not None and i == 0:
                return failed
            if failed is not None:
                log.warning("WeCom: part %d of message %s in chat %s not sent (%s)", i, message_id, chat, failed.value)
        return Sent(MessageRef(chat, message_id))

    async def edit(self, message: MessageRef, view: View) -> bool:
        """Only the card being pressed, within five seconds of the press; anything else is not editable."""
        press = answering.get()
        if press is None or press.message_id != message.id:
            log.info(
                "WeCom: message %s in chat %s is not editable (a card changes only when pressed)",
                message.id,
                message.chat,
            )
            return False
        return await self._update(press, cards.updated_card(view, press.task_id, press.key), every=True)

    async def _update(self, press: PendingPress, card: dict[str, Any], every: bool) -> bool:
        if time.monotonic() - press.at > frames.UPDATE_WINDOW_SECONDS:
            log.info("WeCom: too late to update card %s (over 5 s after the press)", press.task_id)
            return False
        body: dict[str, Any] = {"response_type": "update_template_card", "template_card": card}
        if not every:
            body["userids"] = [press.user]
        answer = await self.client.request(frames.RESPOND_UPDATE, body, req_id=press.req_id)
        if isinstance(answer, frames.Frame) and answer.errcode == 0:
            return True
        log.warning("WeCom: updating card %s failed: %s", press.task_id, getattr(answer, "errcode", answer))
        return False

    async def answer(self, press: str, text: str = "", alert: bool = False) -> None:
        """WeCom shows no toast: a refusal (`alert`) redraws the pressed card for the one who pressed it."""
        pending = answering.get()
        if alert and text and pending is not None and pending.req_id == press:
            await self._update(pending, cards.notice_card(pending.task_id, text), every=False)

    async def welcome(self, req_id: str, text: str) -> bool:
        """The answer to someone opening the one-to-one chat (within 5 s of the event)."""
        body = {"msgtype": "text", "text": {"content": cards.split_bytes(text)[0]}}
        answer = await self.client.request(frames.RESPOND_WELCOME, body, req_id=req_id)
        return isinstance(answer, frames.Frame) and answer.errcode == 0

    async def close_card(self, text: str) -> bool:
        """The pressed card of a round that ended, redrawn closed for everyone."""
        pending = answering.get()
        return pending is not None and await self._update(pending, cards.closed_card(pending.task_id, text), True)

    async def send_file(self, chat: ChatId, attachment: Attachment) -> Delivery:
        """Uploaded first (nothing shows yet), then the caption, then the file."""
        data = await asyncio.to_thread(attachment.path.read_bytes)
        kind = "image" if attachment.photo else "file"
        uploaded = await media.upload(self.client, data, kind, attachment.filename)
        if not isinstance(uploaded, str) or not uploaded:
            log.warning("WeCom: uploading %s for chat %s failed: %s", attachment.filename, chat, uploaded)
            if isinstance(uploaded, int) and uploaded not in errors.RETRIABLE and uploaded != -1:
                return NotSent.REFUSED
            return NotSent.FAILED
        if attachment.caption:
            failed = await self._push(chat, cards.markdown(cards.split_bytes(attachment.caption)[0]))
            if failed is not None:
                return failed
        failed = await self._push(chat, {"msgtype": kind, kind: {"media_id": uploaded}})
        return failed if failed is not None else Sent(MessageRef(chat, cards.new_message_id()))
