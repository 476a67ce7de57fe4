"""The supervision on WeCom, as people do it in the sandbox: binding by @-mention, the checklist as cards, a
press (delivered twice, recorded once) updating its card, a closed round's card, notes by @-mention and in the
one-to-one chat, 佐证材料 decrypted and stored, ledger and chart uploaded in chunks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import ShellParts
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.status import Status
from supervisor_bot.ports.messenger import Attachment, MessageRef, Sent
from supervisor_bot.services import binding
from supervisor_bot.services.binding import InviteMade
from supervisor_bot.views.callbacks import decode
from supervisor_bot.views.view import View
from supervisor_bot.wecom import frames
from supervisor_bot.wecom.frames import Frame
from supervisor_bot.wecom.front import build_front
from tests.service.test_weekly_cycle import a_runtime
from tests.wecom.harness import (
    BUREAU,
    CHATS,
    EDU,
    FIN,
    LEADERS,
    MONDAY,
    OUTSIDER,
    WANG,
    ZHANG,
    Rig,
    connected,
    endpoint,
    eventually,
)

TELEGRAM_WORDS = (
    "/bind",
    "/invite",
    "/status",
    "/overdue",
    "/yuetan",
    "回复本消息",
    "点击措施编号",
    "<b>",
    "ForceReply",
)
FIN_CHAT = CHATS[FIN]


def button(card: dict[str, Any], status: Status) -> str:
    """The key of the card's button for `status`."""
    for b in card["button_list"]:
        pressed = decode(b["key"])
        if pressed is not None and pressed.status is status:
            return str(b["key"])
    raise AssertionError(f"no {status} button on {card['task_id']}")


async def open_round(wecom: Rig) -> list[dict[str, Any]]:
    await wecom.tick(MONDAY)
    return await wecom.cards(FIN_CHAT)


async def report_of(wecom: Rig, measure: int) -> Any:
    live = wecom.shell.runtime.current_round()
    assert live is not None
    return wecom.store.reports(live.id).get((measure, FIN))


def number(card: dict[str, Any]) -> int:
    return int(card["task_id"].rsplit("_", 1)[1])


async def test_binding_by_mention(wecom: Rig) -> None:
    rt = wecom.shell.runtime
    unit = next(u for u in rt.duties if u not in (FIN, EDU))
    made = await wecom.shell.runner.call(binding.invite, rt, unit, SYSTEM, MONDAY)
    assert isinstance(made, InviteMade)
    assert not await wecom.control.say(OUTSIDER, f"绑定 {made.invite.code}", chat="wecom:new", mention=False)
    assert await wecom.control.say(OUTSIDER, f"绑定 {made.invite.code}", chat="wecom:new")
    await eventually(lambda: _has(wecom, "wecom:new", "绑定成功"))
    found = rt.binding_of(unit)
    assert found is not None and found.chat_id == "wecom:new" and OUTSIDER in found.liaisons


async def test_the_checklist_is_a_summary_and_a_card_per_measure(wecom: Rig) -> None:
    cards = await open_round(wecom)
    duties = wecom.shell.runtime.duties[FIN]
    texts = await wecom.texts(FIN_CHAT)
    assert texts[0].startswith("【督办】2021年第36周") and "卡片" in texts[0]
    assert len(cards) == len(duties)
    assert sorted(number(c) for c in cards) == sorted(d.measure.number for d in duties)
    assert all(len(c["button_list"]) == 4 <= frames.MAX_BUTTONS for c in cards)
    posted = " ".join(texts) + " ".join(str(c) for c in cards)
    assert not any(word in posted for word in TELEGRAM_WORDS)


async def test_a_press_delivered_twice_is_recorded_once_and_updates_its_card(wecom: Rig) -> None:
    card = (await open_round(wecom))[0]
    await wecom.control.press(ZHANG, card["task_id"], button(card, Status.IN_PROGRESS), times=2)
    await eventually(lambda: _card_shows(wecom, card["task_id"], "✔ 推进中"))
    report = await report_of(wecom, number(card))
    assert report is not None and report.status is Status.IN_PROGRESS
    live = wecom.shell.runtime.current_round()
    assert live is not None
    entries = [a for a in wecom.store.audit(live.id) if a.measure == number(card)]
    assert len(entries) == 1, entries
    received = (await wecom.control.call("state"))["received"]
    assert received.count("aibot_respond_update_msg") == 1


