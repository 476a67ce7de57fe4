"""The control API over HTTP: the Sandbox's in-process operations as JSON under ``/control``."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .botapi import api_response
from .errors import SandboxError
from .faults import Fault
from .limits import RateLimits
from .records import JsonDict, RecordFilter

if TYPE_CHECKING:
    from .server import Sandbox

ControlHandler = Callable[[web.Request], Awaitable[Any]]


class ControlError(Exception):
    """A control call that cannot be served; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _wrap(handler: ControlHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def run(request: web.Request) -> web.StreamResponse:
        try:
            return api_response({"ok": True, "result": await handler(request)})
        except ControlError as error:
            return api_response({"ok": False, "error": str(error)}, error.status)
        except (SandboxError, ValueError, KeyError, TypeError) as error:
            return api_response({"ok": False, "error": f"{type(error).__name__}: {error}"}, 400)

    return run


async def _body(request: web.Request) -> JsonDict:
    if not request.can_read_body:
        return {}
    try:
        data = await request.json()
    except ValueError:
        raise ControlError(400, "body must be a JSON object") from None
    if not isinstance(data, dict):
        raise ControlError(400, "body must be a JSON object")
    return data


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _chat_id(request: web.Request) -> int:
    return int(request.match_info["chat_id"])


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


class ControlApi:
    """aiohttp routes for /control; see the package docstring for the list."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox

    def routes(self) -> list[web.RouteDef]:
        table: list[tuple[str, str, ControlHandler]] = [
            ("GET", "/control/state", self.state),
            ("POST", "/control/reset", self.reset),
            ("POST", "/control/users", self.add_user),
            ("POST", "/control/chats/private", self.create_private_chat),
            ("POST", "/control/chats/group", self.create_group),
            ("POST", "/control/chats/supergroup", self.create_supergroup),
            ("POST", "/control/chats/{chat_id}/add_bot", self.add_bot),
            ("POST", "/control/chats/{chat_id}/remove_bot", self.remove_bot),
            ("POST", "/control/chats/{chat_id}/migrate", self.migrate),
            ("POST", "/control/chats/{chat_id}/messages", self.post_message),
            ("GET", "/control/chats/{chat_id}/messages", self.messages_in),
            ("POST", "/control/chats/{chat_id}/commands", self.post_command),
            ("POST", "/control/chats/{chat_id}/messages/{message_id}/press", self.press_button),
            ("GET", "/control/outgoing", self.outgoing),
            ("POST", "/control/wait_for", self.wait_for),
            ("GET", "/control/callback_answers/{query_id}", self.callback_answer),
            ("POST", "/control/callback_answers/{query_id}/wait", self.wait_callback_answer),
            ("GET", "/control/commands", self.commands),
            ("GET", "/control/updates", self.updates),
            ("GET", "/control/faults", self.faults),
            ("POST", "/control/faults", self.inject_fault),
            ("DELETE", "/control/faults", self.clear_faults),
            ("PUT", "/control/limits", self.set_limits),
        ]
        return [web.route(method, path, _wrap(handler)) for method, path, handler in table]

    async def state(self, request: web.Request) -> Any:
        world = self.sb.world
        return {
            "url": self.sb.url,
            "token": self.sb.token,
            "bot": world.bot.user(),
            "privacy_mode": world.privacy_mode,
            "users": list(world.users.values()),
            "chats": [
                chat.to_json() | {"bot_status": chat.bot_status, "migrated_to": chat.migrated_to}
                for chat in world.chats.values()
            ],
            "pending_updates": len(world.updates.pending),
            "outgoing": len(world.log),
            "calls": dict(world.calls),
        }

    async def reset(self, request: web.Request) -> Any:
        self.sb.reset()
        return True

    async def add_user(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.sb.add_user(
            int(body["user_id"]),
            str(body["first_name"]),
            body.get("username"),
            last_name=body.get("last_name"),
            language_code=body.get("language_code"),
        )

    async def create_private_chat(self, request: web.Request) -> Any:
        return self.sb.create_private_chat(int((await _body(request))["user_id"]))

    async def create_group(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.sb.create_group(
            str(body["title"]), _int(body.get("chat_id")), with_bot=_flag(body.get("with_bot", True))
        )

    async def create_supergroup(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.sb.create_supergroup(
            str(body["title"]),
            _int(body.get("chat_id")),
            username=body.get("username"),
            with_bot=_flag(body.get("with_bot", True)),
        )

    async def add_bot(self, request: web.Request) -> Any:
        body = await _body(request)
        self.sb.add_bot_to_chat(
            _chat_id(request), _int(body.get("by_user_id")), as_admin=_flag(body.get("as_admin", False))
        )
        return True

    async def remove_bot(self, request: web.Request) -> Any:
        body = await _body(request)
        self.sb.remove_bot_from_chat(
            _chat_id(request), _int(body.get("by_user_id")), kicked=_flag(body.get("kicked", True))
        )
        return True

    async def migrate(self, request: web.Request) -> Any:
        body = await _body(request)
        return {"new_chat_id": self.sb.migrate_chat(_chat_id(request), _int(body.get("by_user_id")))}

    async def post_message(self, request: web.Request) -> Any:
        body = await _body(request)
        document = None
        if body.get("document") is not None:
            doc = body["document"]
            try:
                content = base64.b64decode(doc["content_base64"], validate=True)
            except (binascii.Error, KeyError):
                raise ControlError(400, "document needs filename, content_base64 and mime_type") from None
            document = (str(doc["filename"]), content, str(doc.get("mime_type", "application/octet-stream")))
        photo = None
        if body.get("photo_base64") is not None:
            try:
                photo = base64.b64decode(body["photo_base64"], validate=True)
            except binascii.Error:
                raise ControlError(400, "photo_base64 is not base64") from None
        return self.sb.post_message(
            _chat_id(request),
            int(body["user_id"]),
            body.get("text"),
            reply_to_message_id=_int(body.get("reply_to_message_id")),
            document=document,
            caption=body.get("caption"),
            photo=photo,
        )

    async def post_command(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.sb.post_command(
            _chat_id(request),
            int(body["user_id"]),
            str(body["command"]),
            str(body.get("args", "")),
            address_bot=_flag(body.get("address_bot", False)),
            reply_to_message_id=_int(body.get("reply_to_message_id")),
        )

    async def messages_in(self, request: web.Request) -> Any:
        return self.sb.messages_in(_chat_id(request))

    async def press_button(self, request: web.Request) -> Any:
        body = await _body(request)
        query_id = self.sb.press_button(
            _chat_id(request),
            int(request.match_info["message_id"]),
            int(body["user_id"]),
            data=body.get("data"),
            text=body.get("text"),
            raw_data=body.get("raw_data"),
        )
        return {"callback_query_id": query_id}

    async def outgoing(self, request: web.Request) -> Any:
        query = request.query
        chat_id = _int(query.get("chat_id"))
        after = _int(query.get("after")) or 0
        records = self.sb.sent(chat_id) if _flag(query.get("sends_only", "")) else self.sb.outgoing(chat_id)
        with_content = _flag(query.get("with_content", ""))
        return [r.to_json(with_content=with_content) for r in records if r.seq > after]

    async def wait_for(self, request: web.Request) -> Any:
        body = await _body(request)
        match = RecordFilter(
            chat_id=_int(body.get("chat_id")),
            method=body.get("method"),
            text_contains=body.get("text_contains"),
            message_id=_int(body.get("message_id")),
        )
        try:
            record = await self.sb.wait_for(match, float(body.get("timeout", 5.0)), after=_int(body.get("after")) or 0)
        except TimeoutError as error:
            raise ControlError(408, str(error)) from None
        return record.to_json(with_content=_flag(body.get("with_content", False)))

    async def callback_answer(self, request: web.Request) -> Any:
        answer = self.sb.callback_answer(request.match_info["query_id"])
        if answer is None:
            raise ControlError(404, "the bot has not answered this callback query")
        return answer.to_json()

    async def wait_callback_answer(self, request: web.Request) -> Any:
        body = await _body(request)
        try:
            answer = await self.sb.wait_for_callback_answer(
                request.match_info["query_id"], float(body.get("timeout", 5.0))
            )
        except TimeoutError as error:
            raise ControlError(408, str(error)) from None
        return answer.to_json()

    async def commands(self, request: web.Request) -> Any:
        scope = request.query.get("scope")
        return self.sb.commands(json.loads(scope) if scope else None, request.query.get("language_code", ""))

    async def updates(self, request: web.Request) -> Any:
        return self.sb.pending_updates

    async def faults(self, request: web.Request) -> Any:
        world = self.sb.world
        return {
            "active": [
                {"fault_id": fault_id, "remaining": remaining, **fault.to_json()}
                for fault_id, fault, remaining in world.faults.active()
            ],
            "log": [event.to_json() for event in world.faults.log],
        }

    async def inject_fault(self, request: web.Request) -> Any:
        return {"fault_id": self.sb.world.faults.add(Fault.from_json(await _body(request)))}

    async def clear_faults(self, request: web.Request) -> Any:
        self.sb.clear_faults()
        return True

    async def set_limits(self, request: web.Request) -> Any:
        body = await _body(request)
        defaults = RateLimits()
        limits = RateLimits(
            group_messages=int(body.get("group_messages", defaults.group_messages)),
            group_window=float(body.get("group_window", defaults.group_window)),
            total_messages=int(body.get("total_messages", defaults.total_messages)),
            total_window=float(body.get("total_window", defaults.total_window)),
        )
        self.sb.set_limits(limits)
        return {
            "group_messages": limits.group_messages,
            "group_window": limits.group_window,
            "total_messages": limits.total_messages,
            "total_window": limits.total_window,
        }
