"""Who may do what (issue 5): every command and every button against five people, each cell tested on the real
Application through the sandbox. An allowed cell checks what the bot answers and what it stores; a refused cell
checks the Chinese refusal, that the store is unchanged and that nothing else was sent or edited.

The table in docs/access.md is rendered from ROWS below and a test keeps the two the same; after changing ROWS,
`python -m tests.e2e.test_access` prints the table to paste between the markers.

One world serves the whole module (a round opened on Monday and taken to Friday 17:00, when the 督办单 went out):
each cell first sets up what it needs (a checklist showing a measure, a note request, a pending 办结核实 …), so a
cell can run alone or in any order. /round by a coordinator closes the live round: it runs in a world of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.core.bindings import BindRefusal
from supervisor_bot.core.oversight import ClosureState
from supervisor_bot.core.people import Actor
from supervisor_bot.core.reports import Refusal
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.sandbox import OutgoingRecord, RateLimits
from supervisor_bot.services import binding
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.settings.paths import PROJECT_ROOT
from supervisor_bot.telegram.app import build_front
from supervisor_bot.views import bureau, fmt, messages, scoring
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.views.tickets import EXTENSION_CHOICES, TicketAct, TicketPress
from supervisor_bot.views.tickets import encode as ticket_data
from tests.e2e import harness
from tests.e2e.harness import (
    BUREAU_CHAT,
    COORDINATOR,
    LEADER,
    LEADERS_CHAT,
    MONDAY,
    STRANGER,
    WAIT_SECONDS,
    World,
    a_world,
    eventually,
)

in_the_world = pytest.mark.asyncio(loop_scope="module")  # the module's one world lives in the module's loop

FIN, EDU = "市财政局", "市教育局"  # the department in question, and another one
DOC = PROJECT_ROOT / "docs" / "access.md"
BEGIN, END = "<!-- 权限表：由 tests/e2e/test_access.py 生成，勿手改 -->", "<!-- 权限表结束 -->"

MEASURE = 9  # 市财政局 配合: its status buttons and notes
CLOSE_MEASURE, RETURN_MEASURE = 46, 33  # 市财政局 牵头: 已完成 goes to the bureau (办结销号)
EXTEND_CHOICES_MEASURE, RESOLVE_MEASURE = 23, 22  # on 市财政局's 督办单
EXTEND_MEASURES = {3: 2, 5: 10, 10: 12}  # workdays → measure
NOTE, REASON = "资金拨付流程尚未完成", "未见预算批复文件"
YUETAN = f"{FIN} 2021-09-10 明确专人负责 整改期限2021-09-24"


def bound(name: str) -> bool:
    return name in (FIN, EDU)


class Person(Enum):
    LIAISON = "本单位联络员"
    OTHER_LIAISON = "其他单位联络员"
    STRANGER = "群内陌生人"
    COORDINATOR = "协调员"
    LEADER = "领导"


PEOPLE = tuple(Person)
PLACE = {  # who each person is, and where they send commands (buttons are pressed where they are)
    Person.LIAISON: "市财政局登记的联络员，在市财政局工作群",
    Person.OTHER_LIAISON: "市教育局登记的联络员，在市财政局工作群",
    Person.STRANGER: "市财政局工作群中未登记为联络员的成员",
    Person.COORDINATOR: "`people.coordinators` 所列的人，与机器人私聊",
    Person.LEADER: "领导群（`chats.leaders`）中不是协调员的成员，在领导群",
}


# ----------------------------------------------------------------------------------------------- the world


@dataclass
class Stage:
    world: World
    tmp: Path
    codes: set[str] = field(default_factory=set)  # invites made here: their state is part of the snapshot
    requests: set[tuple[int, int]] = field(default_factory=set)  # note requests made here: (chat, message)

    @property
    def rt(self) -> Runtime:
        return self.world.runtime

    @property
    def runner(self) -> ServiceRunner:
        assert self.world.shell is not None
        return self.world.shell.runner

    @property
    def fin_chat(self) -> int:
        return self.world.chats[FIN]

    def user(self, person: Person) -> int:
        return {
            Person.LIAISON: self.world.liaisons[FIN],
            Person.OTHER_LIAISON: self.world.liaisons[EDU],
            Person.STRANGER: STRANGER,
            Person.COORDINATOR: COORDINATOR,
            Person.LEADER: LEADER,
        }[person]

    def chat(self, person: Person) -> int:
        """Where the person sends commands."""
        return {Person.COORDINATOR: COORDINATOR, Person.LEADER: LEADERS_CHAT}.get(person, self.fin_chat)

    def prompt_id(self) -> str:
        found = next((p for p in self.rt.store.prompts() if p.respondent == FIN and p.message_id is not None), None)
        assert found is not None, f"no checklist for {FIN}"
        return found.id

    def checklist_text(self) -> str:
        return str(self.world.checklist(FIN)["text"])

    def escalation(self) -> Ticket:
        found = [t for t in self.rt.store.tickets() if t.kind is TicketKind.ESCALATION and t.respondent == FIN]
        assert found and found[0].message_id is not None, f"no 督办单 for {FIN}"
        return found[0]

    async def state(self) -> dict[str, Any]:
        """Everything the bot stores (and the checklists' view state), read on the store's own thread."""
        return await self.runner.call(_state, self.rt, sorted(self.codes), sorted(self.requests))

    async def settle(self) -> None:
        """Wait until the bot has stopped sending and editing (a redraw may trail a button's answer: it is waited
        for, not guessed at — a loaded machine can take longer than any pause)."""
        assert self.world.front is not None
        await self.world.front.front.redraws.settle()
        while True:
            mark = self.world.sandbox.mark()
            await asyncio.sleep(0.02)
            if self.world.sandbox.mark() == mark:
                return

    async def wait(self, chat: int, text: str, after: int) -> OutgoingRecord:
        return await self.world.wait(lambda r: r.chat_id == chat and text in (r.text or ""), after=after)


def _state(rt: Runtime, codes: list[str], requests: list[tuple[int, int]]) -> dict[str, Any]:
    store = rt.store
    rounds = store.rounds()
    return {
        "rounds": rounds,
        "reports": {r.id: store.reports(r.id) for r in rounds},
        "audit": {r.id: store.audit(r.id) for r in rounds},
        "resolutions": {r.id: store.resolutions(r.id) for r in rounds},
        "steps": {r.id: (store.done(r.id), store.escalated(r.id)) for r in rounds},
        "audit_outside": store.audit(None),
        "bindings": store.bindings(),
        "invites": {code: store.invite(code) for code in codes},
        "prompts": store.prompts(),
        "pending": {key: store.pending_note(*key) for key in requests},
        "tickets": store.tickets(),
        "extensions": store.extensions(),
        "closures": store.closures(),
        "interviews": store.interviews(),
        "lasting": store.lasting_done(),
        "views": dict(rt.views),
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in before if before[key] != after[key]}


TIME_SCALE = 100.0


@contextlib.contextmanager
def unthrottled() -> Iterator[None]:
    """The table is about who may act, not about Telegram's 20 messages a minute per group (the rate limiter's
    own tests cover those): here the department's group gets far more than 20 answers in a minute. The bot's
    limits run on a clock 100 times faster, as in the demo, and the sandbox's are lifted."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(harness, "build_front", functools.partial(build_front, time_scale=TIME_SCALE))
        yield


