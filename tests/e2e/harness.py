"""A world for end-to-end tests: the real Application over real HTTP against the local Bot API sandbox,
department groups with their liaisons, a coordinator, and a clock the test sets."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum

from storage.plan_scope import PlanScope
from storage.tinydb_store import TinyStore
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.lifecycle import application
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.respondents import respondents
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import OutgoingRecord, RateLimits, RecordFilter, Sandbox
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.telegram.app import TelegramFront, build_front
from supervisor_bot.telegram.context import BotApp
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN

TZ = "Asia/Shanghai"
MONDAY = pendulum.datetime(2021, 9, 6, 9, 0, tz=TZ)
COORDINATOR = 900001
STRANGER = 900002
LEADER = 900003  # `people.leaders`: reads scores
BUREAU_CHAT = -900100
LEADERS_CHAT = -900200


WAIT_SECONDS = 10.0
REDRAW_SPACING = 0.02  # seconds between two redraws of a checklist: the simulated liaisons press far faster than people


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait until the bot has handled an update that leaves no message behind."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the condition never held")
        await asyncio.sleep(0.02)


def liaison_id(index: int) -> int:
    return 100000 + index


@dataclass
class World:
    sandbox: Sandbox
    data_dir: Path
    clock: ManualClock
    chats: dict[str, int] = field(default_factory=dict)  # respondent → its group
    liaisons: dict[str, int] = field(default_factory=dict)  # respondent → its liaison
    schedule: RoundSchedule = field(default_factory=RoundSchedule)
    ladder: LadderConfig = field(default_factory=LadderConfig)
    plans: tuple[tuple[str, Path, RoundSchedule], ...] = ()  # several plans: (key, file, schedule) each
    time_scale: float = 1.0  # Telegram's limits (20 a minute per group) held this many times faster
    app: BotApp | None = None
    shell: Shell | None = None
    front: TelegramFront | None = None
    _running: AsyncExitStack | None = None

    async def start(self, store: TinyStore | None = None) -> None:
        self._running = AsyncExitStack()
        await self._running.enter_async_context(running(self, store))

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.aclose()
            self._running = None

    async def restart(self) -> None:
        """Stop the bot and start it again on what it left on disk."""
        await self.stop()
        await self.start()

    @property
    def runtime(self) -> Runtime:
        assert self.shell is not None
        return self.shell.runtime

    async def tick(self, now: dt.datetime | None = None) -> None:
        assert self.app is not None and self.shell is not None
        if now is not None:
            self.clock.set(now)
        await cycle.tick(self.shell, now or self.clock.now())

    async def wait(self, predicate: Callable[[OutgoingRecord], bool], after: int = 0) -> OutgoingRecord:
        return await self.sandbox.wait_for(predicate, timeout=WAIT_SECONDS, after=after)

    async def command(self, chat_id: int, user_id: int, command: str, args: str = "") -> OutgoingRecord:
        """Post a command and wait for the bot's reply in that chat."""
        mark = self.sandbox.mark()
        self.sandbox.post_command(chat_id, user_id, command, args)
        return await self.wait(RecordFilter(chat_id=chat_id, method="sendMessage"), after=mark)

    def checklist(self, respondent: str) -> dict[str, Any]:
        """The live checklist message in the respondent's group."""
        chat = self.chats[respondent]
        prompts = [p for p in self.runtime.store.prompts() if p.respondent == respondent and p.message_id]
        assert prompts, f"no checklist for {respondent}"
        message = self.sandbox.message(chat, int(prompts[-1].message_id or 0))
        assert message is not None
        return message

    async def press_on(self, chat_id: int, message_id: int, data: str, user_id: int = COORDINATOR) -> str:
        """Press a button on any of the bot's messages; returns the answer's text."""
        query = self.sandbox.press_button(chat_id, message_id, user_id, raw_data=data)
        answer = await self.sandbox.wait_for_callback_answer(query, timeout=WAIT_SECONDS)
        return answer.text or ""

    async def press(self, respondent: str, data: str, user_id: int | None = None, chat_id: int | None = None) -> str:
        """Press a button (raw callback data) on the respondent's checklist; returns the answer's text."""
        chat = chat_id if chat_id is not None else self.chats[respondent]
        message = self.checklist(respondent) if chat_id is None else None
        message_id = message["message_id"] if message else self._latest_bot_message(chat)
        mark = self.sandbox.mark()
        query = self.sandbox.press_button(chat, message_id, user_id or self.liaisons[respondent], raw_data=data)
        answer = await self.sandbox.wait_for_callback_answer(query, timeout=WAIT_SECONDS)
        if not answer.show_alert:  # accepted: the checklist is redrawn right after the answer
            await self.wait(lambda r: r.is_edit and r.chat_id == chat and r.message_id == message_id, after=mark)
        return answer.text or ""

    async def report(self, unit: str, measure: int, status: Status, note: str = "") -> None:
        """The unit's liaison sets a status on the live checklist; where it needs a note, replies to the request."""
        pid = next(p.id for p in self.runtime.store.prompts() if p.respondent == unit)
        chat = self.chats[unit]
        mark = self.sandbox.mark()
        await self.press(unit, encode(Press(Act.STATUS, pid, measure, status)))
        if status.needs_note:
            request = await self.wait(
                RecordFilter(chat_id=chat, method="sendMessage", text_contains=f"【措施{measure}】"), after=mark
            )
            mark = self.sandbox.mark()
            self.sandbox.post_message(chat, self.liaisons[unit], note, reply_to_message_id=request.message_id)
            await self.wait(RecordFilter(chat_id=chat, text_contains="已记录"), after=mark)

    def _latest_bot_message(self, chat_id: int) -> int:
        sent = [r for r in self.sandbox.sent(chat_id) if r.message_id is not None]
        return sent[-1].message_id or 0


