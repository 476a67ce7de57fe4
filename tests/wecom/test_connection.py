"""The long connection against the sandbox: subscribe (a bad secret backs off), heartbeat and reconnect without
sending anything twice, the takeover, and what each answer to a send means."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from supervisor_bot.ports.messenger import NotSent, Sent
from supervisor_bot.views.view import View
from supervisor_bot.wecom.client import WeComClient
from supervisor_bot.wecom.frames import Frame
from supervisor_bot.wecom_sandbox.control import Control
from supervisor_bot.wecom_sandbox.server import Sandbox
from tests.wecom.harness import BUREAU, CHATS, FIN, MONDAY, Rig, connected, endpoint, eventually, people, rig


async def nothing(frame: Frame) -> None:
    """No handler: these tests watch the connection."""


async def test_connects_and_subscribes(wecom: Rig) -> None:
    state = await wecom.control.call("state")
    assert state["connected"] and state["subscriptions"] == 1
    assert wecom.front.client.connections == 1


async def test_a_bad_secret_backs_off_and_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="supervisor_bot")
    sandbox = Sandbox()
    await sandbox.start()
    client = WeComClient(endpoint(sandbox, secret="wrong-secret-123", backoff=(0.2, 2.0)), nothing)
    task = asyncio.create_task(client.run())
    await asyncio.sleep(1.5)
    await client.stop()
    await task
    await sandbox.stop()
    attempts = sandbox.world.refused_subscriptions
    assert 2 <= attempts <= 4, f"{attempts} attempts in 1.5 s: waits of 0.2, 0.4, 0.8 s between them"
    assert not client.ready.is_set()
    assert "subscription refused (errcode 40001" in caplog.text and "WECOM_BOT_SECRET" in caplog.text
    assert "wrong-secret-123" not in caplog.text


async def test_two_unanswered_pings_reconnect_and_nothing_is_sent_twice(tmp_path: Path) -> None:
    async with rig(tmp_path, heartbeat=0.1) as wecom:
        await wecom.control.call("silence_pings", count=2)
        await eventually(lambda: _subscriptions(wecom.control, 2))
        assert wecom.front.client.connections == 2
        assert isinstance(await wecom.front.messenger.send(BUREAU, View("重连后第一条")), Sent)
        assert await wecom.texts(BUREAU) == ["重连后第一条"]


async def test_a_send_without_ack_is_not_sent_again(tmp_path: Path) -> None:
    """No ack within the time: it may have arrived, so the messenger does not send it again (at most once)."""
    async with rig(tmp_path, ack_timeout=0.3) as wecom:
        await wecom.control.call("fault", cmd="aibot_send_msg", errcode=None)
        assert await wecom.front.messenger.send(BUREAU, View("无回执")) is NotSent.FAILED
        state = await wecom.control.call("state")
        assert state["received"].count("aibot_send_msg") == 1


async def test_a_dropped_connection_comes_back(wecom: Rig) -> None:
    await wecom.control.call("drop")
    await eventually(lambda: _subscriptions(wecom.control, 2))
    assert isinstance(await wecom.front.messenger.send(BUREAU, View("断线重连后")), Sent)


async def test_a_takeover_stops_the_first_connection_for_good(wecom: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="supervisor_bot")
    second = WeComClient(endpoint(wecom.sandbox), nothing)
    task = await connected(second)
    await asyncio.wait_for(wecom.front.client.stopped.wait(), 5)
    assert wecom.front.client.taken_over
    assert "took over (disconnected_event)" in caplog.text
    await asyncio.sleep(0.6)  # longer than the first wait before a reconnect
    assert (await wecom.control.call("state"))["subscriptions"] == 2, "the first did not come back"
    assert await wecom.front.messenger.send(BUREAU, View("已被接管")) is NotSent.FAILED
    await second.stop()
    await task


async def _subscriptions(control: Control, count: int) -> bool:
    state = await control.call("state")
    return bool(state["subscriptions"] >= count and state["connected"])


@pytest.mark.parametrize(
    ("errcode", "times", "meaning"),
    [
        (40003, 1, NotSent.REFUSED),  # unknown chat
        (40058, 1, NotSent.REFUSED),  # malformed, too long
        (48002, 1, NotSent.REFUSED),  # not allowed to push there
        (86008, 1, NotSent.GONE),  # removed from the group
        (45009, 3, NotSent.FAILED),  # rate-limited, every try
        (-1, 3, NotSent.FAILED),  # busy, every try
    ],
)
async def test_each_error_code_maps_to_its_meaning(wecom: Rig, errcode: int, times: int, meaning: NotSent) -> None:
    await wecom.control.call("fault", cmd="aibot_send_msg", errcode=errcode, times=times)
    assert await wecom.front.messenger.send(CHATS[FIN], View("测试")) is meaning


async def test_rate_limited_once_is_sent_once(wecom: Rig) -> None:
    await wecom.control.call("fault", cmd="aibot_send_msg", errcode=45009)
    assert isinstance(await wecom.front.messenger.send(BUREAU, View("稍后送达")), Sent)
    assert await wecom.texts(BUREAU) == ["稍后送达"]


async def test_the_sandbox_refuses_as_the_platform_does(wecom: Rig) -> None:
    """Real refusals, not injected: an unknown chat, a group that never @-mentioned the bot, one that removed it."""
    messenger = wecom.front.messenger
    assert await messenger.send("wecom:nobody", View("无此会话")) is NotSent.REFUSED
    assert await messenger.send("wecom:new", View("未@过机器人的群")) is NotSent.REFUSED
    await wecom.control.call("remove_group", chatid=CHATS[FIN])
    assert await messenger.send(CHATS[FIN], View("已被移出")) is NotSent.GONE


async def test_people_can_be_set_up_again(wecom: Rig) -> None:
    """The control API is idempotent: the demo may set the same people up twice."""
    await people(wecom.control)
    assert isinstance(await wecom.front.messenger.send(BUREAU, View("再次设置后")), Sent)


async def test_a_checklist_without_ack_is_sent_again_as_a_possible_duplicate(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The outbox's rule, as on Telegram: a send whose result is unknown stays in doubt; the next tick sends it
    again and the log marks it a possible duplicate."""
    caplog.set_level(logging.WARNING, logger="supervisor_bot")
    async with rig(tmp_path, ack_timeout=0.3) as wecom:
        await wecom.control.call("fault", cmd="aibot_send_msg", errcode=None)  # the first checklist's summary
        await wecom.tick(MONDAY)
        assert len(wecom.store.intents()) == 1 and "possible duplicate" not in caplog.text
        await wecom.tick(MONDAY.add(hours=1))
        assert "possible duplicate" in caplog.text
        assert not wecom.store.intents()
        assert all(p.message_id is not None for p in wecom.store.prompts())
