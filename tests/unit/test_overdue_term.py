"""The term of an overdue list: until it, the list judged afresh at any later moment is the same list; at it, time
alone may change it. /status and the dashboard give a kept list again within its term (services.overdue)."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor_bot.core.matrix import Department
from supervisor_bot.core.oversight import Extension, OverdueItem, overdue_with_term
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.core.reports import Report
from supervisor_bot.core.respondents import respondents
from supervisor_bot.core.status import Status
from tests.unit.test_oversight_digest import TZ, W36, W37, A

PLAN = """一、稳岗
1.阶段性降低失业保险费率政策延续实施至2021年9月15日。（甲局、乙局等负责）
2.做好用工服务，2021年9月18日前完成。（乙局负责）
二、保障
3.加强督导。（丙局、甲局负责）
"""  # end dates inside the week judged, and a measure without one
MATRIX = import_plan(PLAN, DepartmentRegistry([Department("甲局"), Department("乙局"), Department("丙局")])).matrix
UNITS = respondents(MATRIX)

KEYS = [(d.number, u.name) for u in UNITS for d, role in MATRIX.roles_of(u.department) if MATRIX.asks(role)]
START = pendulum.datetime(2021, 9, 13, tz=TZ)  # W37 opens; it is due on the 16th at 17:00
minutes = st.integers(min_value=0, max_value=60 * 24 * 8)  # a week and a day from then


def moment(minute: int) -> pendulum.DateTime:
    return START.add(minutes=minute)


Reports = dict[tuple[int, str], Report]
State = tuple[Reports, Reports, dict[tuple[int, str], Extension]]


@st.composite
def states(draw: st.DrawFn) -> State:
    reports: Reports = {}
    previous: Reports = {}
    extensions: dict[tuple[int, str], Extension] = {}
    for measure, unit in KEYS:
        status = draw(st.sampled_from([None, *Status]))
        if status is not None:
            reports[(measure, unit)] = Report(W37.id, measure, unit, status, "", moment(draw(minutes)), A, -1)
        if draw(st.booleans()):
            before = draw(st.sampled_from(list(Status)))
            previous[(measure, unit)] = Report(W36.id, measure, unit, before, "", W36.due_at, A, -1)
        if draw(st.integers(0, 4)) == 0:
            until = dt.date(2021, 9, 7) + dt.timedelta(days=draw(st.integers(0, 16)))
            extensions[(measure, unit)] = Extension(measure, unit, until, A, moment(0))
    return reports, previous, extensions


def test_the_plan_has_end_dates_inside_the_week() -> None:
    assert [m.end_date for m in MATRIX.measures] == [dt.date(2021, 9, 15), dt.date(2021, 9, 18), None]


@settings(max_examples=200, deadline=None)
@given(states(), minutes, st.lists(minutes, min_size=1, max_size=6))
def test_the_list_holds_until_its_term(state: State, start: int, later: list[int]) -> None:
    reports, previous, extensions = state
    now = moment(start)

    def judged(at: dt.datetime) -> tuple[list[OverdueItem], dt.datetime | None]:
        return overdue_with_term(MATRIX, UNITS, W37, reports, previous, extensions, set(), set(), at, TZ)

    found, until = judged(now)
    for minute in sorted(later):
        at = now.add(minutes=minute)
        if until is not None and at >= until:
            break
        assert judged(at)[0] == found, f"judged at {now}, again at {at} (term {until})"
    if until is not None:
        assert until > now
