from __future__ import annotations

import pytest

from supervisor_bot.core.chinese_numerals import parse_numeral
from supervisor_bot.core.plan_text import is_page_footer, normalise, source_lines, to_halfwidth


def test_fullwidth_becomes_ascii() -> None:
    assert to_halfwidth("２０２１年ＡＢｃ：（１）\u3000x") == "2021年ABc:(1) x"


@pytest.mark.parametrize("line", ["—71—", "— 71 —", "- 3 -", "－12－", "第3页", "第 3 页 共 10 页"])
def test_page_footers(line: str) -> None:
    assert is_page_footer(line)


@pytest.mark.parametrize("line", ["71", "2021年", "一、稳定就业", "—", "1.做好工作"])
def test_not_page_footers(line: str) -> None:
    assert not is_page_footer(line)


def test_source_lines_keep_original_line_numbers() -> None:
    lines = source_lines("\n  甲\n\n—７１—\n 乙 \n")
    assert [(line.number, line.text) for line in lines] == [(2, "甲"), (5, "乙")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("约束.(市发改委、市人社局等负责)", "约束。（市发改委、市人社局等负责）"),
        ("比例为3.5%,即1,000人:9:00开会", "比例为3.5%，即1,000人：9:00开会"),
        ("见 www.jinan.gov.cn 网站", "见www.jinan.gov.cn网站"),
        ("鲁政字 〔2021〕 136号 «文件»", "鲁政字〔2021〕136号《文件》"),
        ("COVID 19 疫情", "COVID 19疫情"),
        ("牵头单位:A;责任单位:B", "牵头单位：A；责任单位：B"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("一百零三", 103)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert parse_numeral(numeral) == value


def test_not_a_numeral() -> None:
    assert parse_numeral("一个") is None
    assert parse_numeral("") is None
