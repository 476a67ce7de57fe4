"""Methods that send messages: sendMessage, sendDocument, sendPhoto."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, bad_request
from ..keyboards import inline_markup, parse_reply_markup
from ..media import image_size
from ..params import FilePart, Params
from ..records import JsonDict, UploadedFile, copied
from ..world import ChatState, World
from .text import caption_text, message_text

_MAX_UPLOAD_BYTES = 50 * 1024 * 1024


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
        reply_markup=copied(markup),
        reply_to_message_id=None if replied is None else replied["message_id"],
        files=files,
        disable_notification=params.flag("disable_notification"),
        link_preview_options=preview if isinstance(preview, dict) else None,
    )
    return copied(message)


def _media_content(world: World, params: Params, field: str) -> tuple[JsonDict, UploadedFile, tuple[Any, ...]]:
    caption_raw, mode, caption_shown, caption_entities = caption_text(params)
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


async def send_message(world: World, params: Params) -> Any:
    raw, mode, shown, entities = message_text(params)
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
