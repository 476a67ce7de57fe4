"""`make demo` / `python main.py demo --out DIR`: Jinan's showcase — the rehearsal machinery (demo/stage.py) over
a compressed month of 2021 with Jinan's plan: simulated liaisons answer in 47 department groups; a coordinator
binds one group with /invite and /bind and asks /status and /overdue. The conversation is printed as it happens;
the state of every measure at the end. No token, no network: everything runs on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import shutil
import sys
from pathlib import Path

import pendulum

from storage.tinydb_store import TinyStore
from supervisor_bot.composition.assemble import office_of
from supervisor_bot.demo.cast import Cast, Chat, Habit
from supervisor_bot.demo.coordinator import Script
from supervisor_bot.demo.dashboard import WebDemo
from supervisor_bot.demo.stage import Stage, simulate, write_outputs
from supervisor_bot.services.plans import load_plan
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.telegram.app import quiet_http_logs

TZ = "Asia/Shanghai"
START = pendulum.datetime(2021, 9, 6, 8, 0, tz=TZ)
END = pendulum.datetime(2021, 10, 9, 12, 0, tz=TZ)
SPEED = 36_000.0  # ten simulated hours a real second: the month takes about 80 seconds
INVITED = "市财政局"  # bound in chat with /invite and /bind; the rest are bound in settings
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


def prepare(out: Path, speed: float = SPEED, end: dt.datetime = END) -> Stage:
    """Jinan's plan and settings on a fresh data folder under `out` (before the loop starts)."""
    settings = load_settings(environ={})
    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    store = TinyStore(data, group_commit=True)
    matrix = load_plan(settings.plan_file, settings.departments_file).matrix
    runtime = Runtime(
        matrix=matrix,
        registry=load_registry(settings.departments_file),
        store=store,
        calendar=load_calendar(settings.calendar_overrides),
        schedule=settings.schedule,
        coordinators=frozenset({CAST.coordinator[0]}),
        bureau_chat=CAST.bureau.chat_id,
        leaders_chat=CAST.leaders.chat_id,
        deployment=office_of(settings, matrix),
    )
    return Stage(runtime, store, START, end, speed, CAST, COORDINATOR_SCRIPT, data)


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
