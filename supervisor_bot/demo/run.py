"""`make demo` / `python main.py demo --out DIR`: Jinan's showcase — the rehearsal machinery (demo/stage.py) over
a compressed month of 2021 with two plans in one bot: Jinan's 稳就业 plan, weekly, and 民生实事
(config/plans/minsheng-demo.txt, the project's own), monthly on the 6th. Simulated liaisons answer each plan's
checklist in the department groups (a unit in both plans has one group, bound once); a coordinator binds one group
with /invite and /bind and asks /status and /overdue. The conversation is printed as it happens; the state of every
measure of both plans at the end. No token, no network: everything runs on 127.0.0.1."""

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

from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.demo.cast import Cast, Chat, Habit
from supervisor_bot.demo.coordinator import Script
from supervisor_bot.demo.dashboard import WebDemo
from supervisor_bot.demo.stage import Stage, simulate, write_outputs
from supervisor_bot.settings.paths import default_plan
from supervisor_bot.settings.plans import PlanSettings
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.settings.storage import StorageSettings
from supervisor_bot.telegram.app import quiet_http_logs

TZ = "Asia/Shanghai"
START = pendulum.datetime(2021, 9, 6, 8, 0, tz=TZ)
END = pendulum.datetime(2021, 10, 9, 12, 0, tz=TZ)
SPEED = 36_000.0  # ten simulated hours a real second: the month takes about 80 seconds
INVITED = "市财政局"  # bound in chat with /invite and /bind (it answers in both plans); the rest in settings
JOBS, LIVES = "稳就业", "民生实事"  # the demo's two plans: Jinan's, weekly; the project's own, monthly on the 6th
CAST = Cast(
    coordinator=(10_001, "王协调"),
    bureau=Chat(-10_100, "市人社局就业促进与失业保险处"),
    leaders=Chat(-10_200, "市政府办公厅"),
    habits={"商河县": Habit.SILENT, "市民营经济局": Habit.LATE, "市住房城乡建设局": Habit.STRUGGLING},
    invited=INVITED,
)
COORDINATOR_SCRIPT = (
    Script(START.add(minutes=10), "invite", INVITED),
    Script(pendulum.datetime(2021, 9, 7, 10, 0, tz=TZ), "status", ""),
    Script(pendulum.datetime(2021, 9, 9, 17, 30, tz=TZ), "overdue"),
    Script(pendulum.datetime(2021, 9, 9, 17, 40, tz=TZ), "status", "市民营经济局"),
    Script(pendulum.datetime(2021, 9, 14, 10, 0, tz=TZ), "remind"),
)


def demo_plans(settings: Settings, several: bool = True) -> tuple[PlanSettings, ...]:
    """The plans the demo runs: Jinan's (the settings' weekly rounds) and the project's own 民生实事 (monthly on the
    6th) as a `[[plans]]` deployment would list them; not `several`: Jinan's alone, as a `[plan]` deployment."""
    if not several:
        return settings.plans
    monthly = replace(settings.schedule, cadence=Cadence.MONTHLY, monthday=6)
    return (
        PlanSettings(JOBS, settings.plan_file, settings.schedule, settings.office.plan_title),
        PlanSettings(LIVES, default_plan().parent / "minsheng-demo.txt", monthly),
    )


def prepare(out: Path, speed: float = SPEED, end: dt.datetime = END, several: bool = True) -> Stage:
    """The bot as `run` assembles it from the bundled settings (with the demo's plans, see demo_plans) on a fresh
    data folder under `out` (before the loop starts)."""
    settings = load_settings(environ={})
    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    chosen = replace(
        settings,
        data_dir=data,
        plans=demo_plans(settings, several),
        coordinators=frozenset({CAST.coordinator[0]}),
        bureau_chat=CAST.bureau.chat_id,
        leaders_chat=CAST.leaders.chat_id,
        bindings={},
        storage=StorageSettings(),  # the demo's data is files in DIR/data, whatever the bundled settings say
    )
    assembled = assemble(chosen, ManualClock(START))
    assert isinstance(assembled.store, TinyStore)
    return Stage(assembled.runtimes, assembled.store, START, end, speed, CAST, COORDINATOR_SCRIPT, data)


def run_demo(out: Path, speed: float = SPEED, echo: bool = True, end: dt.datetime = END, serve: bool = False) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_http_logs()
    stage = prepare(out, speed, end)  # the application's lifecycle closes the store
    try:
        played = asyncio.run(simulate(stage, echo, WebDemo(out, serve)))
    except KeyboardInterrupt:  # --serve ends with Ctrl-C
        return 0
    if echo:
        print("\n" + played.state)
    write_outputs(out, stage, played)
    if echo:
        print(
            f"\n输出目录：{out}（conversation.txt、state.txt、digest.txt、ledger.xlsx、progress.png、matrix.xlsx、web-*.png、data/）",
            file=sys.stderr,
        )
    return 0
