"""The control API over HTTP (SandboxClient), as a test would use it against a bot in another process."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from supervisor_bot.sandbox import Sandbox, SandboxClient, SandboxError

from .conftest import BotApiClient


@pytest.fixture
async def control(sandbox: Sandbox) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url) as client:
        yield client


async def test_a_conversation_driven_over_http(control: SandboxClient, api: BotApiClient) -> None:
    await control.add_user(5, "王五", "wangwu")
    group = (await control.create_group("督办群"))["id"]
    await control.post_command(group, 5, "start")
    update = (await api.ok("getUpdates"))[0]
    assert update["message"]["text"] == "/start"

    keyboard = {"inline_keyboard": [[{"text": "已完成", "callback_data": "done"}]]}
    await api.ok("sendMessage", chat_id=group, text="任务状态？", reply_markup=keyboard)
    record = await control.wait_for(chat_id=group, text_contains="状态", timeout=2)
    assert (record["method"], record["reply_markup"]) == ("sendMessage", keyboard)

    query_id = await control.press_button(group, record["message_id"], 5, text="已完成")
    updates = await api.ok("getUpdates", offset=update["update_id"] + 1)
    assert updates[0]["callback_query"]["id"] == query_id
    await api.ok("answerCallbackQuery", callback_query_id=query_id, text="好的")
    answer = await control.callback_answer(query_id, wait=2)
    assert answer["text"] == "好的"

    messages = await control.messages_in(group)
    assert [m["text"] for m in messages] == ["/start", "任务状态？"]
    state = await control.state()
    assert state["chats"][0]["bot_status"] == "member" and state["outgoing"] == 2


async def test_files_come_back_base64_encoded(control: SandboxClient, api: BotApiClient) -> None:
    await control.add_user(5, "王五")
    chat = (await control.create_private_chat(5))["id"]
    posted = await control.post_message(chat, 5, document=("plan.xlsx", b"\x00\x01binary", "application/x"))
    assert posted["document"]["file_size"] == 8
    await api.form("sendDocument", {"chat_id": str(chat)}, files={"document": ("r.bin", b"\xffdata", "application/x")})
    [record] = await control.outgoing(chat, sends_only=True, with_content=True)
    assert base64.b64decode(record["files"][0]["content_base64"]) == b"\xffdata"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (20).to_bytes(4, "big") + (10).to_bytes(4, "big")
    photo = await control.post_message(chat, 5, photo=png, caption="措施9")
    assert (photo["photo"][-1]["width"], photo["caption"]) == (20, "措施9")
    nameless = await control.post_message(chat, 5, document=("", b"x", "application/x"))
    assert "file_name" not in nameless["document"]


async def test_faults_limits_and_membership_over_http(control: SandboxClient, api: BotApiClient) -> None:
    await control.add_user(5, "王五")
    group = (await control.create_group("群"))["id"]
    fault_id = await control.inject_fault("429", method="sendMessage", retry_after=2)
    status, body = await api.call("sendMessage", chat_id=group, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 2})
    faults = await control.faults()
    assert faults["active"] == [] and faults["log"][0]["fault_id"] == fault_id

    await control.set_limits(group_messages=1, group_window=60)
    await api.ok("sendMessage", chat_id=group, text="1")
    status, _ = await api.call("sendMessage", chat_id=group, text="2")
    assert status == 429

    new_id = await control.migrate_chat(group, 5)
    status, body = await api.call("sendMessage", chat_id=group, text="x")
    assert body["parameters"] == {"migrate_to_chat_id": new_id}
    await control.remove_bot_from_chat(new_id, 5)
    status, _ = await api.call("sendMessage", chat_id=new_id, text="x")
    assert status == 403


async def test_errors_and_timeouts_are_reported(control: SandboxClient, sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError, match="unknown user 5"):
        await control.post_message(-1, 5, "x")
    await control.add_user(5, "王五")
    with pytest.raises(SandboxError, match="unknown chat -1"):
        await control.post_message(-1, 5, "x")
    with pytest.raises(TimeoutError):
        await control.wait_for(method="sendMessage", timeout=0.1)
    with pytest.raises(SandboxError, match="not answered"):
        await control.callback_answer("nope")
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{sandbox.url}/control/users", content=b"[1]")
    assert response.status_code == 400 and response.json()["ok"] is False


async def test_reset_forgets_the_world_but_not_update_ids(control: SandboxClient, api: BotApiClient) -> None:
    await control.add_user(5, "王五")
    chat = (await control.create_private_chat(5))["id"]
    await control.post_message(chat, 5, "hi")
    first_id = (await api.ok("getUpdates"))[0]["update_id"]
    await control.reset()
    assert (await control.state())["chats"] == []
    await control.add_user(5, "王五")
    await control.create_private_chat(5)
    await control.post_message(chat, 5, "again")
    updates = await api.ok("getUpdates", offset=first_id + 1)  # a bot that kept its offset still sees it
    assert [u["message"]["text"] for u in updates] == ["again"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_forever_serves_until_sigterm() -> None:
    port = _free_port()
    code = f"from supervisor_bot.sandbox import run_forever; run_forever('127.0.0.1', {port})"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert process.stdout is not None
    try:
        first = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        hint = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert f"http://127.0.0.1:{port}" in first
        assert "沙箱" in hint and "Ctrl-C" in hint
        async with SandboxClient(f"http://127.0.0.1:{port}") as client:
            assert (await client.state())["bot"]["is_bot"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 0
    assert "stopped" in rest[0].decode()


def test_only_loopback_is_allowed() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        Sandbox(host="0.0.0.0")
