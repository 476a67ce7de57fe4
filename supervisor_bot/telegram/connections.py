"""The bot's connections to the Bot API: getUpdates on one connection of its own, and the rest in two lanes — the
answers to presses on a few connections of their own, everything else on the bulk pool.

httpcore checks every idle connection of a pool on every request, and compares the idle ones kept against all
the pool's connections rather than the idle ones (encode/httpcore#1000, unfixed in 1.0.9): after a fan-out or a
burst of presses, a pool of 32 idle connections doubled a press's answer on the local sandbox for five seconds,
and a small bound on idle connections would have closed and reopened the fan-out's. So the fan-out, redraws and
replies keep their pool — the most sends the send window lets be in flight, and room beside them — while a press
is answered on a lane that never holds more than a few, whatever went out before it.

Answers are read with orjson, as python-telegram-bot invites (`parse_json_payload`): a press's update, with its
checklist's keyboard, is read in a fifth of the time json takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from supervisor_bot.app import send_window

CONNECTIONS = send_window.MOST + 8
POOL_WAIT = 30.0  # seconds a request waits for a free connection before it counts as timed out (and is retried)
ANSWERED = frozenset({"answerCallbackQuery"})  # what goes on the answers' lane
ANSWER_CONNECTIONS = 8
ANSWERS_KEPT_IDLE = 4


def parsed(payload: bytes) -> dict[str, Any]:
    """The Bot API's answer, read with orjson; what orjson refuses (not UTF-8, not JSON) as python-telegram-bot
    reads it (replacing bad bytes, or refusing with a TelegramError)."""
    try:
        result: dict[str, Any] = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return BaseRequest.parse_json_payload(payload)
    return result


class UpdatesRequest(HTTPXRequest):
    """getUpdates's connection, its answers read with orjson."""

    parse_json_payload = staticmethod(parsed)


class Lanes(BaseRequest):
    """Requests by their method: ANSWERED on `answers`, the rest on `bulk`; their answers read with orjson."""

    parse_json_payload = staticmethod(parsed)

    def __init__(self, answers: BaseRequest, bulk: BaseRequest) -> None:
        self._answers = answers
        self._bulk = bulk

    @property
    def read_timeout(self) -> float | None:
        return self._bulk.read_timeout

    async def initialize(self) -> None:
        await self._answers.initialize()
        await self._bulk.initialize()

    async def shutdown(self) -> None:
        await self._answers.shutdown()
        await self._bulk.shutdown()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        lane = self._answers if url.rpartition("/")[2] in ANSWERED else self._bulk
        return await lane.do_request(url, method, request_data, *args, **kwargs)


@dataclass(frozen=True)
class Requests:
    updates: UpdatesRequest  # getUpdates, on its one connection
    calls: Lanes  # everything else


def bot_api_requests(proxy: str = "") -> Requests:
    """The bot's requests, through `proxy` if one is given, sharing one TLS context (each of httpx's own costs
    about 25 ms to load, at every start)."""
    tls = httpx.create_ssl_context()
    via = proxy or None
    answers = HTTPXRequest(
        connection_pool_size=ANSWER_CONNECTIONS,
        pool_timeout=POOL_WAIT,
        proxy=via,
        httpx_kwargs={
            "verify": tls,
            "limits": httpx.Limits(max_connections=ANSWER_CONNECTIONS, max_keepalive_connections=ANSWERS_KEPT_IDLE),
        },
    )
    bulk = HTTPXRequest(
        connection_pool_size=CONNECTIONS, pool_timeout=POOL_WAIT, proxy=via, httpx_kwargs={"verify": tls}
    )
    updates = UpdatesRequest(connection_pool_size=1, proxy=via, httpx_kwargs={"verify": tls})
    return Requests(updates, Lanes(answers, bulk))
