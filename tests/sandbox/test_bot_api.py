"""The Bot API methods over real HTTP: shapes, parameter encodings, Telegram's errors and limits."""

from __future__ import annotations

import json

import pytest

from supervisor_bot.sandbox import Sandbox

from .conftest import BotApiClient

KEYBOARD = {"inline_keyboard": [[{"text": "确认", "callback_data": "confirm:1"}]]}


async def test_get_me_describes_the_bot_of_the_token(api: BotApiClient, sandbox: Sandbox) -> None:
    me = await api.ok("getMe")
    assert me["id"] == int(sandbox.token.split(":")[0])
    assert me["is_bot"] is True
    assert me["username"] == "supervisor_sandbox_bot"
    assert me["can_join_groups"] is True
    assert me["can_read_all_group_messages"] is False
    assert me["supports_inline_queries"] is False


@pytest.mark.parametrize("token", ["not-a-token", "123:short", "999999:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
async def test_bad_or_unknown_token_is_401(api: BotApiClient, token: str) -> None:
    response = await api.http.post(api.url("getMe", token=token))
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_404(api: BotApiClient) -> None:
    status, body = await api.call("sendTelepathy")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_method_names_are_case_insensitive_and_query_strings_work(api: BotApiClient) -> None:
    response = await api.http.get(api.url("GETME"))
    assert response.json()["result"]["is_bot"] is True
    assert (await api.ok("deleteWebhook")) is True
    assert (await api.ok("close")) is True


async def test_send_message_returns_a_full_message(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    first = await api.ok("sendMessage", chat_id=group, text="今日督办", disable_notification=True)
    second = await api.ok("sendMessage", chat_id=str(group), text="第二条")
    assert first["message_id"] == 1 and second["message_id"] == 2
    assert first["from"] == sandbox.bot_user
    assert first["chat"] == {"id": group, "type": "group", "title": "督办工作群"}
    assert isinstance(first["date"], int) and first["text"] == "今日督办"
    record = sandbox.sent(group)[0]
    assert (record.method, record.message_id, record.text, record.disable_notification) == (
        "sendMessage",
        1,
        "今日督办",
        True,
    )


async def test_message_ids_count_per_chat(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    other = sandbox.create_supergroup("另一个群")["id"]
    await api.ok("sendMessage", chat_id=group, text="a")
    in_other = await api.ok("sendMessage", chat_id=other, text="b")
    assert in_other["message_id"] == 1
    assert str(other).startswith("-100")


async def test_form_and_multipart_parameters_with_json_encoded_markup(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    form = {"chat_id": str(group), "text": "表单", "reply_markup": json.dumps(KEYBOARD)}
    status, body = await api.form("sendMessage", form)
    assert status == 200 and body["result"]["reply_markup"] == KEYBOARD
    status, body = await api.form(
        "sendDocument", {"chat_id": str(group)}, files={"document": ("a.txt", b"hi", "text/plain")}
    )
    assert status == 200 and body["result"]["document"]["file_name"] == "a.txt"
    as_json = await api.ok("sendMessage", chat_id=group, text="JSON", reply_markup=KEYBOARD)
    assert as_json["reply_markup"] == KEYBOARD
    assert [r.reply_markup for r in sandbox.sent(group)] == [KEYBOARD, None, KEYBOARD]


async def test_force_reply_is_recorded_but_not_shown_in_the_message(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    markup = {"force_reply": True, "input_field_placeholder": "请填写进度"}
    message = await api.ok("sendMessage", chat_id=group, text="请回复进度", reply_markup=markup)
    assert "reply_markup" not in message
    assert sandbox.sent(group)[0].reply_markup == markup
    removed = await api.ok("sendMessage", chat_id=group, text="好", reply_markup={"remove_keyboard": True})
    assert "reply_markup" not in removed


async def test_replies_fill_reply_to_message(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    asked = sandbox.post_message(group, 1, "任务一完成了吗？")
    reply = await api.ok(
        "sendMessage", chat_id=group, text="已完成", reply_parameters={"message_id": asked["message_id"]}
    )
    assert reply["reply_to_message"]["text"] == "任务一完成了吗？"
    assert reply["reply_to_message"]["from"]["id"] == 1
    legacy = await api.ok("sendMessage", chat_id=group, text="旧参数", reply_to_message_id=asked["message_id"])
    assert legacy["reply_to_message"]["message_id"] == asked["message_id"]
    assert sandbox.sent(group)[1].reply_to_message_id == asked["message_id"]

    status, body = await api.call("sendMessage", chat_id=group, text="x", reply_parameters={"message_id": 99})
    assert (status, body["description"]) == (400, "Bad Request: message to be replied not found")
    lenient = await api.ok(
        "sendMessage",
        chat_id=group,
        text="x",
        reply_parameters={"message_id": 99, "allow_sending_without_reply": True},
    )
    assert "reply_to_message" not in lenient


async def test_unknown_chat_and_empty_text(api: BotApiClient, group: int) -> None:
    status, body = await api.call("sendMessage", chat_id=-42, text="hi")
    assert (status, body) == (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
    for text in ("", "   \n "):
        status, body = await api.call("sendMessage", chat_id=group, text=text)
        assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_text_limit_counts_utf16_units_not_bytes(api: BotApiClient, group: int) -> None:
    await api.ok("sendMessage", chat_id=group, text="督" * 4096)  # 12288 bytes, 4096 units
    await api.ok("sendMessage", chat_id=group, text="😀" * 2048)  # 2048 characters, 4096 units
    for too_long in ("督" * 4097, "😀" * 2049):
        status, body = await api.call("sendMessage", chat_id=group, text=too_long)
        assert (status, body["description"]) == (400, "Bad Request: message is too long")


async def test_html_tags_do_not_count_towards_the_length(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    raw = "<b>" + "x" * 4096 + "</b>"
    message = await api.ok("sendMessage", chat_id=group, text=raw, parse_mode="HTML")
    assert message["text"] == "x" * 4096
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 4096}]
    assert sandbox.sent(group)[0].text == raw and sandbox.sent(group)[0].parse_mode == "HTML"
    status, body = await api.call("sendMessage", chat_id=group, text="<i>" + "x" * 4097 + "</i>", parse_mode="HTML")
    assert (status, body["description"]) == (400, "Bad Request: message is too long")


async def test_bad_html_is_rejected_like_telegram(api: BotApiClient, group: int) -> None:
    cases = {
        "进度 < 50%": 'Unsupported start tag "" at byte offset 7',
        "<b>未闭合": 'Can\'t find end tag corresponding to start tag "b"',
        "<br>": 'Unsupported start tag "br" at byte offset 0',
    }
    for text, detail in cases.items():
        status, body = await api.call("sendMessage", chat_id=group, text=text, parse_mode="HTML")
        assert (status, body["description"]) == (400, f"Bad Request: can't parse entities: {detail}")
    escaped = await api.ok("sendMessage", chat_id=group, text="进度 &lt; 50%", parse_mode="HTML")
    assert escaped["text"] == "进度 < 50%"


async def test_caption_limit(api: BotApiClient, group: int) -> None:
    file = {"document": ("r.txt", b"report", "text/plain")}
    status, _ = await api.form("sendDocument", {"chat_id": str(group), "caption": "说" * 1024}, files=file)
    assert status == 200
    status, body = await api.form("sendDocument", {"chat_id": str(group), "caption": "说" * 1025}, files=file)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")


async def test_callback_data_is_limited_to_64_utf8_bytes(api: BotApiClient, group: int) -> None:
    def keyboard(data: str) -> dict[str, object]:
        return {"inline_keyboard": [[{"text": "按钮", "callback_data": data}]]}

    await api.ok("sendMessage", chat_id=group, text="ok", reply_markup=keyboard("x" * 64))
    for data in ("x" * 65, "办" * 22):  # 22 CJK characters are 66 bytes
        status, body = await api.call("sendMessage", chat_id=group, text="no", reply_markup=keyboard(data))
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_edits_change_the_message_and_are_logged(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sent = await api.ok("sendMessage", chat_id=group, text="待办", reply_markup=KEYBOARD)
    message_id = sent["message_id"]
    edited = await api.ok("editMessageText", chat_id=group, message_id=message_id, text="已办", reply_markup=KEYBOARD)
    assert edited["text"] == "已办" and "edit_date" in edited
    status, body = await api.call(
        "editMessageText", chat_id=group, message_id=message_id, text="已办", reply_markup=KEYBOARD
    )
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified: ")
    await api.ok("editMessageReplyMarkup", chat_id=group, message_id=message_id)
    status, body = await api.call("editMessageReplyMarkup", chat_id=group, message_id=message_id)
    assert status == 400 and "message is not modified" in body["description"]
    status, body = await api.call("editMessageText", chat_id=group, message_id=777, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")

    assert [(r.method, r.message_id) for r in sandbox.outgoing(group)] == [
        ("sendMessage", message_id),
        ("editMessageText", message_id),
        ("editMessageReplyMarkup", message_id),
    ]
    assert sandbox.sent(group)[0].text == "待办"
    current = sandbox.messages_in(group)[-1]
    assert current["text"] == "已办" and "reply_markup" not in current


async def test_editing_text_without_markup_drops_the_keyboard(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sent = await api.ok("sendMessage", chat_id=group, text="待办", reply_markup=KEYBOARD)
    await api.ok("editMessageText", chat_id=group, message_id=sent["message_id"], text="已办")
    assert "reply_markup" not in (sandbox.message(group, sent["message_id"]) or {})


async def test_users_messages_cannot_be_edited(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    theirs = sandbox.post_message(group, 1, "用户消息")
    status, body = await api.call("editMessageText", chat_id=group, message_id=theirs["message_id"], text="x")
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")


async def test_delete_message(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sent = await api.ok("sendMessage", chat_id=group, text="临时")
    assert await api.ok("deleteMessage", chat_id=group, message_id=sent["message_id"]) is True
    assert sandbox.messages_in(group) == []
    status, body = await api.call("deleteMessage", chat_id=group, message_id=sent["message_id"])
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")


async def test_answer_callback_query(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sent = await api.ok("sendMessage", chat_id=group, text="请确认", reply_markup=KEYBOARD)
    query_id = sandbox.press_button(group, sent["message_id"], 1, text="确认")
    assert await api.ok("answerCallbackQuery", callback_query_id=query_id, text="收到", show_alert=True)
    answer = sandbox.callback_answer(query_id)
    assert answer is not None and (answer.text, answer.show_alert) == ("收到", True)
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    for unknown in (query_id, "12345"):  # answered twice, or never issued
        status, body = await api.call("answerCallbackQuery", callback_query_id=unknown)
        assert (status, body["description"]) == (400, too_old)


async def test_documents_and_photos_are_stored_and_downloadable(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    xlsx = b"PK\x03\x04 fake workbook"
    status, body = await api.form(
        "sendDocument",
        {"chat_id": str(group), "caption": "分工方案"},
        files={
            "document": ("分工方案.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        },
    )
    assert status == 200
    document = body["result"]["document"]
    assert (document["file_name"], document["file_size"]) == ("分工方案.xlsx", len(xlsx))
    record = sandbox.sent(group)[0]
    assert record.caption == "分工方案" and record.files[0].content == xlsx

    info = await api.ok("getFile", file_id=document["file_id"])
    download = await api.http.get(f"{sandbox.file_url}{sandbox.token}/{info['file_path']}")
    assert download.content == xlsx

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08\x02"
    status, body = await api.form("sendPhoto", {"chat_id": str(group)}, files={"photo": ("p.png", png, "image/png")})
    assert status == 200
    assert (body["result"]["photo"][-1]["width"], body["result"]["photo"][-1]["height"]) == (640, 480)
    status, body = await api.form(
        "sendPhoto", {"chat_id": str(group)}, files={"photo": ("p.png", b"not an image", "image/png")}
    )
    assert (status, body["description"]) == (400, "Bad Request: IMAGE_PROCESS_FAILED")


async def test_commands_are_stored_per_scope(api: BotApiClient, sandbox: Sandbox) -> None:
    commands = [{"command": "start", "description": "开始"}, {"command": "report", "description": "汇报进度"}]
    assert await api.ok("setMyCommands", commands=commands) is True
    assert await api.ok("getMyCommands") == commands
    assert sandbox.commands() == commands
    status, body = await api.call("setMyCommands", commands=[{"command": "Bad-Name", "description": "x"}])
    assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID")
    scope = {"type": "all_group_chats"}
    await api.ok("setMyCommands", commands=commands[:1], scope=scope)
    assert sandbox.commands(scope) == commands[:1]


async def test_get_chat_returns_full_info(api: BotApiClient, group: int) -> None:
    info = await api.ok("getChat", chat_id=group)
    assert (info["id"], info["type"], info["title"]) == (group, "group", "督办工作群")
    assert "accent_color_id" in info and "max_reaction_count" in info
