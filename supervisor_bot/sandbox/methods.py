"""Bot API methods: each takes the world and the request parameters and returns the ``result``."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from . import people
from .errors import QUERY_TOO_OLD, ApiError, bad_request
from .formatting import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, normalize_parse_mode, render, utf16_len
from .keyboards import inline_markup, parse_reply_markup
from .media import image_size
from .params import FilePart, Params
from .records import CallbackAnswer, JsonDict, UploadedFile
from .world import ChatState, World, commands_key

Handler = Callable[[World, Params], Awaitable[Any]]
LONG_POLL_MAX_TIMEOUT = 50
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_MAX_UPLOAD_BYTES = 50 * 1024 * 1024


# --- helpers ---------------------------------------------------------------


def _message_text(params: Params) -> tuple[str, str | None, str, list[JsonDict]]:
    """``(raw text, parse mode, shown text, entities)`` of a text message, with Telegram's checks."""
    raw = params.string("text")
    if not raw:
        raise bad_request("message text is empty")
    mode = normalize_parse_mode(params.string("parse_mode"))
    shown, entities = render(raw, mode)
    if not shown:
        raise bad_request("message text is empty")
    if utf16_len(shown) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return raw, mode, shown, entities


def _caption(params: Params) -> tuple[str | None, str | None, str | None, list[JsonDict]]:
    raw = params.string("caption")
    if not raw:
        return None, None, None, []
    mode = normalize_parse_mode(params.string("parse_mode"))
    shown, entities = render(raw, mode)
    if utf16_len(shown) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return raw, mode, shown or None, entities


def _replied(world: World, chat: ChatState, params: Params) -> JsonDict | None:
    """The message being replied to (reply_parameters or legacy reply_to_message_id)."""
    reply = params.nested("reply_parameters", error="can't parse reply parameters JSON object")
    if reply is not None:
        if not isinstance(reply, dict):
            raise bad_request("can't parse reply parameters JSON object")
        message_id = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply"))
        source = chat
        if reply.get("chat_id") not in (None, "", chat.id):
            source = world.chat_for_bot(reply.get("chat_id"))
    else:
        message_id = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
        source = chat
    if message_id in (None, 0, ""):
        return None
    try:
        found = world.message(source.id, int(message_id))
    except (TypeError, ValueError):
        raise bad_request("message to be replied not found") from None
    if found is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return world.snapshot(found)


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


def _commands_key(params: Params) -> str:
    scope = params.nested("scope", error="can't parse BotCommandScope JSON object")
    if scope is not None and (not isinstance(scope, dict) or "type" not in scope):
        raise bad_request("can't parse BotCommandScope JSON object")
    return commands_key(scope, params.string("language_code") or "")


def _upload(world: World, params: Params, field: str) -> UploadedFile:
    part: FilePart | None = params.file(field)
    if part is None:
        reference = params.string(field)
        if not reference:
            raise bad_request(f"there is no {field} in the request")
        known = world.files.get(reference)
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known
    if not part.content:
        raise bad_request("file must be non-empty")
    if len(part.content) > _MAX_UPLOAD_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    return world.store_file(field, part.filename, part.content, part.mime_type)


def _send(
    world: World,
    params: Params,
    method: str,
    chat: ChatState,
    content: JsonDict,
    *,
    raw_text: str | None = None,
    raw_caption: str | None = None,
    parse_mode: str | None = None,
    files: tuple[UploadedFile, ...] = (),
) -> JsonDict:
    """Shared tail of send*: reply, markup, rate limit, store, log."""
    markup = parse_reply_markup(params)
    replied = _replied(world, chat, params)
    preview = params.nested("link_preview_options", error="can't parse link preview options JSON object")
    world.limiter.check_send(chat.id, chat.is_group)
    if replied is not None:
        content["reply_to_message"] = replied
    shown_markup = inline_markup(markup)
    if shown_markup is not None:
        content["reply_markup"] = shown_markup
    if isinstance(preview, dict):
        content["link_preview_options"] = preview
    message = world.new_message(chat, world.bot.user(), content)
    world.record(
        method,
        chat.id,
        message["message_id"],
        text=raw_text,
        caption=raw_caption,
        parse_mode=parse_mode,
        reply_markup=copy.deepcopy(markup),
        reply_to_message_id=None if replied is None else replied["message_id"],
        files=files,
        disable_notification=params.flag("disable_notification"),
        link_preview_options=preview if isinstance(preview, dict) else None,
    )
    return copy.deepcopy(message)


def _media_content(world: World, params: Params, field: str) -> tuple[JsonDict, UploadedFile, tuple[Any, ...]]:
    caption_raw, mode, caption_shown, caption_entities = _caption(params)
    uploaded = _upload(world, params, field)
    content: JsonDict = {}
    if field == "photo":
        size = image_size(uploaded.content)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        content["photo"] = [
            {
                "file_id": uploaded.file_id,
                "file_unique_id": uploaded.file_unique_id,
                "file_size": uploaded.size,
                "width": size[0],
                "height": size[1],
            }
        ]
    else:
        content["document"] = {
            "file_id": uploaded.file_id,
            "file_unique_id": uploaded.file_unique_id,
            "file_name": uploaded.filename,
            "mime_type": uploaded.mime_type,
            "file_size": uploaded.size,
        }
    if caption_shown is not None:
        content["caption"] = caption_shown
        if caption_entities:
            content["caption_entities"] = caption_entities
    return content, uploaded, (caption_raw, mode)


# --- methods ---------------------------------------------------------------


