"""The data the real bot has after N weekly rounds, built in simulated time through the services — or, where a
service would spend its time drawing a message, through the Store methods it uses, storing what it stores.

Every respondent is bound to a group of its own (binding.invite and binding.bind). Each week:
- the round opens (supervision.due, open_round) and every checklist goes out (stored as prepare_prompts and
  prompts_sent store them); the closed round's checklists lose their buttons (supervision.dead_checklists, edited);
- the liaisons report in batches — most within a day, some after the due time, a few leave items out or fall
  silent for two or three rounds — each item a report and its audit entry as `core.reports.record` makes them
  for a press (`Store.save_reports`); 已完成 and 有困难 carry notes, some reports get a note added, a lead's
  已完成 goes to the bureau (closures.on_done, ticket_sent);
- the ladder runs at the reminder, the due time and the 督办 time (services.ladder.due_steps, steps_done; each 督办单
  stored as step_messages stores it);
- at the Friday digest the digest is marked sent with its totals, as services.digests.digest_sent does (its ledger and
  files are what bench/growth.py measures, not what this builds);
- the coordinator grants 延期 or 已核实 on some 督办单 (stored as ticket_press stores them), 销号s completions or
  sends one in ten back (ticket_press, return_with_reason), and records each proposed 约谈 (record_interview).
The store is the production one (TinyStore, group commit). It is flushed once a simulated week — what is on
disk is what flushing after every batch, as the service runner does, would leave.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pendulum

from bench.common import TZ, runtime
from storage.tinydb_store import TinyStore
from supervisor_bot.core import ladder
from supervisor_bot.core import reports as core_reports
from supervisor_bot.core import tick as core_tick
from supervisor_bot.core.bindings import BindRefusal
from supervisor_bot.core.digest import State, measure_progress, totals
from supervisor_bot.core.ledger import Progress
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.oversight import ClosureState, Extension, Resolution
from supervisor_bot.core.people import Actor, MessageId
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services import binding, closures, interviews, supervision
from supervisor_bot.services import ladder as ladder_service
from supervisor_bot.services import tickets as ticket_service
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views.tickets import TicketAct, TicketPress

FIRST_MONDAY = pendulum.datetime(2021, 9, 6, tz=TZ)
BUREAU_CHAT = -900_001
LEADERS_CHAT = -900_002
COORDINATOR = Actor(1, "协调员")
DONE_NOTES = (
    "已按要求完成，相关材料已报市人社局备案。",
    "政策已落地实施，累计惠及企业{n}家。",
    "已完成阶段目标，形成长效机制。",
)
BLOCKED_NOTES = ("房源筹集进度滞后，需市级统筹协调用地指标。", "资金拨付渠道尚未打通，需财政部门配合。")
PROGRESS_NOTES = ("本周召开专题推进会，完成进度约{n}%。", "已印发实施细则，正在组织申报。")
RETURN_REASON = "未附佐证材料，请补充政策文件后重新报送"


def chat_of(number: int) -> int:
    """The group of the `number`-th respondent (from 1)."""
    return -100_000 - number


def liaison_of(number: int) -> int:
    return 100_000 + number


@dataclass
class _Unit:
    name: str
    chat: int
    actor: Actor
    late: bool  # reports after the due time
    silent_until: int = -1  # a silent spell: no reports in rounds before this one


@dataclass
class Moments:
    """The moments of one round that the simulation acts at."""

    opening: pendulum.DateTime
    remind: dt.datetime | None
    due: dt.datetime
    escalate: dt.datetime
    digest: pendulum.DateTime


@dataclass
class History:
    """A deployment's data folder, filled week by week. `at_digest(rounds)` is called at each Friday's digest
    moment, after the ladder's steps and before the digest — the state the digest is built from, on disk — and
    stops the simulation there if it returns True."""

    data_dir: Path
    matrix: Matrix
    registry: object
    seed: int = 2021
    store: TinyStore = field(init=False)
    rt: Runtime = field(init=False)
    rounds: int = 0
    monday: pendulum.DateTime = FIRST_MONDAY
    _units: dict[str, _Unit] = field(init=False, default_factory=dict)
    _finish: dict[tuple[int, str], int] = field(init=False, default_factory=dict)
    _handled: set[str] = field(init=False, default_factory=set)
    _stopped: bool = field(init=False, default=False)
    _messages: itertools.count[int] = field(init=False, default_factory=lambda: itertools.count(1000))

    def __post_init__(self) -> None:
        self.store = TinyStore(self.data_dir, group_commit=True)
        self.rt = runtime(self.store, self.matrix, self.registry, BUREAU_CHAT, leaders_chat=LEADERS_CHAT)
        rng = random.Random(f"{self.seed}:units")
        for number, name in enumerate(self.rt.respondents, start=1):
            actor = Actor(liaison_of(number), f"联络员{number}")
            self._units[name] = _Unit(name, chat_of(number), actor, late=rng.random() < 0.08)
            for duty in self.rt.duties[name]:  # the round in which each item is done: some in weeks, most in years
                self._finish[(duty.measure.number, name)] = rng.randint(3, 700)
        if not self.store.bindings():
            self._bind_all(FIRST_MONDAY.subtract(days=3).add(hours=10))

    def close(self) -> None:
        self.store.flush()
        self.store.close()

    def _bind_all(self, now: pendulum.DateTime) -> None:
        for n, unit in enumerate(self._units.values()):
            moment = now.add(seconds=n)
            made = binding.invite(self.rt, unit.name, COORDINATOR, moment, code=f"C{n:07d}")
            assert isinstance(made, binding.InviteMade), made
            bound = binding.bind(
                self.rt,
                made.invite.code,
                chat_id=unit.chat,
                is_group=True,
                title=f"{unit.name}群",
                actor=unit.actor,
                now=moment.add(minutes=5),
            )
            assert not isinstance(bound, BindRefusal), bound
        self.store.flush()

    # --------------------------------------------------------------------------------------------- a week

    def play(self, rounds: int, at_digest: Callable[[int], bool] | None = None) -> None:
        """Simulate weeks until `rounds` rounds have opened in all (each played through its Friday), or until
        `at_digest` says stop."""
        while self.rounds < rounds:
            stopped = self._week(at_digest)
            if stopped:
                return
            self.monday = self.monday.add(weeks=1)

    def _moments(self) -> Moments | None:
        rt = self.rt
        opening = rt.schedule.opening_in_week(self.monday.date(), rt.calendar)
        if opening is None:
            return None
        due = rt.schedule.due_for(opening, rt.calendar)
        probe = Round("probe", "probe", opening, due)
        return Moments(
            opening,
            ladder.remind_at(probe, rt.ladder, rt.calendar, rt.tz),
            due,
            ladder.escalate_at(probe, rt.ladder, rt.calendar, rt.tz),
            ladder.digest_time(self.monday.date(), rt.ladder, rt.calendar, rt.tz),
        )

    def _next_opening(self) -> pendulum.DateTime:
        for weeks in range(1, 4):
            day = self.monday.add(weeks=weeks).date()
            found = self.rt.schedule.opening_in_week(day, self.rt.calendar)
            if found is not None:
                return found
        raise AssertionError("no round opens for three weeks")

    def _week(self, at_digest: Callable[[int], bool] | None) -> bool:
        moments = self._moments()
        if moments is None:
            return False
        week = self.rounds
        rng = random.Random(f"{self.seed}:{week}")
        for unit in self._units.values():
            if unit.silent_until < week and rng.random() < 0.003:
                unit.silent_until = week + rng.choice((2, 3))
        prompt = [u for u in self._units.values() if not u.late and u.silent_until <= week]
        first, second = prompt[::2], prompt[1::2]
        late = [u for u in self._units.values() if u.late and u.silent_until <= week]
        next_day = self.rt.calendar.add_workdays(moments.due.date(), 1)
        events: list[tuple[dt.datetime, Callable[[dt.datetime], object]]] = [
            (moments.opening, self._open),
            (moments.opening.add(hours=2), lambda now: self._reports(first, now, rng, week)),
            (moments.opening.add(hours=25), lambda now: self._reports(second, now, rng, week)),
            (moments.due, self._tick),
            (
                pendulum.datetime(next_day.year, next_day.month, next_day.day, 10, tz=TZ),
                lambda now: self._reports(late, now, rng, week),
            ),
            *([(moments.escalate, self._tick)] if moments.escalate != moments.digest else []),
            (moments.digest, lambda now: self._digest(now, at_digest)),
            (moments.digest.add(minutes=30), lambda now: self._coordinator(now, rng)),
        ]
        if moments.remind is not None:
            events.append((moments.remind, self._tick))
        ends = self._next_opening()
        for when, action in sorted(events, key=lambda e: e[0]):
            if moments.opening <= when < ends:
                action(when)
                if self._stopped:
                    return True
        self.store.flush()
        return False

    # --------------------------------------------------------------------------------------------- the bot's ticks

    def _open(self, now: dt.datetime) -> None:
        """The tick that opens the round: the round stored, then a checklist to every bound group — stored as
        supervision.prepare_prompts and prompts_sent store them (the checklists' text is not stored) — and the
        closed round's checklists edited, as app.cycle.close_dead_checklists settles them."""
        rt = self.rt
        actions = supervision.due(rt, now)
        for action in actions:
            if isinstance(action, core_tick.OpenRound):
                supervision.open_round(rt, action)
                self.rounds += 1
        sends = [a for a in actions if isinstance(a, core_tick.SendPrompt)]
        first = rt.store.next_id("prompt", len(sends)) if sends else 0
        prompts = [Prompt(format(first + n, "x"), a.round_id, a.respondent, a.chat_id) for n, a in enumerate(sends)]
        if prompts:
            rt.store.save_prompts(prompts)
            rt.store.save_prompts([replace(p, message_id=next(self._messages)) for p in prompts])
        supervision.edited(rt, [dead.key for dead in supervision.dead_checklists(rt)])

    def _tick(self, now: dt.datetime) -> list[ladder.SendDigest]:
        """The ladder's part of a tick: what is due (services.ladder.due_steps), a 督办单 stored for each 督办
        as step_messages stores it, and the steps recorded (steps_done)."""
        rt = self.rt
        live, steps = ladder_service.due_steps(rt, rt.ladder, now)
        if live is None:
            return []
        others: list[ladder.Step] = [s for s in steps if not isinstance(s, ladder.SendDigest)]
        tickets: list[tuple[Ticket, MessageId]] = []
        for step in others:
            if isinstance(step, ladder.Escalate):
                measures = tuple(i.measure for i in step.items)
                ticket = Ticket(
                    format(rt.store.next_id("ticket"), "x"),
                    TicketKind.ESCALATION,
                    live.id,
                    step.respondent,
                    measures,
                    BUREAU_CHAT,
                )
                rt.store.save_ticket(ticket)
                tickets.append((ticket, next(self._messages)))
        if others:
            ladder_service.steps_done(rt, live, others, now, tickets)
        return [s for s in steps if isinstance(s, ladder.SendDigest)]

    def _digest(self, now: dt.datetime, at_digest: Callable[[int], bool] | None) -> None:
        """Friday's tick: the ladder, then the digest — its totals kept as services.digests.digest_sent keeps them."""
        digests = self._tick(now)
        if at_digest is not None:
            self.store.flush()
            self._stopped = at_digest(self.rounds)
            if self._stopped:
                return
        live = self.rt.current_round()
        if live is None:
            return
        for step in digests:
            self.rt.store.mark_lasting_done(step.key, {k.value: v for k, v in self._totals(live).items()})

    def _totals(self, live: Round) -> dict[Progress, int]:
        """The digest's totals (core.digest.build_digest's), without its ledger."""
        rt = self.rt
        state = State(
            matrix=rt.matrix,
            units=tuple(rt.respondents.values()),
            round=live,
            reports=rt.store.reports(live.id),
            overdue=(),
            closures={(c.measure, c.respondent): c for c in rt.store.closures()},
        )
        return totals(measure_progress(state))

    # --------------------------------------------------------------------------------------------- people

    def _reports(self, units: list[_Unit], now: dt.datetime, rng: random.Random, week: int) -> None:
        """A batch of liaisons go through their checklists: a press per item, a note where one is due."""
        rt = self.rt
        live = rt.current_round()
        if live is None or not live.is_open(now):
            return
        current = rt.store.reports(live.id)
        reports: list[Report] = []
        audit: list[AuditEntry] = []
        moment = dt.datetime.fromisoformat(now.isoformat())  # plain datetime arithmetic: 3000 presses a batch
        for unit in units:
            partial = rng.random() < 0.03  # this week it leaves a fifth of its items out
            for duty in rt.duties[unit.name]:
                key = (duty.measure.number, unit.name)
                before = current.get(key)
                if (before is not None and before.status is Status.DONE) or (partial and rng.random() < 0.2):
                    continue
                moment += dt.timedelta(seconds=rng.randint(5, 40))
                status, note = self._choice(duty, unit.name, week, rng)
                if rng.random() < 0.03:  # a slip, corrected at once
                    report, entry = self._record(before, duty, unit, Status.NOT_STARTED, "", moment, live)
                    reports.append(report)
                    audit.append(entry)
                    before = report
                report, entry = self._record(before, duty, unit, status, note, moment, live)
                reports.append(report)
                audit.append(entry)
                if status is Status.IN_PROGRESS and rng.random() < 0.05:  # a note added to the report
                    text = PROGRESS_NOTES[rng.randrange(len(PROGRESS_NOTES))].format(n=rng.randint(10, 90))
                    report, entry = core_reports.add_note(
                        report, text, unit.actor, unit.chat, moment + dt.timedelta(seconds=20)
                    )
                    reports.append(report)
                    audit.append(entry)
        rt.store.save_reports(live.id, reports, audit)
        latest = {r.key: r for r in reports}
        for report in latest.values():
            sent = closures.on_done(rt, report, report.at)
            if sent is not None and sent.ticket is not None:
                closures.ticket_sent(rt, sent.ticket, next(self._messages))

    def _choice(self, duty: Duty, name: str, week: int, rng: random.Random) -> tuple[Status, str]:
        if week >= self._finish[(duty.measure.number, name)]:
            return Status.DONE, DONE_NOTES[rng.randrange(len(DONE_NOTES))].format(n=rng.randint(12, 380))
        if rng.random() < 0.03:
            return Status.BLOCKED, BLOCKED_NOTES[rng.randrange(len(BLOCKED_NOTES))]
        if week < 4 and rng.random() < 0.3:
            return Status.NOT_STARTED, ""
        return Status.IN_PROGRESS, ""

    def _record(
        self, before: Report | None, duty: Duty, unit: _Unit, status: Status, note: str, now: dt.datetime, live: Round
    ) -> tuple[Report, AuditEntry]:
        return core_reports.record(
            before,
            round_id=live.id,
            measure=duty.measure.number,
            respondent=unit.name,
            status=status,
            note=note,
            actor=unit.actor,
            chat_id=unit.chat,
            now=now,
        )

    def _coordinator(self, now: dt.datetime, rng: random.Random) -> None:
        """The bureau's week: 延期 or 已核实 on some 督办单, 销号 (or 退回) for completions, 约谈 recorded."""
        rt = self.rt
        moment = pendulum.instance(now)
        for ticket in rt.store.tickets():
            if ticket.id in self._handled or ticket.message_id is None:
                continue
            self._handled.add(ticket.id)
            moment = moment.add(minutes=2)
            if ticket.kind is TicketKind.ESCALATION:
                self._escalation(ticket, moment, rng)
            else:
                self._closure(ticket, moment, rng)
        for interview in rt.store.interviews():
            if not interview.held and interview.proposed_for <= now:
                held = pendulum.instance(interview.proposed_for).in_timezone(TZ).date()
                text = (
                    f"{interview.respondent} {held.isoformat()} 约谈单位主要负责同志，指出逾期问题，"
                    f"明确专人负责、每周按时报送 整改期限{(held + dt.timedelta(days=14)).isoformat()}"
                )
                recorded = interviews.record_interview(rt, text, COORDINATOR, BUREAU_CHAT, moment)
                assert isinstance(recorded, interviews.InterviewRecorded), recorded

    def _escalation(self, ticket: Ticket, now: dt.datetime, rng: random.Random) -> None:
        """延期 by 5 working days or 已核实 on a 督办单's first item, stored as services.tickets.ticket_press stores them
        (without drawing the 督办单 again, which costs a province's builder minutes)."""
        rt, choice, measure = self.rt, rng.random(), ticket.measures[0]
        if choice < 0.2:
            until = rt.calendar.add_workdays(pendulum.instance(now).in_timezone(rt.tz).date(), 5)
            extension = Extension(measure, ticket.respondent, until, COORDINATOR, now)
            audit = self._ticket_audit(ticket, now, "extend", measure, until.isoformat())
            rt.store.save_extension(extension, audit)
        elif choice < 0.3:
            resolution = Resolution(ticket.round_id, measure, ticket.respondent, COORDINATOR, now)
            rt.store.save_resolution(resolution, self._ticket_audit(ticket, now, "resolve", measure, "已核实"))

    @staticmethod
    def _ticket_audit(ticket: Ticket, now: dt.datetime, action: str, measure: int, note: str) -> AuditEntry:
        return AuditEntry(now, COORDINATOR, BUREAU_CHAT, action, ticket.round_id, measure, ticket.respondent, note=note)

    def _closure(self, ticket: Ticket, now: dt.datetime, rng: random.Random) -> None:
        closure = next(
            (
                c
                for c in self.rt.store.closures()
                if (c.measure, c.respondent) == (ticket.measures[0], ticket.respondent)
            ),
            None,
        )
        if closure is None or closure.state is not ClosureState.PENDING:
            return
        assert ticket.message_id is not None
        if rng.random() < 0.1:
            returned = closures.return_with_reason(self.rt, ticket.id, RETURN_REASON, COORDINATOR, BUREAU_CHAT, now)
            assert isinstance(returned, closures.Returned), returned
            key = (ticket.measures[0], ticket.respondent)
            self._finish[key] = self.rounds + rng.randint(2, 10)
        else:
            press = TicketPress(TicketAct.CLOSE, ticket.id)
            ticket_service.ticket_press(self.rt, press, ticket.chat_id, ticket.message_id, COORDINATOR, now)
