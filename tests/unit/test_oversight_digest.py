"""Overdue items for each reason, and the digest's numbers checked against a state built by hand."""

from __future__ import annotations

import datetime as dt

import pendulum

from supervisor_bot.core.digest import RoundRecord, State, build_digest, ledger, measure_progress
from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.ledger import Level, Light, Progress
from supervisor_bot.core.matrix import Department, Role
from supervisor_bot.core.oversight import (
    Basis,
    Closure,
    ClosureState,
    Extension,
    Interview,
    ItemFacts,
    Reason,
    closed_measures,
    judge,
    overdue_items,
)
from supervisor_bot.core.people import Actor
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import respondents
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status
from supervisor_bot.settings.calendar import load_calendar
from tests.conftest import CONFIG

TZ = "Asia/Shanghai"
CAL = load_calendar(CONFIG / "calendar_overrides.toml")
PLAN = """一、稳岗
1.阶段性降低失业保险费率政策延续实施至2021年9月8日。（甲局、乙局等负责）
2.做好用工服务。（乙局负责）
二、保障
3.加强督导。（丙局、甲局负责）
4.做好宣传。（丙局负责）
"""
MATRIX = import_plan(PLAN, DepartmentRegistry([Department("甲局"), Department("乙局"), Department("丙局")])).matrix
UNITS = respondents(MATRIX)
A = Actor(7, "联络员")


def at(month: int, day: int, hour: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2021, month, day, hour, tz=TZ)


W36 = Round("2021-W36", "2021-W36", at(9, 6, 9), at(9, 9, 17))
W37 = Round("2021-W37", "2021-W37", at(9, 13, 9), at(9, 16, 17))


def rep(
    measure: int, unit: str, status: Status, when: dt.datetime, round_id: str = "2021-W37", note: str = ""
) -> Report:
    return Report(round_id, measure, unit, status, note, when, A, -1)


# W37, as of Friday 17th 18:00: 甲 reported 1 in progress late and 3 done; 乙 reported 2 blocked (also in W36);
# 丙 reported 4 not started on time and nothing on 3.
REPORTS = {
    (1, "甲局"): rep(1, "甲局", Status.IN_PROGRESS, at(9, 17, 9)),
    (3, "甲局"): rep(3, "甲局", Status.DONE, at(9, 14, 10), note="已完成"),
    (2, "乙局"): rep(2, "乙局", Status.BLOCKED, at(9, 14, 10), note="缺资金"),
    (4, "丙局"): rep(4, "丙局", Status.NOT_STARTED, at(9, 14, 11)),
}
PREVIOUS = {(2, "乙局"): rep(2, "乙局", Status.BLOCKED, at(9, 7, 10), "2021-W36", "缺资金")}
NOW = at(9, 17, 18)


def overdue(**kw: object) -> list[tuple[int, str, Reason]]:
    args: dict[str, object] = {"extensions": {}, "resolved": set(), "closed": set()}
    args.update(kw)
    found = overdue_items(MATRIX, UNITS, W37, REPORTS, PREVIOUS, now=NOW, tz=TZ, **args)  # type: ignore[arg-type]
    return [(o.measure, o.respondent, o.reason) for o in found]


def test_each_reason() -> None:
    assert overdue() == [
        (1, "乙局", Reason.UNREPORTED),  # a co-operator is measured on reporting, not on the deadline
        (1, "甲局", Reason.PAST_DEADLINE),  # the lead, not done by 2021-09-08
        (2, "乙局", Reason.BLOCKED_TWICE),
        (3, "丙局", Reason.UNREPORTED),
    ]


def test_an_extension_and_a_resolution() -> None:
    ext = {
        (1, "甲局"): Extension(1, "甲局", dt.date(2021, 9, 30), A, at(9, 10)),
        (3, "丙局"): Extension(3, "丙局", dt.date(2021, 9, 20), A, at(9, 16)),
    }
    assert overdue(extensions=ext, resolved={(2, "乙局")}) == [(1, "乙局", Reason.UNREPORTED)]


