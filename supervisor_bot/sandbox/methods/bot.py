"""Methods about the bot itself: who it is, its webhook, its updates and its command menu."""

from __future__ import annotations

import re
from typing import Any

from ..errors import bad_request
from ..params import Params
from ..records import JsonDict, copied
from ..updates import WebhookTarget
from ..world import World, commands_key

LONG_POLL_MAX_TIMEOUT = 50
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")


def _commands_key(params: Params) -> str:
    scope = params.nested("scope", error="can't parse BotCommandScope JSON object")
    if scope is not None and (not isinstance(scope, dict) or "type" not in scope):
        raise bad_request("can't parse BotCommandScope JSON object")
    return commands_key(scope, params.string("language_code") or "")


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


async def set_webhook(world: World, params: Params) -> Any:
    """Updates are posted to `url` (http is accepted: the sandbox is local), with `secret_token` in the
    X-Telegram-Bot-Api-Secret-Token header, until deleteWebhook."""
    url = params.string("url") or ""
    if not url:
        world.updates.set_webhook(None)
        return True
    if not re.match(r"^https?://[^/\s]+", url):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.string("secret_token") or ""
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise bad_request("bad webhook: Webhook secret token contains unallowed characters")
    allowed = params.nested("allowed_updates", error="can't parse allowed_updates JSON array")
    if isinstance(allowed, list):
        world.updates.set_allowed(str(name) for name in allowed)
    if params.flag("drop_pending_updates"):
        world.updates.drop_pending()
    world.updates.set_webhook(WebhookTarget(url, secret))
    return True


async def delete_webhook(world: World, params: Params) -> Any:
    if params.flag("drop_pending_updates"):
        world.updates.drop_pending()
    world.updates.set_webhook(None)
    return True


async def get_webhook_info(world: World, params: Params) -> Any:
    target = world.updates.webhook
    return {
        "url": target.url if target is not None else "",
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates.pending),
    }


async def get_updates(world: World, params: Params) -> Any:
    allowed = params.nested("allowed_updates", error="can't parse allowed_updates JSON array")
    if allowed is not None:
        if not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON array")
        world.updates.set_allowed(str(name) for name in allowed)
    limit = min(100, max(1, params.integer("limit") or 100))
    timeout = min(float(LONG_POLL_MAX_TIMEOUT), max(0.0, params.number("timeout") or 0.0))
    updates = await world.updates.get(params.integer("offset") or 0, limit, timeout)
    return copied(updates)


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
    return copied(world.commands.get(_commands_key(params), []))


async def delete_my_commands(world: World, params: Params) -> Any:
    world.commands.pop(_commands_key(params), None)
    return True
