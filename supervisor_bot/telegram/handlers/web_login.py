"""/web: a one-time login link to the dashboard, in a private chat, for people who may see it."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from supervisor_bot.core.people import UserId
from supervisor_bot.services.viewers import Access, viewer
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import parts, reply
from supervisor_bot.views import web as texts

LOGIN_LINKS = "web_login"  # bot_data key: the web front, when there is one


class LoginLinks(Protocol):
    @property
    def leaders(self) -> frozenset[UserId]: ...

    def login_link(self, user_id: UserId, name: str) -> str: ...


async def web(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    _, chat, user = found
    if chat.type != chat.PRIVATE:
        await reply(update, context, texts.PRIVATE_ONLY)
        return
    links: LoginLinks | None = context.application.bot_data.get(LOGIN_LINKS)
    if links is None:
        await reply(update, context, texts.DISABLED)
        return
    shell = context.shell
    seen = await shell.runner.call(viewer, shell.runtime, links.leaders, user.id, user.full_name)
    if seen.access is Access.NOBODY:
        await reply(update, context, texts.NOBODY)
        return
    await reply(update, context, texts.login_link(links.login_link(user.id, user.full_name)))