def lift_limits(world: World) -> None:
    world.sandbox.set_limits(RateLimits(group_messages=100_000, total_messages=100_000))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stage(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stage]:
    tmp = tmp_path_factory.mktemp("access")
    with unthrottled():
        async with a_world(tmp, bind=bound) as world:
            lift_limits(world)
            world.sandbox.add_user(LEADER, "李领导")
            world.sandbox.create_private_chat(LEADER)
            world.sandbox.create_private_chat(STRANGER)
            await world.tick(MONDAY)
            for days, hours in ((2, 8), (3, 8), (4, 8)):  # Wednesday, Thursday, Friday 17:00: the 督办单 goes out
                await world.tick(MONDAY.add(days=days, hours=hours))
            here = Stage(world, tmp)
            await eventually(lambda: any(t.respondent == FIN and t.message_id for t in world.runtime.store.tickets()))
            await here.settle()
            yield here


# ----------------------------------------------------------------------------------------------- what a cell does


@dataclass(frozen=True)
class Seen:
    person: Person
    context: Any  # what the row's setup made
    answer: str  # the bot's reply, or the button's answer
    before: dict[str, Any]
    mark: int


Setup = Callable[[Stage, Person], Awaitable[Any]]
Action = Callable[[Stage, Person, Any], Awaitable[str]]
Check = Callable[[Stage, Seen], Awaitable[None]]


@dataclass(frozen=True)
class Allow:
    says: str  # in the table
    check: Check


@dataclass(frozen=True)
class Refuse:
    says: str  # in the table
    text: str  # the bot's exact words


Cell = Allow | Refuse


@dataclass(frozen=True)
class Row:
    covers: str  # the command, or the button's kind (`st|d`: the status button 已完成; `tg|5`: 延期5个工作日)
    id: str
    name: str  # the command or button, as the table shows it
    where: str
    act: Action
    cells: dict[Person, Cell]
    setup: Setup | None = None
    replies_in: Callable[[Stage, Person], int] | None = Stage.chat  # where a refusal is said (a button: an alert)


async def no_setup(stage: Stage, person: Person) -> None:
    return None


def command(name: str, args: str = "") -> Action:
    """The person sends /name args where they send commands (a setup's string, if any, is the argument)."""

    async def act(stage: Stage, person: Person, context: Any) -> str:
        written = context if isinstance(context, str) else args
        reply = await stage.world.command(stage.chat(person), stage.user(person), name, written)
        return reply.text or ""

    return act


def checklist_button(data: Callable[[str], str]) -> Action:
    """The person presses a button on 市财政局's checklist, in its group."""

    async def act(stage: Stage, person: Person, context: Any) -> str:
        message = stage.world.checklist(FIN)["message_id"]
        return await stage.world.press_on(stage.fin_chat, message, data(stage.prompt_id()), stage.user(person))

    return act


def ticket_button(data: Callable[[str], str]) -> Action:
    """The person presses a button on a ticket in the bureau's group (the 督办单, or the setup's 办结核实)."""

    async def act(stage: Stage, person: Person, context: Any) -> str:
        ticket = context if isinstance(context, Ticket) else stage.escalation()
        return await stage.world.press_on(BUREAU_CHAT, int(ticket.message_id or 0), data(ticket.id), stage.user(person))

    return act


