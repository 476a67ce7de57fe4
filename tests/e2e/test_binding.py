"""Binding a department's group with /invite and /bind; a group the bot leaves, or that becomes a supergroup."""

from __future__ import annotations

import re
from pathlib import Path

from supervisor_bot.core.bindings import BindRefusal
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.messages import BIND_REFUSALS
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, MONDAY, STRANGER, World, a_world, eventually

EDU = "市教育局"
FIN = "市财政局"


async def invite_code(world: World, department: str) -> str:
    reply = (await world.command(COORDINATOR, COORDINATOR, "invite", department)).text or ""
    assert "生成一次性绑定码" in reply
    found = re.search(r"/bind ([A-Z0-9]{8})", reply)
    assert found is not None
    return found.group(1)


async def test_invite_then_bind_in_the_group(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        code = await invite_code(world, "教育局")
        group = world.sandbox.create_group("市教育局稳就业工作群", -5001)["id"]
        liaison = world.liaisons[EDU]
        mark = world.sandbox.mark()
        world.sandbox.post_command(group, liaison, "bind", code)
        confirmation = await world.wait(RecordFilter(chat_id=group, text_contains="绑定成功"), after=mark)
        assert "本群为市教育局的督办工作群" in (confirmation.text or "")
        checklist = await world.wait(RecordFilter(chat_id=group, text_contains="单位：市教育局"), after=mark)
        assert checklist.reply_markup is not None  # the live round's checklist, straight away
        bound = world.runtime.binding_of(EDU)
        assert bound is not None and bound.chat_id == group and liaison in bound.liaisons
        assert [a.action for a in world.runtime.store.audit(None)][-1] == "bind"

        again = (await world.command(group, STRANGER, "bind", code)).text
        assert again == BIND_REFUSALS[BindRefusal.USED]


async def test_bind_refusals(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        world.clock.set(MONDAY)
        code = await invite_code(world, EDU)
        liaison = world.liaisons[EDU]
        world.sandbox.create_private_chat(liaison)
        assert (await world.command(liaison, liaison, "bind", code)).text == BIND_REFUSALS[BindRefusal.PRIVATE_CHAT]
        finance_group = world.chats[FIN]
        assert (await world.command(finance_group, liaison, "bind", code)).text == BIND_REFUSALS[BindRefusal.CHAT_TAKEN]
        group = world.sandbox.create_group("市教育局群", -5002)["id"]
        assert (await world.command(group, liaison, "bind", "WRONG123")).text == BIND_REFUSALS[BindRefusal.UNKNOWN_CODE]
        assert (await world.command(group, liaison, "bind")).text is not None
        world.clock.set(MONDAY.add(days=4))
        assert (await world.command(group, liaison, "bind", code)).text == BIND_REFUSALS[BindRefusal.EXPIRED]
        assert world.runtime.binding_of(EDU) is None


async def test_invite_needs_a_private_chat_and_a_known_department(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        assert "私聊" in ((await world.command(BUREAU_CHAT, COORDINATOR, "invite", EDU)).text or "")
        assert "未找到单位“市宇宙局”" in (
            (await world.command(COORDINATOR, COORDINATOR, "invite", "市宇宙局")).text or ""
        )
        vague = (await world.command(COORDINATOR, COORDINATOR, "invite", "各区县政府")).text or ""
        assert "对应多个单位" in vague and "历下区" in vague


async def test_removed_from_a_group(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name in (FIN, EDU)) as world:
        await world.tick(MONDAY)
        mark = world.sandbox.mark()
        world.sandbox.remove_bot_from_chat(world.chats[FIN])
        told = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="已被移出"), after=mark)
        assert FIN in (told.text or "")
        binding = world.runtime.binding_of(FIN)
        assert binding is not None and not binding.active
        await world.tick(MONDAY.add(weeks=1))  # the next round goes to the other department only
        assert not [r for r in world.sandbox.sent(world.chats[FIN]) if r.seq > mark]
        assert [r for r in world.sandbox.sent(world.chats[EDU]) if r.seq > mark]


async def test_a_group_that_becomes_a_supergroup(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        new_chat = world.sandbox.migrate_chat(world.chats[FIN])

        def moved() -> bool:
            binding = world.runtime.binding_of(FIN)
            return binding is not None and binding.chat_id == new_chat

        await eventually(moved)
        mark = world.sandbox.mark()
        await world.tick(MONDAY.add(minutes=5))
        resent = await world.wait(RecordFilter(chat_id=new_chat, text_contains="单位：市财政局"), after=mark)
        assert resent.reply_markup is not None
