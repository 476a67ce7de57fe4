"""The WeCom demo's people, acting through the WeCom sandbox's control API: liaisons press the cards of their
checklists and say their notes to the bot (@-mention in the group, or in the one-to-one chat), send 佐证材料 in
the one-to-one chat; the coordinator makes an invite, asks 状态 and 逾期, and verifies completions (销号, one
退回 with its reason)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from supervisor_bot.app.clock import FastClock
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.status import Status
from supervisor_bot.demo.cast import Habit, Plan, Planned, plan
from supervisor_bot.demo.run import CAST
from supervisor_bot.views.callbacks import decode
from supervisor_bot.views.tickets import TicketAct
from supervisor_bot.views.tickets import decode as decode_ticket
from supervisor_bot.wecom_sandbox.control import Control, Seen

BUREAU_SHORT = "市人社局"  # as the showcase's notes name Jinan's coordinating bureau


def habit(respondent: str) -> Habit:
    return CAST.habits.get(respondent, Habit.PROMPT)


POLL = 0.02
WAIT = 30.0
EVIDENCE_SHOWN = 3  # units whose first 推进中 / 已完成 comes with a 佐证材料, sent in the one-to-one chat
PDF = b"%PDF-1.4\n% demo evidence\n%%EOF\n"


@dataclass(frozen=True)
class Person:
    respondent: str
    user: str
    name: str
    chat: str


@dataclass
class Feed:
    """What the bot posted, read once from the sandbox and shared by everyone who waits for something."""

    control: Control
    read: int = 0
    texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    fresh: list[Seen] = field(default_factory=list)  # since the last `take`

    async def poll(self) -> None:
        found = await self.control.seen(after=self.read)
        self.read += len(found)
        for message in found:
            if message.text:
                self.texts[message.chat].append(message.text)
        self.fresh += found

    def take(self) -> list[Seen]:
        taken, self.fresh = self.fresh, []
        return taken

    def mark(self, chat: str) -> int:
        return len(self.texts[chat])

    async def wait_for(self, chat: str, words: str, after: int) -> str:
        """The first text in `chat` after the `after`-th that contains `words`."""
        deadline = asyncio.get_running_loop().time() + WAIT
        while asyncio.get_running_loop().time() < deadline:
            found = next((t for t in self.texts[chat][after:] if words in t), None)
            if found is not None:
                return found
            await asyncio.sleep(POLL)
        raise TimeoutError(f"no “{words}” in {chat}")


@dataclass(order=True)
class _Job:
    at: dt.datetime
    person: Person = field(compare=False)
    cards: dict[int, Seen] = field(compare=False)  # by measure
    plan: Plan = field(compare=False)


class WeComLiaisons:
    def __init__(
        self,
        feed: Feed,
        clock: FastClock,
        people: list[Person],
        duties: dict[str, tuple[Duty, ...]],
        label: Callable[[int], str],
        say: Callable[[str], None],
    ) -> None:
        self.feed, self.clock, self.duties, self.label, self.say = feed, clock, duties, label, say
        self.by_chat = {p.chat: p for p in people}
        self.weeks: dict[str, int] = {}
        self.done: dict[str, set[int]] = defaultdict(set)
        self.evidence: set[str] = set()
        self.reported = 0
        self.queue: list[_Job] = []
        self.working: set[asyncio.Task[None]] = set()
        self.waiting: dict[str, Plan] = {}  # a checklist's summary seen, its cards still coming

    def on_message(self, message: Seen) -> None:
        person = self.by_chat.get(message.chat)
        if person is None:
            return
        if message.text.startswith("【督办】") and "卡片" in message.text:
            week = self.weeks.get(person.respondent, 0)
            self.weeks[person.respondent] = week + 1
            unit = person.respondent
            planned = plan(unit, habit(unit), week, self.duties[unit], self.done[unit], BUREAU_SHORT)
            if planned is not None:
                self.queue.append(_Job(self.clock.now() + planned.delay, person, {}, planned))
        elif message.card:
            job = next((j for j in reversed(self.queue) if j.person is person), None)
            pressed = [p for p in (decode(b.key) for b in message.buttons) if p is not None]
            if job is not None and pressed:
                job.cards[pressed[0].number] = message

    def due(self) -> None:
        self.queue.sort()
        now = self.clock.now()
        while self.queue and self.queue[0].at <= now:
            worker = asyncio.create_task(self._report(self.queue.pop(0)))
            self.working.add(worker)
            worker.add_done_callback(self.working.discard)

    async def _report(self, job: _Job) -> None:
        lines = []
        for planned in job.plan.reports:
            card = job.cards.get(planned.measure)
            if card is not None and await self._one(job.person, card, planned):
                lines.append(f"措施{self.label(planned.measure)} {planned.status.mark}{planned.status.label}")
                if planned.status is Status.DONE:
                    self.done[job.person.respondent].add(planned.measure)
        if lines:
            self.reported += len(lines)
            self.say(f"{job.person.name}（{job.person.respondent}）点击卡片报送：" + "、".join(lines))

    async def _one(self, person: Person, card: Seen, planned: Planned) -> bool:
        key = next(b.key for b in card.buttons if (decode(b.key) or _NONE).status is planned.status)
        mark = self.feed.mark(person.chat)
        await self.feed.control.press(person.user, card.card, key)
        if planned.status.needs_note:
            await self.feed.wait_for(person.chat, "说明后记为", mark)
            await self._note(person, planned)
        fresh = person.respondent not in self.evidence and len(self.evidence) < EVIDENCE_SHOWN
        if fresh and planned.status in (Status.IN_PROGRESS, Status.DONE):
            self.evidence.add(person.respondent)
            await self._evidence(person, planned.measure)
        return True

    async def _note(self, person: Person, planned: Planned) -> None:
        """The struggling unit says its difficulty in the one-to-one chat; the others @-mention the bot."""
        private = habit(person.respondent) is Habit.STRUGGLING
        where = person.user if private else person.chat
        mark = self.feed.mark(where)
        await self.feed.control.say(person.user, planned.note, chat=where)
        self.say(f"{person.name}（{person.respondent}）{'单聊' if private else '@督办'}：{planned.note}")
        await self.feed.wait_for(where, "已记录", mark)

    async def _evidence(self, person: Person, measure: int) -> None:
        name = f"措施{self.label(measure)}工作台账.pdf"
        mark = self.feed.mark(person.user)
        await self.feed.control.send_file(person.user, name, PDF)
        self.say(f"{person.name}（{person.respondent}）单聊发送佐证材料：{name}")
        await self.feed.wait_for(person.user, "已收到佐证材料", mark)


class _NoPress:
    status = None


_NONE = _NoPress()


@dataclass(frozen=True)
class Script:
    at: dt.datetime
    text: str  # what the coordinator writes in the one-to-one chat


class WeComCoordinator:
    def __init__(self, feed: Feed, clock: FastClock, user: str, bureau: str, say: Callable[[str], None]) -> None:
        self.feed, self.clock, self.user, self.bureau, self.say = feed, clock, user, bureau, say
        self.returned = False
        self.pending: set[asyncio.Task[None]] = set()

    async def script(self, lines: tuple[Script, ...], invited: Person, stop: asyncio.Event) -> None:
        for line in lines:
            wait = self.clock.real_seconds(line.at - self.clock.now())
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
            if stop.is_set():
                return
            mark = self.feed.mark(self.user)
            await self.feed.control.say(self.user, line.text)
            self.say(f"协调员（单聊）：{line.text}")
            if line.text.startswith("邀请"):
                code = (await self.feed.wait_for(self.user, "@督办 绑定", mark)).rsplit(" ", 1)[1]
                group_mark = self.feed.mark(invited.chat)
                await self.feed.control.say(invited.user, f"绑定 {code}", chat=invited.chat)
                self.say(f"{invited.name}（{invited.respondent}群）：@督办 绑定 {code}")
                await self.feed.wait_for(invited.chat, "绑定成功", group_mark)

    def on_message(self, message: Seen) -> None:
        """A 办结核实 card in the bureau's group: verified (销号), the first one returned (退回) with a reason; a
        约谈建议: the 约谈 recorded as it suggests."""
        if message.chat != self.bureau:
            return
        if message.text.startswith("【约谈建议】"):
            self._later(self._interview(message.text))
            return
        keys = {(decode_ticket(b.key) or _NOTICKET).act: b.key for b in message.buttons}
        if TicketAct.CLOSE in keys:
            self._later(self._decide(message.card, keys))

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _interview(self, proposal: str) -> None:
        suggested = proposal.rsplit("（例如：@督办 ", 1)[-1].rstrip("）")
        mark = self.feed.mark(self.bureau)
        await self.feed.control.say(self.user, suggested, chat=self.bureau)
        self.say(f"协调员（督办群）：@督办 {suggested}")
        await self.feed.wait_for(self.bureau, "约谈纪要", mark)

    async def _decide(self, card: str, keys: dict[Any, str]) -> None:
        mark = self.feed.mark(self.bureau)
        if not self.returned:
            self.returned = True
            await self.feed.control.press(self.user, card, keys[TicketAct.RETURN])
            await self.feed.wait_for(self.bureau, "说明退回理由", mark)
            reason = "佐证材料不足，请补充验收报告。"
            await self.feed.control.say(self.user, reason, chat=self.bureau)
            self.say(f"协调员（督办群）：退回，@督办 {reason}")
            return
        await self.feed.control.press(self.user, card, keys[TicketAct.CLOSE])
        self.say("协调员（督办群）：点击“销号”")


class _NoTicket:
    act = None


_NOTICKET = _NoTicket()
