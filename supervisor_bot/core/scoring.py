"""考核 (measure 58: 加强就业督导考核): a score per unit per period, from supervision's own records.

Pure: given the facts of a period (the items asked in its rounds with when each was first reported, the 督办
findings, the 约谈 held, the 退回 and the 销号 completions) and the rules, each unit starts at `start` and every
deduction (or credit) is one event with its date, the rule it falls under and its points — so every point is
traceable. The service (services/scoring.py) gathers the facts from the store; it decides which units are scored.

Which period an event counts in: a report event (迟报, 未报送) in the period of its round's due time; a 逾期 in
the period of the 督办 that found it; a 约谈 on the day it was held; a 退回 on the day of the decision; a credit
on the day of the 销号.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from supervisor_bot.core.matrix import Role


class Rule(StrEnum):
    OVERDUE_LEAD = "overdue_lead"
    OVERDUE_CO = "overdue_co"
    LATE_REPORT = "late_report"
    MISSING_REPORT = "missing_report"
    INTERVIEW = "interview"
    RETURNED = "returned"
    EARLY_DONE = "early_done"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Rule.OVERDUE_LEAD: "逾期事项（牵头）",
    Rule.OVERDUE_CO: "逾期事项（配合）",
    Rule.LATE_REPORT: "迟报",
    Rule.MISSING_REPORT: "未报送",
    Rule.INTERVIEW: "约谈",
    Rule.RETURNED: "退回",
    Rule.EARLY_DONE: "提前完成",
}


@dataclass(frozen=True)
class ScoringRules:
    """Points per event (`[scoring]` in settings.toml). Deductions are positive numbers taken off `start`;
    `early_done` is added, at most `credit_cap` in a period. A score never falls below zero."""

    start: float = 100.0
    overdue_lead: float = 2.0
    overdue_co: float = 1.0
    late_report: float = 0.5
    missing_report: float = 1.0
    interview: float = 5.0
    returned: float = 0.5
    early_done: float = 1.0
    credit_cap: float = 5.0
    period: str = "quarter"  # the period /score, the digest and the dashboard show: month | quarter | year

    def points(self, rule: Rule) -> float:
        """The signed points of one event under `rule`: negative for a deduction."""
        value = {
            Rule.OVERDUE_LEAD: self.overdue_lead,
            Rule.OVERDUE_CO: self.overdue_co,
            Rule.LATE_REPORT: self.late_report,
            Rule.MISSING_REPORT: self.missing_report,
            Rule.INTERVIEW: self.interview,
            Rule.RETURNED: self.returned,
            Rule.EARLY_DONE: self.early_done,
        }[rule]
        return value if rule is Rule.EARLY_DONE else -value


@dataclass(frozen=True)
class Asked:
    """An item (measure × unit) asked in a round: when it was due, and when it was first reported (None: not)."""

    unit: str
    measure: int
    role: Role
    round_id: str
    due_at: dt.datetime
    reported_at: dt.datetime | None
    done: bool  # reported 已完成 in this round (not carried over)
    plan: str = ""  # the plan's key in a deployment of several plans


@dataclass(frozen=True)
class Event:
    """Something a unit did, or that supervision found: the fact a deduction or credit is traced to."""

    rule: Rule
    unit: str
    at: dt.datetime
    measure: int | None = None
    round_id: str | None = None
    detail: str = ""  # the 约谈's points, the 退回's reason, the measure's deadline …
    plan: str = ""  # the plan's key: one score per unit, its deductions listed by plan


@dataclass(frozen=True)
class Deduction:
    event: Event
    points: float  # signed: negative takes off, positive adds


@dataclass(frozen=True)
class UnitScore:
    unit: str
    score: float
    deductions: tuple[Deduction, ...]
    lead_due: int = 0
    lead_on_time: int = 0
    co_due: int = 0
    co_on_time: int = 0
    completed: int = 0  # items reported 已完成 in the period
    overdue: int = 0  # items found overdue (督办) in the period
    interviews: int = 0  # 约谈 held in the period

    @property
    def lead_rate(self) -> float | None:
        return self.lead_on_time / self.lead_due if self.lead_due else None

    @property
    def co_rate(self) -> float | None:
        return self.co_on_time / self.co_due if self.co_due else None


@dataclass(frozen=True)
class Facts:
    """Everything a period's scores are computed from."""

    asked: tuple[Asked, ...] = ()
    findings: tuple[Event, ...] = ()  # 逾期 (督办), 约谈, 退回, 提前完成 — dated, each already a rule's event


