from __future__ import annotations

import datetime as dt

import pytest

from supervisor_bot.core.matrix import DateMeaning
from supervisor_bot.core.plan_dates import find_dates
from supervisor_bot.core.plan_targets import find_targets

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政策延续实施至2022年4月30日。", [(D(2022, 4, 30), DateMeaning.POLICY_UNTIL)]),
        ("政策受理期截至2021年12月31日。", [(D(2021, 12, 31), DateMeaning.APPLICATION_CLOSES)]),
        ("申报截止到2021年6月30日。", [(D(2021, 6, 30), DateMeaning.APPLICATION_CLOSES)]),
        (
            "对2021年1月至12月，给予补贴。",
            [(D(2021, 1, 1), DateMeaning.PERIOD_START), (D(2021, 12, 31), DateMeaning.PERIOD_END)],
        ),
        (
            "2021年7月1日至2022年6月30日实施。",
            [(D(2021, 7, 1), DateMeaning.PERIOD_START), (D(2022, 6, 30), DateMeaning.PERIOD_END)],
        ),
        ("2019年底前，全面完成。", [(D(2019, 12, 31), DateMeaning.DEADLINE)]),
        ("2023年年底前实现省级统筹。", [(D(2023, 12, 31), DateMeaning.DEADLINE)]),
        ("2022年6月底前完成。", [(D(2022, 6, 30), DateMeaning.DEADLINE)]),
        ("2022年3月15日前报送。", [(D(2022, 3, 15), DateMeaning.DEADLINE)]),
        ("到2025年，基本建成。", [(D(2025, 12, 31), DateMeaning.DEADLINE)]),
        ("调整为2021年1月1日之后新发生的。", [(D(2021, 1, 1), DateMeaning.EFFECTIVE_FROM)]),
        ("自2021年9月1日起施行。", [(D(2021, 9, 1), DateMeaning.EFFECTIVE_FROM)]),
        ("2020年末滚存结余。", []),
        ("按2020年12月的标准。", [(D(2020, 12, 1), DateMeaning.MENTIONED)]),
        ("没有日期。", []),
    ],
)
def test_dates_and_their_meaning(text: str, expected: list[tuple[dt.date, DateMeaning]]) -> None:
    dates, _ = find_dates(text)
    assert [(d.date, d.meaning) for d in dates] == expected


def test_an_impossible_date_is_skipped() -> None:
    assert find_dates("截至2021年2月30日。")[0] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("按企业缴纳的60%、大型企业按30%返还", ["60%", "30%"]),
        ("给予企业每月500元/人、最长6个月的补贴", ["500元/人/月", "6个月"]),
        ("每人每月300元", ["300元/人/月"]),
        ("放大5至10倍", ["5至10倍"]),
        ("推出100件高频事项", ["100件"]),
        ("裁员超过100人以上的", ["100人以上"]),
        ("参加失业保险1年以上", ["1年以上"]),
        ("给予50万元奖补，扶持2万名以上大学生", ["50万元", "2万名以上"]),
        ("比例提高到3.5%", ["3.5%"]),
    ],
)
def test_targets(text: str, expected: list[str]) -> None:
    assert find_targets(text) == expected


def test_targets_skip_dates() -> None:
    text = "截至2021年12月31日，新增100人"
    _, spans = find_dates(text)
    assert find_targets(text, spans) == ["100人"]
