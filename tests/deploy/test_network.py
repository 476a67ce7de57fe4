"""Telegram behind a proxy, and webhook mode besides polling — each against the sandbox, a whole exchange."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.composition.lifecycle import application
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.sandbox import RecordFilter, Sandbox
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.network import read_network
from supervisor_bot.telegram.app import build_front
from supervisor_bot.telegram.webhook import SECRET_HEADER, Webhook
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN
from tests.deploy.proxy import TinyProxy
from tests.e2e.harness import COORDINATOR, MONDAY, World, add_people

FIN = "市财政局"


@asynccontextmanager
async def bot(world: World, proxy: str = "", webhook: Webhook | None = None) -> AsyncIterator[World]:
    registry = load_registry(DEPARTMENTS)
    store = TinyStore(world.data_dir, group_commit=True)
    runtime = Runtime(
        matrix=import_plan(JINAN_PLAN.read_text(encoding="utf-8"), registry).matrix,
        registry=registry,
        store=store,
        calendar=load_calendar(CONFIG / "calendar_overrides.toml"),
        schedule=RoundSchedule(),
        coordinators=frozenset({COORDINATOR}),
    )
    async with application(runtime, store, world.clock, world.data_dir / "digests") as parts:
        front = build_front(
            parts, store, token=world.sandbox.token, base_url=world.sandbox.url, tick_seconds=None,
            proxy=proxy, webhook=webhook,
        )  # fmt: skip
        world.app, world.shell, world.front = front.app, front.shell, front
        async with front.running(long_poll=1):
            yield world


@asynccontextmanager
async def a_world(tmp: Path) -> AsyncIterator[World]:
    async with Sandbox() as sandbox:
        world = World(sandbox, tmp / "data", ManualClock(MONDAY))
        store = TinyStore(world.data_dir)
        for binding in add_people(sandbox, world, lambda name: name == FIN):
            store.save_binding(binding, AuditEntry(MONDAY, SYSTEM, binding.chat_id, "bind", respondent=FIN))
        store.close()
        yield world


async def _exchange(world: World) -> None:
    """A command from the department's liaison, answered in its group."""
    reply = await world.command(world.chats[FIN], world.liaisons[FIN], "status", FIN)
    assert "目前尚未开启报送轮次" in (reply.text or "") or FIN in (reply.text or "")


async def test_every_call_goes_through_the_proxy(tmp_path: Path) -> None:
    async with a_world(tmp_path) as world, TinyProxy() as proxy, bot(world, proxy=proxy.url):
        await _exchange(world)
        await world.tick(MONDAY)  # the round's checklist
        await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="督办"))
    lines = " ".join(proxy.seen)
    for method in ("getMe", "getUpdates", "sendMessage"):
        assert f"/{method} " in lines or f"/{method}?" in lines, method
    assert all(line.split(" ")[1].startswith(world.sandbox.url) for line in proxy.seen)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_then_back_to_polling(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    hook = Webhook(url, f"127.0.0.1:{port}", "/telegram/hook")
    async with a_world(tmp_path) as world:
        async with bot(world, webhook=hook):
            info = await world.app.bot.get_webhook_info() if world.app else None
            assert info is not None and info.url == url
            await _exchange(world)
            assert world.sandbox.webhook.delivered >= 1
            async with aiohttp.ClientSession() as session:  # without the secret: refused, nothing handled
                forged = {
                    "update_id": 999999,
                    "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}},
                }
                async with session.post(url, json=forged) as answer:
                    assert answer.status == 403
                async with session.post(url, json=forged, headers={SECRET_HEADER: "nope"}) as answer:
                    assert answer.status == 403
        async with bot(world):  # polling again: the webhook is deleted first
            await _exchange(world)
            assert world.sandbox.world.updates.webhook is None


def test_proxy_and_webhook_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    telegram = {"telegram": {"proxy": "http://10.0.0.1:3128"}}
    assert read_network(telegram, {}, path, "https://api.telegram.org").proxy == "http://10.0.0.1:3128"
    env = {"HTTPS_PROXY": "http://proxy.gov:8080", "HTTP_PROXY": "http://other:1"}
    assert read_network({}, env, path, "https://api.telegram.org").proxy == "http://proxy.gov:8080"
    assert read_network({}, env, path, "http://127.0.0.1:8081").proxy == "http://other:1"
    assert read_network({}, {}, path, "https://api.telegram.org").proxy == ""
    hook = {"telegram": {"webhook_url": "https://duban.example.gov.cn/tg", "webhook_listen": "127.0.0.1:8443"}}
    network = read_network(hook, {}, path, "https://api.telegram.org")
    assert (network.webhook_path, network.webhook_listen) == ("/tg", "127.0.0.1:8443")
    with pytest.raises(ConfigError, match=r"telegram\.webhook_listen"):
        read_network({"telegram": {"webhook_url": "https://x.gov.cn/tg"}}, {}, path, "https://api.telegram.org")
    with pytest.raises(ConfigError, match="HTTPS_PROXY"):
        read_network({}, {"HTTPS_PROXY": "proxy:8080"}, path, "https://api.telegram.org")


@pytest.mark.parametrize(
    ("listen", "said"),
    [
        ("127.0.0.1:99999", "1–65535"),
        ("127.0.0.1:0", "1–65535"),
        ("::1:8443", "须加方括号"),
        ("[::g]:8443", "不是 IPv6 地址"),
        ("127.0.0.1", "缺少端口"),
        ("999.1.1.1:8443", "不是 IPv4 地址"),
    ],
)
def test_a_webhook_address_no_server_could_listen_on_is_named(tmp_path: Path, listen: str, said: str) -> None:
    """`[telegram] webhook_listen` checked as `[web] listen` is: host, port 1–65535, IPv6 in brackets."""
    hook = {"telegram": {"webhook_url": "https://duban.example.gov.cn/tg", "webhook_listen": listen}}
    with pytest.raises(ConfigError, match=r"telegram\.webhook_listen") as raised:
        read_network(hook, {}, tmp_path / "settings.toml", "https://api.telegram.org")
    assert said in raised.value.problem and "8443" in raised.value.problem


@pytest.mark.parametrize("listen", ["127.0.0.1:8443", "[::1]:8443", "0.0.0.0:443", "localhost:65535", ":8443"])
def test_good_webhook_addresses(tmp_path: Path, listen: str) -> None:
    hook = {"telegram": {"webhook_url": "https://duban.example.gov.cn/tg", "webhook_listen": listen}}
    assert read_network(hook, {}, tmp_path / "settings.toml", "https://api.telegram.org").webhook_listen == listen