async def test_an_update_after_five_seconds_is_refused(wecom: Rig) -> None:
    card = (await open_round(wecom))[0]
    second = await _raw_press_ack(wecom, card)
    assert second.errcode == 60020


async def _raw_press_ack(wecom: Rig, card: dict[str, Any]) -> Frame:
    req_id = await wecom.control.press(OUTSIDER, card["task_id"], button(card, Status.DONE))
    await eventually(lambda: _updates(wecom, 1))  # the bot answered within the window (a refusal, for him)
    await wecom.control.call("advance", seconds=6)
    answer = await wecom.front.client.request(
        frames.RESPOND_UPDATE, {"response_type": "update_template_card", "template_card": card}, req_id=req_id
    )
    assert isinstance(answer, Frame)
    return answer


async def test_a_press_by_someone_who_is_no_liaison_changes_nothing(wecom: Rig) -> None:
    card = (await open_round(wecom))[0]
    await wecom.control.press(OUTSIDER, card["task_id"], button(card, Status.DONE))
    await eventually(lambda: _card_shows(wecom, card["task_id"], "不是本单位登记的联络员"))
    assert await report_of(wecom, number(card)) is None
    assert "✔" not in str((await _card(wecom, card["task_id"]))["button_list"]), "the card is unchanged for others"


async def test_a_closed_rounds_card_refuses_a_late_press(wecom: Rig) -> None:
    cards = await open_round(wecom)
    live = wecom.shell.runtime.current_round()
    assert live is not None
    await wecom.tick(MONDAY.add(weeks=1))  # the next round closes this one; its cards cannot be edited unpressed
    card = cards[1]
    await wecom.control.press(ZHANG, card["task_id"], button(card, Status.IN_PROGRESS))
    await eventually(lambda: _card_shows(wecom, card["task_id"], "本轮报送已结束"))
    assert wecom.store.reports(live.id).get((number(card), FIN)) is None
    edited = await wecom.front.messenger.edit(MessageRef(FIN_CHAT, card["task_id"].split("_")[0]), View("x"))
    assert edited is False, "a card changes only in answer to a press"


async def test_notes_by_mention_and_in_the_one_to_one_chat(wecom: Rig) -> None:
    cards = await open_round(wecom)
    done, blocked = cards[0], cards[1]
    await wecom.control.press(ZHANG, done["task_id"], button(done, Status.DONE))
    await eventually(lambda: _has(wecom, FIN_CHAT, "说明后记为“已完成”"))
    assert await wecom.control.say(ZHANG, "已完成验收，印发实施方案", chat=FIN_CHAT)
    await eventually(lambda: _status_is(wecom, number(done), Status.DONE))
    assert (await report_of(wecom, number(done))).note == "已完成验收，印发实施方案"
    await wecom.control.press(ZHANG, blocked["task_id"], button(blocked, Status.BLOCKED))
    await eventually(lambda: _has(wecom, FIN_CHAT, "说明后记为“有困难”"))
    assert await wecom.control.say(ZHANG, "资金尚未到位，需协调市财政")  # plainly, in the one-to-one chat
    await eventually(lambda: _status_is(wecom, number(blocked), Status.BLOCKED))
    assert (await report_of(wecom, number(blocked))).note == "资金尚未到位，需协调市财政"
    assert any("已记录" in t or "说明" in t for t in await wecom.texts(ZHANG))


