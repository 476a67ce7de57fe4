"""Monthly and quarterly rounds, and a monthly digest, over a year of China's calendar: 春节, 国庆 and their 调休
working weekends."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from supervisor_bot.core import tick
from supervisor_bot.core.ladder import LadderConfig, digest_slot
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.services.digests import previous_digest_key
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.views import fmt
from tests.conftest import CONFIG

TZ = "Asia/Shanghai"
CAL = load_calendar(CONFIG / "calendar_overrides.toml")
D = dt.date


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def a_year(schedule: RoundSchedule, start: pendulum.DateTime) -> list[Round]:
    """The rounds the tick opens, walked every three hours through a year."""
    rounds: list[Round] = []
    now = start
    while now < start.add(years=1):
        for action in tick.due(tick.Snapshot(tuple(rounds), (), frozenset()), now, schedule, CAL):
            if isinstance(action, tick.OpenRound):
                rounds = [r.closed(action.round.opened_at) if r.closed_at is None else r for r in rounds]
                rounds.append(action.round)
        now = now.add(hours=3)
    return rounds


def test_a_monthly_year() -> None:
    rounds = a_year(RoundSchedule(cadence=Cadence.MONTHLY, monthday=1), at(2025, 1, 1))
    assert [r.id for r in rounds] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert [fmt.round_name(r.id) for r in rounds][:2] == ["2025年1月", "2025年2月"]
    opened = [fmt.local(r.opened_at, TZ).date() for r in rounds]
    assert opened == [
        D(2025, 1, 2),  # 元旦
        D(2025, 2, 5),  # 春节 (1/28–2/4)
        D(2025, 3, 3),  # a Saturday: the next working day
        D(2025, 4, 1),
        D(2025, 5, 6),  # 劳动节 (5/1–5/5)
        D(2025, 6, 3),  # 端午 (5/31–6/2)
        D(2025, 7, 1),
        D(2025, 8, 1),
        D(2025, 9, 1),
        D(2025, 10, 9),  # 国庆 and 中秋 (10/1–10/8)
        D(2025, 11, 3),
        D(2025, 12, 1),
    ]
    assert all(fmt.local(r.opened_at, TZ).hour == 9 for r in rounds)
    february, october = rounds[1], rounds[9]
    assert february.due_at == at(2025, 2, 8, 17)  # Thu 6, Fri 7, and Saturday 8 (调休) is a working day
    assert october.due_at == at(2025, 10, 13, 17)  # Fri 10, Saturday 11 (调休), Mon 13
    assert all(r.closed_at is not None for r in rounds[:-1])  # each closes when the next opens


@pytest.mark.parametrize(
    ("month_of_quarter", "monthday", "opened", "dues"),
    [
        (
            1,
            1,
            [D(2025, 1, 2), D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 9)],  # 元旦; 国庆 moves the fourth
            {3: at(2025, 10, 13, 17)},  # across Saturday 10/11 (调休)
        ),
        (
            1,
            27,
            [D(2025, 1, 27), D(2025, 4, 27), D(2025, 7, 28), D(2025, 10, 27)],  # 4/27 is a 调休 Sunday
            {0: at(2025, 2, 7, 17)},  # 春节 (1/28–2/4) falls between opening and due time
        ),
    ],
)
def test_a_quarterly_year(
    month_of_quarter: int, monthday: int, opened: list[dt.date], dues: dict[int, pendulum.DateTime]
) -> None:
    schedule = RoundSchedule(cadence=Cadence.QUARTERLY, month_of_quarter=month_of_quarter, monthday=monthday)
    rounds = a_year(schedule, at(2025, 1, 1))
    assert [r.id for r in rounds] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert [fmt.round_name(r.id) for r in rounds] == [f"2025年第{q}季度" for q in range(1, 5)]
    assert [fmt.local(r.opened_at, TZ).date() for r in rounds] == opened
    for index, due in dues.items():
        assert rounds[index].due_at == due


def test_the_second_month_of_the_quarter_and_a_short_month() -> None:
    schedule = RoundSchedule(cadence=Cadence.QUARTERLY, month_of_quarter=2, monthday=31)
    slot = schedule.slot(D(2026, 1, 10), CAL)
    assert slot is not None and (slot.key, slot.at) == ("2026-Q1", at(2026, 2, 28, 9))  # 2/28: a 调休 Saturday
    monthly = RoundSchedule(cadence=Cadence.MONTHLY, monthday=31)
    june = monthly.slot(D(2025, 6, 5), CAL)
    assert june is not None and june.at == at(2025, 6, 30, 9)  # June has 30 days


def test_a_monthly_digest_before_the_holiday() -> None:
    config = LadderConfig(digest_cadence=Cadence.MONTHLY, digest_monthday=28)
    january = digest_slot(D(2025, 1, 5), config, CAL, TZ)
    assert (january.key, january.at) == ("2025-01", at(2025, 1, 27, 17))  # 1/28 is 春节: the working day before
    september = digest_slot(D(2025, 9, 5), config, CAL, TZ)
    assert september.at == at(2025, 9, 28, 17)  # a Sunday, but a 调休 working day
    february = digest_slot(D(2025, 2, 5), config, CAL, TZ)
    assert february.at == at(2025, 2, 28, 17)
    assert previous_digest_key("2025-01") == "digest:2024-12" and previous_digest_key("2025-W02") == "digest:2025-W01"


def test_round_names_read_naturally() -> None:
    assert fmt.round_name("2021-W36") == "2021年第36周"
    assert fmt.round_name("2021-W36-2") == "2021年第36周第2轮"
    assert fmt.round_name("2025-06") == "2025年6月"
    assert fmt.round_name("2025-06-2") == "2025年6月第2轮"
    assert fmt.round_name("2025-Q2") == "2025年第2季度"
