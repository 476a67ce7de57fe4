"""Dates and times as a government office writes them: 9月9日（周四）17:00."""

from __future__ import annotations

import datetime as dt

import pendulum

_WEEKDAYS = "一二三四五六日"


def local(moment: dt.datetime, tz: str) -> pendulum.DateTime:
    return pendulum.instance(moment).in_timezone(tz)


def day(moment: dt.date) -> str:
    return f"{moment.month}月{moment.day}日（周{_WEEKDAYS[moment.weekday()]}）"


def month_day(moment: dt.date) -> str:
    return f"{moment.month}月{moment.day}日"


def full_day(moment: dt.date) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def day_time(moment: dt.datetime, tz: str) -> str:
    m = local(moment, tz)
    return f"{day(m.date())}{m.hour:02d}:{m.minute:02d}"


def short(moment: dt.datetime, tz: str) -> str:
    m = local(moment, tz)
    return f"{m.month}月{m.day}日 {m.hour:02d}:{m.minute:02d}"


def round_name(round_id: str) -> str:
    """`2021-W36` → 2021年第36周, `2025-06` → 2025年6月, `2025-Q2` → 2025年第2季度; a round opened by hand in
    the same period: `2021-W36-2` → 2021年第36周第2轮; a plan's round, after its key: `营商环境-2025-06` → 营商环境
    2025年6月."""
    year, _, rest = round_id.partition("-")
    period, _, extra = rest.partition("-")
    if not year.isdigit():
        return f"{year} {round_name(rest)}" if year and rest[:1].isdigit() else round_id
    if period.startswith("W") and period[1:].isdigit():
        name = f"{year}年第{int(period[1:])}周"
    elif period.startswith("Q") and period[1:].isdigit():
        name = f"{year}年第{int(period[1:])}季度"
    elif period.isdigit():
        name = f"{year}年{int(period)}月"
    else:
        return round_id
    return f"{name}第{extra}轮" if extra else name


_ENDS = "。！？!?；;…"


def item(plan: str, label: object) -> str:
    """`措施5`; `营商环境 措施5` where several plans are supervised."""
    return f"{plan} 措施{label}" if plan else f"措施{label}"


def sentence(text: str) -> str:
    """A sentence ends with one full stop: `再报完成。` stays as it is, `再报完成` gains its `。`."""
    text = text.strip()
    return text if not text or text.endswith(tuple(_ENDS)) else text + "。"


def period(start: dt.date, end: dt.date) -> str:
    """统计时间: one day as one date, a span as 起至止."""
    return full_day(start) if start == end else f"{full_day(start)}至{full_day(end)}"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
