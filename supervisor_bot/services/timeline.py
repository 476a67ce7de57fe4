"""一件一档: a measure's page — its text, dates, units with their status — and the timeline of everything that
happened to it, as the audit trail and the ladder's records keep it.

The timeline covers the recent rounds (`TIMELINE_ROUNDS`, half a year of weekly rounds) and every 约谈 that
named the measure. 临期提醒 and 催办 are recorded per unit, not per item: an item is shown as reminded (urged)
when its unit was and it had not been reported by then, at the time the ladder schedules the step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervisor_bot.core.ladder import LadderConfig, remind_at
from supervisor_bot.core.ledger import LedgerRow
from supervisor_bot.core.matrix import Measure, Role
from supervisor_bot.core.people import SYSTEM
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import Ticket, TicketKind
from supervisor_bot.services.dashboard import Snapshot
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import fmt

TIMELINE_ROUNDS = 26


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str  # prompt, report, note, remind, urge, escalate, extend, resolve, closure_requested, close, return,
    #            propose_interview, interview, carry, evidence
    label: str  # 发送督办清单, 报送, 临期提醒 …
    unit: str
    text: str  # what was said or decided
    who: str  # the person, or 督办机器人
    where: str  # the chat, as the bot knows it


@dataclass(frozen=True)
class Action:
    """What a coordinator can do about an item from the web: a ticket it is on, and which acts."""

    ticket_id: str
    kind: TicketKind
    unit: str

    @property
    def is_closure(self) -> bool:
        return self.kind is TicketKind.CLOSURE


@dataclass(frozen=True)
class MeasurePage:
    measure: Measure
    section: str
    leads: tuple[str, ...]
    rows: tuple[LedgerRow, ...]  # this round, every responsible unit
    actions: dict[tuple[int, str], tuple[Action, ...]]  # open tickets on this measure's items
    events: tuple[Event, ...]  # oldest first
    unbound: tuple[tuple[str, Role], ...] = ()  # responsible units not yet bound (未绑定), with their role
    cooperating: tuple[str, ...] = ()  # 配合单位 listed with the measure, never asked (`[rounds] ask = "leads"`)


_LABELS = {
    "report": "报送",
    "note": "补充说明",
    "carry": "已完成结转",
    "extend": "延期",
    "resolve": "已核实",
    "closure_requested": "申请销号",
    "close": "销号",
    "return": "退回",
    "evidence": "佐证材料",
}


def _where(rt: Runtime, entry: AuditEntry) -> str:
    """The chat an event happened in, as the office names it (a private chat is the person's own)."""
    chat_id = entry.chat_id
    if chat_id == 0:
        return "—"
    if chat_id == rt.bureau_chat:
        return "协调处室群"
    if chat_id == rt.leaders_chat:
        return "领导群"
    if chat_id == entry.actor.user_id:
        return "私聊"
    found = rt.binding_of_chat(chat_id)
    return f"{found.respondent}工作群" if found is not None else f"群{chat_id}"


def _audit_text(entry: AuditEntry) -> str:
    if entry.action in ("report", "carry") and entry.after:
        status = Status(entry.after).label
        return f"{status}：{entry.note}" if entry.note else status
    if entry.action == "extend":
        return f"期限延至{entry.note}"
    return entry.note or ""


def _audit_events(rt: Runtime, number: int, round_: Round) -> list[Event]:
    out = []
    for entry in rt.store.audit(round_.id):
        if entry.measure != number or entry.action not in _LABELS:
            continue
        who = entry.actor.name if entry.actor != SYSTEM else "督办机器人"
        out.append(
            Event(
                entry.at,
                entry.action,
                _LABELS[entry.action],
                entry.respondent or "",
                _audit_text(entry),
                who,
                _where(rt, entry),
            )
        )
    return out


def _ladder_events(rt: Runtime, config: LadderConfig, measure: Measure, round_: Round) -> list[Event]:
    units = [name for name, duties in rt.duties.items() if any(d.measure.number == measure.number for d in duties)]
    done = rt.store.done(round_.id)
    reports = rt.store.reports(round_.id)
    bot = "督办机器人"
    out = [
        Event(round_.opened_at, "prompt", "发送督办清单", "各责任单位", fmt.round_name(round_.id), bot, "各单位工作群")
    ]
    reminded = remind_at(round_, config, rt.calendar, rt.tz)
    for unit in units:
        report = reports.get((measure.number, unit))
        if reminded is not None and f"remind:{unit}" in done and (report is None or report.at > reminded):
            out.append(Event(reminded, "remind", "临期提醒", unit, "截止前尚未报送", bot, f"{unit}工作群"))
        if f"urge:{unit}" in done and (report is None or report.at > round_.due_at):
            out.append(Event(round_.due_at, "urge", "催办", unit, "截止时尚未报送", bot, f"{unit}工作群"))
    for (number, unit), at in rt.store.escalated(round_.id).items():
        if number == measure.number:
            out.append(Event(at, "escalate", "督办单", unit, "逾期事项列入督办单", bot, "协调处室群"))
    return out


def _interview_events(rt: Runtime, number: int) -> list[Event]:
    out = []
    for i in rt.store.interviews():
        if number not in i.items:
            continue
        out.append(
            Event(
                i.proposed_at,
                "propose_interview",
                "约谈建议",
                i.respondent,
                "；".join(i.reasons),
                "督办机器人",
                "协调处室群、领导群",
            )
        )
        if i.held_on is not None:
            held = fmt.local(i.proposed_at, rt.tz).replace(
                year=i.held_on.year, month=i.held_on.month, day=i.held_on.day
            )
            rectify = i.rectify_by.isoformat() if i.rectify_by else "—"
            who = i.recorded_by.name if i.recorded_by is not None else "协调员"
            out.append(Event(held, "interview", "约谈", i.respondent, f"{i.points}；整改期限{rectify}", who, "—"))
    return out


def open_actions(rt: Runtime, snap: Snapshot, number: int | None = None) -> dict[tuple[int, str], tuple[Action, ...]]:
    """Open tickets on items (of one measure, or all): the live round's 督办单 on items still overdue and not
    settled, and pending 办结核实. Keyed by (measure, unit)."""
    pending = {(c.measure, c.respondent) for c in rt.store.closures() if c.state.value == "pending"}
    settled = {(e.measure, e.respondent) for e in rt.store.extensions()} | {
        (r.measure, r.respondent) for r in rt.store.resolutions(snap.round.id)
    }
    late = {(o.measure, o.respondent) for o in snap.overdue}
    found: dict[tuple[int, str, TicketKind], Ticket] = {}
    for t in rt.store.tickets():
        for measure in t.measures:
            key = (measure, t.respondent)
            if number is not None and measure != number:
                continue
            if (t.kind is TicketKind.CLOSURE and key in pending) or (
                t.kind is TicketKind.ESCALATION
                and key in late
                and key not in settled
                and t.round_id == snap.round.id
                and t.message_id is not None
            ):
                found[(*key, t.kind)] = t  # the latest ticket for the item wins
    out: dict[tuple[int, str], tuple[Action, ...]] = {}
    for (measure, unit, kind), t in sorted(found.items()):
        out[(measure, unit)] = (*out.get((measure, unit), ()), Action(t.id, kind, unit))
    return out


def measure_page(rt: Runtime, snap: Snapshot, config: LadderConfig, written: str) -> MeasurePage | None:
    """The page of the measure `written` names: the plan's label (`二（一）`) or its running number."""
    measure = rt.matrix.find(written[:20])
    if measure is None:
        return None
    number = measure.number
    rounds = [r for r in rt.store.rounds() if r.opened_at <= snap.round.opened_at][-TIMELINE_ROUNDS:]
    events: list[Event] = _interview_events(rt, number)
    for round_ in rounds:
        events += _audit_events(rt, number, round_) + _ladder_events(rt, config, measure, round_)
    events.sort(key=lambda e: e.at)
    section = rt.matrix.section(measure.section)
    return MeasurePage(
        measure,
        f"{section.label}、{section.title}" if section is not None else "",
        measure.leads,
        snap.rows_by_measure.get(number, ()),
        open_actions(rt, snap, number),
        tuple(events),
        tuple((u, role) for u in rt.respondents if u in snap.unbound and (role := _role(rt, u, number)) is not None),
        rt.matrix.listed_only(measure),
    )


def _role(rt: Runtime, unit: str, number: int) -> Role | None:
    return next((d.role for d in rt.duties.get(unit, ()) if d.measure.number == number), None)