async def get_me(world: World, params: Params) -> Any:
    user = world.bot.user()
    user.update(
        can_join_groups=True,
        can_read_all_group_messages=not world.privacy_mode,
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return user


async def return_true(world: World, params: Params) -> Any:
    return True


async def delete_webhook(world: World, params: Params) -> Any:
    if params.flag("drop_pending_updates"):
        world.updates.drop_pending()
    return True


async def get_webhook_info(world: World, params: Params) -> Any:
    return {"url": "", "has_custom_certificate": False, "pending_update_count": len(world.updates.pending)}


async def get_updates(world: World, params: Params) -> Any:
    allowed = params.nested("allowed_updates", error="can't parse allowed_updates JSON array")
    if allowed is not None:
        if not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON array")
        world.updates.set_allowed(str(name) for name in allowed)
    limit = min(100, max(1, params.integer("limit") or 100))
    timeout = min(float(LONG_POLL_MAX_TIMEOUT), max(0.0, params.number("timeout") or 0.0))
    updates = await world.updates.get(params.integer("offset") or 0, limit, timeout)
    return copy.deepcopy(updates)


async def set_my_commands(world: World, params: Params) -> Any:
    commands = params.nested("commands", error="can't parse commands JSON object")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    cleaned: list[JsonDict] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = str(item.get("command", "")).removeprefix("/")
        description = str(item.get("description", ""))
        if not _COMMAND_NAME_RE.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": command, "description": description})
    world.commands[_commands_key(params)] = cleaned
    return True


async def get_my_commands(world: World, params: Params) -> Any:
    return copy.deepcopy(world.commands.get(_commands_key(params), []))


async def delete_my_commands(world: World, params: Params) -> Any:
    world.commands.pop(_commands_key(params), None)
    return True


async def get_chat(world: World, params: Params) -> Any:
    return world.chat_for_bot(params.raw("chat_id")).full_info()


async def get_chat_member(world: World, params: Params) -> Any:
    chat = world.chat_for_bot(params.raw("chat_id"))
    user_id = params.integer("user_id")
    if user_id == world.bot.id:
        return people.chat_member(world.bot.user(), chat.bot_status)
    if user_id is None or user_id not in world.users:
        raise bad_request("user not found")
    if chat.type == "private" and user_id != chat.id:
        raise bad_request("user not found")
    return people.chat_member(world.users[user_id], "member")


async def send_chat_action(world: World, params: Params) -> Any:
    world.chat_for_bot(params.raw("chat_id"))
    return True


async def leave_chat(world: World, params: Params) -> Any:
    chat = world.chat_for_bot(params.raw("chat_id"))
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    people.remove_bot_from_chat(world, chat.id, kicked=False)
    return True


async def send_message(world: World, params: Params) -> Any:
    raw, mode, shown, entities = _message_text(params)
    chat = world.chat_for_bot(params.raw("chat_id"))
    content: JsonDict = {"text": shown}
    if entities:
        content["entities"] = entities
    return _send(world, params, "sendMessage", chat, content, raw_text=raw, parse_mode=mode)


async def send_document(world: World, params: Params) -> Any:
    return _send_media(world, params, "sendDocument", "document")


async def send_photo(world: World, params: Params) -> Any:
    return _send_media(world, params, "sendPhoto", "photo")


def _send_media(world: World, params: Params, method: str, field: str) -> JsonDict:
    chat = world.chat_for_bot(params.raw("chat_id"))
    content, uploaded, (caption_raw, mode) = _media_content(world, params, field)
    return _send(world, params, method, chat, content, raw_caption=caption_raw, parse_mode=mode, files=(uploaded,))


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same "
        "as a current content and reply markup of the message"
    )


def _check_editable(world: World, message: JsonDict) -> None:
    if message.get("from", {}).get("id") != world.bot.id:
        raise bad_request("message can't be edited")


async def edit_message_text(world: World, params: Params) -> Any:
    raw, mode, shown, entities = _message_text(params)
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
    raw, mode, shown, entities = _caption(params)
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
    return copy.deepcopy(message)


async def delete_message(world: World, params: Params) -> Any:
    chat, message = _target_message(world, params, verb="delete")
    is_own = message.get("from", {}).get("id") == world.bot.id
    if not is_own and chat.is_group and chat.bot_status != "administrator":
        raise bad_request("message can't be deleted")
    del world.messages[chat.id][message["message_id"]]
    world.record("deleteMessage", chat.id, message["message_id"])
    return True


async def answer_callback_query(world: World, params: Params) -> Any:
    query_id = params.string("callback_query_id") or ""
    pending = world.queries.get(query_id)
    if pending is None or pending.answered or world.clock() - pending.created > world.callback_ttl:
        raise bad_request(QUERY_TOO_OLD)
    pending.answered = True
    answer = CallbackAnswer(
        query_id=query_id,
        text=params.string("text"),
        show_alert=params.flag("show_alert"),
        url=params.string("url"),
        cache_time=params.integer("cache_time") or 0,
        timestamp=time.time(),
    )
    world.answers[query_id] = answer
    world.record(
        "answerCallbackQuery",
        pending.chat_id,
        pending.message_id,
        text=answer.text,
        callback_query_id=query_id,
        show_alert=answer.show_alert,
    )
    return True


async def get_file(world: World, params: Params) -> Any:
    file_id = params.string("file_id") or ""
    stored = world.files.get(file_id)
    path = world.file_path_of(file_id)
    if stored is None or path is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": path,
    }


METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in (
        ("getMe", get_me),
        ("logOut", return_true),
        ("close", return_true),
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
