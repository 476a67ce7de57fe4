"""The rehearsal machinery: the real bot on the local sandbox over a stretch of simulated time, with simulated
liaisons in every unit's group, a coordinator and the leaders' chat. `make demo` (Jinan's showcase) and
`main.py rehearse` (a deployment's own plan and rules) are two casts of it. No token, no network: everything runs
on 127.0.0.1, in a data folder of its own."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storage.tinydb_store import TinyStore
from supervisor_bot.app.cycle import tick
from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.lifecycle import application
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.rounds import Round
from supervisor_bot.demo.cast import Cast, Habit
from supervisor_bot.demo.clock import RehearsalClock
from supervisor_bot.demo.coordinator import Coordinator, Script
from supervisor_bot.demo.dashboard import WebDemo, show_dashboard
from supervisor_bot.demo.final_state import final_state
from supervisor_bot.demo.liaisons import Asked, Liaisons, Member
from supervisor_bot.demo.printer import Printer
from supervisor_bot.exports.matrix_xlsx import write_matrix_xlsx
from supervisor_bot.sandbox import RateLimits, Sandbox
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.telegram.app import build_front

FIRST_USER, FIRST_CHAT = 20_000, -20_000  # the simulated liaisons' user ids and their groups' ids count from here


@dataclass(frozen=True)
class Stage:
    """One rehearsal: the bot's runtimes (one per plan, each on its view of the store; one for a one-plan
    deployment) and store (in a throw-away data folder), the simulated stretch of time and its pace, the cast and
    the coordinator's commands."""

    runtimes: tuple[Runtime, ...]
    store: TinyStore
    start: dt.datetime
    end: dt.datetime
    speed: float  # simulated seconds a real second
    cast: Cast
    script: tuple[Script, ...]
    data: Path

    @property
    def digests(self) -> Path:
        return self.data / "digests"

    @property
    def runtime(self) -> Runtime:
        """The first plan's (the only one of a one-plan deployment)."""
        return self.runtimes[0]

    @property
    def several(self) -> tuple[Runtime, ...]:
        """The plans as the application takes them: every plan's runtime when they are keyed, else ()."""
        return self.runtimes if any(rt.plan for rt in self.runtimes) else ()

    @property
    def units(self) -> list[str]:
        """Every unit asked in any plan, once (a unit in two plans has one group)."""
        return list(dict.fromkeys(unit for rt in self.runtimes for unit in rt.respondents))


@dataclass(frozen=True)
class Played:
    printer: Printer
    reported: int
    state: str
    members: tuple[Member, ...]
    shots: tuple[Path, ...]  # the dashboard's screenshots
    rounds: tuple[Round, ...]  # the rounds opened, as stored


def _people(sandbox: Sandbox, stage: Stage) -> tuple[list[Member], dict[int, str], list[Binding]]:
    cast = stage.cast
    user, name = cast.coordinator
    sandbox.add_user(user, name)
    sandbox.create_private_chat(user)
    titles = {user: "协调员（私聊）"}
    for chat in (cast.bureau, cast.leaders):
        sandbox.create_group(chat.title, chat.chat_id)
        titles[chat.chat_id] = chat.title
    members, bindings = [], []
    for index, unit in enumerate(stage.units, start=1):
        liaison, chat_id = FIRST_USER + index, cast.chats.get(unit, FIRST_CHAT - index)
        person = f"联络员{index:02d}"
        sandbox.add_user(liaison, person)
        sandbox.create_group(f"{unit}督办工作群", chat_id)
        titles[chat_id] = f"{unit}群"
        members.append(Member(unit, liaison, person, chat_id))
        if unit != cast.invited:
            bindings.append(Binding(unit, chat_id, frozenset({liaison}), True, f"{unit}督办工作群"))
    return members, titles, bindings


def _due(rt: Runtime) -> Callable[[dt.datetime], dt.datetime]:
    def due(now: dt.datetime) -> dt.datetime:
        """When the round a checklist belongs to falls due, as the schedule has it."""
        opened = rt.schedule.latest_opening(now, rt.calendar) or now
        found = rt.schedule.due_for(opened, rt.calendar)
        return found if found > now else rt.schedule.due_for(now, rt.calendar)

    return due


async def _drive(clock: RehearsalClock, shell: Shell, stop: asyncio.Event) -> None:
    """The bot's tick at every checkpoint, the clock held while it runs (see demo/clock.py)."""
    while not stop.is_set():
        moment = clock.now()
        if moment >= clock.barrier:
            with clock.held():
                await tick(shell, moment)
            clock.passed()
        await asyncio.sleep(0.002)