def reply_to_request(chat: Callable[[Stage], int], text: str) -> Action:
    """The person replies to the bot's request (the setup's message) in that chat; the bot answers with a
    message, or by editing the request into a confirmation."""

    async def act(stage: Stage, person: Person, context: Any) -> str:
        where, request = chat(stage), int(context)
        mark = stage.world.sandbox.mark()
        stage.world.sandbox.post_message(where, stage.user(person), text, reply_to_message_id=request)
        answer = await stage.world.wait(
            lambda r: r.chat_id == where and (r.method == "sendMessage" or (r.is_edit and r.message_id == request)),
            after=mark,
        )
        return answer.text or ""

    return act


# ----------------------------------------------------------------------------------------------- setups


async def invite_for(stage: Stage, name: str) -> str:
    made = await stage.runner.call(
        binding.invite, stage.rt, name, Actor(COORDINATOR, "王协调"), stage.world.clock.now()
    )
    assert isinstance(made, binding.InviteMade)
    stage.codes.add(made.invite.code)
    return made.invite.code


async def bind_code(stage: Stage, person: Person) -> str:
    """The code each person holds: the liaison, the coordinator and the leader one for 市财政局; the other
    department's liaison one for 市教育局; the stranger a guess."""
    if person is Person.STRANGER:
        return "GUESSED2"
    return await invite_for(stage, EDU if person is Person.OTHER_LIAISON else FIN)


async def liaison_press(stage: Stage, data: str) -> str:
    message = stage.world.checklist(FIN)["message_id"]
    answer = await stage.world.press_on(stage.fin_chat, message, data, stage.world.liaisons[FIN])
    await stage.settle()
    return answer


async def showing_measure(stage: Stage, person: Person) -> None:
    await liaison_press(stage, encode(Press(Act.MEASURE, stage.prompt_id(), MEASURE)))
    assert stage.checklist_text().startswith(f"【措施{MEASURE}】")


async def reported(stage: Stage, person: Person) -> None:
    if (MEASURE, FIN) not in stage.rt.store.reports("2021-W36"):
        await liaison_press(stage, encode(Press(Act.STATUS, stage.prompt_id(), MEASURE, Status.IN_PROGRESS)))


async def note_request(stage: Stage, measure: int = MEASURE, status: Status = Status.BLOCKED) -> int:
    """The liaison chose 有困难 (or 已完成): the bot's request for a note, waiting for a reply."""
    mark = stage.world.sandbox.mark()
    await liaison_press(stage, encode(Press(Act.STATUS, stage.prompt_id(), measure, status)))
    request = await stage.wait(stage.fin_chat, f"【措施{measure}】{FIN}：请回复本消息", mark)
    key = (stage.fin_chat, request.message_id or 0)
    await eventually(lambda: stage.rt.store.pending_note(*key) is not None)
    stage.requests.add(key)
    return key[1]


async def a_note_request(stage: Stage, person: Person) -> int:
    return await note_request(stage)


def pending_closure(stage: Stage, measure: int) -> Ticket | None:
    closure = next((c for c in stage.rt.store.closures() if (c.measure, c.respondent) == (measure, FIN)), None)
    if closure is None or closure.state is not ClosureState.PENDING:
        return None
    tickets = [
        t
        for t in stage.rt.store.tickets()
        if t.kind is TicketKind.CLOSURE and t.measures == (measure,) and t.message_id is not None
    ]
    return max(tickets, key=lambda t: int(t.id, 16), default=None)


async def closure_ticket(stage: Stage, measure: int) -> Ticket:
    """A 办结核实 waiting in the bureau's group: 市财政局 reported its lead measure 已完成, with a note."""
    ticket = pending_closure(stage, measure)
    if ticket is not None:
        return ticket
    request = await note_request(stage, measure, Status.DONE)
    mark = stage.world.sandbox.mark()
    stage.world.sandbox.post_message(stage.fin_chat, stage.world.liaisons[FIN], "已完成", reply_to_message_id=request)
    await stage.wait(BUREAU_CHAT, f"{FIN}报告措施{measure}已完成", mark)
    await eventually(lambda: pending_closure(stage, measure) is not None)
    await stage.settle()
    found = pending_closure(stage, measure)
    assert found is not None
    return found


async def closure_to_return(stage: Stage, person: Person) -> Ticket:
    return await closure_ticket(stage, RETURN_MEASURE)


async def closure_to_close(stage: Stage, person: Person) -> Ticket:
    # the coordinator's 销号 is final: the others are refused on the ticket that stays pending
    return await closure_ticket(stage, CLOSE_MEASURE if person is Person.COORDINATOR else RETURN_MEASURE)


async def reason_request(stage: Stage, person: Person) -> int:
    """The coordinator pressed 退回: the bot's request for the reason, waiting for a reply."""
    ticket = await closure_ticket(stage, RETURN_MEASURE)
    mark = stage.world.sandbox.mark()
    answer = await stage.world.press_on(
        BUREAU_CHAT, int(ticket.message_id or 0), ticket_data(TicketPress(TicketAct.RETURN, ticket.id)), COORDINATOR
    )
    assert answer == "请回复机器人的提示消息说明退回理由"
    request = await stage.wait(BUREAU_CHAT, f"【办结核实B{ticket.id}】请回复本消息", mark)
    await stage.settle()
    return request.message_id or 0


