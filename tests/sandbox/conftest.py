"""Fixtures: a running sandbox, a raw HTTP client on its Bot API, and a clock tests can move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from supervisor_bot.sandbox import Sandbox


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class BotApiClient:
    """Calls Bot API methods over real HTTP and returns ``(status, body)``."""

    def __init__(self, http: httpx.AsyncClient, sandbox: Sandbox) -> None:
        self.http = http
        self.sandbox = sandbox

    def url(self, method: str, token: str | None = None) -> str:
        return f"{self.sandbox.bot_api_url}{token or self.sandbox.token}/{method}"

    async def call(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        """POST ``params`` as a JSON body."""
        response = await self.http.post(self.url(method), json=params)
        return response.status_code, response.json()

    async def form(
        self, method: str, data: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """POST ``data`` urlencoded, or multipart when ``files`` are given (as python-telegram-bot does)."""
        response = await self.http.post(self.url(method), data=data, files=files)
        return response.status_code, response.json()

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self.call(method, **params)
        assert status == 200 and body["ok"] is True, body
        return body["result"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
async def api(sandbox: Sandbox) -> AsyncIterator[BotApiClient]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield BotApiClient(http, sandbox)


@pytest.fixture
def group(sandbox: Sandbox) -> int:
    """A basic group with the bot and user 1 (张三) in it."""
    sandbox.add_user(1, "张三", "zhangsan")
    return int(sandbox.create_group("督办工作群")["id"])
