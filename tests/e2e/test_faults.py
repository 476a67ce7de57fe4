"""Telegram misbehaving on a fifth of all calls — 429s, 5xx answers, dropped connections before and after the
message was taken, answers too slow to wait for — and still every checklist, reminder, 催办, 督办单 and the
digest arrives; a message is sent twice only where the bot could not know it had arrived, and the log says so."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

import pytest

from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.telegram import retry
from tests.e2e.harness import BUREAU_CHAT, LEADERS_CHAT, MONDAY, a_world

UNITS = (  # bound, none ever reports: each gets a checklist, a 临期提醒, a 催办 and a 督办单
    # (12 督办单 and the round's notice stay within the bureau chat's 20 messages a minute)
    *("市财政局", "市教育局", "市商务局", "市税务局", "市总工会", "市农业农村局", "市退役军人局", "市残联"),
    *("历下区", "槐荫区", "章丘区", "商河县"),
)
FAULTS = (("429", 0.05), ("5xx", 0.06), ("drop", 0.04), ("drop_after", 0.04))
SLOW = 2  # sends answered after the bot stopped waiting (5 s), though the message did arrive


async def test_everything_is_delivered_through_telegram_faults(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="supervisor_bot")
    monkeypatch.setattr(retry, "PAUSES", (0.05, 0.1, 0.2, 0.4, 0.8))
    async with a_world(tmp_path, bind=lambda name: name in UNITS) as world:
        sandbox = world.sandbox
        assert set(world.chats) == set(UNITS)
        for kind, chance in FAULTS:
            sandbox.inject_fault(kind, count=None, probability=chance, retry_after=1)
        sandbox.inject_fault("delay", method="sendMessage", count=SLOW, delay=5.5)
        calls_before = sum(sandbox.world.calls.values())
        for moment in (MONDAY, MONDAY.add(days=2, hours=8), MONDAY.add(days=3, hours=8), MONDAY.add(days=4, hours=8)):
            await world.tick(moment)
            await world.tick(moment.add(minutes=1))  # what Telegram refused five times over goes out now
        calls = sum(sandbox.world.calls.values()) - calls_before
        fired = Counter(event.kind.value for event in sandbox.fault_log)
        sandbox.clear_faults()

        assert sum(fired.values()) >= 0.10 * calls, (fired, calls)
        print(f"faults {dict(fired)} in {calls} calls")
        assert set(fired) == {"429", "5xx", "drop", "drop_after", "delay"}, fired

        sent = Counter(
            (record.chat_id, record.text or record.caption or record.method)
            for record in sandbox.sent()
            if record.chat_id
        )
        headings = Counter((chat, text.split("】")[0] + "】") for (chat, text), n in sent.items() for _ in range(n))
        for unit in UNITS:
            chat = world.chats[unit]
            for heading in ("【督办】", "【临期提醒】", "【催办】"):  # the checklist, the reminder, the 催办
                assert headings[(chat, heading)] >= 1, (unit, heading)
        assert headings[(BUREAU_CHAT, "【督办单】")] >= len(UNITS)
        assert {p.respondent for p in world.runtime.store.prompts() if p.message_id} == set(UNITS)
        leaders = [r for r in sandbox.sent(LEADERS_CHAT)]
        assert any((r.text or "").startswith("【督办周报】") for r in leaders), [r.text for r in leaders]
        assert {r.method for r in leaders} >= {"sendMessage", "sendDocument", "sendPhoto"}

        marked = Counter(int(chat) for chat in re.findall(r"to chat (-?\d+) got no answer", caplog.text))
        twice = {chat for (chat, _), n in sent.items() if n > 1}
        assert twice <= set(marked), f"sent twice without a mark in the log: {twice - set(marked)}"
        assert "possible duplicate" in caplog.text


async def test_a_chat_that_refuses_the_bot_unannounced_is_marked_and_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot missed the removal (it was down, the update is gone): the next send meets a 403."""
    caplog.set_level(logging.INFO, logger="supervisor_bot")
    async with a_world(tmp_path, bind=lambda name: name in UNITS[:2]) as world:
        gone, kept = (world.chats[unit] for unit in UNITS[:2])
        await world.tick(MONDAY)
        await world.stop()
        world.sandbox.remove_bot_from_chat(gone)
        world.sandbox.world.updates.drop_pending()
        await world.start()
        mark = world.sandbox.mark()
        await world.tick(MONDAY.add(days=2, hours=8))  # 临期提醒: the first send since
        told = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="已被移出"), after=mark)
        assert UNITS[0] in (told.text or "")
        binding = world.runtime.binding_of(UNITS[0])
        assert binding is not None and not binding.active
        await world.tick(MONDAY.add(days=3, hours=8))
        await world.tick(MONDAY.add(weeks=1))
        assert caplog.text.count(f"chat {gone} refuses messages") == 1  # never tried again: the 403 was final
        assert not world.sandbox.sent(gone, after=mark)
        assert len([r for r in world.sandbox.sent(kept, after=mark) if (r.text or "").startswith("【")]) >= 3
