"""A second deployment, as files only: another city's plan (17 measures numbered `（一）` in each part), its own
registry (with names that report nothing), a coordinating office that is 市政府督查室, no 约谈 measure — run from its
own settings file through two rounds to 约谈, with no word of Jinan's in any message."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pendulum

from supervisor_bot.app.clock import ManualClock
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.composition.lifecycle import application
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import OutgoingRecord, RecordFilter, Sandbox
from supervisor_bot.services import digests
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.telegram.app import build_front
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.conftest import DEPARTMENTS
from tests.e2e.harness import REDRAW_SPACING, World

DEPLOYMENT = Path(__file__).resolve().parent.parent / "deployments" / "jiangchuan"
SETTINGS = DEPLOYMENT / "settings.toml"
TZ = "Asia/Shanghai"
MONDAY = pendulum.datetime(2025, 3, 3, 9, 0, tz=TZ)
COORDINATOR, BUREAU, LEADERS = 700001, -700100, -700200  # as the deployment's settings.toml has them
SILENT = "市交通运输局"  # answers nothing: 临期提醒, 催办, 督办单, and after two rounds 约谈建议
UNBOUND = "西山区"  # a member of 各区人民政府 with no group yet: 未绑定, never overdue
NOT_UNITS = ("市直有关部门", "各有关单位")  # `reports = false` in the registry


def jinan_only_words() -> set[str]:
    """Names that come only from the Jinan files, and what the old code said of Jinan's plan."""

    def names(path: Path) -> set[str]:
        return {n for d in load_registry(path).departments for n in (d.name, *d.aliases, *d.members)}

    return (names(DEPARTMENTS) - names(DEPLOYMENT / "departments.toml")) | {
        "市人力资源社会保障局",
        "市人社局",
        "市政府办公厅",
        "济南",
        "第58项",
        "约谈制度",
        "2021",
    }


@asynccontextmanager
async def deployment(tmp: Path) -> AsyncIterator[World]:
    """The bot as `main.py --config tests/deployments/jiangchuan/settings.toml run` assembles it, on the sandbox."""
    async with Sandbox() as sandbox:
        settings = load_settings(
            SETTINGS, environ={"TELEGRAM_BASE_URL": sandbox.url, "SUPERVISOR_DATA_DIR": str(tmp / "data")}
        )
        world = World(sandbox, settings.data_dir, ManualClock(MONDAY.subtract(hours=1)))
        assembled = assemble(settings, world.clock)
        sandbox.add_user(COORDINATOR, "李督查")
        sandbox.create_private_chat(COORDINATOR)
        sandbox.create_group("市政府督查室", BUREAU)
        sandbox.create_group("市政府办公室", LEADERS)
        for index, name in enumerate(assembled.runtime.respondents, start=1):
            user, chat = 710000 + index, -710000 - index
            sandbox.add_user(user, f"{name}联络员")
            world.liaisons[name] = user
            if name == UNBOUND:
                continue
            sandbox.create_group(f"{name}督办工作群", chat)
            world.chats[name] = chat
            binding = Binding(name, chat, frozenset({user}), True, f"{name}督办工作群")
            assembled.store.save_binding(binding, AuditEntry(MONDAY, SYSTEM, chat, "bind", respondent=name))
        async with application(assembled.runtime, assembled.store, world.clock, world.data_dir / "digests") as parts:
            front = build_front(
                parts,
                assembled.store,
                token=sandbox.token,
                base_url=sandbox.url,
                tick_seconds=None,
                redraw_spacing=REDRAW_SPACING,
            )
            world.app, world.shell, world.front = front.app, front.shell, front
            async with front.running(long_poll=1):
                yield world


async def everyone_reports_but_the_silent(world: World) -> None:
    live = world.runtime.current_round()
    assert live is not None
    for name, chat in world.chats.items():
        if name == SILENT:
            continue
        prompt = next(p for p in world.runtime.store.prompts() if p.respondent == name and p.round_id == live.id)
        for duty in world.runtime.duties[name]:
            await world.press(name, encode(Press(Act.STATUS, prompt.id, duty.measure.number, Status.IN_PROGRESS)))
        assert chat


def first(world: World, found: Callable[[OutgoingRecord], bool]) -> OutgoingRecord | None:
    return next((r for r in world.sandbox.sent() if found(r)), None)


async def ask(world: World, command: str, args: str = "") -> str:
    return (await world.command(COORDINATOR, COORDINATOR, command, args)).text or ""