async def _until(clock: RehearsalClock, end: dt.datetime) -> None:
    """Until the simulated stretch is over (the clock's pace varies: it is asked, not computed)."""
    while clock.now() < end:  # noqa: ASYNC110 (a clock is polled, there is no event to wait on)
        await asyncio.sleep(0.05)


async def simulate(stage: Stage, echo: bool, web: WebDemo | None = None) -> Played:
    """The stretch itself: the sandbox, the bot, the liaisons and the coordinator, until `stage.end`; the dashboard
    over its data; then the final state."""
    rt, store, cast = stage.runtime, stage.store, stage.cast
    runtimes = stage.runtimes
    async with Sandbox() as sandbox:
        members, titles, bindings = _people(sandbox, stage)
        for binding in bindings:
            audit = AuditEntry(stage.start, SYSTEM, binding.chat_id, "bind", respondent=binding.respondent)
            store.save_binding(binding, audit)
        times = {t for r in runtimes for t in (r.schedule.opens_at, r.schedule.due_at, r.ladder.digest_at)}
        clock = RehearsalClock(stage.start, stage.speed, rt.calendar, rt.tz, times)
        printer = Printer(sandbox, clock, titles, echo, rt.tz)
        printer.say(
            f"开始：{len(members)}个责任单位工作群（{len(bindings)}个已在设置中绑定），模拟时钟每秒{stage.speed / 3600:g}小时"
        )
        for r in stage.several:  # several plans: each with its own rounds, one group per unit serving them all
            printer.say(f"方案【{r.plan}】{r.office.plan_title}：{len(r.respondents)}个责任单位")
        # Telegram's limits hold in the simulation's own time: 20 messages a simulated minute per group
        speed = stage.speed
        sandbox.set_limits(
            RateLimits(group_messages=20, group_window=60 / speed, total_messages=30, total_window=1 / speed)
        )
        asked = tuple(Asked(r.plan, r.duties, _due(r), r.item, r.label) for r in runtimes)
        liaisons = Liaisons(sandbox, clock, members, asked, printer.say, dict(cast.habits), rt.office.bureau)
        items = {r.plan: r.item for r in runtimes}
        coordinator = Coordinator(sandbox, clock, cast.coordinator[0], cast.bureau, members, printer.say, items)
        stop = asyncio.Event()
        async with application(rt, store, clock, stage.digests, stage.several) as parts:
            front = build_front(
                parts,
                store,
                token=sandbox.token,
                base_url=sandbox.url,
                tick_seconds=None,  # the rehearsal ticks at each checkpoint itself
                time_scale=speed,
            )
            async with front.running(long_poll=1):
                clock.restart()
                tasks = [
                    asyncio.create_task(_drive(clock, front.shell, stop)),
                    asyncio.create_task(printer.run(stop)),
                    asyncio.create_task(liaisons.run(stop)),
                    asyncio.create_task(coordinator.script(stage.script, cast.invited or "", stop)),
                    asyncio.create_task(coordinator.watch_bureau(stop)),
                ]
                await _until(clock, stage.end)
                printer.say(f"结束：联络员共报送{liaisons.reported}项")
                stop.set()
                await asyncio.gather(*tasks)
            shots: list[Path] = []
            if web is not None:  # the dashboard over the stretch's data: screenshots, and --serve
                silent = cast.unit(Habit.SILENT)
                shots = await show_dashboard(web, front.shell, stage.end, cast.coordinator, silent)
            state = "\n\n".join(final_state(r, stage.end) for r in runtimes)
            rounds = tuple(store.rounds())
    return Played(printer, liaisons.reported, state, tuple(members), tuple(shots), rounds)


def write_outputs(out: Path, stage: Stage, played: Played) -> list[Path]:
    """conversation.txt, state.txt, the plan's matrix.xlsx (each plan's matrix-KEY.xlsx) and the last digest the
    leaders received, with its files (a chart per plan when there are several)."""
    from supervisor_bot.exports.plans_ledger import sheet_name

    written = [out / "conversation.txt", out / "state.txt"]
    written[0].write_text("\n".join(played.printer.lines) + "\n", encoding="utf-8")
    written[1].write_text(played.state + "\n", encoding="utf-8")
    for rt in stage.runtimes:
        matrix = out / (f"matrix-{sheet_name(rt.plan)}.xlsx" if rt.plan else "matrix.xlsx")
        write_matrix_xlsx(rt.matrix, matrix)
        written.append(matrix)
    sent = sorted((p for p in stage.digests.glob("*") if (p / "digest.txt").exists()), key=lambda p: p.name)
    if sent:  # the last digest the bot sent, as the leaders received it
        last = sent[-1]
        for made in (last / "digest.txt", last / "ledger.xlsx", *sorted(last.glob("progress*.png"))):
            if made.exists():
                shutil.copyfile(made, out / made.name)
                written.append(out / made.name)
    return written