def report_events(asked: Iterable[Asked], now: dt.datetime) -> list[Event]:
    """迟报 for an item first reported after its due time, 未报送 for one not reported by `now` (past due)."""
    out: list[Event] = []
    for item in asked:
        if item.reported_at is None:
            if now >= item.due_at:
                out.append(
                    Event(Rule.MISSING_REPORT, item.unit, item.due_at, item.measure, item.round_id, plan=item.plan)
                )
        elif item.reported_at > item.due_at:
            late = Event(Rule.LATE_REPORT, item.unit, item.reported_at, item.measure, item.round_id, plan=item.plan)
            out.append(late)
    return out


def _capped(deductions: list[Deduction], cap: float) -> list[Deduction]:
    """Credits beyond the cap are shown with 0 points: still traceable, no longer counted."""
    out, credited = [], 0.0
    for d in deductions:
        if d.points > 0:
            allowed = max(0.0, min(d.points, cap - credited))
            credited += allowed
            d = Deduction(d.event, allowed)
        out.append(d)
    return out


def score_units(units: Iterable[str], facts: Facts, rules: ScoringRules, now: dt.datetime) -> tuple[UnitScore, ...]:
    """Each unit's score over the facts of one period, lowest first (ties in the order given)."""
    names = list(units)
    events: dict[str, list[Event]] = {name: [] for name in names}
    for event in (*report_events(facts.asked, now), *facts.findings):
        if event.unit in events:
            events[event.unit].append(event)
    due: dict[str, list[Asked]] = {name: [] for name in names}  # grouped once: a province has 752 units
    for item in facts.asked:
        if item.unit in due and now >= item.due_at:
            due[item.unit].append(item)
    out = []
    for name in names:
        own = sorted(events[name], key=lambda e: (e.at, e.measure or 0, e.rule.value))
        deductions = _capped([Deduction(e, rules.points(e.rule)) for e in own], rules.credit_cap)
        total = max(0.0, rules.start + sum(d.points for d in deductions))
        asked = due[name]
        lead = [a for a in asked if a.role is Role.LEAD]
        co = [a for a in asked if a.role is not Role.LEAD]
        out.append(
            UnitScore(
                name,
                round(total, 2),
                tuple(deductions),
                lead_due=len(lead),
                lead_on_time=sum(1 for a in lead if _on_time(a)),
                co_due=len(co),
                co_on_time=sum(1 for a in co if _on_time(a)),
                completed=len({(a.plan, a.measure) for a in asked if a.done}),
                overdue=len({(e.plan, e.measure) for e in own if e.rule in (Rule.OVERDUE_LEAD, Rule.OVERDUE_CO)}),
                interviews=sum(1 for e in own if e.rule is Rule.INTERVIEW),
            )
        )
    order = {name: i for i, name in enumerate(names)}
    return tuple(sorted(out, key=lambda s: (s.score, order[s.unit])))


def _on_time(item: Asked) -> bool:
    return item.reported_at is not None and item.reported_at <= item.due_at


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def period_of(kind: str, day: dt.date) -> Period:
    """The month, quarter or year `day` falls in."""
    if kind == "month":
        return Period(day.replace(day=1), _month_end(day.year, day.month))
    if kind == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    first = 3 * ((day.month - 1) // 3) + 1
    return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2))


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Scorecard:
    """A period's scores, lowest first, as of `at`."""

    period: Period
    at: dt.datetime
    scores: tuple[UnitScore, ...]
    rules: ScoringRules
    labels: Mapping[int, str] = field(default_factory=dict)  # each measure's label as the plan prints it
    plan_labels: Mapping[tuple[str, int], str] = field(default_factory=dict)  # several plans: by (key, number)

    def of(self, unit: str) -> UnitScore | None:
        return next((s for s in self.scores if s.unit == unit), None)

    def label(self, measure: int, plan: str = "") -> str:
        """The measure as the plan numbers it (`5`, `二（一）`)."""
        found = self.plan_labels.get((plan, measure)) if plan else None
        return found or self.labels.get(measure, str(measure))