def test_judge_says_why_since_when_and_against_which_date() -> None:
    first = MATRIX.measure(1)
    assert first is not None
    lead = ItemFacts(first, "甲局", Role.LEAD)
    before = judge(lead, W36, at(9, 8, 23), TZ)  # the measure's own deadline has not passed yet
    assert (before.overdue, before.basis, before.due) == (False, Basis.ROUND_DUE, W36.due_at)
    past = judge(lead, W36, at(9, 9, 9), TZ)  # after 2021-09-08, before the round's due time
    assert (past.reason, past.basis, past.since) == (
        Reason.PAST_DEADLINE,
        Basis.MEASURE_DEADLINE,
        at(9, 8, 23).add(minutes=59, seconds=59),
    )
    extension = Extension(1, "甲局", dt.date(2021, 9, 15), A, at(9, 9, 10))
    moved = judge(ItemFacts(first, "甲局", Role.LEAD, extension=extension), W37, at(9, 14, 9), TZ)
    assert not moved.overdue  # 延期 to 9/15, the measure deadline moves with it
    late = judge(ItemFacts(first, "甲局", Role.LEAD, extension=extension), W37, at(9, 16, 9), TZ)
    assert (late.reason, late.basis) == (Reason.PAST_DEADLINE, Basis.EXTENSION)
    co = ItemFacts(first, "乙局", Role.CO, extension=Extension(1, "乙局", dt.date(2021, 9, 20), A, at(9, 16, 18)))
    assert judge(co, W37, at(9, 17, 9), TZ).overdue is False  # 延期 to 9/20: not overdue at W37's due time
    unreported = judge(co, W37, at(9, 20, 17), TZ)
    assert (unreported.reason, unreported.basis, unreported.since) == (
        Reason.UNREPORTED,
        Basis.EXTENSION,
        at(9, 20, 17),
    )
    blocked = ItemFacts(first, "乙局", Role.CO, REPORTS[(2, "乙局")], PREVIOUS[(2, "乙局")])
    assert judge(blocked, W37, at(9, 14, 11), TZ).reason is Reason.BLOCKED_TWICE  # before the round's due time
    assert not judge(ItemFacts(first, "甲局", Role.LEAD, resolved=True), W37, NOW, TZ).overdue


def test_a_closed_measure_is_no_ones_business() -> None:
    closures = [Closure(3, "丙局", ClosureState.CLOSED, "完成", at(9, 14), A, at(9, 15))]
    closed = closed_measures(MATRIX, closures, UNITS)
    assert closed == {3}
    assert (3, "丙局", Reason.UNREPORTED) not in overdue(closed=closed)


def test_the_digest_against_a_hand_built_state() -> None:
    late = tuple(overdue_items(MATRIX, UNITS, W37, REPORTS, PREVIOUS, {}, set(), set(), NOW, TZ))
    interview = Interview("丙局", at(9, 17, 17), at(9, 22, 9), ("连续2轮逾期",), (3,))
    state = State(
        matrix=MATRIX,
        units=UNITS,
        round=W37,
        reports=REPORTS,
        overdue=late,
        done_steps=frozenset({"urge:乙局", "escalate:丙局"}),
        escalated={(3, "丙局"): at(9, 17, 17)},
        interviews=(interview,),
        history=(RoundRecord(W36, PREVIOUS),),
    )
    # measures by where their leads stand: 1 甲 in progress; 2 乙 blocked; 3 丙 unreported; 4 丙 not started
    assert measure_progress(state) == {
        1: Progress.IN_PROGRESS,
        2: Progress.BLOCKED,
        3: Progress.UNREPORTED,
        4: Progress.NOT_STARTED,
    }
    previous = dict.fromkeys(Progress, 0) | {Progress.UNREPORTED: 4}
    d = build_digest(state, NOW, LadderConfig(), CAL, TZ, "周报", previous)
    assert d.totals == {
        Progress.DONE: 0,
        Progress.IN_PROGRESS: 1,
        Progress.BLOCKED: 1,
        Progress.NOT_STARTED: 1,
        Progress.UNREPORTED: 1,
    }
    assert [(s.label, s.counts[Progress.IN_PROGRESS], s.counts[Progress.BLOCKED]) for s in d.sections] == [
        ("一", 1, 1),
        ("二", 0, 0),
    ]
    assert [(r.measure, r.respondent, r.reason) for r in d.red] == [
        (1, "甲局", "逾期未完成"),
        (1, "乙局", "未按时报送"),
        (2, "乙局", "连续两轮有困难"),
        (3, "丙局", "未按时报送"),
    ]
    # on time over W36 (4 items asked, 1 reported) and W37: 甲 1 late + 1 on time of 2 …
    rates = {o.respondent: (o.on_time, o.due) for o in d.lowest_on_time}
    assert rates == {"甲局": (1, 4), "乙局": (2, 4), "丙局": (1, 4)}
    assert d.period_start == dt.date(2021, 9, 13) and d.period_end == dt.date(2021, 9, 17)
    assert [i.respondent for i in d.interviews_pending] == ["丙局"] and d.interviews_held == ()
    assert any(u.what == "拟约谈丙局" for u in d.upcoming)
    rows = {(r.measure, r.respondent): r for r in ledger(state, NOW, LadderConfig(), CAL, TZ)}
    assert len(rows) == 6
    assert (rows[(1, "甲局")].light, rows[(1, "甲局")].level) == (Light.RED, Level.NONE)
    assert (rows[(3, "丙局")].light, rows[(3, "丙局")].level) == (Light.RED, Level.INTERVIEW)
    assert (rows[(2, "乙局")].light, rows[(2, "乙局")].level) == (Light.RED, Level.URGE)
    assert (rows[(4, "丙局")].light, rows[(4, "丙局")].status) == (Light.GREEN, "未启动")
    assert rows[(3, "甲局")].role is Role.CO and rows[(3, "甲局")].status == "已完成"
