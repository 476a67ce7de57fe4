"""Methods about chats and their members: getChat, getChatMember, sendChatAction, leaveChat."""

from __future__ import annotations

from typing import Any

from .. import people
from ..errors import bad_request
from ..params import Params
from ..world import World


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