async def test_evidence_in_the_one_to_one_chat_is_decrypted_and_stored(wecom: Rig) -> None:
    cards = await open_round(wecom)
    card = cards[0]
    await wecom.control.press(ZHANG, card["task_id"], button(card, Status.IN_PROGRESS))
    await eventually(lambda: _status_is(wecom, number(card), Status.IN_PROGRESS))
    label = wecom.shell.runtime.label(number(card))
    data = os.urandom(700_000)
    assert not await wecom.control.send_file(ZHANG, f"措施{label}-验收报告.pdf", data, chat=FIN_CHAT)
    assert await wecom.control.send_file(ZHANG, f"措施{label}-验收报告.pdf", data)
    await eventually(lambda: _evidence(wecom, 1))
    kept = wecom.store.evidence()[0]
    assert kept.measure == number(card) and kept.name == f"措施{label}-验收报告.pdf"
    assert (wecom.shell.data_dir / kept.path).read_bytes() == data
    assert await wecom.control.send_file(ZHANG, f"措施{label}-照片.jpg", b"late", age=301)
    await eventually(lambda: _has(wecom, ZHANG, "已过期"))
    assert len(wecom.store.evidence()) == 1


async def test_ledger_and_chart_go_as_files_uploaded_in_chunks(wecom: Rig, tmp_path: Path) -> None:
    big = tmp_path / "督办台账.xlsx"
    data = os.urandom(1_300_000)
    big.write_bytes(data)
    sent = await wecom.front.messenger.send_file(LEADERS, Attachment(big, big.name, "督办台账"))
    assert isinstance(sent, Sent)
    state = await wecom.control.call("state")
    assert state["chunks"] == [512 * 1024, 512 * 1024, 1_300_000 - 2 * 512 * 1024]
    posted = await wecom.posted(LEADERS)
    assert [m["kind"] for m in posted] == ["markdown", "file"]
    assert posted[1]["file"] == {"name": big.name, "size": len(data)}


async def test_the_digest_sends_its_ledger_and_chart(wecom: Rig) -> None:
    from supervisor_bot.app.digests import send_digest

    await open_round(wecom)
    assert await send_digest(wecom.shell, MONDAY.add(days=4, hours=8), chat=LEADERS)
    kinds = [m["kind"] for m in await wecom.posted(LEADERS)]
    assert "file" in kinds and "image" in kinds, kinds
    assert WANG  # the coordinator is in the leaders' group


async def _posted(wecom: Rig, chat: str) -> list[dict[str, Any]]:
    return await wecom.posted(chat)


async def _has(wecom: Rig, chat: str, words: str) -> bool:
    return any(words in t for t in await wecom.texts(chat))


async def _card(wecom: Rig, task_id: str) -> dict[str, Any]:
    return next(c for c in await wecom.cards(FIN_CHAT) if c["task_id"] == task_id)


async def _card_shows(wecom: Rig, task_id: str, words: str) -> bool:
    return words in str(await _card(wecom, task_id))


async def _updates(wecom: Rig, count: int) -> bool:
    return bool((await wecom.control.call("state"))["received"].count("aibot_respond_update_msg") >= count)


async def _status_is(wecom: Rig, measure: int, status: Status) -> bool:
    report = await report_of(wecom, measure)
    return report is not None and report.status is status


async def _evidence(wecom: Rig, count: int) -> bool:
    return len(wecom.store.evidence()) >= count


async def test_commands_in_words_answer_with_the_same_services(wecom: Rig) -> None:
    await open_round(wecom)
    assert await wecom.control.say(ZHANG, "状态 市财政局", chat=FIN_CHAT)
    await eventually(lambda: _has(wecom, FIN_CHAT, "【市财政局落实情况】"))
    assert await wecom.control.say(WANG, "催报")
    await eventually(lambda: _has(wecom, WANG, "催报"))
    assert await wecom.control.say(OUTSIDER, "催报")
    await eventually(lambda: _has(wecom, OUTSIDER, "仅限协调员"))
    assert await wecom.control.say(WANG, "@督办 状态")
    await eventually(lambda: _has(wecom, WANG, "@督办 状态 "))  # Telegram's "/status 单位" in WeCom's words
    assert await wecom.control.say(ZHANG, "帮助")
    await eventually(lambda: _has(wecom, ZHANG, "@督办 状态"))
    said = " ".join(await wecom.texts(ZHANG) + await wecom.texts(WANG) + await wecom.texts(FIN_CHAT))
    assert not any(word in said for word in TELEGRAM_WORDS)


