"""Methods that change messages already sent: editMessageText/Caption/ReplyMarkup and deleteMessage."""

from __future__ import annotations

import time
from typing import Any

from ..errors import ApiError, bad_request
from ..keyboards import inline_markup, parse_reply_markup
from ..params import Params
from ..records import JsonDict, copied
from ..world import ChatState, World
from .text import caption_text, message_text


def _target_message(world: World, params: Params, *, verb: str) -> tuple[ChatState, JsonDict]:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = world.chat_for_bot(params.raw("chat_id"))
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = world.message(chat.id, message_id)
    if message is None:
        raise bad_request(f"message to {verb} not found")
    return chat, message


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same "
        "as a current content and reply markup of the message"
    )


def _check_editable(world: World, message: JsonDict) -> None:
    if message.get("from", {}).get("id") != world.bot.id:
        raise bad_request("message can't be edited")


async def edit_message_text(world: World, params: Params) -> Any:
    raw, mode, shown, entities = message_text(params)
    chat, message = _target_message(world, params, verb="edit")
    _check_editable(world, message)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    markup = parse_reply_markup(params)
    new_markup = inline_markup(markup)
    if (shown, entities, new_markup) == (message["text"], message.get("entities", []), message.get("reply_markup")):
        raise _not_modified()
    message["text"] = shown
    _set_or_drop(message, "entities", entities or None)
    _set_or_drop(message, "reply_markup", new_markup)
    return _edited(world, chat, message, "editMessageText", text=raw, parse_mode=mode, reply_markup=markup)


async def edit_message_caption(world: World, params: Params) -> Any:
    raw, mode, shown, entities = caption_text(params)
    chat, message = _target_message(world, params, verb="edit")
    _check_editable(world, message)
    if "document" not in message and "photo" not in message:
        raise bad_request("there is no caption in the message to edit")
    markup = parse_reply_markup(params)
    new_markup = inline_markup(markup)
    old = (message.get("caption"), message.get("caption_entities", []), message.get("reply_markup"))
    if (shown, entities, new_markup) == old:
        raise _not_modified()
    _set_or_drop(message, "caption", shown)
    _set_or_drop(message, "caption_entities", entities or None)
    _set_or_drop(message, "reply_markup", new_markup)
    return _edited(world, chat, message, "editMessageCaption", caption=raw, parse_mode=mode, reply_markup=markup)


async def edit_message_reply_markup(world: World, params: Params) -> Any:
    chat, message = _target_message(world, params, verb="edit")
    _check_editable(world, message)
    markup = parse_reply_markup(params)
    new_markup = inline_markup(markup)
    if new_markup == message.get("reply_markup"):
        raise _not_modified()
    _set_or_drop(message, "reply_markup", new_markup)
    return _edited(world, chat, message, "editMessageReplyMarkup", reply_markup=markup)


def _set_or_drop(message: JsonDict, key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value


def _edited(world: World, chat: ChatState, message: JsonDict, method: str, **details: Any) -> JsonDict:
    message["edit_date"] = int(time.time())
    world.record(method, chat.id, message["message_id"], **details)
    return copied(message)


async def delete_message(world: World, params: Params) -> Any:
    chat, message = _target_message(world, params, verb="delete")
    is_own = message.get("from", {}).get("id") == world.bot.id
    if not is_own and chat.is_group and chat.bot_status != "administrator":
        raise bad_request("message can't be deleted")
    del world.messages[chat.id][message["message_id"]]
    world.record("deleteMessage", chat.id, message["message_id"])
    return True
