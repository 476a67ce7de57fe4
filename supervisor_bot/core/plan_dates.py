"""Explicit dates in a measure, each with what it means: policy runs until, window closes, period, deadline."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from supervisor_bot.core.matrix import DateMeaning, MeasureDate

_YMD = r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?"
_RANGE = re.compile(_YMD + r"(?:至|到|—|－|-|~|～)(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")
_YEAR_END = re.compile(r"(\d{4})年(?:年)?(?:底|末)(?:以?前)")
_MONTH_END = re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)(?:以?前)")
_SINGLE = re.compile(_YMD + r"(?!\d)")
_YEAR_ONLY = re.compile(r"(?:到|至|于)(\d{4})年(?![\d底末年])")
_CLAUSE_BREAK = re.compile(r"[，；。：]")
_WINDOW_WORDS = re.compile(r"受理|申领|申报|申请|办理")
_RUN_WORDS = re.compile(r"延续|延长|实施|执行|有效")


@dataclass(frozen=True)
class Found:
    span: tuple[int, int]
    dates: tuple[MeasureDate, ...]


def _day(year: int, month: int, day: int | None, *, end: bool) -> dt.date:
    if day is None:
        day = calendar.monthrange(year, month)[1] if end else 1
    return dt.date(year, month, day)


def _clause_before(text: str, start: int) -> str:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    return text[breaks[-1] if breaks else 0 : start]


def _meaning(text: str, start: int, end: int) -> DateMeaning:
    before = _clause_before(text, start)
    after = text[end : end + 3]
    if re.search(r"(?:截至|截止)(?:到|至|于)?$", before):
        return DateMeaning.APPLICATION_CLOSES if _WINDOW_WORDS.search(before) else DateMeaning.DEADLINE
    if re.search(r"(?:至|到)$", before):
        if _WINDOW_WORDS.search(before):
            return DateMeaning.APPLICATION_CLOSES
        return DateMeaning.POLICY_UNTIL if _RUN_WORDS.search(before) else DateMeaning.DEADLINE
    if re.match(r"(?:之前|以前|前)", after):
        return DateMeaning.DEADLINE
    if re.match(r"(?:之后|以后|后|起)", after):
        return DateMeaning.EFFECTIVE_FROM
    return DateMeaning.MENTIONED


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _range_dates(text: str, m: re.Match[str]) -> tuple[MeasureDate, ...]:
    """A period's start and end; none if either is no real date."""
    y1, m1, d1, y2, m2, d2 = (_int(g) for g in m.groups())
    assert y1 is not None and m1 is not None and m2 is not None
    try:
        start = _day(y1, m1, d1, end=False)
        finish = _day(y2 or y1, m2, d2, end=True)
    except ValueError:
        return ()
    return (
        MeasureDate(start, DateMeaning.PERIOD_START, m.group(0)),
        MeasureDate(finish, DateMeaning.PERIOD_END, m.group(0)),
    )


def _month_end_dates(text: str, m: re.Match[str]) -> tuple[MeasureDate, ...]:
    return _period_end_deadline(m, int(m.group(1)), int(m.group(2)))


def _year_end_dates(text: str, m: re.Match[str]) -> tuple[MeasureDate, ...]:
    return _period_end_deadline(m, int(m.group(1)), 12)


def _period_end_deadline(m: re.Match[str], year: int, month: int) -> tuple[MeasureDate, ...]:
    try:  # 2021年13月底, 0000年底: no date, just text
        date = _day(year, month, None, end=True)
    except ValueError:
        return ()
    return (MeasureDate(date, DateMeaning.DEADLINE, m.group(0)),)


def _single_dates(text: str, m: re.Match[str]) -> tuple[MeasureDate, ...]:
    """One date, its meaning read from the words around it."""
    year, month, day = int(m.group(1)), int(m.group(2)), _int(m.group(3))
    meaning = _meaning(text, m.start(), m.end())
    try:
        date = _day(year, month, day, end=meaning.is_end)
    except ValueError:
        return ()
    source = _clause_before(text, m.start())[-8:] + m.group(0)
    return (MeasureDate(date, meaning, source),)


def _year_only_dates(text: str, m: re.Match[str]) -> tuple[MeasureDate, ...]:
    if int(m.group(1)) < dt.MINYEAR:
        return ()
    return (MeasureDate(dt.date(int(m.group(1)), 12, 31), DateMeaning.DEADLINE, m.group(0)),)


# Each kind of date in turn, the most specific first: a later kind only reads text no earlier one took
_READERS: tuple[tuple[re.Pattern[str], Callable[[str, re.Match[str]], tuple[MeasureDate, ...]]], ...] = (
    (_RANGE, _range_dates),
    (_MONTH_END, _month_end_dates),
    (_YEAR_END, _year_end_dates),
    (_SINGLE, _single_dates),
    (_YEAR_ONLY, _year_only_dates),
)


def find_dates(text: str) -> tuple[list[MeasureDate], list[tuple[int, int]]]:
    """The dates in a measure's text, in order, and the spans they occupy (so targets skip them)."""
    found: list[Found] = []
    for pattern, read in _READERS:
        for m in pattern.finditer(text):
            if all(m.end() <= f.span[0] or m.start() >= f.span[1] for f in found):
                dates = read(text, m)
                if dates:
                    found.append(Found(m.span(), dates))
    found.sort(key=lambda f: f.span)
    return [d for f in found for d in f.dates], [f.span for f in found]
