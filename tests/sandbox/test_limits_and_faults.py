"""Flood limits (429 with retry_after) and injected faults, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from supervisor_bot.sandbox import FaultKind, RateLimits, Sandbox
from supervisor_bot.sandbox.limits import RateLimiter

from .conftest import BotApiClient, FakeClock


@pytest.fixture
async def limited(clock: FakeClock) -> AsyncIterator[BotApiClient]:
    """A sandbox with 3 messages per group per 10 s and 5 in total per second, on a fake clock."""
    limits = RateLimits(group_messages=3, group_window=10.0, total_messages=5, total_window=1.0)
    async with Sandbox(limits=limits, clock=clock) as sb, httpx.AsyncClient() as http:
        sb.add_user(1, "张三")
        yield BotApiClient(http, sb)


async def test_group_limit_answers_429_until_the_window_frees(limited: BotApiClient, clock: FakeClock) -> None:
    group = limited.sandbox.create_group("群")["id"]
    for n in range(3):
        await limited.ok("sendMessage", chat_id=group, text=f"第{n}条")
        clock.advance(1.0)
    status, body = await limited.call("sendMessage", chat_id=group, text="第4条")
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )  # the first send (t=0) leaves the window at t=10; now t=3
    clock.advance(6.5)
    status, body = await limited.call("sendMessage", chat_id=group, text="第4条")
    assert body["parameters"]["retry_after"] == 1  # 0.5 s rounds up to 1
    clock.advance(0.5)
    await limited.ok("sendMessage", chat_id=group, text="第4条")
    assert len(limited.sandbox.sent(group)) == 4


async def test_edits_and_private_chats_do_not_use_the_group_budget(limited: BotApiClient, clock: FakeClock) -> None:
    sandbox = limited.sandbox
    group = sandbox.create_group("群")["id"]
    sandbox.create_private_chat(1)
    for _ in range(3):
        sent = await limited.ok("sendMessage", chat_id=group, text="x")
        clock.advance(0.5)
    await limited.ok("editMessageText", chat_id=group, message_id=sent["message_id"], text="改")
    await limited.ok("sendMessage", chat_id=1, text="私聊")
    status, _ = await limited.call("sendMessage", chat_id=group, text="y")
    assert status == 429


async def test_global_limit_counts_every_chat(limited: BotApiClient, clock: FakeClock) -> None:
    chats = [limited.sandbox.create_supergroup(f"群{n}")["id"] for n in range(6)]
    for chat in chats[:5]:
        await limited.ok("sendMessage", chat_id=chat, text="x")
    status, body = await limited.call("sendMessage", chat_id=chats[5], text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    clock.advance(1.0)
    await limited.ok("sendMessage", chat_id=chats[5], text="x")


async def test_documents_count_towards_the_limit(limited: BotApiClient) -> None:
    group = limited.sandbox.create_group("群")["id"]
    file = {"document": ("a.txt", b"a", "text/plain")}
    for _ in range(3):
        status, _ = await limited.form("sendDocument", {"chat_id": str(group)}, files=file)
        assert status == 200
    status, body = await limited.form("sendDocument", {"chat_id": str(group)}, files=file)
    assert status == 429 and body["parameters"]["retry_after"] == 10


def test_rate_limiter_defaults_are_telegrams() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    for _ in range(20):
        limiter.check_send(-5, is_group=True)
        clock.advance(0.1)
    with pytest.raises(Exception, match="retry after 58"):
        limiter.check_send(-5, is_group=True)


async def test_429_fault_for_the_next_call_only(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sandbox.inject_fault("429", method="sendMessage", retry_after=3)
    status, body = await api.call("sendMessage", chat_id=group, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 3})
    await api.ok("sendMessage", chat_id=group, text="x")
    assert [(e.kind, e.method) for e in sandbox.fault_log] == [(FaultKind.TOO_MANY_REQUESTS, "sendMessage")]
    assert len(sandbox.sent(group)) == 1  # the faulted call was not applied


async def test_5xx_fault_looks_like_a_telegram_gateway_error(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sandbox.inject_fault(FaultKind.SERVER_ERROR, count=2)
    for _ in range(2):
        status, body = await api.call("getMe")
        assert (status, body) == (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
    await api.ok("getMe")


async def test_drop_loses_the_request(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sandbox.inject_fault("drop", method="sendmessage")
    with pytest.raises(httpx.RemoteProtocolError):
        await api.call("sendMessage", chat_id=group, text="丢失")
    assert sandbox.sent(group) == []


async def test_drop_after_applies_the_request_but_loses_the_answer(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    sandbox.inject_fault("drop_after", method="sendMessage", chat_id=group)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.call("sendMessage", chat_id=group, text="其实发出去了")
    assert [r.text for r in sandbox.sent(group)] == ["其实发出去了"]


async def test_delay_and_chat_scoped_faults(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    other = sandbox.create_group("别的群")["id"]
    sandbox.inject_fault("delay", chat_id=group, delay=0.3)
    await api.ok("sendMessage", chat_id=other, text="不受影响")
    assert sandbox.fault_log == []
    started = time.monotonic()
    await api.ok("sendMessage", chat_id=group, text="慢")
    assert time.monotonic() - started >= 0.3
    assert [(e.kind, e.chat_id) for e in sandbox.fault_log] == [(FaultKind.DELAY, group)]


async def test_probabilistic_faults_are_reproducible_with_a_seed(api: BotApiClient) -> None:
    patterns = []
    for _ in range(2):
        async with Sandbox(seed=7) as sb:
            sb.inject_fault("5xx", method="getMe", count=None, probability=0.5)
            codes = []
            for _ in range(12):
                response = await api.http.post(f"{sb.bot_api_url}{sb.token}/getMe")
                codes.append(response.status_code)
            patterns.append(codes)
            sb.clear_faults()
            assert (await api.http.post(f"{sb.bot_api_url}{sb.token}/getMe")).status_code == 200
    assert patterns[0] == patterns[1]
    assert set(patterns[0]) == {200, 502}