async def test_a_completion_is_returned_with_a_reason_from_its_card(wecom: Rig) -> None:
    """办结核实 in the bureau's group: 退回 pressed on its card, the reason said by @-mention, the unit told."""
    cards = await open_round(wecom)
    lead = next(c for c in cards if "【牵头】" in c["main_title"]["title"])
    await wecom.control.press(ZHANG, lead["task_id"], button(lead, Status.DONE))
    await eventually(lambda: _has(wecom, FIN_CHAT, "说明后记为“已完成”"))
    assert await wecom.control.say(ZHANG, "已完成验收", chat=FIN_CHAT)
    await eventually(lambda: _has(wecom, BUREAU, "【办结核实】"))
    verify = next(c for c in await wecom.cards(BUREAU) if any(b["text"] == "退回" for b in c["button_list"]))
    back = next(b["key"] for b in verify["button_list"] if b["text"] == "退回")
    await wecom.control.press(WANG, verify["task_id"], back)
    await eventually(lambda: _has(wecom, BUREAU, "说明退回理由"))
    assert await wecom.control.say(WANG, "佐证材料不足", chat=BUREAU)
    await eventually(lambda: _has(wecom, FIN_CHAT, "【退回】"))
    assert (await report_of(wecom, number(lead))).status is Status.IN_PROGRESS


async def test_a_note_asked_for_before_a_restart_is_taken_after_it(wecom: Rig, tmp_path: Path) -> None:
    """The request waits in the store, not in the front: a new process (a new runtime, a new connection) takes
    the note said after the restart."""
    card = (await open_round(wecom))[0]
    await wecom.control.press(ZHANG, card["task_id"], button(card, Status.DONE))
    await eventually(lambda: _has(wecom, FIN_CHAT, "说明后记为“已完成”"))
    await wecom.front.client.stop()
    parts = ShellParts(a_runtime(wecom.store), ManualClock(MONDAY), ServiceRunner(), tmp_path / "again")
    again = build_front(parts, endpoint(wecom.sandbox))
    task = await connected(again.client)
    try:
        assert await wecom.control.say(ZHANG, "重启后补充的完成情况", chat=FIN_CHAT)
        await eventually(lambda: _status_is(wecom, number(card), Status.DONE))
        assert (await report_of(wecom, number(card))).note == "重启后补充的完成情况"
    finally:
        await again.client.stop()
        await task
        parts.runner.shutdown()


async def test_a_round_opened_by_a_coordinator_and_its_confirmation_card(wecom: Rig) -> None:
    wecom.shell.clock.set(MONDAY.add(days=1))  # type: ignore[attr-defined]
    assert await wecom.control.say(WANG, "开启")
    await eventually(lambda: _has(wecom, WANG, "已开启2021年第36周报送"))
    first = await wecom.cards(FIN_CHAT)
    assert await wecom.control.say(WANG, "开启")
    await eventually(lambda: _has(wecom, WANG, "【开启新一轮】"))
    card = (await wecom.cards(WANG))[0]
    again = next(b["key"] for b in card["button_list"] if b["text"].startswith("重发"))
    await wecom.control.press(WANG, card["task_id"], again)
    await eventually(lambda: _card_in(wecom, WANG, card["task_id"], "已重新发送"))
    assert len(await wecom.cards(FIN_CHAT)) == 2 * len(first), "the checklist again, as new cards"
    await wecom.control.press(ZHANG, first[0]["task_id"], button(first[0], Status.IN_PROGRESS))
    await eventually(lambda: _card_shows(wecom, first[0]["task_id"], "不是最新的督办清单"))  # superseded: closed


async def _card_in(wecom: Rig, chat: str, task_id: str, words: str) -> bool:
    return any(c["task_id"] == task_id and words in str(c) for c in await wecom.cards(chat))


async def test_opening_the_one_to_one_chat_is_answered_with_a_welcome(wecom: Rig) -> None:
    await wecom.control.call("enter", userid=ZHANG)
    await eventually(lambda: _has(wecom, ZHANG, "佐证材料请在本单聊中发送"))
