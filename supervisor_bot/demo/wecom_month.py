"""`python main.py demo --messenger wecom`: the same simulated month on the WeCom sandbox — checklists as cards,
presses, notes by @-mention and in one-to-one chats, 佐证材料 in one-to-one chats, the ladder to 约谈, digests
with their files — and conversation.txt as for Telegram. No network: everything runs on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from pathlib import Path

import pendulum

from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import FastClock
from supervisor_bot.app.shell import Shell
from supervisor_bot.composition.lifecycle import application
from supervisor_bot.core import ladder
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.demo.final_state import final_state
from supervisor_bot.demo.printer import Printer
from supervisor_bot.demo.run import END, INVITED, SPEED, START, prepare
from supervisor_bot.demo.stage import Played, write_outputs
from supervisor_bot.demo.wecom_people import Feed, Person, Script, WeComCoordinator, WeComLiaisons
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt
from supervisor_bot.wecom.client import Endpoint
from supervisor_bot.wecom.front import build_front, running
from supervisor_bot.wecom_sandbox.control import Control, Seen
from supervisor_bot.wecom_sandbox.server import Sandbox

COORDINATOR, BUREAU, LEADERS = "wangxietiao", "wr-bureau", "wr-leaders"
TZ = "Asia/Shanghai"
SCRIPT = (
    Script(START.add(minutes=10), f"邀请 {INVITED}"),
    Script(START.add(days=1, hours=2), "状态"),
    Script(START.add(days=3, hours=9, minutes=30), "逾期"),
    Script(START.add(days=3, hours=9, minutes=40), "状态 市民营经济局"),
)
DIGEST_WAIT = 120.0  # real seconds the end waits for the last digest's files at most
_QUIET = ("说明后记为", "已记录", "已收到佐证材料")  # the people's own lines say it


class WeComPrinter(Printer):
    """What the bot posts, as the Telegram demo prints it; cards by their title and buttons."""

    def __init__(self, clock: FastClock, titles: dict[str, str], echo: bool) -> None:  # (the parent needs a sandbox)
        self.clock, self.names, self.echo, self.tz = clock, titles, echo, TZ  # type: ignore[assignment]
        self.lines: list[str] = []
        self.seen = []

    def show(self, message: Seen) -> None:
        title = self.names.get(message.chat, message.chat)
        if message.file:
            self.say(f"机器人 → {title}：[{'图片' if message.picture else '文件'}] {message.file}")
        elif message.card and message.chat in (BUREAU, LEADERS):
            self.say(f"机器人 → {title}：[卡片] {'、'.join(b.label for b in message.buttons)}")
        elif message.text and not _quiet(message.text):
            body = " / ".join(line for line in message.text.splitlines()[:4] if line.strip())
            self.say(f"机器人 → {title}：{fmt.clip(body, 160)}")


def _quiet(text: str) -> bool:
    """Checklists (the cards follow), note requests and confirmations are not printed."""
    return (text.startswith("【督办】") and "卡片" in text) or any(word in text for word in _QUIET)


async def _people(control: Control, runtime: Runtime) -> tuple[list[Person], dict[str, str], list[Binding]]:
    await control.call("member", userid=COORDINATOR, name="王协调")
    titles = {COORDINATOR: "协调员（单聊）", BUREAU: "市人社局就业促进与失业保险处", LEADERS: "市政府办公厅"}
    for chat in (BUREAU, LEADERS):
        await control.call("group", chatid=chat, members=[COORDINATOR], known=True)
    people, bindings = [], []
    for index, name in enumerate(runtime.respondents, start=1):
        person = Person(name, f"liaison{index:02d}", f"联络员{index:02d}", f"wr-{index:03d}")
        await control.call("member", userid=person.user, name=person.name)
        await control.call("group", chatid=person.chat, members=[person.user, COORDINATOR], known=name != INVITED)
        titles[person.chat], titles[person.user] = f"{name}群", f"{person.name}（单聊）"
        people.append(person)
        if name != INVITED:
            bindings.append(Binding(name, person.chat, frozenset({person.user}), True, f"{name}督办工作群"))
    return people, titles, bindings


async def _watch(
    feed: Feed, printer: WeComPrinter, actors: tuple[WeComLiaisons, WeComCoordinator], stop: asyncio.Event
) -> None:
    """What the bot posts, printed and answered, until `stop`; then what it posted before `stop`, printed."""
    liaisons, coordinator = actors
    while True:
        stopping = stop.is_set()
        await feed.poll()
        for message in feed.take():
            printer.show(message)
            if not stopping:  # at the end, only printed: no one answers any more
                liaisons.on_message(message)
                coordinator.on_message(message)
        if stopping:
            return
        liaisons.due()
        await asyncio.sleep(0.02)


async def _digest_delivered(shell: Shell, end: dt.datetime) -> None:
    """Until the last digest due by `end` is in the leaders' chat, its 督办台账 and chart too: they are drawn in a
    process of their own (app/apart.py), which a loaded machine takes seconds to start. The ticks wait for it in
    turn, so nothing else falls due meanwhile; a digest that never goes out ends the wait after DIGEST_WAIT."""
    rt = shell.runtime
    slot = ladder.digest_slot(pendulum.instance(end).in_timezone(rt.tz).date(), rt.ladder, rt.calendar, rt.tz)
    if slot.at > end:
        slot = ladder.previous_digest_slot(slot, rt.ladder, rt.calendar, rt.tz)
    if slot.at < START:
        return
    key = ladder.SendDigest(slot.key, slot.at).key
    deadline = asyncio.get_running_loop().time() + DIGEST_WAIT
    while key not in await shell.runner.call(rt.store.lasting_done):
        if asyncio.get_running_loop().time() > deadline:
            logging.getLogger(__name__).warning("the digest %s was not sent by the demo's end", slot.key)
            return
        await asyncio.sleep(0.05)


async def simulate(
    runtime: Runtime, store: TinyStore, speed: float, echo: bool, end: dt.datetime, digests: Path
) -> tuple[WeComPrinter, int, str]:
    sandbox = Sandbox()
    await sandbox.start()
    control = Control(sandbox.url)
    try:
        people, titles, bindings = await _people(control, runtime)
        for binding in bindings:
            audit = AuditEntry(
                START, SYSTEM, binding.chat_id, "bind", respondent=binding.respondent, note="settings.toml"
            )
            store.save_binding(binding, audit)
        clock = FastClock(START, speed)
        printer = WeComPrinter(clock, titles, echo)
        printer.say(
            f"演示开始（企业微信）：{len(people)}个责任单位工作群（{len(bindings)}个已在设置中绑定），模拟时钟每秒{speed / 3600:g}小时"
        )
        feed = Feed(control)
        liaisons = WeComLiaisons(feed, clock, people, runtime.duties, runtime.label, printer.say)
        coordinator = WeComCoordinator(feed, clock, COORDINATOR, BUREAU, printer.say)
        invited = next(p for p in people if p.respondent == INVITED)
        async with application(runtime, store, clock, digests) as parts:
            front = build_front(parts, Endpoint(sandbox.ws_url, sandbox.world.bot_id, sandbox.world.secret))
            async with running(front, max(0.1, 60 / speed)):
                await asyncio.wait_for(front.client.ready.wait(), 10)
                clock.restart()
                stop = asyncio.Event()
                tasks = [
                    asyncio.create_task(_watch(feed, printer, (liaisons, coordinator), stop)),
                    asyncio.create_task(coordinator.script(SCRIPT, invited, stop)),
                ]
                await asyncio.sleep(clock.real_seconds(end - clock.now()))
                await _digest_delivered(front.shell, end)
                stop.set()
                await asyncio.gather(*tasks, *liaisons.working, *coordinator.pending, return_exceptions=True)
                printer.say(f"演示结束：联络员共报送{liaisons.reported}项")
            state = final_state(runtime, end)
    finally:
        await control.close()
        await sandbox.stop()
    return printer, liaisons.reported, state


def run_wecom_demo(out: Path, speed: float = SPEED, echo: bool = True, end: dt.datetime = END) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    stage = prepare(out, several=False)  # Jinan's plan alone; the application's lifecycle closes the store
    runtime, store = stage.runtime, stage.store
    runtime.coordinators, runtime.bureau_chat, runtime.leaders_chat = frozenset({COORDINATOR}), BUREAU, LEADERS
    digests = out / "data" / "digests"
    printer, _, state = asyncio.run(simulate(runtime, store, speed, echo, end, digests))
    if echo:
        print("\n" + state)
    write_outputs(out, stage, Played(printer, 0, state, (), (), ()))
    if echo:
        print(
            f"\n输出目录：{out}（conversation.txt、state.txt、digest.txt、ledger.xlsx、progress.png、matrix.xlsx、data/）",
            file=sys.stderr,
        )
    return 0
