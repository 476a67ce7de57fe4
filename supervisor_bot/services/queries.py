"""What /status, /overdue and /measure answer, read from storage."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.oversight import ItemKey, OverdueItem
from supervisor_bot.core.queries import items, unreported
from supervisor_bot.core.rounds import Round
from supervisor_bot.services.overdue import overdue_now, supervised_units
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import messages, status


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
    late = _overdue(rt, live, now)
    if measure is not None:
        selected = [i for i in items(rt.matrix, reports) if i.measure.number == measure.number]
        return status.of_measure(measure, live, selected, late, rt.tz)
    if names:
        return status.of_respondents(names, live, items(rt.matrix, reports, only=set(names)), late, rt.tz)
    return status.overall(rt.matrix, live, items(rt.matrix, reports), late, rt.tz)


def _overdue(rt: Runtime, live: Round, now: dt.datetime) -> dict[ItemKey, OverdueItem]:
    return {(o.measure, o.respondent): o for o in overdue_now(rt, live, now)}


def overdue_text(rt: Runtime, now: dt.datetime) -> str:
    """/overdue: exactly the items the ladder and the 督办单 hold overdue now (see core.oversight.judge)."""
    live = rt.current_round()
    if live is None:
        return messages.NO_ROUND
    supervised = {u.name for u in supervised_units(rt)}
    waiting = unreported(items(rt.matrix, rt.store.reports(live.id), only=supervised))
    return status.overdue_list(live, overdue_now(rt, live, now), waiting, rt.tz, now)


def measure_text(rt: Runtime, argument: str) -> str:
    text = argument.strip()
    if not text:
        return messages.USAGE["measure"]
    number = _number(text)
    measure = rt.matrix.measure(number) if number is not None else None
    if measure is None:
        return messages.no_measure(text, len(rt.matrix.measures))
    return status.measure_info(rt.matrix, measure)
