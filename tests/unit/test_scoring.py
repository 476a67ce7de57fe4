"""考核 scores against a hand-computed case: every point traced to its event."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from supervisor_bot.core.matrix import Role
from supervisor_bot.core.scoring import Asked, Event, Facts, Period, Rule, ScoringRules, period_of, score_units
from supervisor_bot.services.score_query import parse_period
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.scoring import scoring_rules

TZ = "Asia/Shanghai"


def at(day: int, hour: int = 9, month: int = 9) -> dt.datetime:
    return pendulum.datetime(2021, month, day, hour, tz=TZ)


DUE = at(9, 17)


def facts() -> Facts:
    asked = (
        Asked("甲局", 1, Role.LEAD, "2021-W36", DUE, at(8), done=True),  # on time
        Asked("甲局", 2, Role.CO, "2021-W36", DUE, at(10, 10), done=False),  # 迟报 −0.5
        Asked("甲局", 3, Role.LEAD, "2021-W36", DUE, None, done=False),  # 未报送 −1
        Asked("乙局", 1, Role.CO, "2021-W36", DUE, at(9, 16), done=False),  # on time
        Asked("乙局", 4, Role.LEAD, "2021-W40", at(30, 17), None, done=False),  # not yet due at `now`
    )
    findings = (
        Event(Rule.OVERDUE_LEAD, "甲局", at(10, 17), 3, "2021-W36", "督办"),  # −2
        Event(Rule.INTERVIEW, "甲局", at(20, 0), None, None, "约谈要点"),  # −5
        Event(Rule.RETURNED, "乙局", at(15), 1, "2021-W37", "佐证不足"),  # −0.5
        Event(Rule.EARLY_DONE, "乙局", at(16), 5, None, "2021-09-30"),  # +1
        Event(Rule.INTERVIEW, "丙局", at(20, 0)),  # not a scored unit: ignored
    )
    return Facts(asked, findings)


def test_a_hand_computed_period() -> None:
    scores = score_units(["乙局", "甲局"], facts(), ScoringRules(), now=at(25))
    assert [s.unit for s in scores] == ["甲局", "乙局"]  # lowest first
    first, second = scores
    assert first.score == 100 - 0.5 - 1 - 2 - 5 == 91.5
    assert [(d.event.rule, d.event.measure, d.points) for d in first.deductions] == [
        (Rule.MISSING_REPORT, 3, -1.0),  # dated at the due time, 9/9 17:00
        (Rule.LATE_REPORT, 2, -0.5),  # at the report, 9/10 10:00
        (Rule.OVERDUE_LEAD, 3, -2.0),
        (Rule.INTERVIEW, None, -5.0),
    ]
    assert (first.lead_on_time, first.lead_due, first.co_on_time, first.co_due) == (1, 2, 0, 1)
    assert first.lead_rate == 0.5 and first.co_rate == 0.0
    assert (first.completed, first.overdue, first.interviews) == (1, 1, 1)
    assert second.score == 100 - 0.5 + 1 == 100.5
    assert (second.lead_due, second.co_due, second.co_on_time) == (0, 1, 1)  # measure 4 is not due yet
    assert second.lead_rate is None


def test_lead_costs_more_than_co_and_interview_most() -> None:
    rules = ScoringRules()
    assert rules.interview > rules.overdue_lead > rules.overdue_co
    assert rules.overdue_lead > rules.missing_report > rules.late_report
    assert 0 < rules.returned < rules.overdue_lead


def test_credits_are_capped_and_a_score_never_falls_below_zero() -> None:
    credits = tuple(Event(Rule.EARLY_DONE, "甲局", at(10 + i), i) for i in range(3))
    (capped,) = score_units(["甲局"], Facts((), credits), ScoringRules(credit_cap=1.5), now=at(25))
    assert [d.points for d in capped.deductions] == [1.0, 0.5, 0.0] and capped.score == 101.5
    talks = tuple(Event(Rule.INTERVIEW, "甲局", at(10 + i)) for i in range(3))
    (low,) = score_units(["甲局"], Facts((), talks), ScoringRules(start=10), now=at(25))
    assert low.score == 0


def test_periods() -> None:
    day = dt.date(2021, 11, 15)
    assert period_of("month", day) == Period(dt.date(2021, 11, 1), dt.date(2021, 11, 30))
    assert period_of("quarter", day) == Period(dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    assert period_of("year", day) == Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert period_of("month", dt.date(2021, 12, 5)).end == dt.date(2021, 12, 31)
    assert parse_period("2021-Q4") == period_of("quarter", day)
    assert parse_period("2021年11月") == parse_period("2021-11") == period_of("month", day)
    assert parse_period("2021") == period_of("year", day)
    assert parse_period("2021-13") is None and parse_period("21") is None


def test_scoring_settings() -> None:
    def error(key: str, problem: str) -> ConfigError:
        return ConfigError("settings.toml", key, problem)

    assert scoring_rules({}, error) == ScoringRules()
    rules = scoring_rules({"interview": 8, "late_report": 0.25, "period": "month"}, error)
    assert (rules.interview, rules.late_report, rules.period) == (8.0, 0.25, "month")
    for bad in ({"interview": "8"}, {"interview": -1}, {"period": "week"}, {"interviews": 1}, {"start": True}):
        with pytest.raises(ConfigError, match="scoring"):
            scoring_rules(bad, error)
