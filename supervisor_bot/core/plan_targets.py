"""Quantitative targets in a measure: 60%, 500元/人/月, 6个月, 5至10倍, 100件 …"""

from __future__ import annotations

import re

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = r"万元|亿元|元|倍|个月|年|天|个工作日|日|人次|万人|万名|人|名|家|件|个|项|户|所|次|场|小时"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"每(?:人)?每?月({_NUMBER})元(?:/人)?"), r"\1元/人/月"),
    (re.compile(rf"每人每月({_NUMBER})元"), r"\1元/人/月"),
    (re.compile(rf"({_NUMBER})元/人/月"), r"\1元/人/月"),
    (re.compile(rf"({_NUMBER})\s*(?:至|到|—|－|-|~|～)\s*({_NUMBER})\s*(%|{_UNITS})"), r"\1至\2\3"),
    (re.compile(rf"({_NUMBER})%"), r"\1%"),
    (re.compile(rf"(?<![\d.])(?!\d{{4}}年)({_NUMBER})({_UNITS})(以上|以下|以内)?"), r"\1\2\3"),
)


def find_targets(text: str, skip: list[tuple[int, int]] | None = None) -> list[str]:
    """The targets in order of appearance; spans in `skip` (dates) are not read."""
    taken = list(skip or [])
    found: list[tuple[int, str]] = []
    for pattern, template in _PATTERNS:
        for m in pattern.finditer(text):
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                taken.append(m.span())
                found.append((m.start(), m.expand(template)))
    found.sort()
    seen: list[str] = []
    for _, target in found:
        if target not in seen:
            seen.append(target)
    return seen