def add_people(sandbox: Sandbox, world: World, bind: Callable[[str], bool]) -> list[Binding]:
    files = [file for _, file, _ in world.plans] or [JINAN_PLAN]
    registry = load_registry(DEPARTMENTS)
    units = {
        r.name: r for file in files for r in respondents(import_plan(file.read_text(encoding="utf-8"), registry).matrix)
    }
    sandbox.add_user(COORDINATOR, "王协调")
    sandbox.create_private_chat(COORDINATOR)
    sandbox.add_user(STRANGER, "路人甲")
    sandbox.create_group("市人社局就业促进与失业保险处督办群", BUREAU_CHAT)
    sandbox.create_group("市政府办公厅督办群", LEADERS_CHAT)
    bindings = []
    for index, respondent in enumerate(units.values(), start=1):
        user = liaison_id(index)
        sandbox.add_user(user, f"{respondent.name}联络员")
        world.liaisons[respondent.name] = user
        if not bind(respondent.name):
            continue
        chat = -1000 - index
        sandbox.create_group(f"{respondent.name}督办工作群", chat)
        world.chats[respondent.name] = chat
        bindings.append(Binding(respondent.name, chat, frozenset({user}), True, f"{respondent.name}督办工作群"))
    return bindings


@asynccontextmanager
async def running(world: World, store: TinyStore | None = None) -> AsyncIterator[World]:
    """The bot, started on the world's data directory (a second call is a restart)."""
    registry = load_registry(DEPARTMENTS)
    store = store or TinyStore(world.data_dir, group_commit=True)
    runtimes = tuple(
        Runtime(
            matrix=import_plan(file.read_text(encoding="utf-8"), registry).matrix,
            registry=registry,
            store=PlanScope(store, key) if key else store,
            calendar=load_calendar(CONFIG / "calendar_overrides.toml"),
            schedule=schedule,
            coordinators=frozenset({COORDINATOR}),
            bureau_chat=BUREAU_CHAT,
            leaders_chat=LEADERS_CHAT,
            ladder=world.ladder,
            leaders=frozenset({LEADER}),
            plan=key,
        )
        for key, file, schedule in world.plans or (("", JINAN_PLAN, world.schedule),)
    )
    digests = world.data_dir / "digests"
    async with application(runtimes[0], store, world.clock, digests, runtimes if world.plans else ()) as parts:
        make = functools.partial(build_front, time_scale=world.time_scale) if world.time_scale != 1.0 else build_front
        front = make(
            parts,
            store,
            token=world.sandbox.token,
            base_url=world.sandbox.url,
            tick_seconds=None,
            redraw_spacing=REDRAW_SPACING,
        )
        world.app, world.shell, world.front = front.app, front.shell, front
        async with front.running(long_poll=1):
            yield world


@asynccontextmanager
async def a_world(
    tmp: Path,
    bind: Callable[[str], bool] = lambda _: True,
    schedule: RoundSchedule | None = None,
    ladder: LadderConfig | None = None,
    start: dt.datetime = MONDAY,
    plans: tuple[tuple[str, Path, RoundSchedule], ...] = (),
    time_scale: float = 1.0,
) -> AsyncIterator[World]:
    """The bot on the sandbox (with the deployment's cadence, if not weekly), its clock an hour before `start`."""
    async with Sandbox() as sandbox:
        world = World(sandbox, tmp / "data", ManualClock(pendulum.instance(start).subtract(hours=1)))
        world.schedule, world.ladder = schedule or RoundSchedule(), ladder or LadderConfig()
        world.plans, world.time_scale = plans, time_scale
        if time_scale != 1.0:  # a month of a test's ticks in seconds: the flood limits in the test's own time
            sandbox.set_limits(RateLimits(20, 60 / time_scale, 30, 1 / time_scale))
        bindings = add_people(sandbox, world, bind)
        store = TinyStore(world.data_dir, group_commit=True)
        for binding in bindings:
            store.save_binding(
                binding, AuditEntry(MONDAY, SYSTEM, binding.chat_id, "bind", respondent=binding.respondent)
            )
        await world.start(store)
        try:
            yield world
        finally:
            await world.stop()
