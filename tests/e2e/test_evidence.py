"""佐证材料 end to end: a liaison replies to the checklist or to a note request with a document or a photo; the
bot keeps the file in the data folder, confirms it, lists it in /measure and with the 办结核实; bad input is
refused with a clear message and nothing is stored."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import OutgoingRecord, RecordFilter
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.e2e.harness import BUREAU_CHAT, MONDAY, STRANGER, World, a_world, eventually

FIN = "市财政局"  # leads 33 and 46; 9 配合
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") + (48).to_bytes(4, "big") + b"\x08\x02"
PDF = b"%PDF-1.4 \xe9\xaa\x8c\xe6\x94\xb6"


def _pid(world: World) -> str:
    return next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)


async def _send(
    world: World,
    reply_to: int,
    *,
    text_contains: str,
    user: int | None = None,
    document: tuple[str, bytes, str] | None = None,
    photo: bytes | None = None,
    caption: str | None = None,
) -> str:
    """Post a file replying to `reply_to` in FIN's chat; the bot's answer in the chat."""
    chat = world.chats[FIN]
    mark = world.sandbox.mark()
    world.sandbox.post_message(
        chat, user or world.liaisons[FIN], reply_to_message_id=reply_to, document=document, photo=photo, caption=caption
    )
    answer = await world.wait(RecordFilter(chat_id=chat, method="sendMessage", text_contains=text_contains), mark)
    return answer.text or ""


async def test_files_kept_confirmed_listed_and_shown_with_the_closure(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        pid, chat = _pid(world), world.chats[FIN]
        # the checklist, showing measure 46, offers it; a reply to it is a file for 46
        await world.press(FIN, encode(Press(Act.MEASURE, pid, 46)))
        checklist = world.checklist(FIN)
        assert "佐证材料：可回复本消息上传文件或照片（不超过20MB）" in str(checklist["text"])
        said = await _send(
            world,
            int(checklist["message_id"]),
            text_contains="已收到佐证材料",
            document=("验收报告.pdf", PDF, "application/pdf"),
        )
        assert said == f"已收到佐证材料：措施46“验收报告.pdf”（1KB，{FIN}，{FIN}联络员）。该措施已有佐证材料1份。"
        stored = world.data_dir / "evidence" / "2021-W36" / FIN / "46-验收报告.pdf"
        assert stored.read_bytes() == PDF
        # a photo naming measure 9 in its caption, replying to the same checklist
        said = await _send(
            world, int(checklist["message_id"]), text_contains="已收到佐证材料", photo=PNG, caption="措施9 现场照片"
        )
        assert "措施9“照片-" in said
        # a file replying to the note request the 已完成 asks for, then the note itself
        mark = world.sandbox.mark()
        await world.press(FIN, encode(Press(Act.STATUS, pid, 46, Status.DONE)))
        request = await world.wait(RecordFilter(chat_id=chat, method="sendMessage", text_contains="【措施46】"), mark)
        said = await _send(
            world,
            request.message_id or 0,
            text_contains="已收到佐证材料",
            document=("验收报告.pdf", b"second", "application/pdf"),
        )
        assert "该措施已有佐证材料2份" in said
        assert (stored.parent / "46-验收报告(2).pdf").read_bytes() == b"second"
        mark = world.sandbox.mark()
        world.sandbox.post_message(chat, world.liaisons[FIN], "已出台指导目录", reply_to_message_id=request.message_id)
        ticket = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="【办结核实】"), mark)
        assert "佐证材料（2份，最近9月6日 09:00）：验收报告.pdf、验收报告.pdf" in (ticket.text or "")
        tid = (ticket.text or "").split("编号B", 1)[1].split("）", 1)[0]

        def bureau_files() -> list[OutgoingRecord]:
            return [r for r in world.sandbox.sent(BUREAU_CHAT, after=ticket.seq) if r.method == "sendDocument"]

        await eventually(lambda: len(bureau_files()) == 2)
        files_sent = bureau_files()
        assert [r.files[0].content for r in files_sent] == [PDF, b"second"]  # the files themselves, for the bureau
        assert files_sent[0].caption == f"【佐证材料】{FIN}措施46（办结核实B{tid}）：验收报告.pdf"
        # one more while the bureau has yet to decide: the ticket shows it too
        mark = world.sandbox.mark()
        await _send(
            world,
            int(checklist["message_id"]),
            text_contains="已收到佐证材料",
            document=("会议纪要.docx", b"PK minutes", "application/octet-stream"),
            caption="措施46 会议纪要",
        )
        edited = await world.wait(
            lambda r: r.is_edit and r.message_id == ticket.message_id and "会议纪要.docx" in (r.text or ""), mark
        )
        assert "佐证材料（3份" in (edited.text or "") and edited.reply_markup  # still to be decided
        third = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, method="sendDocument"), edited.seq)
        assert third.files[0].content == b"PK minutes" and "会议纪要.docx" in (third.caption or "")
        # the store, the audit trail and /measure
        files = world.runtime.store.evidence()
        assert [(e.measure, e.name) for e in files] == [
            (46, "验收报告.pdf"),
            (9, files[1].name),
            (46, "验收报告.pdf"),
            (46, "会议纪要.docx"),
        ]
        assert files[1].path.startswith(f"evidence/2021-W36/{FIN}/9-照片-") and files[1].size == len(PNG)
        audit = [a for a in world.runtime.store.audit("2021-W36") if a.action == "evidence"]
        assert [(a.measure, a.actor.user_id) for a in audit] == [(46, world.liaisons[FIN])] * 1 + [
            (9, world.liaisons[FIN]),
            (46, world.liaisons[FIN]),
            (46, world.liaisons[FIN]),
        ]
        shown = await world.command(chat, world.liaisons[FIN], "measure", "46")
        assert f"佐证材料：\n{FIN}（3份）：验收报告.pdf（9月6日 09:00）" in (shown.text or "")


async def test_bad_files_are_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        pid, chat = _pid(world), world.chats[FIN]
        listing = int(world.checklist(FIN)["message_id"])
        doc = ("报告.pdf", PDF, "application/pdf")
        said = await _send(world, listing, text_contains="未能确定", document=doc)
        assert "请在清单中点击措施编号后回复清单上传，或在文件说明中写明措施号" in said
        said = await _send(world, listing, text_contains="不属于本单位", document=doc, caption="措施1")
        assert said.startswith("该措施不属于本单位的责任事项")
        said = await _send(world, listing, text_contains="联络员", document=doc, caption="措施9", user=STRANGER)
        assert said.startswith("您不是本单位登记的联络员")
        big = ("台账.zip", b"\0" * (20 * 1024 * 1024 + 1), "application/zip")
        said = await _send(world, listing, text_contains="超过20MB", document=big, caption="措施9")
        assert "未保存" in said
        said = await _send(
            world, listing, text_contains="没有文件名", document=("", PDF, "application/pdf"), caption="9"
        )
        assert "未保存" in said
        # a note request from a round that has closed
        mark = world.sandbox.mark()
        await world.press(FIN, encode(Press(Act.STATUS, pid, 46, Status.DONE)))
        request = await world.wait(RecordFilter(chat_id=chat, method="sendMessage", text_contains="【措施46】"), mark)
        await world.tick(MONDAY.add(weeks=1))
        said = await _send(world, request.message_id or 0, text_contains="本轮报送已结束", document=doc)
        assert "不能再更改" in said
        assert world.runtime.store.evidence() == []
        assert not any(a.action == "evidence" for a in world.runtime.store.audit("2021-W36"))
        assert not (world.data_dir / "evidence").exists() or not any((world.data_dir / "evidence").rglob("*.*"))
