"""What /status, /overdue and /measure answer, read from storage."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.queries import items
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import evidence, messages, status


def _number(text: str) -> int | None:
    """A measure number as written: 8, or full-width ８. str.isdigit() would also pass "²", which int()
    refuses, and int() refuses more than 4300 digits: neither is a measure."""
    return int(text) if text.isdecimal() and len(text) <= 6 else None


def status_text(rt: Runtime, argument: str, now: dt.datetime) -> str:
    """Overall, for a department (or a collective body's members), or for a measure."""
    text = argument.strip()
    numeric = text.isdecimal()
    number = _number(text)
    measure = rt.matrix.measure(number) if number is not None else None
    names = rt.find_respondent(text) if text and not numeric else []
    if numeric and measure is None:
        return messages.no_measure(text, len(rt.matrix.measures))
    if text and not numeric and not names:
        return messages.no_such_respondent(text, ()).replace("/invite", "/status")
    live = rt.current_round()
    if live is None:
        return messages.NO_ROUND
    reports = rt.store.reports(live.id)
    if measure is not None:
        selected = [i for i in items(rt.matrix, reports) if i.measure.number == measure.number]
        return status.of_measure(measure, live, selected, rt.tz)
    if names:
        return status.of_respondents(names, live, items(rt.matrix, reports, only=set(names)), rt.tz)
    return status.overall(rt.matrix, live, items(rt.matrix, reports), rt.tz)


def overdue_text(rt: Runtime, now: dt.datetime) -> str:
    live = rt.current_round()
    if live is None:
        return messages.NO_ROUND
    return status.overdue_list(live, items(rt.matrix, rt.store.reports(live.id)), rt.tz, now)


def measure_text(rt: Runtime, argument: str) -> str:
    text = argument.strip()
    if not text:
        return messages.USAGE["measure"]
    number = _number(text)
    measure = rt.matrix.measure(number) if number is not None else None
    if measure is None:
        return messages.no_measure(text, len(rt.matrix.measures))
    files = tuple(e for e in rt.store.evidence() if e.measure == measure.number)
    return status.measure_info(rt.matrix, measure) + evidence.of_measure(files, rt.tz)