async def a_week(world: World, monday: pendulum.DateTime) -> None:
    await world.tick(monday)
    await everyone_reports_but_the_silent(world)
    for moment in (monday.add(days=2, hours=8), monday.add(days=3, hours=8), monday.add(days=4, hours=8)):
        await world.tick(moment)  # Wednesday 17:00 临期提醒, Thursday 17:00 催办, Friday 17:00 督办单 and digest


async def test_a_second_deployment_runs_to_yuetan_with_no_word_of_jinan(tmp_path: Path) -> None:
    async with deployment(tmp_path) as world:
        rt = world.runtime
        assert len(rt.matrix.measures) == 17 and rt.office.bureau == "市政府督查室" and rt.office.basis is None
        assert not set(NOT_UNITS) & set(rt.respondents)  # kept in the matrix, never asked
        assert {d.name for d in rt.matrix.departments} >= set(NOT_UNITS)
        answers = [await ask(world, "help"), await ask(world, "invite"), await ask(world, "yuetan")]
        answers.append(await ask(world, "measure", "四十"))

        await a_week(world, MONDAY)
        mark = world.sandbox.mark()
        answers += [await ask(world, "status"), await ask(world, "overdue"), await ask(world, "status", "二（三）")]
        answers.append(await ask(world, "measure", "二(三)"))
        assert answers[-1].startswith("【措施二（三）】二、优化项目建设环境")
        assert "市交通运输局（牵头）" in answers[-2] and "西山区（配合）未绑定" in answers[-2]
        overdue, apart = answers[-3].split("尚未绑定工作群的单位")
        assert (
            SILENT in overdue
            and "措施二（一）（未按时报送）、措施二（三）（未按时报送）、措施二（六）" in overdue
            and UNBOUND not in overdue
        )
        assert UNBOUND in apart

        urge = first(world, lambda r: r.chat_id == world.chats[SILENT] and "【催办】" in (r.text or ""))
        assert urge is not None and "将于下一个工作日报市政府督查室督办" in (urge.text or "")
        ticket = first(world, lambda r: r.chat_id == BUREAU and "【督办单】" in (r.text or ""))
        assert ticket is not None and f"被督办单位：{SILENT}" in (ticket.text or "")
        assert "依据" not in (ticket.text or "")  # the plan has no 约谈 measure, the settings no basis
        digest = first(world, lambda r: r.chat_id == LEADERS and "【督办周报】" in (r.text or ""))
        assert digest is not None
        assert (digest.text or "").startswith(
            "【督办周报】江川市优化营商环境三年行动实施方案落实情况（2025年第10周）\n报：市政府办公室\n"
        )
        assert "\n报：市政府办公室\n" in (digest.text or "") and "尚未绑定工作群的单位（1个" in (digest.text or "")
        assert mark

        def reminded() -> int:  # the coordinators are reminded of the units not yet bound, once a round
            said = (r.text or "" for r in world.sandbox.sent(BUREAU))
            return sum(f"尚未绑定工作群的单位（1个）：{UNBOUND}" in t for t in said)

        assert reminded() == 1
        await a_week(world, MONDAY.add(weeks=1))
        assert reminded() == 2
        built = digests.digest(rt, rt.ladder, world.clock.now())
        assert built is not None and built.unbound == (UNBOUND,)
        assert UNBOUND not in {row.respondent for row in built.ledger} | {o.respondent for o in built.lowest_on_time}
        assert SILENT in {o.respondent for o in built.lowest_on_time}
        assert {row.shown for row in built.red} == {"二（一）", "二（三）", "二（六）"}
        proposal = await world.wait(RecordFilter(chat_id=LEADERS, text_contains="【约谈建议】"))
        text = proposal.text or ""
        assert f"拟约谈：{SILENT}" in text and "依据" not in text
        held, deadline = re.findall(r"/yuetan \S+ (\d{4}-\d\d-\d\d) .*?整改期限(\d{4}-\d\d-\d\d)）", text)[0]
        assert deadline > held  # the suggested 整改期限 comes after the interview
        answers.append(await ask(world, "yuetan", f"{SILENT} {held} 明确专人负责，每周按时报送 整改期限{deadline}"))
        assert "【约谈纪要】" in answers[-1]

        said = [r.text or r.caption or "" for r in world.sandbox.outgoing()] + answers
        jinan = jinan_only_words()
        for message in said:
            found = [w for w in jinan if w in message]
            assert not found, (found, message)
            numbers = [int(n) for n in re.findall(r"(?:措施|第)(\d+)", message)]
            assert all(n <= 17 for n in numbers), message
        assert sum("【约谈建议】" in m for m in said) >= 2  # to the bureau and to the leaders
        print(f"\nsecond deployment: {len(said)} messages and answers read, {len(jinan)} Jinan-only words, none found")
