"""A real python-telegram-bot Application, reaching the sandbox through base_url alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from supervisor_bot.sandbox import RecordFilter, Sandbox

USER = 1


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("确认收到", callback_data="ack:task-1")]])
    await update.effective_message.reply_text("<b>任务一</b>：请确认", parse_mode="HTML", reply_markup=keyboard)


async def acknowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"已确认 {query.data}")
    await query.edit_message_text("任务一：已确认 ✅")


async def progress(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    if message.reply_to_message.from_user and message.reply_to_message.from_user.id == context.bot.id:
        await message.reply_document(
            document=f"进度：{message.text}".encode(), filename="进度.txt", caption="进度已登记"
        )


def build_app(sandbox: Sandbox) -> Application:  # type: ignore[type-arg]
    app = (
        Application.builder().token(sandbox.token).base_url(sandbox.bot_api_url).base_file_url(sandbox.file_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(acknowledge, pattern=r"^ack:"))
    app.add_handler(MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, progress))
    return app


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    async with Bot(sandbox.token, base_url=sandbox.bot_api_url, base_file_url=sandbox.file_url) as bot:
        yield bot


async def test_application_runs_a_whole_conversation(sandbox: Sandbox) -> None:
    sandbox.add_user(USER, "张三", "zhangsan")
    group = sandbox.create_group("督办工作群")["id"]
    app = build_app(sandbox)
    async with app:
        await app.bot.set_my_commands([("start", "开始督办")])
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        await app.start()
        try:
            sandbox.post_command(group, USER, "start", address_bot=True)
            prompt = await sandbox.wait_for(RecordFilter(chat_id=group, method="sendMessage"))
            assert prompt.text == "<b>任务一</b>：请确认" and prompt.parse_mode == "HTML"
            assert prompt.reply_to_message_id == 1

            query_id = sandbox.press_button(group, prompt.message_id or 0, USER, text="确认收到")
            answer = await sandbox.wait_for_callback_answer(query_id)
            assert answer.text == "已确认 ack:task-1"
            edit = await sandbox.wait_for(RecordFilter(method="editMessageText"))
            assert edit.message_id == prompt.message_id
            current = sandbox.message(group, prompt.message_id or 0)
            assert current is not None and current["text"] == "任务一：已确认 ✅"

            sandbox.post_message(group, USER, "完成 80%", reply_to_message_id=prompt.message_id)
            document = await sandbox.wait_for(RecordFilter(method="sendDocument"))
            assert document.caption == "进度已登记"
            assert document.files[0].filename == "进度.txt"
            assert document.files[0].content.decode() == "进度：完成 80%"
        finally:
            await app.updater.stop()
            await app.stop()
    assert sandbox.commands() == [{"command": "start", "description": "开始督办"}]
    assert sandbox.pending_updates == []  # the updater confirmed everything it fetched


async def test_ptb_sees_telegrams_errors_as_its_own_exceptions(
    sandbox: Sandbox, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, merely creating RetryAfter emits PTBDeprecationWarning (an error here).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    sandbox.add_user(USER, "张三")
    group = sandbox.create_group("群")["id"]
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-1, "x")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        await bot.send_message(group, "x", reply_markup=markup)

    sandbox.inject_fault("429", method="sendMessage", retry_after=4)
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(group, "x")
    assert retry.value.retry_after == dt.timedelta(seconds=4)

    sandbox.inject_fault("drop_after", method="sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(group, "超时但已送达")
    assert sandbox.sent(group)[-1].text == "超时但已送达"

    new_id = sandbox.migrate_chat(group)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group, "x")
    assert migrated.value.new_chat_id == new_id

    sandbox.remove_bot_from_chat(new_id)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(new_id, "x")


async def test_ptb_downloads_a_file_a_user_posted(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.add_user(USER, "张三")
    sandbox.create_private_chat(USER)
    workbook = b"PK\x03\x04 division of labour plan"
    sandbox.post_message(USER, USER, document=("分工方案.xlsx", workbook, "application/octet-stream"))
    updates = await bot.get_updates(timeout=0)
    message = updates[0].message
    assert message is not None and message.document is not None
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == workbook