# ----------------------------------------------------------------------------------------------- checks


def reads(expect: Callable[[str], bool]) -> Check:
    """An answer to read: it is what was asked for, and nothing changes."""

    async def check(stage: Stage, seen: Seen) -> None:
        assert expect(seen.answer), seen.answer
        assert changed(seen.before, await stage.state()) == set()

    return check


async def invite_made(stage: Stage, seen: Seen) -> None:
    assert seen.answer.startswith(f"已为{FIN}生成一次性绑定码"), seen.answer
    code = seen.answer.rsplit("/bind ", 1)[1].strip()
    made = stage.rt.store.invite(code)
    assert made is not None and made.respondent == FIN and made.used_at is None
    assert changed(seen.before, await stage.state()) == set()  # nothing else: the new invite is not in `codes`
    stage.codes.add(code)


async def round_opened(stage: Stage, seen: Seen) -> None:
    assert "已开启2021年第36周报送" in seen.answer and "已向2个单位发送督办清单" in seen.answer, seen.answer
    assert changed(seen.before, await stage.state()) == set()  # it ran in a world of its own


async def reminded(stage: Stage, seen: Seen) -> None:
    assert seen.answer == "已向2个尚有未报送事项的单位发送催报。"
    await stage.wait(stage.fin_chat, "【催报】", seen.mark)
    assert changed(seen.before, await stage.state()) == set()


async def interview_recorded(stage: Stage, seen: Seen) -> None:
    assert seen.answer.startswith("已记录。\n【约谈纪要】"), seen.answer
    interview = next(i for i in stage.rt.store.interviews() if i.respondent == FIN)
    assert (interview.held_on, interview.rectify_by) == (dt.date(2021, 9, 10), dt.date(2021, 9, 24))
    for chat in (stage.fin_chat, BUREAU_CHAT, LEADERS_CHAT):
        await stage.wait(chat, "【约谈纪要】", seen.mark)
    assert changed(seen.before, await stage.state()) <= {"interviews", "audit_outside"}


async def digest_previewed(stage: Stage, seen: Seen) -> None:
    assert "【督办周报】" in seen.answer, seen.answer
    await stage.world.wait(lambda r: r.chat_id == COORDINATOR and r.method == "sendPhoto", after=seen.mark)
    assert not stage.world.sandbox.sent(LEADERS_CHAT, after=seen.mark)  # a preview goes to the one who asked
    assert changed(seen.before, await stage.state()) == set()


async def liaison_registered(stage: Stage, seen: Seen) -> None:
    assert seen.answer == f"已登记{FIN}联络员为{FIN}的联络员。"
    used = stage.rt.store.invite(seen.context)
    assert used is not None and used.used_by is not None and used.used_by.user_id == stage.user(seen.person)
    binding_ = stage.rt.binding_of(FIN)
    assert binding_ is not None and binding_.chat_id == stage.fin_chat and stage.user(seen.person) in binding_.liaisons
    await stage.settle()
    assert changed(seen.before, await stage.state()) <= {"invites", "bindings", "audit_outside"}


def shows(start: str) -> Check:
    """The checklist (edited in place) now shows this; nothing is reported."""

    async def check(stage: Stage, seen: Seen) -> None:
        assert seen.answer == ""
        await eventually(lambda: start in stage.checklist_text())
        assert changed(seen.before, await stage.state()) <= {"views"}

    return check


def recorded(status: Status) -> Check:
    async def check(stage: Stage, seen: Seen) -> None:
        assert seen.answer == f"已记录：措施{MEASURE} {status.label}"
        report = stage.rt.store.reports("2021-W36")[(MEASURE, FIN)]
        assert report.status is status and report.actor.user_id == stage.user(seen.person)
        await eventually(lambda: f"{status.mark}{status.label}" in stage.checklist_text())
        assert changed(seen.before, await stage.state()) <= {"reports", "audit", "views"}

    return check


def asks_for_note(toast: str, request: str) -> Check:
    """A ForceReply asks for the note; nothing is reported until the reply."""

    async def check(stage: Stage, seen: Seen) -> None:
        assert seen.answer == toast
        asked = await stage.wait(stage.fin_chat, request, seen.mark)
        assert asked.reply_markup is not None and asked.reply_markup.get("force_reply")
        await eventually(lambda: stage.rt.store.pending_note(stage.fin_chat, asked.message_id or 0) is not None)
        await stage.settle()
        assert changed(seen.before, await stage.state()) <= {"views"}

    return check


async def note_recorded(stage: Stage, seen: Seen) -> None:
    assert seen.answer.startswith(f"已记录：措施{MEASURE} ⚠️有困难（{FIN}，") and seen.answer.endswith(NOTE)
    report = stage.rt.store.reports("2021-W36")[(MEASURE, FIN)]
    assert (report.status, report.note) == (Status.BLOCKED, NOTE)
    assert stage.rt.store.pending_note(stage.fin_chat, seen.context) is None
    await stage.settle()
    assert changed(seen.before, await stage.state()) <= {"reports", "audit", "pending", "views"}


