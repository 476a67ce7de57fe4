"""`make demo` / `python main.py demo --out DIR`: the real bot on the local sandbox over a compressed month.

Two plans in one bot: Jinan's 稳就业 plan, weekly, and 民生实事 (config/plans/minsheng-demo.txt, written for the
demo), monthly — a department in both is bound once and gets each plan's checklist. Simulated liaisons answer in
the department groups; a coordinator binds one group with /invite and /bind and asks /status and /overdue. The
conversation is printed as it happens; the state of every measure at the end. No token, no network: everything
runs on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pendulum

from storage.plan_scope import PlanScope
from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import FastClock
from supervisor_bot.composition.assemble import office_of
from supervisor_bot.composition.lifecycle import application
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.demo.coordinator import Coordinator, Script
from supervisor_bot.demo.dashboard import WebDemo, show_dashboard
from supervisor_bot.demo.final_state import final_state
from supervisor_bot.demo.liaisons import Liaisons, Member, prompt_id_of
from supervisor_bot.exports.matrix_xlsx import write_matrix_xlsx
from supervisor_bot.sandbox import RateLimits, Sandbox
from supervisor_bot.services.plans import load_plan
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import default_plan
from supervisor_bot.settings.plans import PlanSettings
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.telegram.app import build_front, quiet_http_logs
from supervisor_bot.views import fmt

START = pendulum.datetime(2021, 9, 6, 8, 0, tz="Asia/Shanghai")
END = pendulum.datetime(2021, 10, 9, 12, 0, tz="Asia/Shanghai")
SPEED = 36_000.0  # ten simulated hours a real second: the month takes about 80 seconds
COORDINATOR = 10_001
BUREAU_CHAT = -10_100
LEADERS_CHAT = -10_200
INVITED = "市财政局"  # bound in chat with /invite and /bind; the rest are bound in settings
JOBS, LIVES = "稳就业", "民生实事"  # the demo's two plans: Jinan's, weekly; the demo's own, monthly
LIVES_TITLE = "济南市民生实事项目推进分工方案（演示）"


COORDINATOR_SCRIPT = (
    Script(START.add(minutes=10), "invite", INVITED),
    Script(pendulum.datetime(2021, 9, 7, 10, 0, tz="Asia/Shanghai"), "status", ""),
    Script(pendulum.datetime(2021, 9, 9, 17, 30, tz="Asia/Shanghai"), "overdue"),
    Script(pendulum.datetime(2021, 9, 9, 17, 40, tz="Asia/Shanghai"), "status", "市民营经济局"),
    Script(pendulum.datetime(2021, 9, 14, 10, 0, tz="Asia/Shanghai"), "remind"),
)


class Printer:
    """Prints what happens, stamped with the simulated time, and keeps a copy for conversation.txt."""

    def __init__(self, sandbox: Sandbox, clock: FastClock, titles: dict[int, str], echo: bool) -> None:
        self.sandbox, self.clock, self.titles, self.echo = sandbox, clock, titles, echo
        self.lines: list[str] = []

    def say(self, text: str) -> None:
        stamp = fmt.local(self.clock.now(), "Asia/Shanghai")
        line = f"[{stamp.month:>2}月{stamp.day:>2}日 周{'一二三四五六日'[stamp.weekday()]} {stamp.hour:02d}:{stamp.minute:02d}] {text}"
        self.lines.append(line)
        if self.echo:
            print(line, flush=True)

    async def run(self, stop: asyncio.Event) -> None:
        read = 0
        while not stop.is_set():
            fresh = self.sandbox.outgoing(after=read)
            read += len(fresh)
            for record in (r for r in fresh if r.is_send):
                text = record.text or record.caption or ""
                title = self.titles.get(record.chat_id or 0, str(record.chat_id))
                if record.files:
                    self.say(f"机器人 → {title}：[附件] {record.files[0].filename}")
                    continue
                if not text or prompt_id_of(record) or "请回复本消息" in text or text.startswith("已记录"):
                    continue  # checklists, note requests and confirmations: the liaisons' lines say it
                body = " / ".join(line for line in text.splitlines()[:4] if line.strip())
                self.say(f"机器人 → {title}：{fmt.clip(body, 160)}")
            await asyncio.sleep(0.02)


def _people(sandbox: Sandbox, runtimes: tuple[Runtime, ...]) -> tuple[list[Member], dict[int, str], list[Binding]]:
    sandbox.add_user(COORDINATOR, "王协调")
    sandbox.create_private_chat(COORDINATOR)
    titles = {COORDINATOR: "协调员（私聊）"}
    for chat, title in ((BUREAU_CHAT, "市人社局就业促进与失业保险处"), (LEADERS_CHAT, "市政府办公厅")):
        sandbox.create_group(title, chat)
        titles[chat] = title
    members, bindings = [], []
    names = dict.fromkeys(name for rt in runtimes for name in rt.respondents)  # a unit of both plans: one group
    for index, name in enumerate(names, start=1):
        user, chat = 20_000 + index, -20_000 - index
        person = f"联络员{index:02d}"
        sandbox.add_user(user, person)
        sandbox.create_group(f"{name}督办工作群", chat)
        titles[chat] = f"{name}群"
        members.append(Member(name, user, person, chat))
        if name != INVITED:
            bindings.append(Binding(name, chat, frozenset({user}), True, f"{name}督办工作群"))
    return members, titles, bindings


def demo_plans(settings: Settings, several: bool = True) -> tuple[PlanSettings, ...]:
    """The plans the demo runs: a `[[plans]]` deployment's own; with the bundled Jinan plan, Jinan's (weekly) and
    the demo's own 民生实事 (monthly on the 6th); another `[plan]` deployment's one plan, as it is (and the one
    plan when `several` is False: the WeCom month's)."""
    if not several:
        return settings.plans[:1]
    if settings.keyed or settings.plan_file.resolve() != default_plan().resolve():
        return settings.plans
    monthly = replace(settings.schedule, cadence=Cadence.MONTHLY, monthday=6)
    return (
        PlanSettings(JOBS, settings.plan_file, settings.schedule, settings.office.plan_title),
        PlanSettings(LIVES, default_plan().parent / "minsheng-demo.txt", monthly, LIVES_TITLE),
    )


def prepare(out: Path, several: bool = True) -> tuple[tuple[Runtime, ...], TinyStore]:
    """The runtimes of the demo's plans (see demo_plans) and their store, on a fresh data directory under `out`
    (before the loop starts)."""
    settings = load_settings(environ={})
    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    registry = load_registry(settings.departments_file)
    store = TinyStore(data, group_commit=True)
    plans = [(p.key, p.file, p.schedule, p.title) for p in demo_plans(settings, several)]
    runtimes = []
    for key, file, schedule, title in plans:
        matrix = load_plan(file, settings.departments_file).matrix
        runtimes.append(
            Runtime(
                matrix=matrix,
                registry=registry,
                store=PlanScope(store, key) if key else store,
                calendar=load_calendar(settings.calendar_overrides),
                schedule=schedule,
                coordinators=frozenset({COORDINATOR}),
                bureau_chat=BUREAU_CHAT,
                leaders_chat=LEADERS_CHAT,
                deployment=office_of(settings, matrix, title),
                plan=key,
            )
        )
    return tuple(runtimes), store


def write_outputs(out: Path, runtime: Runtime, printer: Printer, state: str, digests: Path) -> None:
    (out / "conversation.txt").write_text("\n".join(printer.lines) + "\n", encoding="utf-8")
    (out / "state.txt").write_text(state + "\n", encoding="utf-8")
    write_matrix_xlsx(runtime.matrix, out / "matrix.xlsx")
    sent = sorted((p for p in digests.glob("*-W*") if (p / "digest.txt").exists()), key=lambda p: p.name)
    if sent:  # the last digest the bot sent, as the leaders received it (each plan's chart)
        for made in (sent[-1] / "digest.txt", sent[-1] / "ledger.xlsx", *sent[-1].glob("progress*.png")):
            shutil.copyfile(made, out / made.name)


async def simulate(
    runtimes: tuple[Runtime, ...],
    store: TinyStore,
    speed: float,
    echo: bool,
    end: dt.datetime,
    digests: Path,
    web: WebDemo | None = None,
) -> tuple[Printer, int, str]:
    """The month itself: the sandbox, the bot, the liaisons and the coordinator, until `end`; the dashboard over
    the month's data; then the final state."""
    async with Sandbox() as sandbox:
        members, titles, bindings = _people(sandbox, runtimes)
        for binding in bindings:
            store.save_binding(
                binding,
                AuditEntry(START, SYSTEM, binding.chat_id, "bind", respondent=binding.respondent, note="settings.toml"),
            )
        clock = FastClock(START, speed)
        printer = Printer(sandbox, clock, titles, echo)
        printer.say(
            f"演示开始：{len(members)}个责任单位工作群（{len(bindings)}个已在设置中绑定），模拟时钟每秒{speed / 3600:g}小时"
        )
        # Telegram's limits hold in the simulation's own time: 20 messages a simulated minute per group
        sandbox.set_limits(
            RateLimits(group_messages=20, group_window=60 / speed, total_messages=30, total_window=1 / speed)
        )
        liaisons = Liaisons(sandbox, clock, members, {rt.plan: rt.duties for rt in runtimes}, printer.say)
        coordinator = Coordinator(sandbox, clock, COORDINATOR, BUREAU_CHAT, members, printer.say)
        stop = asyncio.Event()
        several = runtimes if len(runtimes) > 1 or runtimes[0].plan else ()
        async with application(runtimes[0], store, clock, digests, several) as parts:
            front = build_front(
                parts,
                store,
                token=sandbox.token,
                base_url=sandbox.url,
                tick_seconds=max(0.1, 60 / speed),
                time_scale=speed,
            )
            async with front.running(long_poll=1):
                clock.restart()
                tasks = [
                    asyncio.create_task(printer.run(stop)),
                    asyncio.create_task(liaisons.run(stop)),
                    asyncio.create_task(coordinator.script(COORDINATOR_SCRIPT, INVITED, stop)),
                    asyncio.create_task(coordinator.watch_bureau(stop)),
                ]
                await asyncio.sleep(clock.real_seconds(end - clock.now()))
                printer.say(f"演示结束：联络员共报送{liaisons.reported}项")
                stop.set()
                await asyncio.gather(*tasks)
            if web is not None:  # the dashboard over the month's data: screenshots, and --serve
                await show_dashboard(web, front.shell, end, (COORDINATOR, "王协调"))
            state = "\n\n".join(final_state(rt, end) for rt in runtimes)
    return printer, liaisons.reported, state


def run_demo(out: Path, speed: float = SPEED, echo: bool = True, end: dt.datetime = END, serve: bool = False) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_http_logs()
    runtimes, store = prepare(out)  # the application's lifecycle closes the store
    digests = out / "data" / "digests"
    try:
        printer, _, state = asyncio.run(simulate(runtimes, store, speed, echo, end, digests, WebDemo(out, serve)))
    except KeyboardInterrupt:  # --serve ends with Ctrl-C
        return 0
    if echo:
        print("\n" + state)
    write_outputs(out, runtimes[0], printer, state, digests)
    if echo:
        print(
            f"\n输出目录：{out}（conversation.txt、state.txt、digest.txt、ledger.xlsx、progress.png、matrix.xlsx、web-*.png、data/）",
            file=sys.stderr,
        )
    return 0
