"""Dates and times as a government office writes them: 9月9日（周四）17:00."""

from __future__ import annotations

import datetime as dt

import pendulum

_WEEKDAYS = "一二三四五六日"


def local(moment: dt.datetime, tz: str) -> pendulum.DateTime:
    return pendulum.instance(moment).in_timezone(tz)


def day(moment: dt.date) -> str:
    return f"{moment.month}月{moment.day}日（周{_WEEKDAYS[moment.weekday()]}）"


def full_day(moment: dt.date) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def day_time(moment: dt.datetime, tz: str) -> str:
    m = local(moment, tz)
    return f"{day(m.date())}{m.hour:02d}:{m.minute:02d}"


def short(moment: dt.datetime, tz: str) -> str:
    m = local(moment, tz)
    return f"{m.month}月{m.day}日 {m.hour:02d}:{m.minute:02d}"


def round_name(round_id: str) -> str:
    """`2021-W36` → 2021年第36周; `2021-W36-2` → 2021年第36周（第2轮）."""
    year, _, rest = round_id.partition("-W")
    week, _, extra = rest.partition("-")
    name = f"{year}年第{int(week)}周" if week.isdigit() else round_id
    return f"{name}（第{extra}轮）" if extra else name


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