async def extension_choices(stage: Stage, seen: Seen) -> None:
    assert seen.answer == ""
    ticket = stage.escalation()
    text = (stage.world.sandbox.message(BUREAU_CHAT, int(ticket.message_id or 0)) or {}).get("text", "")
    assert f"为{FIN}措施{EXTEND_CHOICES_MEASURE}选择延期期限" in text
    assert changed(seen.before, await stage.state()) == set()


def extended(workdays: int) -> Check:
    async def check(stage: Stage, seen: Seen) -> None:
        measure = EXTEND_MEASURES[workdays]
        until = stage.rt.calendar.add_workdays(fmt.local(stage.world.clock.now(), stage.rt.tz).date(), workdays)
        assert seen.answer == f"已延期至{fmt.full_day(until)}"
        extension = next(e for e in stage.rt.store.extensions() if (e.measure, e.respondent) == (measure, FIN))
        assert extension.until == until and extension.by.user_id == COORDINATOR
        await stage.wait(stage.fin_chat, f"【延期】{FIN}：措施{measure}的期限已延至{fmt.full_day(until)}", seen.mark)
        assert changed(seen.before, await stage.state()) <= {"extensions", "audit"}

    return check


async def ticket_shown(stage: Stage, seen: Seen) -> None:
    assert seen.answer == ""
    text = (stage.world.sandbox.message(BUREAU_CHAT, int(stage.escalation().message_id or 0)) or {}).get("text", "")
    assert text.startswith("【督办单】") and f"被督办单位：{FIN}" in text
    assert changed(seen.before, await stage.state()) == set()


async def resolved(stage: Stage, seen: Seen) -> None:
    assert seen.answer == f"措施{RESOLVE_MEASURE}已核实"
    assert (RESOLVE_MEASURE, FIN) in {(r.measure, r.respondent) for r in stage.rt.store.resolutions("2021-W36")}
    assert changed(seen.before, await stage.state()) <= {"resolutions", "audit"}


async def closed(stage: Stage, seen: Seen) -> None:
    assert seen.answer == "已销号"
    closure = next(c for c in stage.rt.store.closures() if (c.measure, c.respondent) == (CLOSE_MEASURE, FIN))
    assert closure.state is ClosureState.CLOSED
    await stage.wait(stage.fin_chat, f"【销号】{FIN}：措施{CLOSE_MEASURE}已经核实办结销号", seen.mark)
    assert changed(seen.before, await stage.state()) <= {"closures", "audit"}


async def asks_for_reason(stage: Stage, seen: Seen) -> None:
    assert seen.answer == "请回复机器人的提示消息说明退回理由"
    asked = await stage.wait(BUREAU_CHAT, f"【办结核实B{seen.context.id}】请回复本消息", seen.mark)
    assert asked.reply_markup is not None and asked.reply_markup.get("force_reply")
    assert pending_closure(stage, RETURN_MEASURE) is not None  # not returned until the reason comes
    assert changed(seen.before, await stage.state()) == set()


async def returned(stage: Stage, seen: Seen) -> None:
    assert seen.answer == f"已退回，{FIN}将收到退回理由。"
    closure = next(c for c in stage.rt.store.closures() if (c.measure, c.respondent) == (RETURN_MEASURE, FIN))
    assert (closure.state, closure.reason) == (ClosureState.RETURNED, REASON)
    report = stage.rt.store.reports("2021-W36")[(RETURN_MEASURE, FIN)]
    assert (report.status, report.note) == (Status.IN_PROGRESS, f"退回：{REASON}")
    await stage.wait(stage.fin_chat, f"【退回】{FIN}：措施{RETURN_MEASURE}的完成报告被退回。理由：{REASON}", seen.mark)
    assert changed(seen.before, await stage.state()) <= {"closures", "reports", "audit"}


# ----------------------------------------------------------------------------------------------- the table


COORDINATORS_ONLY = Refuse("仅限协调员", messages.COORDINATORS_ONLY)
NOT_LIAISON = Refuse("非本单位联络员", messages.REFUSALS[Refusal.NOT_LIAISON])
NOT_COORDINATOR = Refuse("仅限协调员处理", bureau.NOT_COORDINATOR)


def everyone(cell: Cell) -> dict[Person, Cell]:
    return dict.fromkeys(PEOPLE, cell)


def only(person: Person, cell: Allow, others: Refuse) -> dict[Person, Cell]:
    return {p: cell if p is person else others for p in PEOPLE}


async def open_round(stage: Stage, person: Person, context: Any) -> str:
    if person is not Person.COORDINATOR:
        return await command("round")(stage, person, context)
    async with a_world(stage.tmp / "round", bind=bound) as fresh:  # it closes the live round: a world of its own
        lift_limits(fresh)
        reply = (await fresh.command(COORDINATOR, COORDINATOR, "round")).text or ""
        assert [r.id for r in fresh.runtime.store.rounds()] == ["2021-W36"]
        return reply


def _status(status: Status) -> Callable[[str], str]:
    return lambda prompt: encode(Press(Act.STATUS, prompt, MEASURE, status))


def _extend(workdays: int) -> Callable[[str], str]:
    return lambda ticket: ticket_data(TicketPress(TicketAct.EXTEND, ticket, EXTEND_MEASURES[workdays], workdays))


CHECKLIST = "市财政局工作群的督办清单"
BUREAU = "协调处室群的督办单"
CLOSURE = "协调处室群的办结核实"
SEND_ALERT = None  # a refused button answers with an alert: no message


