"""What people do in the sandbox: write, reply, press buttons, add or remove the bot, upgrade groups."""

from __future__ import annotations

import time

from .errors import SandboxError
from .formatting import command_target, user_entities
from .media import image_size
from .records import JsonDict, copied
from .world import TELEGRAM_USER, ChatState, PendingQuery, World

_SERVICE_KEYS = ("new_chat_members", "left_chat_member", "migrate_to_chat_id", "migrate_from_chat_id")


def chat_member(user: JsonDict, status: str) -> JsonDict:
    """A ChatMember object of the given status for ``user``."""
    member: JsonDict = {"status": status, "user": copied(user)}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_pin_messages=True,
        )
    return member


def bot_sees(world: World, chat: ChatState, message: JsonDict) -> bool:
    """Whether Telegram would deliver ``message`` to the bot (membership and privacy mode)."""
    if chat.bot_status in ("left", "kicked"):
        return False
    if chat.type == "private" or not world.privacy_mode or chat.bot_status == "administrator":
        return True
    if any(key in message for key in _SERVICE_KEYS):
        return True
    replied = message.get("reply_to_message")
    if replied is not None and replied.get("from", {}).get("id") == world.bot.id:
        return True
    text = message.get("text") or message.get("caption") or ""
    target = command_target(text)
    if target is not None:
        return target[1] is None or target[1].lower() == world.bot.username.lower()
    return f"@{world.bot.username.lower()}" in text.lower()


def _deliver(world: World, chat: ChatState, message: JsonDict) -> None:
    if bot_sees(world, chat, message):
        world.updates.push("message", copied(message))


def _writable_chat(world: World, chat_id: int, user_id: int) -> ChatState:
    chat = world.chat(chat_id)
    if chat.migrated_to is not None:
        raise SandboxError(f"chat {chat_id} was upgraded to supergroup {chat.migrated_to}; post there")
    if chat.type == "private" and chat.id != user_id:
        raise SandboxError(f"private chat {chat_id} belongs to user {chat_id}, not {user_id}")
    return chat


def post_message(
    world: World,
    chat_id: int,
    user_id: int,
    text: str | None = None,
    *,
    reply_to_message_id: int | None = None,
    document: tuple[str, bytes, str] | None = None,
    caption: str | None = None,
    photo: bytes | None = None,
) -> JsonDict:
    """User ``user_id`` writes in ``chat_id``: text (commands get entities), a reply, a document (an empty
    filename: sent without one, as some clients do) or a photo (PNG, GIF, JPEG or WebP bytes)."""
    user = world.user(user_id)
    chat = _writable_chat(world, chat_id, user_id)
    if text is None and document is None and photo is None:
        raise SandboxError("a message needs text, a document or a photo")
    content: JsonDict = {}
    if document is None and photo is None:
        content["text"] = text
        entities = user_entities(text or "")
        if entities:
            content["entities"] = entities
    else:
        content.update(_document(world, document) if document is not None else _photo(world, photo or b""))
        label = caption if caption is not None else text
        if label is not None:
            content["caption"] = label
            entities = user_entities(label)
            if entities:
                content["caption_entities"] = entities
    if reply_to_message_id is not None:
        replied = world.message(chat.id, reply_to_message_id)
        if replied is None:
            raise SandboxError(f"no message {reply_to_message_id} in chat {chat.id}")
        content["reply_to_message"] = world.snapshot(replied)
    message = world.new_message(chat, user, content)
    _deliver(world, chat, message)
    return copied(message)


def _document(world: World, document: tuple[str, bytes, str]) -> JsonDict:
    """A user's document as Telegram shows it to the bot (no ``file_name`` when it was sent without one)."""
    filename, data, mime_type = document
    stored = world.store_file("document", filename, data, mime_type)
    shown: JsonDict = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if filename:
        shown["file_name"] = filename
    shown.update(mime_type=mime_type, file_size=stored.size)
    return {"document": shown}


def _photo(world: World, photo: bytes) -> JsonDict:
    """A user's photo as Telegram shows it to the bot: its sizes (here the one size sent)."""
    size = image_size(photo)
    if size is None:
        raise SandboxError("a photo must be a PNG, GIF, JPEG or WebP image")
    stored = world.store_file("photo", "photo.jpg", photo, "image/jpeg")
    width, height = size
    return {
        "photo": [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": stored.size,
                "width": width,
                "height": height,
            }
        ]
    }


def command_text(command: str, args: str = "", *, bot_username: str | None = None) -> str:
    """``/command[@bot] args`` as a user would type it."""
    name = command if command.startswith("/") else f"/{command}"
    if bot_username:
        name = f"{name}@{bot_username}"
    return f"{name} {args}".strip() if args else name


