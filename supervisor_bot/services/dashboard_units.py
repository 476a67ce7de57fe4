"""The dashboard's units: the list (lights, roles, on-time rates, overdue items, scores) and a unit's page.

A unit not yet bound to a group is 未绑定: it has no light, no rate, no score and no overdue item, is ranked nowhere,
and is listed apart ("尚未绑定工作群的单位"); its page lists what the plan asks of it, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from supervisor_bot.core.ledger import LedgerRow, Light, OnTime
from supervisor_bot.core.matrix import Role
from supervisor_bot.services.dashboard import LIGHT_RANK, RATE_ROUNDS, Snapshot
from supervisor_bot.services.runtime import Runtime


@dataclass(frozen=True)
class UnitLine:
    """A unit in the list: its light, roles, on-time rate over recent rounds and open overdue items."""

    name: str
    department: str
    light: Light | None  # None: nothing asked of it this round, or not bound
    leads: int
    supports: int
    on_time: OnTime | None
    overdue: int
    members: tuple[UnitLine, ...] = ()  # a collective body's members
    score: float | None = None  # 考核: this period's score so far; None: not scored (not bound)
    bound: bool = True  # False: 未绑定, in no figure

    @property
    def rate(self) -> float:
        return self.on_time.rate if self.on_time is not None else 1.0


@dataclass(frozen=True)
class UnitList:
    lines: tuple[UnitLine, ...]  # bound units (a collective body with its bound members), registry order
    unbound: tuple[UnitLine, ...]  # 未绑定 units, listed apart


def _rate(snap: Snapshot, name: str) -> OnTime | None:
    rounds = list(snap.history[-RATE_ROUNDS:])
    due = sum(s.units[name].due for s in rounds if name in s.units)
    on_time = sum(s.units[name].on_time for s in rounds if name in s.units)
    if snap.round.due_at <= snap.digest.generated_at:
        rows = snap.rows_by_unit.get(name, ())
        due += sum(1 for r in rows if r.status != "已销号")
        on_time += sum(
            1 for r in rows if r.reported_at is not None and r.reported_at <= snap.round.due_at and r.status != "已销号"
        )
    return OnTime(name, on_time, due) if due else None


def _unit_line(rt: Runtime, snap: Snapshot, name: str) -> UnitLine:
    duties = rt.duties.get(name, ())
    leads = sum(1 for d in duties if d.role is Role.LEAD)
    supports = sum(1 for d in duties if d.role is Role.CO)
    department = rt.respondents[name].department
    if name in snap.unbound:
        return UnitLine(name, department, None, leads, supports, None, 0, bound=False)
    overdue = sum(1 for o in snap.overdue if o.respondent == name)
    return UnitLine(
        name, department, snap.unit_light(name), leads, supports, _rate(snap, name), overdue, score=_score(snap, name)
    )


def _score(snap: Snapshot, name: str) -> float | None:
    scored = snap.scores.get().of(name) if snap.scores is not None else None
    return scored.score if scored is not None else None


def _collective(department: str, lines: list[UnitLine]) -> UnitLine:
    """A collective body's line over its bound members: the worst light, the summed rates and items."""
    lights = [m.light for m in lines if m.light is not None]
    rates = [m.on_time for m in lines if m.on_time is not None]
    return UnitLine(
        department,
        department,
        max(lights, key=LIGHT_RANK.__getitem__) if lights else None,
        lines[0].leads,
        lines[0].supports,
        OnTime(department, sum(r.on_time for r in rates), sum(r.due for r in rates)) if rates else None,
        sum(m.overdue for m in lines),
        tuple(lines),
        _mean([m.score for m in lines if m.score is not None]),
    )


def unit_lines(rt: Runtime, snap: Snapshot) -> UnitList:
    """Every bound unit in registry order (a collective body is one line with its members under it), and the
    units not yet bound apart."""
    groups: dict[str, list[UnitLine]] = {}
    unbound = []
    for name, respondent in rt.respondents.items():
        line = _unit_line(rt, snap, name)
        if line.bound:
            groups.setdefault(respondent.department, []).append(line)
        else:
            unbound.append(line)
    out = []
    for department, lines in groups.items():
        is_single = len(lines) == 1 and lines[0].name == department
        out.append(lines[0] if is_single else _collective(department, lines))
    return UnitList(tuple(out), tuple(unbound))


def _mean(scores: list[float]) -> float | None:
    """A collective body's score: its scored members' average."""
    return round(sum(scores) / len(scores), 2) if scores else None


@dataclass(frozen=True)
class UnitHistory:
    round_id: str
    due: int
    on_time: int
    done: int
    blocked: int
    unreported: int


@dataclass(frozen=True)
class Asked:
    """What the plan asks of a unit not yet bound: shown on its page, with no status."""

    measure: int
    role: Role
    text: str


@dataclass(frozen=True)
class UnitPage:
    line: UnitLine
    rows: tuple[LedgerRow, ...]  # this round's items, in plan order (none while 未绑定)
    history: tuple[UnitHistory, ...]  # recent closed rounds, latest first
    asked: tuple[Asked, ...] = ()  # 未绑定: its measures, in plan order
    unbound_members: tuple[str, ...] = ()  # a collective body's members not yet bound: listed apart

    @property
    def collective(self) -> bool:
        return self.line.department == self.line.name and bool(self.members_named)

    @property
    def members_named(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.line.members) + self.unbound_members


def collective_page(rt: Runtime, snap: Snapshot, name: str) -> UnitPage | None:
    """A collective body (各县（市、区）人民政府): its bound members' lines and this round's items, member by member
    within each measure; its members not yet bound listed apart."""
    members = [r.name for r in rt.respondents.values() if r.department == name and r.name != name]
    if not members:
        return None
    lines = [_unit_line(rt, snap, member) for member in members]
    bound = [line for line in lines if line.bound]
    apart = tuple(line.name for line in lines if not line.bound)
    if not bound:
        first = lines[0]
        line = UnitLine(name, name, None, first.leads, first.supports, None, 0, bound=False)
        return UnitPage(line, (), (), unbound_members=apart)
    rows = sorted((row for m in bound for row in snap.rows_by_unit.get(m.name, ())), key=lambda r: r.measure)
    return UnitPage(_collective(name, bound), tuple(rows), (), unbound_members=apart)


def unit_page(rt: Runtime, snap: Snapshot, name: str) -> UnitPage | None:
    if name not in rt.respondents:
        return collective_page(rt, snap, name)
    line = _unit_line(rt, snap, name)
    if not line.bound:
        asked = tuple(Asked(d.measure.number, d.role, d.measure.text) for d in rt.duties.get(name, ()))
        return UnitPage(line, (), (), asked)
    history = tuple(
        UnitHistory(s.round.id, u.due, u.on_time, u.done, u.blocked, u.unreported)
        for s in reversed(snap.history)
        if (u := s.units.get(name)) is not None
    )
    return UnitPage(line, snap.rows_by_unit.get(name, ()), history)
