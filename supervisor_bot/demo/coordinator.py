"""The rehearsal's coordinator: scripted commands, and what a coordinator does with the bureau's messages —
grants one 延期, verifies completions (销号, one 退回 with a reason), records each proposed 约谈 with /yuetan."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pendulum

from supervisor_bot.demo.cast import Chat
from supervisor_bot.demo.clock import RehearsalClock
from supervisor_bot.demo.liaisons import Member
from supervisor_bot.sandbox import OutgoingRecord, RecordFilter, Sandbox
from supervisor_bot.views.tickets import TicketAct, TicketPress, decode, encode

TZ = "Asia/Shanghai"
WAIT = 30.0


@dataclass(frozen=True)
class Script:
    """A command the coordinator sends privately at a simulated moment."""

    at: dt.datetime
    command: str
    args: str = ""


def _buttons(record: OutgoingRecord) -> list[TicketPress]:
    found = []
    for row in (record.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            press = decode(button.get("callback_data"))
            if press is not None:
                found.append(press)
    return found


class Coordinator:
    def __init__(
        self,
        sandbox: Sandbox,
        clock: RehearsalClock,
        user_id: int,
        bureau: Chat,
        members: list[Member],
        say: Callable[[str], None],
        items: Mapping[str, Callable[[int], str]],
    ) -> None:
        self.sandbox, self.clock, self.user_id, self.bureau = sandbox, clock, user_id, bureau.chat_id
        self.bureau_title, self.items = bureau.title, items  # how each plan (by key) names a measure
        self.members = {m.respondent: m for m in members}
        self.say = say
        self.extended = False
        self.returned = False
        self.pending: set[asyncio.Task[None]] = set()

    async def _until(self, moment: dt.datetime, stop: asyncio.Event) -> bool:
        """Until `moment` (time waits there for the coordinator, who then acts and lets it go on: `woke`)."""
        self.clock.wake_at(moment)
        while self.clock.now() < moment:
            if stop.is_set():
                self.clock.woke(moment)
                return False
            await asyncio.sleep(0.02)
        return True

    async def script(self, steps: tuple[Script, ...], invited: str, stop: asyncio.Event) -> None:
        for step in steps:
            if not await self._until(step.at, stop):
                return
            self.say(f"协调员（私聊）：/{step.command} {step.args}".rstrip())
            mark = self.sandbox.mark()
            async with self.clock.acting(self.sandbox):
                self.clock.woke(step.at)
                self.sandbox.post_command(self.user_id, self.user_id, step.command, step.args)
                reply = await self.sandbox.wait_for(
                    RecordFilter(chat_id=self.user_id, method="sendMessage"), timeout=WAIT, after=mark
                )
            code = re.search(r"/bind ([A-Z0-9]{8})", reply.text or "")
            if step.command == "invite" and code and invited in self.members:
                member = self.members[invited]
                self.say(f"{member.name}（{invited}群）：/bind {code.group(1)}")
                async with self.clock.acting(self.sandbox):
                    self.sandbox.post_command(member.chat_id, member.user_id, "bind", code.group(1))

    async def watch_bureau(self, stop: asyncio.Event) -> None:
        read = 0
        while not stop.is_set():
            fresh = self.sandbox.outgoing(after=read)
            read += len(fresh)
            for record in (r for r in fresh if r.is_send and r.chat_id == self.bureau):
                text = record.text or ""
                try:
                    if text.startswith("【督办单】") and not self.extended:
                        async with self.clock.acting(self.sandbox):  # time stands still while they act
                            await self._extend(record)
                    elif text.startswith("【办结核实】") and record.reply_markup:
                        async with self.clock.acting(self.sandbox):
                            await self._verify(record)
                    elif text.startswith("【约谈建议】"):
                        task = asyncio.create_task(self._record_interview(text, stop))
                        self.pending.add(task)
                        task.add_done_callback(self.pending.discard)
                except TimeoutError:
                    continue
            await asyncio.sleep(0.02)
        for task in self.pending:
            task.cancel()
        await asyncio.gather(*self.pending, return_exceptions=True)

    async def _press(self, record: OutgoingRecord, press: TicketPress) -> str:
        query = self.sandbox.press_button(self.bureau, record.message_id or 0, self.user_id, raw_data=encode(press))
        answer = await self.sandbox.wait_for_callback_answer(query, timeout=WAIT)
        return answer.text or ""

    async def _extend(self, record: OutgoingRecord) -> None:
        first = next((p for p in _buttons(record) if p.act is TicketAct.EXTEND_CHOICES), None)
        if first is None:
            return
        self.extended = True
        await self._press(record, first)
        answer = await self._press(record, TicketPress(TicketAct.EXTEND, first.ticket_id, first.measure, 5))
        unit = (record.text or "").split("被督办单位：", 1)[-1].split("\n", 1)[0]
        self.say(f"协调员在督办单上点选：{unit} {self._item(record, first.measure)} 延期5个工作日 → {answer}")

    def _item(self, ticket: OutgoingRecord, measure: int) -> str:
        """The measure as its plan names it — the plan a 督办单 names in its first line (`【督办单】民生实事 …`)."""
        head = (ticket.text or "").removeprefix("【督办单】")
        key = next((k for k in self.items if k and head.startswith(f"{k} ")), next(iter(self.items), ""))
        return self.items[key](measure) if key in self.items else f"措施{measure}"

    async def _verify(self, record: OutgoingRecord) -> None:
        buttons = {p.act: p for p in _buttons(record)}
        title = (record.text or "").split("\n", 1)[0]
        if not self.returned and TicketAct.RETURN in buttons:
            self.returned = True
            mark = self.sandbox.mark()
            await self._press(record, buttons[TicketAct.RETURN])
            request = await self.sandbox.wait_for(
                RecordFilter(chat_id=self.bureau, method="sendMessage", text_contains="说明退回"),
                timeout=WAIT,
                after=mark,
            )
            reason = "未附佐证材料，请补充政策文件后重新报送"
            self.sandbox.post_message(self.bureau, self.user_id, reason, reply_to_message_id=request.message_id)
            self.say(f"协调员：{title} → 退回（{reason}）")
        elif TicketAct.CLOSE in buttons:
            await self._press(record, buttons[TicketAct.CLOSE])
            self.say(f"协调员：{title} → 销号")

    async def _record_interview(self, text: str, stop: asyncio.Event) -> None:
        unit = text.split("拟约谈：", 1)[1].split("\n", 1)[0]
        day = re.search(r"拟定时间：(\d+)月(\d+)日", text)
        if day is None:
            return
        now = pendulum.instance(self.clock.now()).in_timezone(TZ)
        held = pendulum.datetime(now.year, int(day.group(1)), int(day.group(2)), 11, 0, tz=TZ)
        if not await self._until(held, stop):
            return
        deadline = held.add(days=14).date()
        args = f"{unit} {held.date().isoformat()} 约谈单位主要负责同志，指出逾期问题，明确专人负责、每轮按时报送 整改期限{deadline.isoformat()}"
        self.say(f"协调员（{self.bureau_title}）：/yuetan {args}")
        async with self.clock.acting(self.sandbox):
            self.clock.woke(held)
            self.sandbox.post_command(self.bureau, self.user_id, "yuetan", args)