def in_chat(chat: Callable[[Stage], int]) -> Callable[[Stage, Person], int]:
    return lambda stage, person: chat(stage)


ROWS: tuple[Row, ...] = (
    # commands for everyone: reading changes nothing
    Row(
        "/start",
        "start",
        "/start",
        "任意",
        command("start"),
        everyone(Allow("问候及使用说明", reads(lambda text: text.startswith("您好") and "/status 市" in text))),
    ),
    Row(
        "/help",
        "help",
        "/help",
        "任意",
        command("help"),
        everyone(Allow("使用说明", reads(lambda text: text.startswith("督办机器人") and "/invite 市" in text))),
    ),
    Row(
        "/status",
        "status",
        "/status",
        "任意",
        command("status"),
        everyone(Allow("查看落实情况", reads(lambda text: "应报送" in text and "已报送" in text))),
    ),
    Row(
        "/overdue",
        "overdue",
        "/overdue",
        "任意",
        command("overdue"),
        everyone(Allow("查看逾期事项", reads(lambda text: "逾期未报送" in text))),
    ),
    Row(
        "/measure",
        "measure",
        "/measure 8",
        "任意",
        command("measure", "8"),
        everyone(Allow("查看措施内容", reads(lambda text: text.startswith("【措施8】")))),
    ),
    Row(
        "/abc",
        "unknown",
        "其他命令（如 /abc）",
        "任意",
        command("abc"),
        everyone(Allow("提示可用命令及示例", reads(lambda text: text.startswith("无法识别的命令 /abc")))),
    ),
    # the coordinators' commands
    Row(
        "/invite",
        "invite",
        "/invite 市财政局",
        "私聊",
        command("invite", FIN),
        only(Person.COORDINATOR, Allow("生成一次性绑定码", invite_made), COORDINATORS_ONLY),
    ),
    Row(
        "/round",
        "round",
        "/round",
        "私聊或协调处室群",
        open_round,
        only(Person.COORDINATOR, Allow("立即开启一轮报送", round_opened), COORDINATORS_ONLY),
    ),
    Row(
        "/remind",
        "remind",
        "/remind",
        "私聊或协调处室群",
        command("remind"),
        only(Person.COORDINATOR, Allow("向未报送单位催报", reminded), COORDINATORS_ONLY),
    ),
    Row(
        "/yuetan",
        "yuetan",
        "/yuetan 单位 日期 要点 整改期限",
        "私聊或协调处室群",
        command("yuetan", YUETAN),
        only(
            Person.COORDINATOR, Allow("记录约谈，通知单位、协调处室群和领导群", interview_recorded), COORDINATORS_ONLY
        ),
    ),
    Row(
        "/digest",
        "digest",
        "/digest",
        "私聊或协调处室群",
        command("digest"),
        only(Person.COORDINATOR, Allow("预览督办周报（只发给本人）", digest_previewed), COORDINATORS_ONLY),
    ),
    Row(
        "/score",
        "score",
        "/score",
        "私聊或领导群",
        command("score"),
        {
            p: (
                Allow("查看考核得分", reads(lambda text: text.startswith("【考核得分】")))
                if p in (Person.COORDINATOR, Person.LEADER)
                else Refuse("仅限协调员和领导", scoring.NOT_ALLOWED)
            )
            for p in PEOPLE
        },
    ),
    # the one command for liaisons: the code is the credential
    Row(
        "/bind",
        "bind",
        "/bind 绑定码",
        "本单位工作群",
        command("bind"),
        {
            Person.LIAISON: Allow("凭本单位绑定码登记为联络员", liaison_registered),
            Person.OTHER_LIAISON: Refuse("本群已绑定其他单位", messages.BIND_REFUSALS[BindRefusal.CHAT_TAKEN]),
            Person.STRANGER: Refuse("绑定码无效", messages.BIND_REFUSALS[BindRefusal.UNKNOWN_CODE]),
            Person.COORDINATOR: Refuse("须在工作群中绑定", messages.BIND_REFUSALS[BindRefusal.PRIVATE_CHAT]),
            Person.LEADER: Refuse("领导群不能绑定", messages.BIND_REFUSALS[BindRefusal.RESERVED_CHAT]),
        },
        setup=bind_code,
    ),
    # the checklist: only the department's liaisons steer it, and only they report
    Row(
        "ms",
        "open-measure",
        "措施编号（查看措施）",
        CHECKLIST,
        checklist_button(lambda prompt: encode(Press(Act.MEASURE, prompt, MEASURE))),
        only(Person.LIAISON, Allow("显示措施及进展按钮", shows(f"【措施{MEASURE}】本单位配合")), NOT_LIAISON),
        replies_in=SEND_ALERT,
    ),
    Row(
        "pg",
        "page",
        "上一页 / 下一页",
        CHECKLIST,
        checklist_button(lambda prompt: encode(Press(Act.PAGE, prompt, 1))),
        only(Person.LIAISON, Allow("翻页", shows("第2/3页")), NOT_LIAISON),
        replies_in=SEND_ALERT,
    ),
    Row(
        "bk",
        "back",
        "« 返回清单",
        CHECKLIST,
        checklist_button(lambda prompt: encode(Press(Act.BACK, prompt))),
        only(Person.LIAISON, Allow("回到清单", shows("【督办】2021年第36周")), NOT_LIAISON),
        setup=showing_measure,
        replies_in=SEND_ALERT,
    ),
    *(
        Row(
            f"st|{status.code}",
            f"status-{status.code}",
            status.label,
            CHECKLIST,
            checklist_button(_status(status)),
            only(Person.LIAISON, Allow(f"记为“{status.label}”", recorded(status)), NOT_LIAISON),
            replies_in=SEND_ALERT,
        )
        for status in (Status.NOT_STARTED, Status.IN_PROGRESS)
    ),
    *(
        Row(
            f"st|{status.code}",
            f"status-{status.code}",
            status.label,
            CHECKLIST,
            checklist_button(_status(status)),
            only(
                Person.LIAISON,
                Allow(
                    "请其回复说明，说明后生效",
                    asks_for_note(
                        f"请回复提示消息说明情况后记为“{status.label}”", f"【措施{MEASURE}】{FIN}：请回复本消息"
                    ),
                ),
                NOT_LIAISON,
            ),
            replies_in=SEND_ALERT,
        )
        for status in (Status.DONE, Status.BLOCKED)
    ),
    Row(
        "nt",
        "add-note",
        "📝 补充说明",
        CHECKLIST,
        checklist_button(lambda prompt: encode(Press(Act.NOTE, prompt, MEASURE))),
        only(
            Person.LIAISON,
            Allow("请其回复补充说明", asks_for_note("请回复机器人的提示消息补充说明", "补充说明进展情况")),
            NOT_LIAISON,
        ),
        setup=reported,
        replies_in=SEND_ALERT,
    ),
    Row(
        "note",
        "note-reply",
        "回复说明提示（ForceReply）",
        "市财政局工作群",
        reply_to_request(lambda stage: stage.fin_chat, NOTE),
        only(Person.LIAISON, Allow("记录进展及说明", note_recorded), NOT_LIAISON),
        setup=a_note_request,
        replies_in=in_chat(lambda stage: stage.fin_chat),
    ),
    # the bureau's tickets: coordinators only
    Row(
        "tx",
        "extend-choices",
        "延期·措施N",
        BUREAU,
        ticket_button(lambda tid: ticket_data(TicketPress(TicketAct.EXTEND_CHOICES, tid, EXTEND_CHOICES_MEASURE))),
        only(Person.COORDINATOR, Allow("列出可选期限", extension_choices), NOT_COORDINATOR),
        replies_in=SEND_ALERT,
    ),
    *(
        Row(
            f"tg|{workdays}",
            f"extend-{workdays}",
            f"{workdays}个工作日（延期）",
            BUREAU,
            ticket_button(_extend(workdays)),
            only(Person.COORDINATOR, Allow("延期，通知单位", extended(workdays)), NOT_COORDINATOR),
            replies_in=SEND_ALERT,
        )
        for workdays in EXTEND_MEASURES
    ),
    Row(
        "tb",
        "ticket-back",
        "« 返回督办单",
        BUREAU,
        ticket_button(lambda tid: ticket_data(TicketPress(TicketAct.BACK, tid))),
        only(Person.COORDINATOR, Allow("回到督办单", ticket_shown), NOT_COORDINATOR),
        replies_in=SEND_ALERT,
    ),
    Row(
        "tr",
        "resolve",
        "已核实·措施N",
        BUREAU,
        ticket_button(lambda tid: ticket_data(TicketPress(TicketAct.RESOLVE, tid, RESOLVE_MEASURE))),
        only(Person.COORDINATOR, Allow("本轮不再督办该事项", resolved), NOT_COORDINATOR),
        replies_in=SEND_ALERT,
    ),
    Row(
        "cs",
        "close",
        "销号",
        CLOSURE,
        ticket_button(lambda tid: ticket_data(TicketPress(TicketAct.CLOSE, tid))),
        only(Person.COORDINATOR, Allow("销号，通知单位", closed), NOT_COORDINATOR),
        setup=closure_to_close,
        replies_in=SEND_ALERT,
    ),
    Row(
        "ct",
        "return",
        "退回",
        CLOSURE,
        ticket_button(lambda tid: ticket_data(TicketPress(TicketAct.RETURN, tid))),
        only(Person.COORDINATOR, Allow("请其回复退回理由", asks_for_reason), NOT_COORDINATOR),
        setup=closure_to_return,
        replies_in=SEND_ALERT,
    ),
    Row(
        "reason",
        "return-reason",
        "回复退回理由提示（ForceReply）",
        "协调处室群",
        reply_to_request(lambda stage: BUREAU_CHAT, REASON),
        only(Person.COORDINATOR, Allow("退回，单位看到理由", returned), NOT_COORDINATOR),
        setup=reason_request,
        replies_in=in_chat(lambda stage: BUREAU_CHAT),
    ),
)