def press_button(
    world: World,
    chat_id: int,
    message_id: int,
    user_id: int,
    *,
    data: str | None = None,
    text: str | None = None,
    raw_data: str | None = None,
) -> str:
    """User presses an inline button (found by callback_data or label) or sends ``raw_data`` as if it were one."""
    if sum(choice is not None for choice in (data, text, raw_data)) != 1:
        raise SandboxError("give exactly one of data=, text= or raw_data=")
    user = world.user(user_id)
    chat = world.chat(chat_id)
    if chat.bot_status in ("left", "kicked"):
        raise SandboxError(f"the bot is not in chat {chat_id}")
    message = world.message(chat_id, message_id)
    if message is None:
        raise SandboxError(f"no message {message_id} in chat {chat_id}")
    payload = raw_data if raw_data is not None else _find_button(message, data=data, text=text)
    query_id = f"{world.bot.id % 100000:05d}{world.next_number():014d}"
    world.queries[query_id] = PendingQuery(query_id, chat_id, message_id, world.clock())
    world.updates.push(
        "callback_query",
        {
            "id": query_id,
            "from": copied(user),
            "message": copied(message),
            "chat_instance": chat.instance,
            "data": payload,
        },
    )
    return query_id


def _find_button(message: JsonDict, *, data: str | None, text: str | None) -> str:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    labels: list[str] = []
    for row in keyboard:
        for button in row:
            labels.append(f"{button.get('text')!r}->{button.get('callback_data')!r}")
            if "callback_data" not in button:
                continue
            if (data is not None and button["callback_data"] == data) or (
                text is not None and button.get("text") == text
            ):
                return str(button["callback_data"])
    wanted = f"callback_data {data!r}" if data is not None else f"text {text!r}"
    raise SandboxError(f"message {message['message_id']} has no button with {wanted}; buttons: {labels}")


def _actor(world: World, by_user_id: int | None) -> JsonDict:
    return TELEGRAM_USER if by_user_id is None else world.user(by_user_id)


def _member_update(world: World, chat: ChatState, actor: JsonDict, old: str, new: str) -> None:
    bot_user = world.bot.user()
    world.updates.push(
        "my_chat_member",
        {
            "chat": chat.to_json(),
            "from": copied(actor),
            "date": int(time.time()),
            "old_chat_member": chat_member(bot_user, old),
            "new_chat_member": chat_member(bot_user, new),
        },
    )


def add_bot_to_chat(world: World, chat_id: int, by_user_id: int | None = None, *, as_admin: bool = False) -> None:
    """Someone adds the bot to a group (or promotes it): ``my_chat_member`` plus a new_chat_members message.

    For a private chat this is the user unblocking the bot.
    """
    chat = world.chat(chat_id)
    if chat.migrated_to is not None:
        raise SandboxError(f"chat {chat_id} was upgraded to supergroup {chat.migrated_to}")
    actor = _actor(world, by_user_id if chat.type != "private" else chat.id)
    old = chat.bot_status
    new = "administrator" if as_admin and chat.is_group else "member"
    if old == new:
        return
    chat.bot_status = new
    _member_update(world, chat, actor, old, new)
    if chat.is_group and old in ("left", "kicked"):
        message = world.new_message(chat, actor, {"new_chat_members": [world.bot.user()]})
        _deliver(world, chat, message)


def remove_bot_from_chat(world: World, chat_id: int, by_user_id: int | None = None, *, kicked: bool = True) -> None:
    """Someone removes the bot (``kicked``) or it leaves; in a private chat the user blocks the bot.

    Afterwards the bot's sends to that chat get 403 Forbidden.
    """
    chat = world.chat(chat_id)
    actor = _actor(world, by_user_id if chat.type != "private" else chat.id)
    old = chat.bot_status
    new = "kicked" if kicked or chat.type == "private" else "left"
    if old == new:
        return
    _member_update(world, chat, actor, old, new)
    chat.bot_status = new


def migrate_chat(world: World, group_id: int, by_user_id: int | None = None) -> int:
    """Upgrade a basic group to a supergroup; returns the new (-100…) chat id.

    Both service messages are delivered (migrate_to_chat_id in the old group, migrate_from_chat_id in
    the new one) and later bot calls for the old id get 400 with ``migrate_to_chat_id``.
    """
    old = world.chat(group_id)
    if old.type != "group":
        raise SandboxError(f"chat {group_id} is a {old.type}, only basic groups can be upgraded")
    if old.migrated_to is not None:
        raise SandboxError(f"chat {group_id} was already upgraded to {old.migrated_to}")
    actor = _actor(world, by_user_id)
    new = world.add_chat(
        ChatState(
            id=world.new_group_id(supergroup=True),
            type="supergroup",
            title=old.title,
            bot_status=old.bot_status,
            migrated_from=old.id,
        )
    )
    farewell = world.new_message(old, actor, {"migrate_to_chat_id": new.id})
    old.migrated_to = new.id
    _deliver(world, old, farewell)
    welcome = world.new_message(new, actor, {"migrate_from_chat_id": old.id})
    _deliver(world, new, welcome)
    return new.id
