"""`python main.py rehearse [--config PATH] [--months N] [--out DIR]`: a deployment rehearses itself — its own plan,
registry, names, cadence, ladder, scoring and digest, from today, on the built-in sandbox, in a throw-away data
folder (never the deployment's own), with simulated liaisons for every unit it asks (most answer, one late, one
有困难 with a note and a 佐证材料, one never), a simulated coordinator and the leaders' chat."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import tempfile
from pathlib import Path

import pendulum

from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.composition.assemble import assemble
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.demo.cast import Cast, Chat, Habit, choose_habits
from supervisor_bot.demo.coordinator import Script
from supervisor_bot.demo.dashboard import WebDemo
from supervisor_bot.demo.stage import Stage, simulate, write_outputs
from supervisor_bot.demo.summary import summary
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.settings.storage import StorageSettings
from supervisor_bot.telegram.app import quiet_http_logs

SPEED = 36_000.0  # ten simulated hours a real second
COORDINATOR, BUREAU, LEADERS = 10_001, -10_100, -10_200  # when the settings name none


def default_months(settings: Settings) -> int:
    """Long enough for the ladder to reach 约谈建议 in every plan: a month of weekly rounds, three of monthly, six
    of quarterly."""
    months = {Cadence.WEEKLY: 1, Cadence.MONTHLY: 3, Cadence.QUARTERLY: 6}
    return max((months[plan.schedule.cadence] for plan in settings.plans), default=months[settings.schedule.cadence])


def cast_for(settings: Settings, runtimes: tuple[Runtime, ...]) -> Cast:
    """The deployment's own people where its settings name them; simulated ones where they do not (a unit in
    several plans is one liaison in one group, of one habit in every plan)."""
    units = list(dict.fromkeys(u for rt in runtimes for u in rt.respondents))
    duties = {u: tuple(d for rt in runtimes for d in rt.duties.get(u, ())) for u in units}
    habits = choose_habits(units, duties)
    invited = next((u for u in units if u not in habits and u not in settings.bindings and duties.get(u)), None)
    rt = runtimes[0]
    return Cast(
        coordinator=(min((int(c) for c in settings.coordinators), default=COORDINATOR), "王协调"),
        bureau=Chat(int(settings.bureau_chat or BUREAU), rt.office.bureau),
        leaders=Chat(int(settings.leaders_chat or LEADERS), rt.office.leaders or "领导"),
        habits=habits,
        invited=invited,
        chats={u: int(c) for u, c in settings.bindings.items() if u in units},
    )


def _first_opening(rt: Runtime, start: pendulum.DateTime) -> pendulum.DateTime:
    first = rt.schedule.next_slots(start, rt.calendar, 1)
    return pendulum.instance(first[0].at) if first else start.add(days=1)


def script_for(runtimes: tuple[Runtime, ...], cast: Cast, start: pendulum.DateTime) -> tuple[Script, ...]:
    """The coordinator's commands, timed by the deployment's own schedule (the plan whose round opens first):
    /invite at once, /status the day after the first round opens, /measure on the struggling unit's measure (named
    with its plan's key when there are several), /overdue and a late unit's /status just after the first due
    time."""
    rt = min(runtimes, key=lambda r: _first_opening(r, start))
    opened = _first_opening(rt, start)
    due = rt.schedule.due_for(opened, rt.calendar)
    steps = [Script(start.add(minutes=10), "invite", cast.invited)] if cast.invited else []
    steps.append(Script(opened.add(hours=25), "status", ""))
    struggling = cast.unit(Habit.STRUGGLING)
    theirs = next((r for r in runtimes if struggling and r.duties.get(struggling)), None)
    if struggling and theirs is not None:
        label = theirs.label(theirs.duties[struggling][0].measure.number)
        steps.append(Script(opened.add(hours=25, minutes=10), "measure", f"{theirs.plan} {label}".lstrip()))
    steps.append(Script(due.add(minutes=30), "overdue"))
    late = cast.unit(Habit.LATE)
    if late:
        steps.append(Script(due.add(minutes=40), "status", late))
    return tuple(sorted(steps, key=lambda s: s.at))


def prepare(settings: Settings, data: Path, start: pendulum.DateTime, months: int, speed: float) -> Stage:
    """The deployment as `run` assembles it, on the throw-away data folder `data`, its chats and coordinator
    simulated where the settings leave them out."""
    chosen = dataclasses.replace(
        settings,
        data_dir=data,
        coordinators=settings.coordinators or frozenset({COORDINATOR}),
        bureau_chat=settings.bureau_chat or BUREAU,
        leaders_chat=settings.leaders_chat or LEADERS,
        storage=StorageSettings(),  # a rehearsal's data is throw-away files, never the deployment's database
    )
    assembled = assemble(chosen, ManualClock(start))
    assert isinstance(assembled.store, TinyStore)
    runtimes = assembled.runtimes
    cast = cast_for(settings, runtimes)
    end = start.add(months=months)
    return Stage(runtimes, assembled.store, start, end, speed, cast, script_for(runtimes, cast, start), data)


def run_rehearsal(
    out: Path,
    months: int | None = None,
    speed: float = SPEED,
    echo: bool = True,
    start: dt.datetime | None = None,
) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_http_logs()
    settings = load_settings(environ={**os.environ, "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_BASE_URL": ""})
    tz = settings.timezone
    start = start or settings.clock_start  # SUPERVISOR_CLOCK_START: rehearse from another day than today
    begin = pendulum.instance(start).in_timezone(tz) if start else pendulum.today(tz).add(hours=8)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rehearsal-") as scratch:
        stage = prepare(settings, Path(scratch) / "data", begin, months or default_months(settings), speed)
        played = asyncio.run(simulate(stage, echo, WebDemo(out)))
        written = write_outputs(out, stage, played) + list(played.shots)
        page = summary(stage, played, [*written, out / "summary.txt"])
        (out / "summary.txt").write_text(page + "\n", encoding="utf-8")
    print("\n" + page, flush=True)
    return 0
