"""/status, /overdue, /measure, /help and the like, answered in Chinese; bad input gets an example."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.views.messages import COMMANDS, COORDINATORS_ONLY
from tests.e2e.harness import COORDINATOR, MONDAY, STRANGER, a_world

FIN = "市财政局"


def bound(name: str) -> bool:
    return name in (FIN, "市教育局")


async def test_status_and_overdue(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        private = COORDINATOR
        assert "目前尚未开启报送轮次" in (await world.command(private, COORDINATOR, "status")).text  # type: ignore[operator]
        await world.tick(MONDAY)
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
        await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.IN_PROGRESS)))
        await world.press(FIN, encode(Press(Act.STATUS, pid, 12, Status.NOT_STARTED)))

        overall = (await world.command(private, COORDINATOR, "status")).text or ""
        total = sum(len(world.runtime.duties[name]) for name in world.runtime.respondents if bound(name))
        assert f"应报送{total}项（措施×责任单位），已报送2项" in overall  # the units bound: 未绑定 ones apart
        unbound = len(world.runtime.respondents) - 2
        assert f"尚未绑定工作群的单位（{unbound}个，未绑定，不计入统计）：" in overall
        assert "🔵推进中 1" in overall and "⚪未启动 1" in overall

        finance = (await world.command(private, COORDINATOR, "status", "财政局")).text or ""
        assert finance.startswith("【市财政局落实情况】")
        assert "9.【配合】" in finance and "🔵推进中" in finance
        assert sum(line.endswith("▫️未报送") for line in finance.splitlines()) == 17

        measure = (await world.command(private, COORDINATOR, "status", "9")).text or ""
        assert "市财政局（配合）🔵推进中" in measure
        assert "市人力资源社会保障局（牵头）未绑定" in measure

        early = (await world.command(world.chats[FIN], STRANGER, "overdue")).text or ""
        assert "尚未到报送截止时间" in early

        world.clock.set(MONDAY.add(days=3, hours=8, minutes=1))  # Thursday 17:01, past due
        late = (await world.command(private, COORDINATOR, "overdue")).text or ""
        assert f"逾期未报送{total - 2}项" in late  # the bound units' items
        assert "市财政局（17项）" in late and "商河县" not in late.split("尚未绑定工作群的单位")[0]


async def test_measure_and_bad_arguments(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        info = (await world.command(COORDINATOR, COORDINATOR, "measure", "8")).text or ""
        assert "【措施8】二、延续稳岗扩岗政策" in info
        assert "牵头单位：市人力资源社会保障局" in info and "政策执行至：2022年4月30日" in info
        for argument, expected in (("", "用法：/measure 措施号"), ("abc", "例如：/measure 1"), ("64", "共63项措施")):
            reply = (await world.command(COORDINATOR, COORDINATOR, "measure", argument)).text or ""
            assert expected in reply, argument
        unknown = (await world.command(COORDINATOR, COORDINATOR, "frobnicate")).text or ""
        assert "无法识别的命令 /frobnicate" in unknown and "例如" in unknown
        nobody = (await world.command(COORDINATOR, COORDINATOR, "status", "不存在的局")).text or ""
        assert "未找到单位“不存在的局”" in nobody


async def test_coordinator_commands_are_for_coordinators(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        world.sandbox.create_private_chat(STRANGER)
        for command in ("invite", "round", "remind"):
            assert (await world.command(STRANGER, STRANGER, command, "市财政局")).text == COORDINATORS_ONLY
        assert world.runtime.store.rounds() == []


async def test_round_and_remind_by_hand(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        world.clock.set(MONDAY.add(days=1))
        reply = (await world.command(COORDINATOR, COORDINATOR, "round")).text or ""
        assert "已开启2021年第36周报送" in reply and "已向2个单位发送督办清单" in reply
        mark = world.sandbox.mark()
        reply = (await world.command(COORDINATOR, COORDINATOR, "remind")).text or ""
        assert "已向2个尚有未报送事项的单位发送催报" in reply
        nudge = await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="【催报】"), after=mark)
        assert "尚有19项未报送" in (nudge.text or "")


async def test_commands_are_registered(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        assert [c["command"] for c in world.sandbox.commands()] == [name for name, _ in COMMANDS]
        help_text = (await world.command(COORDINATOR, COORDINATOR, "help")).text or ""
        assert "/status 市发展改革委" in help_text  # an example of this deployment's own
