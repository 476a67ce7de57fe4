"""Bot API methods: each takes the world and the request parameters and returns the ``result``.

One module a family: the bot itself, chats, sending, editing, callback answers, files.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..params import Params
from ..world import World
from .bot import (
    LONG_POLL_MAX_TIMEOUT,
    delete_my_commands,
    delete_webhook,
    get_me,
    get_my_commands,
    get_updates,
    get_webhook_info,
    return_true,
    set_my_commands,
    set_webhook,
)
from .callbacks import answer_callback_query
from .chats import get_chat, get_chat_member, leave_chat, send_chat_action
from .editing import delete_message, edit_message_caption, edit_message_reply_markup, edit_message_text
from .files import get_file
from .sending import send_document, send_message, send_photo

__all__ = ["LONG_POLL_MAX_TIMEOUT", "METHODS", "Handler"]

Handler = Callable[[World, Params], Awaitable[Any]]

METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in (
        ("getMe", get_me),
        ("logOut", return_true),
        ("close", return_true),
        ("setWebhook", set_webhook),
        ("deleteWebhook", delete_webhook),
        ("getWebhookInfo", get_webhook_info),
        ("getUpdates", get_updates),
        ("setMyCommands", set_my_commands),
        ("getMyCommands", get_my_commands),
        ("deleteMyCommands", delete_my_commands),
        ("getChat", get_chat),
        ("getChatMember", get_chat_member),
        ("sendChatAction", send_chat_action),
        ("leaveChat", leave_chat),
        ("sendMessage", send_message),
        ("sendDocument", send_document),
        ("sendPhoto", send_photo),
        ("editMessageText", edit_message_text),
        ("editMessageCaption", edit_message_caption),
        ("editMessageReplyMarkup", edit_message_reply_markup),
        ("deleteMessage", delete_message),
        ("answerCallbackQuery", answer_callback_query),
        ("getFile", get_file),
    )
}
"""Lower-cased method name -> (canonical name, handler); Telegram matches method names case-insensitively."""