@in_the_world
@pytest.mark.parametrize("person", PEOPLE, ids=[p.name.lower() for p in PEOPLE])
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_cell(stage: Stage, row: Row, person: Person) -> None:
    cell = row.cells[person]
    context = await (row.setup or no_setup)(stage, person)
    await stage.settle()
    before = await stage.state()
    mark = stage.world.sandbox.mark()
    answer = await asyncio.wait_for(row.act(stage, person, context), WAIT_SECONDS)
    if isinstance(cell, Allow):
        await cell.check(stage, Seen(person, context, answer, before, mark))
        return
    assert answer == cell.text
    assert changed(before, await stage.state()) == set()
    await stage.settle()
    went_out = [(r.method, r.chat_id, r.text) for r in stage.world.sandbox.outgoing(after=mark)]
    expected = [("sendMessage", row.replies_in(stage, person), cell.text)] if row.replies_in else []
    assert [o for o in went_out if o[0] != "answerCallbackQuery"] == expected  # nothing else was sent or edited


# ----------------------------------------------------------------------------------------------- beyond the table


@in_the_world
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("status", "", "应报送"),
        ("overdue", "", "逾期未报送"),
        ("measure", "8", "【措施8】"),
        ("help", "", "所有人可用"),
    ],
)
async def test_leaders_read_in_a_private_chat_too(stage: Stage, name: str, args: str, expected: str) -> None:
    before = await stage.state()
    reply = await stage.world.command(LEADER, LEADER, name, args)
    assert expected in (reply.text or "")
    assert changed(before, await stage.state()) == set()


