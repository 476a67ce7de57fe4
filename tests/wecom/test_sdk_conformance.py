"""The community SDK (wecom-aibot-sdk, a client written against the real platform) against our sandbox: if the
sandbox spoke other frames than WeCom's, this scenario would fail. Connect, a group text and a reply, a card
pressed and updated, a proactive push, a file uploaded in chunks and sent, an inbound file decrypted."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from wecom_aibot_sdk import WSClient

from supervisor_bot.wecom_sandbox.control import Control
from supervisor_bot.wecom_sandbox.server import Sandbox
from tests.wecom.harness import BOT, SECRET, eventually

GROUP, USER = "wr-sdk-group", "sdk-user"


class Quiet:
    """The SDK's logger, silenced (pytest fails on nothing it prints, but the output stays readable)."""

    def debug(self, message: str, *args: Any) -> None: ...
    def info(self, message: str, *args: Any) -> None: ...
    def warn(self, message: str, *args: Any) -> None: ...
    def error(self, message: str, *args: Any) -> None: ...


@pytest.fixture
async def sdk() -> AsyncIterator[tuple[WSClient, Control, Sandbox, dict[str, list[Any]]]]:
    sandbox = Sandbox()
    await sandbox.start()
    control = Control(sandbox.url)
    await control.call("member", userid=USER)
    await control.call("group", chatid=GROUP, members=[USER])
    client = WSClient(BOT, SECRET, ws_url=sandbox.ws_url, logger=Quiet(), max_reconnect_attempts=1)
    seen: dict[str, list[Any]] = {"text": [], "card": [], "file": [], "authenticated": []}
    client.on("authenticated", lambda: seen["authenticated"].append(True))
    client.on("message.text", lambda frame: seen["text"].append(frame))
    client.on("message.file", lambda frame: seen["file"].append(frame))
    client.on("event.template_card_event", lambda frame: seen["card"].append(frame))
    await client.connect()
    await eventually(lambda: _nonempty(seen["authenticated"]))
    try:
        yield client, control, sandbox, seen
    finally:
        await client.disconnect()
        await control.close()
        await sandbox.stop()


async def _nonempty(items: list[Any]) -> bool:
    return bool(items)


def _card(task_id: str, label: str) -> dict[str, Any]:
    return {
        "card_type": "button_interaction",
        "main_title": {"title": "措施1"},
        "button_list": [{"text": label, "style": 1, "key": "go"}],
        "task_id": task_id,
    }


async def test_the_sdk_speaks_with_the_sandbox(sdk: tuple[WSClient, Control, Sandbox, dict[str, list[Any]]]) -> None:
    client, control, sandbox, seen = sdk
    assert sandbox.world.subscriptions == 1

    # a group text that @-mentions the bot reaches it, with the mention; a reply goes back to the group
    assert await control.say(USER, "你好", chat=GROUP)
    await eventually(lambda: _nonempty(seen["text"]))
    frame = seen["text"][0]
    assert frame["body"]["chattype"] == "group" and frame["body"]["chatid"] == GROUP
    assert frame["body"]["from"]["userid"] == USER and "你好" in frame["body"]["text"]["content"]
    await client.reply_stream(frame, "stream-1", "收到", finish=True)

    # a proactive push and a card; the card pressed, then updated within the window
    await client.send_message(GROUP, {"msgtype": "markdown", "markdown": {"content": "**主动推送**"}})
    await client.send_message(GROUP, {"msgtype": "template_card", "template_card": _card("sdk_task_1", "办理")})
    await control.press(USER, "sdk_task_1", "go")
    await eventually(lambda: _nonempty(seen["card"]))
    event = seen["card"][0]["body"]["event"]
    assert event["template_card_event"]["task_id"] == "sdk_task_1" and event["template_card_event"]["event_key"] == "go"
    await client.update_template_card(seen["card"][0], _card("sdk_task_1", "已办理"))

    # a file of three chunks uploaded and sent
    data = os.urandom(1_100_000)
    uploaded = await client.upload_media(data, type="file", filename="台账.xlsx")
    await client.send_media_message(GROUP, "file", uploaded["media_id"])

    posted = await control.messages(GROUP)
    assert [m["kind"] for m in posted] == ["stream", "markdown", "template_card", "file"]
    assert posted[0]["content"] == "收到" and posted[1]["content"] == "**主动推送**"
    assert posted[2]["card"]["button_list"][0]["text"] == "已办理"
    assert posted[3]["file"] == {"name": "台账.xlsx", "size": len(data)}
    assert sandbox.world.uploads.chunk_sizes == [512 * 1024, 512 * 1024, 1_100_000 - 2 * 512 * 1024]

    # a file in the one-to-one chat: its URL and aeskey decrypt with the SDK's own code
    secret = os.urandom(5000)
    assert await control.send_file(USER, "佐证.pdf", secret)
    await eventually(lambda: _nonempty(seen["file"]))
    body = seen["file"][0]["body"]
    assert body["chattype"] == "single"
    fetched = await client.download_file(body["file"]["url"], body["file"]["aeskey"])
    assert fetched["buffer"] == secret and fetched["filename"] == "佐证.pdf"


async def test_the_sandbox_holds_the_sdk_to_the_limits(
    sdk: tuple[WSClient, Control, Sandbox, dict[str, list[Any]]],
) -> None:
    client, control, _, seen = sdk
    with pytest.raises(Exception, match="48002"):  # a group where no one has @-mentioned the bot
        await client.send_message(GROUP, {"msgtype": "markdown", "markdown": {"content": "太早"}})
    assert await control.say(USER, "开始", chat=GROUP)
    seven = {**_card("sdk_task_7", "x"), "button_list": [{"text": str(i), "key": str(i)} for i in range(7)]}
    with pytest.raises(Exception, match="40058"):
        await client.send_message(GROUP, {"msgtype": "template_card", "template_card": seven})
    with pytest.raises(Exception, match="40058"):
        await client.send_message(GROUP, {"msgtype": "markdown", "markdown": {"content": "长" * 1400}})
    await client.send_message(GROUP, {"msgtype": "template_card", "template_card": _card("sdk_task_2", "办理")})
    await control.press(USER, "sdk_task_2", "go")
    await eventually(lambda: _nonempty(seen["card"]))
    await control.call("advance", seconds=5.5)
    with pytest.raises(Exception, match="60020"):
        await client.update_template_card(seen["card"][0], _card("sdk_task_2", "已办理"))
