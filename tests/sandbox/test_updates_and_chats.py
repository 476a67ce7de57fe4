"""getUpdates long polling, what the bot gets to see, and chats changing under it (kick, migrate)."""

from __future__ import annotations

import asyncio
import time

from supervisor_bot.sandbox import Sandbox

from .conftest import BotApiClient


async def test_offset_confirms_and_limit_caps(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    for n in range(3):
        sandbox.post_command(group, 1, "report", str(n))
    first = await api.ok("getUpdates", limit=2)
    assert [u["message"]["text"] for u in first] == ["/report 0", "/report 1"]
    again = await api.ok("getUpdates")  # nothing confirmed yet
    assert len(again) == 3
    rest = await api.ok("getUpdates", offset=first[-1]["update_id"] + 1)
    assert [u["message"]["text"] for u in rest] == ["/report 2"]
    assert len(sandbox.pending_updates) == 1
    assert await api.ok("getUpdates", offset=rest[-1]["update_id"] + 1) == []


async def test_long_poll_returns_as_soon_as_an_update_arrives(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    async def post_later() -> None:
        await asyncio.sleep(0.1)
        sandbox.post_command(group, 1, "start")

    started = time.monotonic()
    poster = asyncio.create_task(post_later())
    updates = await api.ok("getUpdates", timeout=5)
    await poster
    assert 0.05 < time.monotonic() - started < 2
    assert updates[0]["message"]["text"] == "/start"


async def test_long_poll_times_out_empty(api: BotApiClient) -> None:
    started = time.monotonic()
    assert await api.ok("getUpdates", timeout=0.2) == []
    assert time.monotonic() - started >= 0.19


async def test_a_newer_get_updates_terminates_the_waiting_one(api: BotApiClient) -> None:
    older = asyncio.create_task(api.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    newer = asyncio.create_task(api.call("getUpdates", timeout=0.2))
    status, body = await older
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")
    assert await newer == (200, {"ok": True, "result": []})


async def test_allowed_updates_filters_later_updates(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sent = await api.ok(
        "sendMessage",
        chat_id=group,
        text="确认？",
        reply_markup={"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]},
    )
    await api.ok("getUpdates", allowed_updates=["message"])
    sandbox.press_button(group, sent["message_id"], 1, data="yes")
    sandbox.post_command(group, 1, "start")
    updates = await api.ok("getUpdates")
    assert [next(k for k in u if k != "update_id") for u in updates] == ["message"]


async def test_callback_query_update_carries_the_current_message(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    sent = await api.ok(
        "sendMessage",
        chat_id=group,
        text="请选择",
        reply_markup={"inline_keyboard": [[{"text": "完成", "callback_data": "done:7"}]]},
    )
    query_id = sandbox.press_button(group, sent["message_id"], 1, text="完成")
    forged = sandbox.press_button(group, sent["message_id"], 1, raw_data="admin:delete_all")
    queries = [u["callback_query"] for u in await api.ok("getUpdates")]
    assert [q["id"] for q in queries] == [query_id, forged]
    assert queries[0]["data"] == "done:7" and queries[1]["data"] == "admin:delete_all"
    assert queries[0]["message"]["text"] == "请选择" and queries[0]["from"]["id"] == 1
    assert queries[0]["chat_instance"]


async def test_privacy_mode_hides_plain_group_chatter(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sandbox.create_private_chat(1)
    bot_message = await api.ok("sendMessage", chat_id=group, text="请汇报")
    sandbox.post_message(group, 1, "大家好")  # not for the bot
    sandbox.post_message(group, 1, "/start@other_bot")  # another bot's command
    sandbox.post_command(group, 1, "report", "50%")
    sandbox.post_command(group, 1, "report", address_bot=True)
    sandbox.post_message(group, 1, "完成了", reply_to_message_id=bot_message["message_id"])
    sandbox.post_message(group, 1, "@supervisor_sandbox_bot 在吗")
    sandbox.post_message(1, 1, "私聊都能看到")
    texts = [u["message"]["text"] for u in await api.ok("getUpdates")]
    assert texts == [
        "/report 50%",
        "/report@supervisor_sandbox_bot",
        "完成了",
        "@supervisor_sandbox_bot 在吗",
        "私聊都能看到",
    ]


async def test_commands_get_bot_command_entities(sandbox: Sandbox, group: int) -> None:
    message = sandbox.post_command(group, 1, "assign", "任务1 @zhangsan", address_bot=True)
    command = "/assign@supervisor_sandbox_bot"
    assert message["text"].startswith(command)
    assert message["entities"][0] == {"type": "bot_command", "offset": 0, "length": len(command)}
    assert message["entities"][1]["type"] == "mention"


async def test_kicked_bot_gets_my_chat_member_then_403(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sandbox.remove_bot_from_chat(group, by_user_id=1)
    update = (await api.ok("getUpdates"))[-1]["my_chat_member"]
    assert update["chat"]["id"] == group and update["from"]["id"] == 1
    assert update["old_chat_member"]["status"] == "member"
    assert update["new_chat_member"]["status"] == "kicked"
    assert update["new_chat_member"]["user"]["id"] == sandbox.bot_user["id"]
    status, body = await api.call("sendMessage", chat_id=group, text="还在吗")
    assert (status, body) == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was kicked from the group chat"},
    )

    sandbox.add_bot_to_chat(group, by_user_id=1)
    kinds = [next(k for k in u if k != "update_id") for u in await api.ok("getUpdates", offset=-2)]
    assert kinds == ["my_chat_member", "message"]  # status change, then the new_chat_members message
    await api.ok("sendMessage", chat_id=group, text="我回来了")


async def test_private_chat_needs_start_and_can_be_blocked(api: BotApiClient, sandbox: Sandbox) -> None:
    sandbox.add_user(2, "李四")
    status, body = await api.call("sendMessage", chat_id=2, text="你好")  # 李四 never pressed Start
    assert (status, body["description"]) == (403, "Forbidden: bot can't initiate conversation with a user")
    sandbox.create_private_chat(2)
    await api.ok("sendMessage", chat_id=2, text="你好")
    sandbox.remove_bot_from_chat(2)
    status, body = await api.call("sendMessage", chat_id=2, text="提醒")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


async def test_migrated_group_answers_with_migrate_to_chat_id(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    new_id = sandbox.migrate_chat(group, by_user_id=1)
    assert str(new_id).startswith("-100")
    messages = [u["message"] for u in await api.ok("getUpdates")]
    assert (messages[0]["chat"]["id"], messages[0]["migrate_to_chat_id"]) == (group, new_id)
    assert (messages[1]["chat"]["id"], messages[1]["migrate_from_chat_id"]) == (new_id, group)
    status, body = await api.call("sendMessage", chat_id=group, text="旧群")
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": new_id},
    }
    moved = await api.ok("sendMessage", chat_id=new_id, text="新群")
    assert moved["chat"]["type"] == "supergroup"
