"""HTTP side of the Bot API: token check, parameters, injected faults, method dispatch, file downloads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any

import orjson
from aiohttp import web

from .errors import ApiError, not_found, unauthorized
from .faults import FaultKind
from .methods import METHODS
from .params import read_params
from .world import World

TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")
_log = logging.getLogger(__name__)


def api_response(body: dict[str, Any], status: int = 200) -> web.Response:
    """`body` as JSON, in UTF-8 (as Telegram answers)."""
    return web.Response(
        status=status,
        body=orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS),
        content_type="application/json",
        charset="utf-8",
    )


def error_response(error: ApiError) -> web.Response:
    return api_response(error.to_json(), status=error.code)


def drop_connection(request: web.Request) -> web.Response:
    """Close the socket so the client gets no answer at all."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=500)


class BotApi:
    """aiohttp handlers for ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""

    def __init__(self, world: World, closing: asyncio.Event) -> None:
        self.world = world
        self.closing = closing

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/bot{token}/{method}", self.handle_method),
            web.get("/file/bot{token}/{path:.+}", self.handle_file),
        ]

    def _check_token(self, token: str) -> None:
        if not TOKEN_RE.fullmatch(token) or token != self.world.bot.token:
            raise unauthorized()

    async def handle_method(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check_token(request.match_info["token"])
            entry = METHODS.get(request.match_info["method"].lower())
            if entry is None:
                raise not_found()
            name, handler = entry
            self.world.calls[name] += 1
            params = await read_params(request)
        except ApiError as error:
            return error_response(error)
        decision = self.world.faults.decide(name, self.world.resolve_chat_id(params.raw("chat_id")))
        if decision.delay > 0:
            await self._sleep(decision.delay)
        fault = decision.action
        if fault is not None and fault.kind in (FaultKind.TOO_MANY_REQUESTS, FaultKind.SERVER_ERROR):
            return error_response(fault.error())
        if fault is not None and fault.kind is FaultKind.DROP:
            return drop_connection(request)
        try:
            response = api_response({"ok": True, "result": await handler(self.world, params)})
        except ApiError as error:
            response = error_response(error)
        except Exception as exc:  # a sandbox bug must still look like a Telegram answer
            _log.exception("sandbox method %s failed", name)
            response = error_response(ApiError(500, f"Internal Server Error: {exc!r}"))
        if fault is not None and fault.kind is FaultKind.DROP_AFTER:
            return drop_connection(request)
        return response

    async def _sleep(self, seconds: float) -> None:
        """An injected delay that ends early when the sandbox stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check_token(request.match_info["token"])
        except ApiError as error:
            return error_response(error)
        file_id = self.world.file_paths.get(request.match_info["path"])
        stored = self.world.files.get(file_id) if file_id else None
        if stored is None:
            return error_response(not_found())
        return web.Response(body=stored.content, headers={"Content-Type": stored.mime_type})
