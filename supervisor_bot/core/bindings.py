"""Which group chat answers for which department, who its liaisons are, and one-time invite codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from supervisor_bot.core.people import Actor, ChatId, UserId, display_name

INVITE_LIFETIME = dt.timedelta(hours=72)


@dataclass(frozen=True)
class Binding:
    respondent: str
    chat_id: ChatId
    liaisons: frozenset[UserId] = frozenset()
    active: bool = True  # False once the bot was removed from the chat: nothing is sent there
    title: str = ""

    def __post_init__(self) -> None:
        cleaned = display_name(self.title)
        if cleaned != self.title:
            object.__setattr__(self, "title", cleaned)

    def with_liaison(self, user_id: UserId) -> Binding:
        return replace(self, liaisons=self.liaisons | {user_id})


@dataclass(frozen=True)
class Invite:
    code: str
    respondent: str
    created_by: Actor
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None
    used_by: Actor | None = None
    used_in_chat: ChatId | None = None


class BindRefusal(StrEnum):
    UNKNOWN_CODE = "unknown_code"
    EXPIRED = "expired"
    USED = "used"
    PRIVATE_CHAT = "private_chat"  # a department's chat is a group
    CHAT_TAKEN = "chat_taken"  # the group already answers for another department
    RESERVED_CHAT = "reserved_chat"  # the coordinating bureau's or the leaders' group: never a department's


@dataclass(frozen=True)
class Bound:
    binding: Binding
    invite: Invite
    moved_from: ChatId | None  # the chat the department was bound to before, if another
    new_chat: bool  # False: the chat was bound already and gains a liaison


def redeem(
    invite: Invite | None,
    *,
    chat_id: ChatId,
    is_group: bool,
    title: str,
    actor: Actor,
    now: dt.datetime,
    chat_binding: Binding | None,
    respondent_binding: Binding | None,
) -> Bound | BindRefusal:
    """`/bind CODE` in a group: bind it to the invite's department and make the sender a liaison."""
    if invite is None:
        return BindRefusal.UNKNOWN_CODE
    if invite.used_at is not None:
        return BindRefusal.USED
    if now >= invite.expires_at:
        return BindRefusal.EXPIRED
    if not is_group:
        return BindRefusal.PRIVATE_CHAT
    if chat_binding is not None and chat_binding.respondent != invite.respondent and chat_binding.active:
        return BindRefusal.CHAT_TAKEN
    used = replace(invite, used_at=now, used_by=actor, used_in_chat=chat_id)
    if respondent_binding is not None and respondent_binding.chat_id == chat_id:
        binding = replace(respondent_binding.with_liaison(actor.user_id), active=True, title=title)
        return Bound(binding, used, None, new_chat=not respondent_binding.active)
    moved_from = respondent_binding.chat_id if respondent_binding is not None else None
    return Bound(Binding(invite.respondent, chat_id, frozenset({actor.user_id}), True, title), used, moved_from, True)
