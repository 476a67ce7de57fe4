"""/web: a one-time login link to the dashboard, in a private chat, for people who may see it."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from supervisor_bot.app.delivery import deliver
from supervisor_bot.core.people import UserId
from supervisor_bot.services.viewers import Access, viewer
from supervisor_bot.telegram.context import BotContext
from supervisor_bot.telegram.handlers.common import name_of, parts, reply
from supervisor_bot.views import web as texts
from supervisor_bot.views.view import View

LOGIN_LINKS = "web_login"  # bot_data key: the web front, when there is one


class LoginLinks(Protocol):
    @property
    def leaders(self) -> frozenset[UserId]: ...

    def login_link(self, user_id: UserId, name: str) -> str: ...


async def web(update: Update, context: BotContext) -> None:
    found = parts(update)
    if found is None:
        return
    message, chat, user = found
    if chat.type != chat.PRIVATE:
        await reply(update, context, texts.PRIVATE_ONLY)
        return
    links: LoginLinks | None = context.application.bot_data.get(LOGIN_LINKS)
    if links is None:
        await reply(update, context, texts.DISABLED)
        return
    shell = context.shell
    seen = await shell.runner.call(viewer, shell.runtime, links.leaders, user.id, name_of(user))
    if seen.access is Access.NOBODY:
        await reply(update, context, texts.NOBODY)
        return
    link = texts.login_link(links.login_link(user.id, name_of(user)))
    # no link preview: a preview fetcher opening the link must not be the one who logs in (it spends nothing
    # now — only the page's button does — but the link is for the person alone)
    await deliver(shell, chat.id, View(link, link_preview=False), reply_to=message.message_id)
