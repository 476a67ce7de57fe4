"""A liaison's one-to-one chat with the bot speaks for the department's group (a messenger where files reach the
bot only there: WeCom), and a note said to the bot (not replied to a message) answers the chat's latest request
for one — kept in the store, so a restart loses it not — or else goes to the live checklist."""

from __future__ import annotations

from supervisor_bot.core.people import ChatId, MessageId, UserId
from supervisor_bot.services.runtime import Runtime


def home_chat(rt: Runtime, user: UserId) -> ChatId | None:
    """The one group whose liaison `user` is; None when none (or several: the person must say it in the group)."""
    chats = {b.chat_id for b in rt.store.bindings() if b.active and user in b.liaisons}
    return next(iter(chats)) if len(chats) == 1 else None


def checklist_message(rt: Runtime, chat: ChatId) -> MessageId | None:
    """The live round's checklist in this chat (a note or a file said plainly is for the measure it shows)."""
    live = rt.current_round()
    if live is None:
        return None
    found = next((p for p in rt.store.prompts() if p.round_id == live.id and p.chat_id == chat), None)
    return found.message_id if found is not None else None


def said_to(rt: Runtime, chat: ChatId) -> MessageId | None:
    """The message a note said plainly in `chat` answers: the latest request for a note in the live round, or
    the live checklist (the measure it shows); None without a round."""
    live = rt.current_round()
    if live is None:
        return None
    asked = [n for n in rt.store.pending_notes(chat) if n.round_id == live.id]
    return asked[-1].message_id if asked else checklist_message(rt, chat)