@in_the_world
async def test_invite_codes_are_made_only_in_a_private_chat(stage: Stage) -> None:
    before = await stage.state()
    reply = await stage.world.command(BUREAU_CHAT, COORDINATOR, "invite", FIN)
    assert reply.text == messages.PRIVATE_ONLY + "\n" + messages.usage("invite", stage.world.runtime.office)
    assert changed(before, await stage.state()) == set()


@in_the_world
async def test_the_bureaus_group_is_never_a_departments(stage: Stage) -> None:
    code = await invite_for(stage, FIN)
    before = await stage.state()
    reply = await stage.world.command(BUREAU_CHAT, COORDINATOR, "bind", code)
    assert reply.text == messages.BIND_REFUSALS[BindRefusal.RESERVED_CHAT]
    assert changed(before, await stage.state()) == set()  # the code is still unused, 市财政局 keeps its group


@in_the_world
@pytest.mark.parametrize(
    ("chat", "greeting"), [(BUREAU_CHAT, messages.GREETING_BUREAU), (LEADERS_CHAT, messages.GREETING_LEADERS)]
)
async def test_the_bot_added_to_the_bureaus_or_the_leaders_group_asks_no_one_to_bind(
    stage: Stage, chat: int, greeting: str
) -> None:
    before = await stage.state()
    stage.world.sandbox.remove_bot_from_chat(chat, COORDINATOR)
    mark = stage.world.sandbox.mark()
    stage.world.sandbox.add_bot_to_chat(chat, COORDINATOR)
    said = await stage.world.wait(lambda r: r.chat_id == chat and r.method == "sendMessage", after=mark)
    assert said.text == greeting and "/bind" not in greeting
    assert changed(before, await stage.state()) == set()


# ----------------------------------------------------------------------------------------------- the document


def render() -> str:
    """The table docs/access.md shows between its markers."""
    lines = [
        "| 人员 | 是谁，在哪里发命令 |",
        "| --- | --- |",
        *(f"| {p.value} | {PLACE[p]} |" for p in PEOPLE),
        "",
        "| 命令 / 按钮 | 所在 | " + " | ".join(p.value for p in PEOPLE) + " |",
        "| --- | --- | " + " | ".join("---" for _ in PEOPLE) + " |",
    ]
    for row in ROWS:
        cells = [("✅ " if isinstance(c, Allow) else "❌ ") + c.says for c in (row.cells[p] for p in PEOPLE)]
        lines.append(f"| {row.name} | {row.where} | " + " | ".join(cells) + " |")
    refusals = {c.says: c.text for row in ROWS for c in row.cells.values() if isinstance(c, Refuse)}
    lines += ["", "| 拒绝（❌） | 机器人的回复原文 |", "| --- | --- |"]
    lines += [f"| {says} | {text} |" for says, text in refusals.items()]
    allowed = sum(isinstance(c, Allow) for row in ROWS for c in row.cells.values())
    lines += [
        "",
        f"共{len(ROWS)}行 × {len(PEOPLE)}人 = {len(ROWS) * len(PEOPLE)}格：允许{allowed}格，拒绝"
        f"{len(ROWS) * len(PEOPLE) - allowed}格，每格一个测试。",
    ]
    return "\n".join(lines)


def test_the_document_shows_this_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"{DOC} lost its markers"
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert shown == render(), "docs/access.md differs from ROWS: paste `python -m tests.e2e.test_access`"


def test_every_command_and_every_button_has_a_row() -> None:
    covered = {row.covers for row in ROWS}
    web = {"web"}  # /web hands out the dashboard's login links: its table is tests/web/test_web_access.py's
    assert {f"/{name}" for name, _ in messages.COMMANDS if name not in web} | {"/bind"} <= covered
    assert {a.value for a in Act if a is not Act.STATUS} <= covered
    assert {f"{Act.STATUS.value}|{s.code}" for s in Status} <= covered
    assert {a.value for a in TicketAct if a is not TicketAct.EXTEND} <= covered
    assert {f"{TicketAct.EXTEND.value}|{n}" for n in EXTENSION_CHOICES} <= covered
    assert len({row.id for row in ROWS}) == len(ROWS)
    assert all(set(row.cells) == set(PEOPLE) for row in ROWS)


if __name__ == "__main__":
    print(render())
