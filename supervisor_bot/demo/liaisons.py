"""The simulated liaisons of a rehearsal (and of the demo): they read the checklists the bot sends, then press
buttons, reply with notes and send a 佐证材料 now and then."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.status import Status
from supervisor_bot.demo.cast import Habit, Plan, Planned, plan
from supervisor_bot.demo.clock import RehearsalClock
from supervisor_bot.sandbox import OutgoingRecord, RecordFilter, Sandbox
from supervisor_bot.views.callbacks import Act, Press, decode, encode

POLL = 0.02
EVIDENCE_SHOWN = 3  # units whose first 推进中 / 已完成 comes with a 佐证材料 (a small PDF), replying to the checklist
PDF = b"%PDF-1.4\n% demo evidence\n%%EOF\n"


@dataclass(frozen=True)
class Member:
    respondent: str
    user_id: int
    name: str
    chat_id: int


@dataclass(frozen=True)
class Asked:
    """What the liaisons know of one plan: its key ("" for a deployment's one plan), who answers for which of its
    measures, when the round a checklist belongs to falls due, and how a measure is named (`民生实事 措施3`)."""

    key: str
    duties: Mapping[str, tuple[Duty, ...]]
    due: Callable[[dt.datetime], dt.datetime]
    item: Callable[[int], str]
    label: Callable[[int], str] = str


@dataclass(order=True)
class _Task:
    at: dt.datetime
    member: Member = field(compare=False)
    message_id: int = field(compare=False)
    prompt_id: str = field(compare=False)
    plan: Plan = field(compare=False)
    asked: Asked = field(compare=False)


def prompt_id_of(record: OutgoingRecord) -> str | None:
    """The checklist's prompt id, read off its first button."""
    for row in (record.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            press = decode(button.get("callback_data"))
            if press is not None:
                return press.prompt_id
    return None


class Liaisons:
    def __init__(
        self,
        sandbox: Sandbox,
        clock: RehearsalClock,
        members: list[Member],
        plans: tuple[Asked, ...],
        say: Callable[[str], None],
        habits: dict[str, Habit],
        bureau: str,
    ) -> None:
        self.sandbox = sandbox
        self.clock = clock
        self.by_chat = {m.chat_id: m for m in members}
        self.plans = plans
        self.say = say
        self.habits, self.bureau = habits, bureau
        self.weeks: dict[tuple[str, str], int] = {}  # the checklists seen, by (plan, unit)
        self.done: dict[tuple[str, str], set[int]] = {}
        self.reported = 0
        self.evidence: set[str] = set()  # the units that sent a 佐证材料

    async def run(self, stop: asyncio.Event) -> None:
        read = 0
        queue: list[_Task] = []
        working: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            fresh = self.sandbox.outgoing(after=read)
            read += len(fresh)
            for record in fresh:
                task = self._on_record(record)
                if task is not None:
                    queue.append(task)
                    self.clock.wake_at(task.at)
            queue.sort()
            now = self.clock.now()
            while queue and queue[0].at <= now:
                job = queue.pop(0)
                worker = asyncio.create_task(self._report(job))
                working.add(worker)
                worker.add_done_callback(working.discard)
            await asyncio.sleep(POLL)
        for worker in working:
            worker.cancel()
        await asyncio.gather(*working, return_exceptions=True)

    def _on_record(self, record: OutgoingRecord) -> _Task | None:
        member = self.by_chat.get(record.chat_id or 0)
        if member is None or record.method != "sendMessage" or not (record.text or "").startswith("【督办】"):
            return None
        prompt_id = prompt_id_of(record)
        if prompt_id is None or record.message_id is None:
            return None
        asked = self.plan_of(record.text or "")
        mine = (asked.key, member.respondent)
        week = self.weeks.get(mine, 0)
        self.weeks[mine] = week + 1
        done = self.done.setdefault(mine, set())
        habit = self.habits.get(member.respondent, Habit.PROMPT)
        duties = asked.duties.get(member.respondent, ())
        planned = plan(member.respondent, habit, week, duties, done, self.bureau) if duties else None
        if planned is None:
            return None
        now = self.clock.now()
        due = asked.due(now)
        at: dt.datetime
        if planned.late:
            at = self.clock.in_office_hours(due + dt.timedelta(hours=planned.share))
        else:  # in good time, in office hours: a share of what is left before the due time, at least ten minutes
            at = self.clock.in_office_hours(now + max(dt.timedelta(minutes=10), (due - now) * planned.share))
            at = min(at, due - dt.timedelta(hours=2)) if at >= due else at
        return _Task(at, member, record.message_id, prompt_id, planned, asked)

    def plan_of(self, checklist: str) -> Asked:
        """The plan a checklist names in its first line (`【督办】民生实事 2021年9月 落实情况报送`)."""
        head = checklist.removeprefix("【督办】")
        return next((p for p in self.plans if p.key and head.startswith(f"{p.key} ")), self.plans[0])

    async def _report(self, job: _Task) -> None:
        async with self.clock.acting(self.sandbox):  # time stands still while the liaison presses and types
            self.clock.woke(job.at)
            await self._reports(job)

    async def _reports(self, job: _Task) -> None:
        member = job.member
        lines = []
        for planned in job.plan.reports:
            if await self._one(member, job, planned):
                lines.append(f"{job.asked.item(planned.measure)} {planned.status.mark}{planned.status.label}")
                if planned.status is Status.DONE:
                    self.done[(job.asked.key, member.respondent)].add(planned.measure)
        if lines:
            self.reported += len(lines)
            self.say(f"{member.name}（{member.respondent}）报送：" + "、".join(lines))

    async def _one(self, member: Member, job: _Task, planned: Planned) -> bool:
        data = encode(Press(Act.STATUS, job.prompt_id, planned.measure, planned.status))
        mark = self.sandbox.mark()
        query = self.sandbox.press_button(member.chat_id, job.message_id, member.user_id, raw_data=data)
        answer = await self.sandbox.wait_for_callback_answer(query, timeout=30)
        if answer.show_alert:
            return False
        if self._sends_evidence(member, planned):
            self.evidence.add(member.respondent)
            await self._evidence(member, job.asked.label(planned.measure), job.message_id)
        if not planned.status.needs_note:
            return True
        request = await self.sandbox.wait_for(
            RecordFilter(
                chat_id=member.chat_id, method="sendMessage", text_contains=f"【{job.asked.item(planned.measure)}】"
            ),
            timeout=30,
            after=mark,
        )
        mark = self.sandbox.mark()
        self.sandbox.post_message(member.chat_id, member.user_id, planned.note, reply_to_message_id=request.message_id)
        await self.sandbox.wait_for(
            RecordFilter(chat_id=member.chat_id, text_contains="已记录"), timeout=30, after=mark
        )
        return True

    def _sends_evidence(self, member: Member, planned: Planned) -> bool:
        fresh = member.respondent not in self.evidence
        if self.habits.get(member.respondent) is Habit.STRUGGLING:  # its 有困难 comes with a file
            return fresh and planned.status is Status.BLOCKED
        return fresh and len(self.evidence) < EVIDENCE_SHOWN and planned.status in (Status.IN_PROGRESS, Status.DONE)

    async def _evidence(self, member: Member, label: str, checklist: int) -> None:
        """A file replying to the checklist (which names the plan), the measure named in its caption."""
        mark = self.sandbox.mark()
        document = (f"措施{label}工作台账.pdf", PDF, "application/pdf")
        self.sandbox.post_message(
            member.chat_id, member.user_id, reply_to_message_id=checklist, document=document, caption=f"措施{label}"
        )
        await self.sandbox.wait_for(
            RecordFilter(chat_id=member.chat_id, text_contains="已收到佐证材料"), timeout=30, after=mark
        )
