"""考核: the facts of a period gathered from the store, scored by core.scoring's rules.

Which units are scored is decided in one place, `scored_units`: units bound to a chat (a unit not yet bound is
asked nothing and so cannot be scored). Issue 11's units marked `reports = false` are to be left out there too.
A unit bound part-way through the period is scored on the rounds due after it was bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pendulum

from supervisor_bot.core.matrix import Role
from supervisor_bot.core.oversight import ClosureState
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.scoring import Asked, Event, Facts, Period, Rule, Scorecard, period_of, score_units
from supervisor_bot.core.status import Status
from supervisor_bot.services.overdue import bound_units
from supervisor_bot.services.runtime import Runtime


def scored_units(rt: Runtime) -> tuple[str, ...]:
    """The units that are scored, in registry order: every unit bound to a chat (see the module's note)."""
    return tuple(u.name for u in bound_units(rt, bound_only=True))


def _bound_since(rt: Runtime) -> dict[str, dt.datetime]:
    since: dict[str, dt.datetime] = {}
    for entry in rt.store.audit(None):
        if entry.action == "bind" and entry.respondent is not None and entry.respondent not in since:
            since[entry.respondent] = entry.at
    return since


def _day(moment: dt.datetime, tz: str) -> dt.date:
    local: dt.date = pendulum.instance(moment).in_timezone(tz).date()
    return local


def _bounds(period: Period, tz: str) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    start = pendulum.datetime(period.start.year, period.start.month, period.start.day, tz=tz)
    end = pendulum.datetime(period.end.year, period.end.month, period.end.day, tz=tz).add(days=1)
    return start, end


def _first_reports(audit: Iterable[AuditEntry]) -> dict[tuple[int, str], dt.datetime]:
    first: dict[tuple[int, str], dt.datetime] = {}
    for entry in audit:
        if entry.action == "report" and entry.measure is not None and entry.respondent is not None:
            first.setdefault((entry.measure, entry.respondent), entry.at)
    return first


def _asked(rt: Runtime, round_: Round, units: set[str], since: dict[str, dt.datetime]) -> list[Asked]:
    reports = rt.store.reports(round_.id)
    first = _first_reports(rt.store.audit(round_.id))
    out = []
    for name in units:
        bound = since.get(name)
        if bound is not None and bound > round_.due_at:
            continue  # bound after this round was due: it was not asked in time to answer
        for duty in rt.duties.get(name, ()):
            key = (duty.measure.number, name)
            report = reports.get(key)
            if report is not None and report.carried:
                continue  # 已完成 earlier: not asked again
            done = report is not None and report.status is Status.DONE
            out.append(Asked(name, key[0], duty.role, round_.id, round_.due_at, first.get(key), done, rt.plan))
    return out


def _role(rt: Runtime, unit: str, measure: int) -> Role:
    duty = next((d for d in rt.duties.get(unit, ()) if d.measure.number == measure), None)
    return duty.role if duty is not None else Role.CO


def _round_findings(rt: Runtime, round_: Round, units: set[str], inside: Period) -> list[Event]:
    """督办 (an item found overdue) and 退回 recorded in a round's log, dated within the period."""
    out = []
    for (measure, unit), at in rt.store.escalated(round_.id).items():
        if unit in units and inside.contains(_day(at, rt.tz)):
            rule = Rule.OVERDUE_LEAD if _role(rt, unit, measure) is Role.LEAD else Rule.OVERDUE_CO
            out.append(Event(rule, unit, at, measure, round_.id, "督办", rt.plan))
    for entry in rt.store.audit(round_.id):
        if entry.action == "return" and entry.respondent in units and inside.contains(_day(entry.at, rt.tz)):
            note = entry.note or ""
            out.append(Event(Rule.RETURNED, entry.respondent, entry.at, entry.measure, round_.id, note, rt.plan))
    return out


def _lasting_findings(rt: Runtime, units: set[str], inside: Period) -> list[Event]:
    """约谈 held, and lead items 销号 that were reported 已完成 by the measure's own deadline."""
    out = []
    for interview in rt.store.interviews():
        held = interview.held_on
        if held is not None and interview.respondent in units and inside.contains(held):
            at = pendulum.datetime(held.year, held.month, held.day, tz=rt.tz)
            out.append(Event(Rule.INTERVIEW, interview.respondent, at, None, None, interview.points, rt.plan))
    if rt.scoring.early_done <= 0:
        return out
    for closure in rt.store.closures():
        decided = closure.decided_at
        if closure.state is not ClosureState.CLOSED or decided is None or closure.respondent not in units:
            continue
        measure = rt.matrix.measure(closure.measure)
        end = measure.end_date if measure is not None else None
        lead = _role(rt, closure.respondent, closure.measure) is Role.LEAD
        if (
            end is not None
            and lead
            and _day(closure.reported_at, rt.tz) <= end
            and inside.contains(_day(decided, rt.tz))
        ):
            deadline = end.isoformat()
            out.append(Event(Rule.EARLY_DONE, closure.respondent, decided, closure.measure, None, deadline, rt.plan))
    return out


def facts(rt: Runtime, period: Period) -> Facts:
    """The period's facts for the scored units."""
    units = set(scored_units(rt))
    since = _bound_since(rt)
    start, end = _bounds(period, rt.tz)
    rounds = [r for r in rt.store.rounds() if r.opened_at < end]
    asked: list[Asked] = []
    findings: list[Event] = []
    for i, round_ in enumerate(rounds):
        if period.contains(_day(round_.due_at, rt.tz)):
            asked += _asked(rt, round_, units, since)
        following = rounds[i + 1] if i + 1 < len(rounds) else None
        # a round's log holds what happened while it was live, and a decision on its tickets soon after
        if following is None or following.closed_at is None or following.closed_at >= start:
            findings += _round_findings(rt, round_, units, period)
    findings += _lasting_findings(rt, units, period)
    return Facts(tuple(asked), tuple(findings))


def scorecard(rt: Runtime, period: Period, now: dt.datetime, found: Facts | None = None) -> Scorecard:
    """Every scored unit's score over `period`, as of `now`, lowest first (`found`: the plan's facts, if read)."""
    scores = score_units(scored_units(rt), found if found is not None else facts(rt, period), rt.scoring, now)
    labels = {m.number: rt.matrix.label(m.number) for m in rt.matrix.measures}
    return Scorecard(period, now, scores, rt.scoring, labels)


def scorecard_all(
    runtimes: tuple[Runtime, ...], period: Period, now: dt.datetime, found: dict[str, Facts] | None = None
) -> Scorecard:
    """考核 over every plan: one score per unit, its deductions from each plan it answers for (each tagged with
    the plan's key); the rules are the deployment's (`[scoring]`). `found`: each plan's facts, by key, if read."""
    if len(runtimes) == 1 and not runtimes[0].plan:
        return scorecard(runtimes[0], period, now, found.get("") if found else None)
    units = list(dict.fromkeys(name for rt in runtimes for name in scored_units(rt)))
    asked: list[Asked] = []
    findings: list[Event] = []
    for rt in runtimes:
        plan_facts = found[rt.plan] if found is not None else facts(rt, period)
        asked += plan_facts.asked
        findings += plan_facts.findings
    rules = runtimes[0].scoring
    scores = score_units(units, Facts(tuple(asked), tuple(findings)), rules, now)
    labels = {(rt.plan, m.number): rt.matrix.label(m.number) for rt in runtimes for m in rt.matrix.measures}
    return Scorecard(period, now, scores, rules, plan_labels=labels)


def scorecards(
    runtimes: tuple[Runtime, ...], period: Period, now: dt.datetime
) -> tuple[dict[str, Scorecard], Scorecard]:
    """Each plan's 考核 and the one over every plan, each plan's facts read once (the digest of several plans
    shows both)."""
    found = {rt.plan: facts(rt, period) for rt in runtimes}
    each = {rt.plan: scorecard(rt, period, now, found[rt.plan]) for rt in runtimes}
    return each, scorecard_all(runtimes, period, now, found)


def current_period(rt: Runtime, now: dt.datetime) -> Period:
    """The 考核 period `now` falls in (`[scoring] period`: month, quarter or year)."""
    return period_of(rt.scoring.period, _day(now, rt.tz))
